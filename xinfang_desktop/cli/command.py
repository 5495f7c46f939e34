"""What every subcommand module shares: the Command record, opening the database, dates and progress on stderr."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.paths import default_db_path

Arguments = tuple[tuple[tuple[str, ...], dict[str, Any]], ...]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: Arguments = field(default=())


_OPENED: list[Any] = []  # closed by close_opened() when the command is done


def open_db(args: argparse.Namespace, *, migrate: bool = True, must_exist: bool = False):  # type: ignore[no-untyped-def]
    """The database of --db: a file, or a postgresql:// server (asking for the password at the
    terminal when the server wants one that neither the address nor PostgreSQL's password file gives)."""
    from xinfang_desktop.db.database import Database
    from xinfang_desktop.db.dialect import is_server_url

    if is_server_url(args.db):
        return open_server(args.db, migrate=migrate)
    path = Path(args.db) if args.db else default_db_path()
    if must_exist and not path.exists():
        raise XinfangError(f"数据库文件“{path}”不存在，请检查 --db 参数")
    db = Database(path, migrate=migrate)
    _OPENED.append(db)
    return db


def close_opened() -> None:
    """A server's connections are closed (logged off), not left to the end of the process."""
    while _OPENED:
        _OPENED.pop().close()


def open_server(target: str, *, migrate: bool = True):  # type: ignore[no-untyped-def]
    from xinfang_desktop.db.server import ServerDatabase
    from xinfang_desktop.db.server_address import server_url
    from xinfang_desktop.domain.errors import LoginRefused

    try:
        db = ServerDatabase(target, migrate=migrate)
    except LoginRefused:
        url = server_url(target)
        if url.password is not None or not sys.stdin.isatty():
            raise
        import getpass

        password = getpass.getpass(f"用户“{url.username or getpass.getuser()}”在服务器上的密码：")
        db = ServerDatabase(url.set(password=password).render_as_string(hide_password=False), migrate=migrate)
    _OPENED.append(db)
    return db


FORCE: tuple[tuple[str, ...], dict[str, Any]] = (
    ("--force",), {"action": "store_true", "help": "输出文件已存在时覆盖它（默认不覆盖，报错退出）"}
)


def refuse_overwrite(target: Path, args: argparse.Namespace) -> None:
    """An existing file is not replaced unless the clerk said --force: it may be last year's ledger or a signed letter."""
    if target.exists() and not getattr(args, "force", False):
        raise XinfangError(f"文件“{target}”已存在，未覆盖；请用 -o 另取文件名，或加 --force 覆盖它")


def parse_day(text: str, label: str) -> date:
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise XinfangError(f"{label}“{text}”不是日期，请写成 2025-01-01 的形式") from None


def progress(label: str) -> Callable[..., None] | None:
    """A counter on stderr when a person watches it; None when the output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int | None = None) -> None:
        print(f"\r{label} {done}" + (f"/{total}" if total else ""), end="", file=sys.stderr, flush=True)

    return show
