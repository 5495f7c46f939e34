"""The SQLite file itself: its header read before SQLite touches it, what an SQLite error means for the
clerk in Chinese (locked, read-only, damaged, disk full), and the checks of the whole file."""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinfang_desktop.db.backups import latest_good_backup, sqlite_code
from xinfang_desktop.domain.errors import DamagedDatabaseError, StorageError

_SQLITE_MAGIC = b"SQLite format 3\x00"
# how long a write waits for another writer before it says LOCKED_MESSAGE: long enough that only a
# writer really holding the file (another program in a long write) is reported, never a loaded PC that
# ran the other thread late (the import gives the lock back every 0.4 s; 5 s failed a test at load 8)
BUSY_TIMEOUT_MS = 15_000
LOCKED_MESSAGE = "数据库正被另一程序写入（如导入台账），请稍候再试"


def is_damage(exc: BaseException) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: the file itself is damaged."""
    return sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def writable(path: Path) -> bool:
    """Whether this program may write the database and, beside it, its -wal and -shm files."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def read_only_message(path: Path) -> str:
    where = "文件" if path.exists() and not os.access(path, os.W_OK) else f"所在文件夹“{path.parent}”"
    return (f"数据库“{path.name}”的{where}是只读的（文件属性为只读、没有写入权限，或在光盘、写保护的U盘上），"
            "程序不能在其中保存。文件并没有损坏，不需要从备份恢复。请取消只读属性，或把它复制到可写的文件夹后再打开。")


def damaged_message(path: Path, detail: object = "", *, outcome: str = "本次操作没有完成") -> str:
    """The message for a damaged file, naming the newest backup that could replace it."""
    latest = latest_good_backup(path.parent / "backups", path)
    offer = (f"最近的完好备份是 {latest.label}：{latest.path}。" if latest is not None
             else "备份文件夹中没有完好的备份。")
    why = f"（{detail}）" if detail else ""
    return (f"数据库文件“{path.name}”已损坏{why}，程序不会改写它，{outcome}。{offer}"
            f"请在“文件→从备份恢复…”中恢复（命令行：xinfang restore --db “{path}” --from 备份文件）。")


def storage_error(exc: BaseException, path: Path) -> StorageError | None:
    """The Chinese StorageError an SQLite error stands for (locked, read-only, damaged), or None if a bug."""
    code = sqlite_code(exc)
    detail = getattr(exc, "orig", exc)
    if code == sqlite3.SQLITE_BUSY:
        return StorageError(LOCKED_MESSAGE)
    if code == sqlite3.SQLITE_READONLY or (code == sqlite3.SQLITE_CANTOPEN and not writable(path)):
        return StorageError(read_only_message(path))
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedDatabaseError(damaged_message(path, detail))
    if code == sqlite3.SQLITE_FULL:
        return StorageError(f"磁盘空间不足，数据库“{path.name}”无法写入，本次操作没有保存。请腾出磁盘空间后再试。")
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return StorageError(f"读写数据库文件“{path.name}”时出错（{detail}），本次操作没有完成。"
                            "如果文件在U盘或网络位置上，请检查连接后再试。")
    return None


