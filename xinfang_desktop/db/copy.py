"""`xinfang copy-to`: an office's database file copied onto a PostgreSQL server, row for row, checked by counts.

Every table of the schema is copied in dependency order in one write transaction on the server
(all of it or nothing), each row by its own id, so the 卷宗, documents' PDFs, 批示 and timeline
lines keep their numbers and links; the server's triggers fill its search tables as the
matters go in, and the tally's day cache is counted afresh there at the end. Run again, rows already on the
server are left as they are and only what is new is added. A server database that holds
matters of another office is refused. It is run with the administrator's login (the tables' owner),
as server-setup is: it replaces a new database's lists and sets the id sequences, which a clerk may not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, select, text
from sqlalchemy.dialects.postgresql import insert

from xinfang_desktop import wallclock
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Base, Matter
from xinfang_desktop.domain.errors import StorageError

BATCH = 1000
COPIED_FROM = "copied_from"  # a setting on the server: which file it was copied from, and when
NEEDS_OWNER = ("copy-to 要用管理员账号运行（server-setup 的 --admin-url 中的账号），账号“{login}”不能复制。"
               "请管理员运行：xinfang --db 数据库文件 copy-to postgresql://管理员@服务器/xinfang")


@dataclass(frozen=True)
class CopyReport:
    counts: tuple[tuple[str, int, int], ...]  # (table, rows in the file, rows on the server)
    added: int  # rows this run added

    @property
    def complete(self) -> bool:
        return all(server >= local for _, local, server in self.counts)


def copy_to_server(source: Database, target: Database, *, progress: Callable[[str, int], None] | None = None,
                   now: datetime | None = None) -> CopyReport:
    """Copy `source` (a file) into `target` (a server database of the same schema version)."""
    if source.is_server or not target.is_server:
        raise StorageError("copy-to 把数据库文件复制到服务器：--db 写数据库文件，目标写 postgresql://… 地址。")
    if source.current_revision() != target.current_revision():
        raise StorageError("数据库文件和服务器数据库的版本不同，请先用本程序打开数据库文件（会自动升级）后再复制。")
    tables = Base.metadata.sorted_tables

    def counted(session: Any) -> list[int]:
        return [session.scalar(select(func.count()).select_from(t)) or 0 for t in tables]

    with source.read() as src, target.begin() as dst:
        owner = dst.scalar(text("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class"
                                " WHERE oid = to_regclass('matters')"))
        if not owner:
            # it empties the new database's lists and moves its id sequences on: the tables' owner's rights
            raise StorageError(NEEDS_OWNER.format(login=dst.scalar(text("SELECT current_user"))))
        local = {r.id: r.number for r in src.execute(select(Matter.id, Matter.number))}
        stranger = [n for i, n in dst.execute(select(Matter.id, Matter.number)) if local.get(i) != n]
        if stranger:
            raise StorageError(f"服务器数据库中已有{len(stranger)}件不属于这个文件的信访事项（如{stranger[0]}），"
                               "不能合并。请复制到一个新的服务器数据库。")
        marker = dst.execute(text("SELECT 1 FROM settings WHERE key = :k"), {"k": COPIED_FROM}).first()
        if marker is None and not dst.scalar(select(func.count()).select_from(Matter)):
            # a new server database holds at most the default lists a first opening seeded: the file's win
            for table in reversed(tables):
                dst.execute(table.delete())
        before = counted(dst)
        for table in tables:
            key = list(table.primary_key.columns)
            rows = src.execute(select(table).order_by(*key)).mappings()
            statement = insert(table)
            if table.name == "attachments":
                # a row an earlier copy-to left without its file (then kept outside the database) gets it now
                statement = statement.on_conflict_do_update(
                    index_elements=key, set_={"content": func.coalesce(table.c.content, statement.excluded.content)})
            else:
                statement = statement.on_conflict_do_nothing()
            while chunk := [dict(r) for r in rows.fetchmany(BATCH)]:
                dst.execute(statement, chunk)
                if progress is not None:
                    progress(table.name, len(chunk))
            ids = [c for c in key if c.name == "id" and isinstance(c.type, Integer)]
            if ids:
                # the ORM's next row takes the next id after the copied ones
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                                 f" coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
        stamp = {"file": str(source.path), "at": (now or wallclock.now()).isoformat(timespec="seconds")}
        dst.execute(insert(Base.metadata.tables["settings"]).values(key=COPIED_FROM, value=stamp)
                    .on_conflict_do_update(index_elements=["key"], set_={"value": stamp}))
        after = counted(dst)
        counts = tuple(zip([t.name for t in tables], counted(src), after, strict=True))
    target.complete_tally_cache()
    return CopyReport(counts, sum(after) - sum(before))
