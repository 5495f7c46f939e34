"""Damaged and unavailable database files: each is named for what it is, nothing is written, no traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from xinfang_desktop.cli import main
from xinfang_desktop.db.backups import DAILY, backup_name
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.statistics import tally
from xinfang_desktop.services.supervision import overdue

END = date(2026, 6, 30)


def demo_file(path: Path, cases: int = 300) -> Path:
    """A demo database, its tally cache filled, closed (so its -wal is folded into the file)."""
    db = Database(path)
    with db.begin() as s:
        generate(s, cases=cases, seed=3, end=END, years=2)
    with db.derive() as s:
        tally(s, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), as_of=END)
    db.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_file(tmp_path_factory.mktemp("pristine") / "demo.sqlite3")


@pytest.fixture
def copy(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "台账.sqlite3"
    shutil.copyfile(pristine, target)  # a closed file with no -wal: copying it is copying the database
    return target


def pages_of(path: Path, name: str, kind: str = "leaf") -> list[int]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno",
                                           (name, kind))]
    finally:
        conn.close()


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def _tally_figures(path: Path) -> tuple[int, int, int]:
    db = Database(path)
    try:
        with db.derive() as s:
            t = tally(s, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), as_of=END)
        return t.this.total, t.this.collective_batches, t.this.closed
    finally:
        db.close()


def test_a_damaged_page_in_matters_is_a_message_everywhere(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # every leaf of the table and of the tally's covering index: whatever reads matters meets the damage
    for page in pages_of(copy, "matters") + pages_of(copy, "ix_matters_tally"):
        overwrite(copy, (page - 1) * 4096, b"\xff" * 4096)  # not a b-tree page at all
    db = Database(copy)
    try:
        for read in (lambda s: overdue(s, on=END), lambda s: get_matter(s, 150),
                     lambda s: tally(s, date_from=date(2025, 1, 1), date_to=date(2026, 12, 31), as_of=END,
                                     use_cache=False)):
            with pytest.raises(StorageError) as caught, db.read() as s:
                read(s)
            assert "已损坏" in caught.value.message and "从备份恢复" in caught.value.message
        assert not db.check().ok
    finally:
        db.close()
    capsys.readouterr()
    for argv in (["overdue"], ["tally", "--year", "2025"], ["export-ledger", "--year", "2026", "-o", str(copy.parent / "台账.xlsx")],
                 ["check"]):
        code = main([*argv, "--db", str(copy)])
        out = capsys.readouterr()
        assert code in (1, 2), argv
        assert "Traceback" not in out.err and "已损坏" in out.err + out.out, (argv, out)


def _end_of_first_key(page: bytes) -> int:
    """Where in an index leaf page its first cell's key ends (the last byte of the entry's rowid).

    Found through the cell pointer, not taken as the page's last byte: an index whose entries are
    rewritten (0014's sums change as transfers come) leaves freed cells there, which no check reads."""
    cell = int.from_bytes(page[8:10], "big")
    size, length = 0, 0
    while True:  # the payload size, a varint
        byte = page[cell + length]
        size, length = (size << 7) | (byte & 0x7F), length + 1
        if byte < 0x80:
            break
    return cell + length + size - 1


def test_a_byte_flipped_mid_file_is_found_by_the_check(copy: Path) -> None:
    index = pages_of(copy, "ix_matters_tally")
    page = index[len(index) // 2]
    with copy.open("r+b") as fh:  # the end of a key in an index page's cell area
        fh.seek((page - 1) * 4096)
        offset = (page - 1) * 4096 + _end_of_first_key(fh.read(4096))
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0xFF]))
    db = Database(copy)
    try:
        report = db.check()
        assert not report.ok and "已损坏" in report.text()
    finally:
        db.close()


def test_the_quick_check_at_open_finds_a_broken_tree_and_is_bounded(copy: Path) -> None:
    db = Database(copy)
    try:
        assert db.quick_check().ok
        hurried = db.quick_check(budget_s=0)  # interrupted at once, or done before the interrupt came
        assert hurried.ok  # out of time is never taken for damage (benchmarks/bench_storage.py times a big file)
    finally:
        db.close()
    leaves = pages_of(copy, "matters")
    overwrite(copy, (leaves[3] - 1) * 4096, b"\xff" * 4096)
    db = Database(copy)
    try:
        report = db.quick_check()
        assert not report.ok and report.finished
    finally:
        db.close()


