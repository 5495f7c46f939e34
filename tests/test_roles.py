"""Logins and roles from PostgreSQL itself: `xinfang server-setup`, and a leader's or viewer's login refused
a write by the database, whether through the program or in plain SQL; the timeline names who did each step."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from tests.conftest import Server
from xinfang_desktop.cli import main
from xinfang_desktop.db.backups import AT_CLOSE
from xinfang_desktop.db.database import open_database
from xinfang_desktop.db.models import Event, Matter
from xinfang_desktop.db.server_setup import Person, setup_server
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import registry
from xinfang_desktop.services.backups import backup_at_close, backup_at_start, restorable
from xinfang_desktop.services.reference import seed_defaults

DAY = date(2026, 3, 2)
PEOPLE = (Person("zhang_jb", "张经办", "clerk"), Person("li_ld", "李局长", "leader"), Person("wang_cy", "王查阅", "viewer"))
PASSWORDS = {"zhang_jb": "clerk-secret-1", "li_ld": "leader-secret-1", "wang_cy": "viewer-secret-1"}


@pytest.fixture
def office(pg_server: Server) -> Iterator[dict[str, str]]:
    """An office database made by server-setup, with a clerk, a leader and a viewer: each one's --db."""
    name = f"office_{pg_server.new_name()}"  # a name of this run's own; server-setup makes the database
    said: list[str] = []
    url = setup_server(pg_server.url_of("postgres"), database=name, people=PEOPLE,
                       password=lambda p: PASSWORDS[p.login], say=said.append)
    assert any("建立登录 li_ld（李局长），加入 xinfang_leader" in s for s in said)
    logins = {p.login: url.set(drivername="postgresql", username=p.login, password=PASSWORDS[p.login])
              .render_as_string(hide_password=False) for p in PEOPLE}
    yield logins
    pg_server.drop(name)
    for p in PEOPLE:
        pg_server._execute(f"DROP ROLE IF EXISTS {p.login}")


def _matter() -> MatterInput:
    return MatterInput(received_on=DAY, channel=Channel.LETTER, title="反映村道质量问题",
                       petitioners=(PetitionerInput(name="赵六"),), content="开裂。", demand="返修。")


def test_each_login_may_do_what_its_group_may_and_nothing_more(office: dict[str, str]) -> None:
    clerk = open_database(office["zhang_jb"])
    leader = open_database(office["li_ld"])
    viewer = open_database(office["wang_cy"])
    try:
        with clerk.begin() as s:
            seed_defaults(s)
            matter_id = registry.register_matter(s, _matter(), now=DAY).id
        with leader.begin() as s:  # 领导批示: allowed
            registry.instruct(s, matter_id=matter_id, leader="李局长", on=DAY, text="请核查")
        for who in (leader, viewer):
            with pytest.raises(StorageError, match="没有做这项操作的权限"):
                with who.begin() as s:
                    registry.register_matter(s, _matter(), now=DAY)
            with pytest.raises(StorageError, match="没有做这项操作的权限"):
                with who.begin() as s:
                    registry.void(s, matter_id=matter_id, reason="重复")
        with pytest.raises(StorageError, match="没有做这项操作的权限"):
            with viewer.begin() as s:
                registry.instruct(s, matter_id=matter_id, leader="王", on=DAY, text="阅")
        assert (clerk.read_only, leader.read_only, viewer.read_only) == (False, True, True)
        with viewer.read() as s:
            lines = list(s.execute(select(Event.actor, Event.kind).where(Event.matter_id == matter_id)
                                   .order_by(Event.id)))
            # the leader's 批示 is counted (0014's trigger writes the matter's sum with the owner's rights)
            assert s.scalar(select(Matter.leader_reviewed).where(Matter.id == matter_id)) is True
        # the timeline names the person of each login (server-setup's --name), not a setting
        assert [a for a, _ in lines] == ["张经办", "李局长"]
    finally:
        for db in (clerk, leader, viewer):
            db.close()


def test_a_leaders_login_takes_the_automatic_backups_as_a_clerks_does(office: dict[str, str]) -> None:
    # the login may not write to the database, but pg_dump only reads it: the office keeps its day's copy
    clerk = open_database(office["zhang_jb"])
    leader = open_database(office["li_ld"])
    morning = datetime(2026, 12, 2, 8, 30)
    try:
        with clerk.begin() as s:
            seed_defaults(s)
            matter_id = registry.register_matter(s, _matter(), now=DAY).id
        assert leader.read_only
        first = backup_at_start(leader, now=morning)
        assert first is not None and [p.suffix for p in first.written] == [".dump"]
        assert backup_at_start(leader, now=morning + timedelta(hours=1)) is None  # once a day
        assert backup_at_close(leader, now=morning + timedelta(hours=2)) is None  # nothing changed
        with leader.begin() as s:
            registry.instruct(s, matter_id=matter_id, leader="李局长", on=DAY, text="请核查")
        assert backup_at_close(leader, now=morning + timedelta(hours=3)) is not None
        assert [b.reason for b in restorable(leader)] == [AT_CLOSE]  # the day's newest, rotated as a file's are
    finally:
        clerk.close()
        leader.close()


def test_a_leaders_login_cannot_register_or_void_even_in_plain_sql(office: dict[str, str]) -> None:
    clerk = open_database(office["zhang_jb"])
    with clerk.begin() as s:
        seed_defaults(s)
        matter_id = registry.register_matter(s, _matter(), now=DAY).id
    clerk.close()
    engine = create_engine(make_url(office["li_ld"]).set(drivername="postgresql+psycopg"))
    try:
        for statement in (f"UPDATE matters SET status = '已作废' WHERE id = {matter_id}",
                          f"DELETE FROM matters WHERE id = {matter_id}",
                          "INSERT INTO units (name, kind, contact, phone, active) VALUES ('x', '其他', '', '', true)"):
            with engine.connect() as conn, pytest.raises(Exception, match="permission denied"):
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def test_server_setup_from_the_command_line_says_what_it_does(pg_server: Server, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    name = f"cli_{pg_server.new_name()}"
    monkeypatch.setattr("sys.stdin", io.StringIO("first-clerk-pw\n"))
    try:
        assert main(["server-setup", "--admin-url", pg_server.url_of("postgres"), "--database", name,
                     "--clerk", "chen_jb", "--name", "陈经办"]) == 0
        out = capsys.readouterr().out
        assert "建立登录 chen_jb（陈经办），加入 xinfang_clerk" in out and "授予权限" in out
        assert "first-clerk-pw" not in out
        again = main(["server-setup", "--admin-url", pg_server.url_of("postgres"), "--database", name,
                      "--clerk", "chen_jb", "--name", "陈经办"])  # run again: nothing new, no password asked
        assert again == 0 and "已有" in capsys.readouterr().out
        clerk = make_url(pg_server.url_of(name)).set(username="chen_jb", password="first-clerk-pw")
        assert main(["check", "--db", clerk.render_as_string(hide_password=False)]) == 0
    finally:
        pg_server.drop(name)
        pg_server._execute("DROP ROLE IF EXISTS chen_jb")
