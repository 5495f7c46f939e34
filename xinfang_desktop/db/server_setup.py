"""`xinfang server-setup`: a database on a PostgreSQL server for an office, its group roles and its first clerk.

Logins are PostgreSQL's own: each person has a login role, member of one group role, and what
a group may do is GRANTed in the database, so the server itself refuses a leader's 登记 or
作废, through this program or through any SQL client. Run with an administrator's URL; it may
be run again (after an upgrade, to add a person): it creates only what is missing and grants
again. The password of a new login is asked for, given to the server, and kept nowhere by us.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from xinfang_desktop.db.server import ServerDatabase
from xinfang_desktop.db.server_address import connect_error, server_url, sqlstate, without_password
from xinfang_desktop.domain.errors import StorageError, ValidationError

CLERK, LEADER, VIEWER = "xinfang_clerk", "xinfang_leader", "xinfang_viewer"
GROUPS = {
    CLERK: "信访台账：经办人（登记、办理、文书、统计，全部）",
    LEADER: "信访台账：领导（查阅、领导批示、统计）",
    VIEWER: "信访台账：查阅（查阅、统计）",
}
ROLE_OF = {"clerk": CLERK, "leader": LEADER, "viewer": VIEWER}
# what every group may write: the tally's day cache is derived data, kept by whoever counts
_DERIVED = ("tally_days",)
# a leader's 批示 adds a 批示 and its timeline line and moves the matter's version on; nothing else
_LEADER_WRITES = ("GRANT INSERT ON instructions, events TO xinfang_leader",
                  "GRANT UPDATE (version) ON matters TO xinfang_leader",
                  "GRANT USAGE ON SEQUENCE instructions_id_seq, events_id_seq TO xinfang_leader")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Person:
    login: str  # the PostgreSQL role, as typed at login
    name: str  # shown on the timeline (the role's comment)
    group: str  # clerk, leader or viewer


def _identifier(value: str, label: str) -> str:
    if not _NAME.match(value):
        raise ValidationError(f"{label}“{value}”只能用小写英文字母、数字和下划线，并以字母开头（如 zhangsan）", field=label)
    return value


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _exists(conn: Connection, sql: str, **params: object) -> bool:
    return conn.execute(text(sql), params).scalar() is not None


def _group(person: Person) -> str:
    if person.group not in ROLE_OF:
        raise ValidationError(f"{person.name}（{person.login}）的角色“{person.group}”不认识：可以是 clerk（经办人）、"
                              "leader（领导）或 viewer（查阅）", field="角色")
    return ROLE_OF[person.group]


def _passwords(conn: Connection, people: tuple[Person, ...], password: Callable[[Person], str] | None) -> dict[str, str]:
    """The password of each login still to be made, asked for and checked before anything is created: a
    refusal half-way would leave the database and groups made and the logins not."""
    secrets: dict[str, str] = {}
    for person in people:
        if person.login in secrets or _exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = :r", r=person.login):
            continue
        secret = password(person) if password is not None else ""
        if len(secret) < 8:
            raise ValidationError(f"{person.name}的密码太短：至少8位，没有建立任何内容，请重新运行", field="密码")
        secrets[person.login] = secret
    return secrets


def setup_server(admin_url: str, *, database: str, people: tuple[Person, ...] = (),
                 password: Callable[[Person], str] | None = None, say: Callable[[str], None] = print,
                 seed: Callable[[Session], bool] | None = None) -> URL:
    """Create what is missing (the database, the group roles, the logins), migrate, grant; say each step.
    `seed` fills the lists every office shares (services.reference.seed_defaults) as the owner, so that a
    leader's or viewer's login, which may not write them, can open the database before any clerk has.

    Returns the database's URL (without any password), for the clerks' --db."""
    _identifier(database, "数据库名")
    for person in people:
        _identifier(person.login, "登录名")
        _group(person)
    admin = server_url(admin_url)
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            secrets = _passwords(conn, people, password)
            for group, comment in GROUPS.items():
                if not _exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = :r", r=group):
                    say(f"建立角色组 {group}（{comment}）")
                    conn.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")
                conn.exec_driver_sql(f"COMMENT ON ROLE {group} IS {_literal(comment)}")
            if not _exists(conn, "SELECT 1 FROM pg_database WHERE datname = :d", d=database):
                say(f"建立数据库 {database}")
                conn.exec_driver_sql(f"CREATE DATABASE {database} ENCODING 'UTF8' TEMPLATE template0")
            conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
            conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {', '.join(GROUPS)}")
            for person in people:
                group = _group(person)
                if _exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = :r", r=person.login):
                    say(f"登录 {person.login}（{person.name}）已有，加入 {group}")
                else:
                    say(f"建立登录 {person.login}（{person.name}），加入 {group}")
                    # the password goes to the server in its own statement; the server keeps its hash
                    conn.exec_driver_sql(f"CREATE ROLE {person.login} LOGIN PASSWORD {_literal(secrets[person.login])}")
                conn.exec_driver_sql(f"GRANT {group} TO {person.login}")
                conn.exec_driver_sql(f"COMMENT ON ROLE {person.login} IS {_literal(person.name)}")
    except DBAPIError as exc:
        if sqlstate(exc) == "42501":
            raise StorageError("管理员账号没有建立数据库或角色的权限。请用 PostgreSQL 的超级用户"
                               "（或有 CREATEDB、CREATEROLE 权限的账号）运行 server-setup。") from exc
        if sqlstate(exc):
            raise
        raise connect_error(exc, admin) from exc
    finally:
        engine.dispose()
    office = admin.set(database=database)
    say(f"建立或升级数据库 {database} 的表")
    db = ServerDatabase(office.render_as_string(hide_password=False))
    try:
        with db.engine.begin() as conn:
            say("授予权限：xinfang_clerk 全部；xinfang_leader 查阅和领导批示；xinfang_viewer 查阅")
            for statement in grants():
                conn.exec_driver_sql(statement)
        if seed is not None:
            with db.begin() as session:
                if seed(session):
                    say("填入各机关通用的问题分类")
    finally:
        db.close()
    return without_password(office)


def grants() -> list[str]:
    """The rights of each group, for the tables there are now and (default privileges) those to come."""
    everyone = ", ".join(GROUPS)
    return [
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        # reading a sequence (not drawing from it) is what pg_dump needs: every login takes the day's backup
        f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {CLERK}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CLERK}",
        *(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {everyone}" for table in _DERIVED),
        *_LEADER_WRITES,
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {everyone}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO {everyone}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT, UPDATE, DELETE ON TABLES TO {CLERK}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {CLERK}",
    ]
