"""`xinfang copy-to`: an office's file moved onto the server with every row, checked by counts, safe to run again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import Server
from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database, open_database
from xinfang_desktop.db.models import Document, Event, Matter
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.services.statistics import tally_year

UNTIL = "2026-09-30"


@pytest.fixture
def server(pg_server: Server) -> Iterator[str]:
    name = pg_server.new_name()
    yield pg_server.url_of(name)
    pg_server.drop(name)


def _file(tmp_path: Path, name: str, seed: int) -> Path:
    path = tmp_path / name
    assert main(["demo", "--db", str(path), "--cases", "150", "--seed", str(seed), "--until", UNTIL]) == 0
    return path


def _facts(db: Database) -> tuple[int, int, list[tuple[str, str]], int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Matter)) or 0,
                s.scalar(select(func.count()).select_from(Event)) or 0,
                [tuple(r) for r in s.execute(select(Matter.number, Matter.title).order_by(Matter.id))],
                count_matters(s, MatterFilter(text="物业")))


def test_a_file_copied_to_the_server_is_the_same_office_and_a_second_run_adds_nothing(
        tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, "office.sqlite3", 4)
    capsys.readouterr()
    assert main(["copy-to", server, "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "信访事项\t文件150行\t服务器150行" in out and "办理过程\t文件" in out and "不一致" not in out
    local, remote = Database(path), open_database(server)
    try:
        assert _facts(remote) == _facts(local)  # every matter and line; the server's search found them too
        # the server's tally days were counted at the end of the copy: its tally reads them, equal to the file's
        with remote.read() as s:
            first, last = s.execute(select(func.min(Matter.received_on), func.max(Matter.received_on))).one()
            kept = s.scalar(text("SELECT count(*) FROM tally_days WHERE units <> 'null'"))
        assert kept == (date(last.year, 12, 31) - date(first.year, 1, 1)).days + 1
        with remote.read() as s, local.read() as f:
            assert tally_year(s, year=2026, as_of=date(2026, 9, 30)) == tally_year(f, year=2026, as_of=date(2026, 9, 30),
                                                                                  use_cache=False)
        with remote.read() as s:
            document = s.scalar(select(func.count()).select_from(Document))
        with remote.begin() as s:  # the server numbers the next rows after the copied ones
            s.add(Event(matter_id=1, at=datetime(2026, 10, 1), actor="测试", kind="备注",
                        text="复制后的第一条"))
        assert document is not None
    finally:
        local.close()
        remote.close()
    assert main(["copy-to", server, "--db", str(path)]) == 0
    assert "新增0行" in capsys.readouterr().out


def test_another_offices_file_is_not_merged_into_it(tmp_path: Path, server: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["copy-to", server, "--db", str(_file(tmp_path, "a.sqlite3", 4))]) == 0
    capsys.readouterr()
    assert main(["copy-to", server, "--db", str(_file(tmp_path, "b.sqlite3", 9))]) == 2
    assert "不属于这个文件的信访事项" in capsys.readouterr().err


def test_every_table_copied_is_named_in_chinese() -> None:
    from xinfang_desktop.cli.server import TABLE_NAMES
    from xinfang_desktop.db.models import Base

    assert set(TABLE_NAMES) == set(Base.metadata.tables)


def test_a_clerks_login_is_told_copy_to_needs_the_administrators_before_anything_is_copied(
        tmp_path: Path, pg_server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy.engine import make_url

    from xinfang_desktop.db.server_setup import Person, setup_server

    name = f"copy_{pg_server.new_name()}"
    try:
        setup_server(pg_server.url_of("postgres"), database=name, people=(Person("sun_jb", "孙经办", "clerk"),),
                     password=lambda p: "clerk-secret-1", say=lambda _: None)
        clerk = make_url(pg_server.url_of(name)).set(username="sun_jb", password="clerk-secret-1")
        path = _file(tmp_path, "office.sqlite3", 4)
        capsys.readouterr()
        assert main(["copy-to", clerk.render_as_string(hide_password=False), "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert "copy-to 要用管理员账号运行" in err and "“sun_jb”不能复制" in err
        remote = open_database(pg_server.url_of(name))
        try:
            with remote.read() as s:
                assert not s.scalar(select(func.count()).select_from(Matter))
        finally:
            remote.close()
    finally:
        pg_server.drop(name)
        pg_server._execute("DROP ROLE IF EXISTS sun_jb")


def test_copy_to_help_says_it_needs_the_administrators_login(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["copy-to", "--help"])
    assert "用管理员账号" in capsys.readouterr().out
