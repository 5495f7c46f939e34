"""The database on a PostgreSQL server: the same schema from the same migrations, and the server's
counterparts of what SQLite does by its file (the timeline's guard, trigram search, one writer at a time)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.helpers.database import second_program
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.server import WRITE_LOCK
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.services.backups import check_at_open
from xinfang_desktop.services.demo import generate

pytestmark = pytest.mark.parametrize("engine", ["postgresql"])  # new_database's engine: the server


@pytest.fixture
def server_db(new_database: Callable[[str], Database]) -> Database:
    return new_database("server")


def _schema(db: Database) -> dict[str, set[str]]:
    found = inspect(db.engine)
    return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}


def test_the_same_migrations_make_the_same_tables_on_both_engines(server_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    local = Database(tmp_path / "same.sqlite3")
    try:
        on_file = _schema(local)
    finally:
        local.close()
    on_server = _schema(server_db)
    # FTS5's shadow tables are SQLite's own; the server keeps matter_fts as a table of the same columns,
    # and the names' starts (0021) that SQLite reads from its name index
    on_file = {t: c for t, c in on_file.items() if not t.startswith("matter_fts")}
    assert {t: c for t, c in on_server.items() if t not in ("matter_fts", "matter_name_starts")} == on_file
    assert on_server["matter_fts"] == {"rowid", "title", "body", "names"}
    assert on_server["matter_name_starts"] == {"start", "matter_id"}
    assert server_db.current_revision() == server_db.head_revision()


def test_the_timeline_cannot_be_rewritten_or_emptied_even_in_sql(server_db: Database) -> None:
    with server_db.begin() as s:
        generate(s, cases=3, seed=1, years=1)
    for statement, said in (("UPDATE events SET text = '改写'", "时间线记录不可修改"),
                            ("DELETE FROM events", "时间线记录不可删除"),
                            ("TRUNCATE events CASCADE", "时间线记录不可删除")):
        with pytest.raises(IntegrityError, match=said):
            with server_db.begin() as s:
                s.execute(text(statement))
    with server_db.read() as s:
        assert s.scalar(text("SELECT count(*) FROM events"))


def test_the_quick_check_finds_an_invalid_or_missing_index_and_a_newer_revision(server_db: Database) -> None:
    """The check at open reads the catalogue: what a failed CREATE INDEX CONCURRENTLY leaves (an index
    the planner never uses: the board and search slow beyond use), what a hand-dropped index leaves,
    and a schema from a newer program; each refuses the opening by name, in Chinese."""
    with server_db.begin() as s:
        generate(s, cases=3, seed=1, years=1)  # three matters: the unique index below fails
    sound = server_db.quick_check()
    assert (sound.ok, sound.finished) == (True, True), sound.lines
    assert server_db.quick_check(budget_s=0).ok  # out of time or done at once: never damage
    with server_db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")  # CONCURRENTLY: no transaction
        conn.exec_driver_sql("DROP INDEX ix_matters_status_due")
        assert "ix_matters_status_due" in server_db.quick_check().text() and not server_db.quick_check().ok
        with pytest.raises(IntegrityError):  # the same name back, built concurrently, and failed
            conn.exec_driver_sql("CREATE UNIQUE INDEX CONCURRENTLY ix_matters_status_due ON matters ((1))")
    report = server_db.quick_check()
    assert not report.ok and "索引ix_matters_status_due无效（请管理员在服务器上运行 REINDEX INDEX ix_matters_status_due）" \
        in report.text()
    with pytest.raises(StorageError) as refused:
        check_at_open(server_db)
    assert f"服务器数据库“{server_db.label}”有问题：索引ix_matters_status_due无效" in refused.value.message
    assert "程序没有打开它" in refused.value.message
    whole = server_db.check()
    assert not whole.ok and "结构检查：索引ix_matters_status_due无效" in whole.text()
    with server_db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    assert "数据库版本9999由更新版本的程序创建" in server_db.quick_check().text()


def test_the_boards_keys_are_read_from_indexes_alone(server_db: Database) -> None:
    """Migration 0019: what the board reads of each matter awaiting a decision (id, notice_due) and of each open
    交办 (its id) is in ix_matters_status_due and ix_transfers_open, as an SQLite index ends in the rowid; not
    fetched from tens of thousands of table rows at a million matters."""
    from xinfang_desktop.services.supervision import _INDEXED_BY, _pending_sql, _transfers_sql

    with server_db.begin() as s:
        generate(s, cases=60, seed=3, years=1)
    for sql, index in ((_pending_sql("", page=False), "ix_matters_status_due"),
                       (_transfers_sql("", narrow=True), "ix_transfers_open")):
        with server_db.read() as s:
            for off in ("enable_seqscan", "enable_bitmapscan"):  # a small table: show that the index can answer it
                s.execute(text(f"SET LOCAL {off} = off"))
            plan = " ".join(s.scalars(text("EXPLAIN " + _INDEXED_BY.sub("", sql.format(index="", probe=""))),
                                      {"today": "2026-12-02"}))
        assert f"Index Only Scan using {index}" in plan, plan


def test_three_characters_or_more_are_found_through_the_trigram_index(server_db: Database) -> None:
    with server_db.begin() as s:
        generate(s, cases=60, seed=3, years=1)
    with server_db.read() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))  # a small table: show that the index can answer it
        plan = " ".join(s.scalars(text("EXPLAIN SELECT rowid FROM matter_fts WHERE title ILIKE '%物业费%'")))
    assert "ix_matter_fts_trgm" in plan


def test_a_second_writer_waits_for_the_first_then_goes_on(server_db: Database) -> None:
    """One write transaction at a time, as BEGIN IMMEDIATE on a file: the second waits its turn."""
    other = second_program(server_db)
    order: list[str] = []
    try:
        worker = threading.Thread(target=_write, args=(other, order))
        with server_db.begin() as s:
            s.execute(text("SELECT 1"))
            worker.start()
            time.sleep(0.5)  # the second has begun meanwhile and waits
            order.append("first")
        worker.join(10)
    finally:
        other.close()
    assert order == ["first", "second"]


def _write(db: Database, order: list[str]) -> None:
    with db.begin() as s:
        s.execute(text("SELECT 1"))
        order.append("second")


def test_a_writer_held_up_too_long_is_told_in_chinese(server_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xinfang_desktop.db.server.BUSY_TIMEOUT_MS", 200)  # a short wait, for the test
    server_db.engine.dispose()  # its next connection waits that long
    other = second_program(server_db)
    try:
        with other.engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": WRITE_LOCK})  # another clerk's long import
            with pytest.raises(StorageError, match="正被另一位同事写入"):
                with server_db.begin() as s:
                    s.execute(text("SELECT 1"))
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": WRITE_LOCK})
            holder.commit()
    finally:
        other.close()


def test_0021_fills_the_names_starts_of_an_older_database_and_its_triggers_keep_them(server_db: Database) -> None:
    """A surname or a two-character name is read from matter_name_starts: what a database held before
    0021 is in it after, a link added or removed moves it, and a start another petitioner of the matter
    still has stays."""
    from alembic import command

    from tests.helpers.builders import register
    from xinfang_desktop.domain.values import PetitionerInput
    from xinfang_desktop.services.reference import seed_defaults
    from xinfang_desktop.services.search import search

    def starts() -> set[tuple[str, int]]:
        with server_db.read() as s:
            return {(start, matter) for start, matter in s.execute(text("SELECT start, matter_id FROM matter_name_starts"))}

    def found(term: str) -> set[int]:
        with server_db.read() as s:
            return {m.id for m in search(s, term)}

    with server_db.begin() as s:
        seed_defaults(s)
    pair = register(server_db, petitioners=(PetitionerInput("王芳"), PetitionerInput("王伟"), PetitionerInput("王芳芳")))
    cfg = server_db._alembic_config()
    with server_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0021-1")  # to what 0021 revises
    older = register(server_db, petitioners=(PetitionerInput("欧阳春梅"), PetitionerInput("严")))
    with server_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert starts() == {("王芳", pair), ("王伟", pair), ("欧阳", older), ("严", older)}
    assert found("欧阳") == found("严") == {older}
    with server_db.begin() as s:
        links = dict(s.execute(text("SELECT p.name, p.id FROM matter_petitioners mp JOIN petitioners p"
                                    " ON p.id = mp.petitioner_id WHERE mp.matter_id = :m"), {"m": pair}).all())
        s.execute(text("DELETE FROM matter_petitioners WHERE matter_id = :m AND petitioner_id IN (:a, :b)"),
                  {"m": pair, "a": links["王伟"], "b": links["王芳"]})
    assert starts() == {("王芳", pair), ("欧阳", older), ("严", older)}  # 王芳芳 is still on it
    assert found("王伟") == set() and found("王芳") == {pair}
    with server_db.begin() as s:
        s.execute(text("INSERT INTO matter_petitioners (matter_id, petitioner_id, role, position)"
                       " VALUES (:m, :p, '信访人', 3)"), {"m": older, "p": links["王伟"]})
    assert ("王伟", older) in starts()
    assert found("王伟") == {older}
    assert found("王") == {pair, older}


def test_the_tally_counts_on_a_second_session_that_reads_the_first_ones_snapshot(server_db: Database) -> None:
    """read() and derive() offer the tally a second session (db.database.second_reader): on a server it
    imports the first one's snapshot (REPEATABLE READ, READ ONLY). A server's read() is one snapshot
    (REPEATABLE READ): a save committed while the tally counts is seen by neither session, and the
    tally counted on the two is the one counted on one session before the save."""
    from contextlib import contextmanager
    from datetime import date

    from sqlalchemy.orm import Session

    from xinfang_desktop.db.dialect import SECOND_READER, second_reader
    from xinfang_desktop.services.statistics import tally_year

    as_of = date(2026, 9, 30)
    with server_db.begin() as s:
        generate(s, cases=300, seed=3, years=2, end=as_of)
    with server_db.begin() as s:  # a write transaction: no second reader, one session counts every part
        assert SECOND_READER not in s.info
        one = tally_year(s, year=2025, as_of=as_of, use_cache=False)
    assert one.this.total and one.by_unit
    other = second_program(server_db)
    opened: list[tuple[str, str]] = []
    voided = "UPDATE matters SET status = '已作废' WHERE received_on BETWEEN '2025-01-01' AND '2025-12-31'"
    try:
        @contextmanager
        def a_save_meanwhile(session: Session):  # type: ignore[no-untyped-def]
            with second_reader(session) as beside:
                with other.begin() as w:
                    w.execute(text(voided))
                opened.append((str(beside.scalar(text("SHOW transaction_isolation"))),
                               str(beside.scalar(text("SHOW transaction_read_only")))))
                yield beside

        with server_db.read() as s:
            assert s.info[SECOND_READER] is second_reader
            s.info[SECOND_READER] = a_save_meanwhile
            two = tally_year(s, year=2025, as_of=as_of, use_cache=False)
        with server_db.read() as s:
            after = tally_year(s, year=2025, as_of=as_of, use_cache=False)
    finally:
        other.close()
    assert opened == [("repeatable read", "on")]
    assert two == one
    assert after.this.total == 0 and after.last == one.last
    with server_db.derive() as s:
        assert s.info[SECOND_READER] is second_reader