def test_a_file_cut_by_one_byte_loses_only_its_derived_cache(copy: Path, pristine: Path) -> None:
    expected = _tally_figures(pristine)
    os.truncate(copy, copy.stat().st_size - 1)
    db = Database(copy)  # opening drops the cache, which the cut reached
    try:
        with db.read() as s:
            assert s.connection().exec_driver_sql("SELECT count(*) FROM tally_days").scalar() == 0
    finally:
        db.close()
    assert _tally_figures(copy) == expected  # counted afresh, right
    db = Database(copy)
    try:
        assert db.check().ok  # and the file is whole again
    finally:
        db.close()


def test_a_bad_cache_entry_is_dropped_and_counted_afresh(copy: Path, pristine: Path) -> None:
    expected = _tally_figures(pristine)
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE tally_days SET matters = '[[\"来信\", 3' WHERE day = (SELECT min(day) FROM tally_days "
                 "WHERE day >= '2026-01-01')")
    conn.execute("UPDATE tally_days SET units = '{\"x\": ' WHERE day = '2026-03-02'")
    conn.commit()
    conn.close()
    assert _tally_figures(copy) == expected


def test_a_zero_byte_file_is_refused_and_stays_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "台账.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(StorageError) as caught:
        Database(empty)
    assert "空文件" in caught.value.message and "从备份恢复" in caught.value.message
    assert main(["check", "--db", str(empty)]) == 2
    assert "空文件" in capsys.readouterr().err
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.sqlite3"]  # no -wal, no -shm, no backups/


@pytest.fixture
def read_only() -> Iterator[list[Path]]:
    """Make paths read-only as this user: chmod, and for root (whom modes do not stop) the immutable flag."""
    made: list[Path] = []
    yield made
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o755 if path.is_dir() else 0o644)


def _make_read_only(path: Path, made: list[Path]) -> None:
    path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    made.append(path)
    assert not os.access(path, os.W_OK)


def test_a_read_only_file_is_read_only_not_damaged(copy: Path, read_only: list[Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = copy.read_bytes()
    _make_read_only(copy, read_only)
    db = Database(copy)
    try:
        with db.read() as s:
            assert overdue(s, on=END) is not None  # it can still be read
        with pytest.raises(StorageError) as caught, db.begin() as s:
            generate(s, cases=1, seed=9, end=END)
        assert "只读" in caught.value.message and "损坏" not in caught.value.message.replace("并没有损坏", "")
    finally:
        db.close()
    assert main(["check", "--db", str(copy)]) == 0
    assert "数据库完好" in capsys.readouterr().out
    assert copy.read_bytes() == before


def test_a_read_only_folder_is_read_only_not_damaged(copy: Path, read_only: list[Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _make_read_only(copy.parent, read_only)
    with pytest.raises(StorageError) as caught:
        Database(copy)
    message = caught.value.message
    assert "只读" in message and "不需要从备份恢复" in message and "可能已损坏" not in message
    assert main(["overdue", "--db", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "只读" in err and "Traceback" not in err


def _old_file(path: Path) -> bytes:
    from tests.helpers.database import schema_at

    schema_at(path, "0006")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO settings (key, value) VALUES ('office_name', '\"旧机关\"')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_a_pre_migration_backup_into_a_backups_file_is_a_message_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    before = _old_file(path)
    (tmp_path / "backups").write_text("not a folder")
    with pytest.raises(StorageError) as caught:
        Database(path)
    assert "backups" in caught.value.message and "没有改动" in caught.value.message
    assert path.read_bytes() == before or _revision(path) == "0006"
    assert (tmp_path / "backups").read_text() == "not a folder"


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_a_pre_migration_backup_on_a_full_disk_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_file(path)
    size = path.stat().st_size
    # a disk with room for the database but not for its backup: the file-size limit stands in for it
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({size // 2}, {size // 2}))\n"
        "from xinfang_desktop.cli import main\n"
        f"sys.exit(main(['overdue', '--db', {str(path)!r}]))\n"
    )
    result = subprocess.run(["python", "-c", script], capture_output=True, text=True, env=dict(os.environ))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "备份没有完成" in result.stderr
    assert _revision(path) == "0006"  # not migrated
    assert not any((tmp_path / "backups").iterdir())  # no partial backup


def test_the_damage_message_names_the_latest_good_backup(copy: Path) -> None:
    folder = copy.parent / "backups"
    db = Database(copy)
    good = db.backup(folder / backup_name(copy, DAILY, __import__("datetime").datetime(2026, 6, 29, 18)))
    db.close()
    for page in pages_of(copy, "matters"):
        overwrite(copy, (page - 1) * 4096, b"\xff" * 4096)  # not a b-tree page at all
    db = Database(copy)
    try:
        with pytest.raises(StorageError) as caught, db.read() as s:
            get_matter(s, 150)
    finally:
        db.close()
    assert str(good) in caught.value.message and "2026-06-29 18:00" in caught.value.message
