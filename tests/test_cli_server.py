"""`xinfang --db postgresql://…`: pg_dump backups, and each way a connection can go wrong told in Chinese."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import Server
from xinfang_desktop.cli import main
from xinfang_desktop.db import server as server_module

UNTIL = "2026-09-30"


@pytest.fixture
def url(pg_server: Server) -> Iterator[str]:
    name = pg_server.new_name()
    yield pg_server.url_of(name)
    pg_server.drop(name)


def _with(url: str, **parts: object) -> str:
    return make_url(url).set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


def test_backup_on_the_server_is_a_pg_dump_that_pg_restore_reads(url: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", url, "--cases", "30", "--seed", "2", "--until", UNTIL]) == 0
    target = tmp_path / "office.dump"
    assert main(["backup", "--db", url, "-o", str(target)]) == 0
    assert f"已备份到 {target}" in capsys.readouterr().out
    assert target.stat().st_mode & 0o077 == 0  # owner-only, as a file backup
    listing = subprocess.run([shutil.which("pg_restore") or "pg_restore", "--list", str(target)],
                             capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public matters" in listing and "TABLE DATA public events" in listing
    assert "FUNCTION public events_append_only()" in listing  # the timeline's guard travels with the data


def test_backup_into_a_folder_not_there_yet_makes_it_on_both_engines(target: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", target, "--cases", "5", "--seed", "2", "--until", UNTIL]) == 0
    folder = tmp_path / "U盘" / "信访备份"
    assert main(["backup", "--db", target, "-o", str(folder / "b.bak")]) == 0
    assert f"已备份到 {folder / 'b.bak'}" in capsys.readouterr().out
    assert [p.name for p in folder.iterdir()] == ["b.bak"]
    # a backup never replaces a file already there
    assert main(["backup", "--db", target, "-o", str(folder / "b.bak")]) == 2
    assert "已存在，请换一个文件名" in capsys.readouterr().err
    (tmp_path / "a-file").write_text("x")
    assert main(["backup", "--db", target, "-o", str(tmp_path / "a-file" / "b.bak")]) == 2
    err = capsys.readouterr().err
    assert "a-file" in err and "pg_dump 的版本" not in err


def test_pg_dump_is_given_the_password_by_its_environment_never_on_its_command_line(
        url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[list[str], dict[str, str]]] = []
    run = subprocess.run

    def spy(argv: list[str], **kwargs):  # type: ignore[no-untyped-def]
        seen.append((argv, kwargs.get("env", {})))
        return run(argv, **kwargs)

    monkeypatch.setattr(server_module.subprocess, "run", spy)
    assert main(["backup", "--db", url, "-o", str(tmp_path / "b.dump")]) == 0
    secret = str(make_url(url).password)
    assert not any(secret in a for argv, _env in seen for a in argv)  # pg_dump's, and pg_restore's reading it back
    (argv, env), = [(argv, env) for argv, env in seen if Path(argv[0]).name == "pg_dump"]
    assert env["PGPASSWORD"] == secret


def test_backup_without_pg_dump_says_what_to_install(url: str, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(server_module.shutil, "which", lambda name: None)
    assert main(["backup", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "没有安装 pg_dump" in err and "apt-get install postgresql-client" in err


def test_restore_on_the_server_points_to_pg_restore(url: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", "--db", url, "--from", str(tmp_path / "x.dump")]) == 2
    assert "pg_restore" in capsys.readouterr().err


def test_a_wrong_password_is_refused_in_chinese(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", _with(url, password="not-the-password")]) == 2
    err = capsys.readouterr().err
    assert "密码不对或没有提供密码" in err and "not-the-password" not in err


def test_an_unreachable_server_is_told_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    # nothing listens on port 1 of the loopback: refused at once, without leaving this machine
    assert main(["check", "--db", "postgresql://clerk:pw@127.0.0.1:1/office"]) == 2
    err = capsys.readouterr().err
    assert "无法连接服务器" in err and "服务器没有运行" in err and "pw@" not in err


def test_a_missing_server_database_says_who_makes_it(pg_server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", pg_server.url_of("no_such_office")]) == 2
    assert "服务器上没有数据库“no_such_office”" in capsys.readouterr().err


def test_a_server_older_than_14_is_refused(url: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # this cluster is newer than 14; the bar is raised above it to see the refusal
    monkeypatch.setattr(server_module, "MIN_SERVER_VERSION", 990000)
    assert main(["check", "--db", url]) == 2
    assert "本程序需要14或更新的版本" in capsys.readouterr().err


def test_a_login_without_the_right_is_refused_by_the_database(url: str, pg_server: Server,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A role that may only read: the server itself refuses its write, and nothing is half-written."""
    name = make_url(url).database
    role = f"{name}_viewer"
    for sql in (f"CREATE ROLE {role} LOGIN PASSWORD 'viewer-pw'", f"GRANT CONNECT ON DATABASE {name} TO {role}"):
        pg_server._execute(sql)
    viewer = _with(url, username=role, password="viewer-pw")
    try:
        admin = make_url(url).set(drivername="postgresql+psycopg")
        from sqlalchemy import create_engine

        engine = create_engine(admin)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        assert main(["demo", "--db", viewer, "--cases", "5", "--until", UNTIL]) == 2
        assert "没有做这项操作的权限" in capsys.readouterr().err
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM matters").scalar() == 0
        assert main(["overdue", "--db", viewer, "--on", UNTIL]) == 0  # reading it may
        engine.dispose()
    finally:
        pg_server.drop(name)
        pg_server._execute(f"DROP ROLE IF EXISTS {role}")