def header_problems(path: Path) -> list[str]:
    """What the first 100 bytes and the file's length say without reading a page: a cut file shows here."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return [f"无法读取文件（{exc.strerror}）"]
    if len(header) < 100 or header[:16] != _SQLITE_MAGIC:
        return ["文件头不是SQLite数据库"]
    raw_page = struct.unpack(">H", header[16:18])[0]
    page = 65536 if raw_page == 1 else raw_page
    if page < 512 or page & (page - 1):
        return [f"文件头中的页大小{raw_page}无效"]
    # SQLite writes whole pages; a cut on a page boundary is for integrity_check (pages gone from their trees).
    # The header's page count is not compared: another program's checkpoint writes page 1 before the rest.
    if size % page:
        return [f"文件长度{size}字节不是页大小{page}的整数倍，文件末尾被截断"]
    return []


def check_sqlite_file(path: Path) -> None:
    """Refuse, before touching it, a file that exists but is not an SQLite database, or is empty."""
    if path.is_dir():
        raise StorageError(f"“{path}”是一个文件夹，不是数据库文件。请在 --db 中写出数据库文件的完整路径。")
    if not path.exists():
        return
    if path.stat().st_size == 0:
        # SQLite would take it for a new database and write one into it: a file that was emptied by
        # a failed copy or a full disk must not quietly become an empty 台账
        raise DamagedDatabaseError(
            f"数据库文件“{path.name}”是空文件（0字节），里面没有任何台账数据，程序不会改写它。"
            "如果台账原本保存在这个文件里，请在“文件→从备份恢复…”中恢复最近的备份"
            f"（命令行：xinfang restore --db “{path}” --from 备份文件）；如果要新建台账，请换一个文件名。"
        )
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != _SQLITE_MAGIC:
        raise StorageError(f"文件“{path.name}”不是信访台账数据库（不是SQLite文件），程序不会改写它。请选择正确的数据库文件。")


@dataclass(frozen=True)
class CheckReport:
    """`ok` False: damaged. `finished` False: the quick check ran out of time before it was done."""

    ok: bool
    lines: tuple[str, ...]
    finished: bool = True

    def text(self) -> str:
        return "\n".join(self.lines)


def quick_check(path: Path, budget_s: float) -> CheckReport:
    """The check at open: the header and the file's length, then SQLite's quick_check for at most
    `budget_s` (a small file is checked whole; on a large one the full check after the first
    paint finishes the job: `finished` is then False).

    quick_check is one long step inside SQLite, which a progress handler cannot stop; it has its
    own connection, interrupted from a timer, so no pooled connection can ever be interrupted late.
    """
    problems = header_problems(path)
    finished = True
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        return CheckReport(False, (f"数据库：{path}", f"  {exc}"))
    timer = threading.Timer(budget_s, conn.interrupt)
    timer.start()
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(20)")]
        if rows != ["ok"]:
            problems += rows
    except sqlite3.DatabaseError as exc:
        if sqlite_code(exc) == sqlite3.SQLITE_INTERRUPT:
            finished = False
        else:
            problems.append(str(exc))
    finally:
        timer.cancel()
        conn.close()
    lines = [f"数据库：{path}"] + [f"  {p}" for p in problems]
    return CheckReport(not problems, tuple(lines), finished=finished)


def full_check(path: Path, running: set[sqlite3.Connection]) -> CheckReport:
    """Integrity and foreign-key checks, reported in Chinese; a damaged file is reported, never raised.

    It runs on a connection of its own, kept in `running` while it runs for Database.close() to
    interrupt (`finished` is then False).
    """
    lines: list[str] = [f"数据库：{path}"]
    ok = True
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    running.add(conn)

    def step(label: str, run: Callable[[], Any]) -> Any:
        # a damaged page can make any one of these statements fail: say so and go on with the next
        nonlocal ok
        try:
            return run()
        except sqlite3.DatabaseError as exc:
            if sqlite_code(exc) == sqlite3.SQLITE_INTERRUPT:
                raise
            ok = False
            lines.append(f"{label}：无法完成（{exc}）")
            return None

    header = header_problems(path)
    if header:
        ok = False
        lines.append("文件检查：" + "；".join(header))
    try:
        integrity = step("完整性检查", lambda: [r[0] for r in conn.execute("PRAGMA integrity_check")])
        if integrity == ["ok"]:
            lines.append("完整性检查：通过")
        elif integrity is not None:
            ok = False
            lines.append(f"完整性检查：发现{len(integrity)}处问题")
            lines.extend(f"  {r}" for r in integrity[:50])
        fks = step("外键检查", lambda: conn.execute("PRAGMA foreign_key_check").fetchall())
        if fks:
            ok = False
            lines.append(f"外键检查：发现{len(fks)}处引用错误")
            lines.extend(f"  表{r[0]} 第{r[1]}行 引用{r[2]}不存在" for r in fks[:50])
        elif fks is not None:
            lines.append("外键检查：通过")
        rev = step("数据库版本", lambda: conn.execute("SELECT version_num FROM alembic_version").fetchone())
        lines.append(f"数据库版本：{rev[0] if rev else None}")
        n = step("信访事项计数", lambda: conn.execute("SELECT count(*) FROM matters").fetchone()[0])
        if n is not None:
            lines.append(f"信访事项：{n}件")
    except sqlite3.DatabaseError:  # interrupted by close()
        return CheckReport(True, (*lines, "检查被中断（程序已关闭），没有结论"), finished=False)
    finally:
        running.discard(conn)
        conn.close()
    if ok:
        lines.append("结论：数据库完好")
    else:
        latest = latest_good_backup(path.parent / "backups", path)
        lines.append("结论：数据库已损坏，请用备份恢复（xinfang restore --db 数据库 --from 备份文件）"
                     + (f"；最近的完好备份：{latest.path}" if latest else "；备份文件夹中没有完好的备份"))
    return CheckReport(ok, tuple(lines))
