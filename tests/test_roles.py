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


def _setup_cli(pg_server: Server, name: str, passwords: str, *people: str) -> int:
    import sys

    sys.stdin = io.StringIO(passwords)
    return main(["server-setup", "--admin-url", pg_server.url_of("postgres"), "--database", name,
                 "--clerk", "chen_jb", "--name", "陈经办", *(a for p in people for a in ("--person", p))])


def _drop(pg_server: Server, name: str, *logins: str) -> None:
    pg_server.drop(name)
    for login in logins:
        pg_server._execute(f"DROP ROLE IF EXISTS {login}")


def test_a_leader_and_a_viewer_open_a_database_just_set_up_before_any_clerk_has(
        pg_server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from xinfang_desktop.services.lists import category_tree
    from xinfang_desktop.ui.open_database import open_database as open_in_window

    name = f"fresh_{pg_server.new_name()}"
    monkeypatch.setattr("sys.stdin", io.StringIO())
    try:
        assert _setup_cli(pg_server, name, "first-clerk-pw\nleader-pw-123\nviewer-pw-123\n",
                          "zhou_ld:周局长:leader", "wu_cy:吴查阅:viewer") == 0
        assert "填入各机关通用的问题分类" in capsys.readouterr().out
        for login, secret in (("zhou_ld", "leader-pw-123"), ("wu_cy", "viewer-pw-123")):
            url = make_url(pg_server.url_of(name)).set(username=login, password=secret)
            db = open_in_window(url.render_as_string(hide_password=False))
            try:
                assert db.read_only
                with db.read() as s:
                    assert len(category_tree(s)) > 5  # the lists server-setup filled
            finally:
                db.close()
    finally:
        _drop(pg_server, name, "chen_jb", "zhou_ld", "wu_cy")


def test_a_read_only_login_opens_a_database_whose_lists_were_never_filled(office: dict[str, str]) -> None:
    from xinfang_desktop.services.lists import category_tree
    from xinfang_desktop.ui.open_database import open_database as open_in_window

    db = open_in_window(office["li_ld"])  # setup_server without seed: as an earlier server-setup left it
    try:
        with db.read() as s:
            assert category_tree(s) == []  # nothing written, nothing refused: a clerk's first start fills them
    finally:
        db.close()


@pytest.mark.parametrize(("people", "passwords", "said"), [
    (("zhou:周科长:boss",), "first-clerk-pw\n", "角色“boss”不认识：可以是 clerk（经办人）、leader（领导）或 viewer（查阅）"),
    (("zhou:周科长",), "first-clerk-pw\n", "要写成 登录名:姓名:角色"),
    ((), "short\n", "陈经办的密码太短：至少8位"),
    (("zhou_ld:周局长:leader",), "first-clerk-pw\nshort\n", "周局长的密码太短：至少8位"),
])
def test_server_setup_refuses_a_wrong_role_or_password_before_creating_anything(
        pg_server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        people: tuple[str, ...], passwords: str, said: str) -> None:
    name = f"bad_{pg_server.new_name()}"
    monkeypatch.setattr("sys.stdin", io.StringIO())
    try:
        assert _setup_cli(pg_server, name, passwords, *people) == 2
        out, err = capsys.readouterr()
        assert said in err and "Traceback" not in err and "建立" not in out
        with pg_server.admin.connect() as conn:
            assert conn.exec_driver_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").scalar() is None
            assert conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = 'chen_jb'").scalar() is None
    finally:
        _drop(pg_server, name, "chen_jb", "zhou_ld", "zhou")


def test_a_timeline_line_written_in_plain_sql_names_its_login_and_a_leader_adds_only_instructions(
        office: dict[str, str]) -> None:
    clerk = open_database(office["zhang_jb"])
    with clerk.begin() as s:
        seed_defaults(s)
        matter_id = registry.register_matter(s, _matter(), now=DAY).id
    clerk.close()
    insert = ("INSERT INTO events (matter_id, at, actor, kind, text) VALUES"
              f" ({matter_id}, '2026-01-01', '王小红', '{{kind}}', '伪造的记录')")
    engines = {login: create_engine(make_url(office[login]).set(drivername="postgresql+psycopg"))
               for login in ("li_ld", "zhang_jb")}
    try:
        with engines["li_ld"].connect() as conn, pytest.raises(Exception, match="permission denied"):
            conn.exec_driver_sql(insert.format(kind="作废"))  # a leader's login: no 作废 line, in no one's name
        for login, kind in (("li_ld", "领导批示"), ("zhang_jb", "作废")):
            with engines[login].begin() as conn:
                conn.exec_driver_sql(insert.format(kind=kind))
    finally:
        for engine in engines.values():
            engine.dispose()
    viewer = open_database(office["wang_cy"])
    try:
        with viewer.read() as s:
            forged = list(s.execute(select(Event.kind, Event.actor).where(Event.text == "伪造的记录").order_by(Event.id)))
    finally:
        viewer.close()
    # each line names the person whose login wrote it, whatever the statement said
    assert [tuple(r) for r in forged] == [("领导批示", "李局长"), ("作废", "张经办")]
