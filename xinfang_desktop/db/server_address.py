"""A server database's address (postgresql://…, shown without its password) and what the server's refusals
mean for the clerk, in Chinese."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from xinfang_desktop.domain.errors import LoginRefused, StorageError

LOCKED_MESSAGE = "服务器数据库正被另一位同事写入（如导入台账），请稍候再试"


def server_url(target: str) -> URL:
    """The URL with the psycopg 3 driver, whichever way the clerk spelt postgres:// or postgresql://."""
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise StorageError(f"服务器地址“{target}”写得不对，请写成 postgresql://用户名@服务器/数据库名 的形式。") from exc
    if not url.database:
        raise StorageError(f"服务器地址“{_shown(url)}”没有写数据库名，请写成 postgresql://用户名@服务器/数据库名 的形式。")
    return url.set(drivername="postgresql+psycopg")


def without_password(url: URL) -> URL:
    """The URL with no password in it (URL.set(password=None) keeps the one there)."""
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True).replace("postgresql+psycopg", "postgresql")


def label_of(url: URL) -> str:
    host = url.host or str(url.query.get("host", "")) or "localhost"
    return f"{url.database}@{Path(host).name if host.startswith('/') else host}"


def sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", "") or "")


def connect_error(exc: BaseException, url: URL) -> StorageError:
    message = connect_message(exc, url)
    detail = str(getattr(exc, "orig", exc))
    refused = any(s in detail for s in ("password authentication failed", "no password supplied",
                                         "password must be provided"))
    return LoginRefused(message) if refused else StorageError(message)


def connect_message(exc: BaseException, url: URL) -> str:
    """What a refused connection means for the clerk, and what to do about it."""
    detail = str(getattr(exc, "orig", exc)).strip()
    where = _shown(url)
    user = url.username or os.environ.get("PGUSER", "") or "当前用户"
    if "password authentication failed" in detail or "password must be provided" in detail \
            or "no password supplied" in detail:
        return (f"服务器拒绝了用户“{user}”的登录：密码不对或没有提供密码。请检查密码（大小写、输入法）后重新连接；"
                "忘记密码请找管理员重设。")
    if re.search(r'database ".*" does not exist', detail):
        return (f"服务器上没有数据库“{url.database}”。请检查地址中的数据库名，"
                "或请管理员先运行 xinfang server-setup 建立它。")
    if re.search(r'role ".*" does not exist', detail):
        return f"服务器上没有用户“{user}”。请检查用户名，或请管理员为您建立登录账号。"
    if "permission denied for database" in detail or "not permitted to log in" in detail:
        return f"用户“{user}”没有连接数据库“{url.database}”的权限，请管理员授予后再试。"
    if "could not translate host name" in detail or "Name or service not known" in detail:
        return f"找不到服务器“{url.host}”。请检查服务器名称或IP地址是否写对。"
    if "timeout expired" in detail or "timed out" in detail:
        return f"连接服务器“{where}”超时。请检查网络、服务器是否开机，以及防火墙是否放行数据库端口。"
    if "Connection refused" in detail or "No such file or directory" in detail or "could not connect" in detail:
        return (f"无法连接服务器“{where}”：服务器没有运行，或地址、端口不对。"
                "请检查地址和端口，确认数据库服务已启动后再试。")
    return f"无法连接服务器数据库“{where}”（{detail}）。请检查地址、用户名和密码后再试。"


def lost_message(label: str) -> str:
    """The server went away during the session (stopped, restarted, the network down): what to do."""
    return (f"无法连接服务器数据库“{label}”：服务器没有运行，或网络不通。刚才的操作没有完成，也没有保存任何内容。"
            "请检查网络，或请管理员确认数据库服务已启动，然后再试一次（不必重新打开程序）。")


def storage_message(exc: BaseException, who: str, label: str) -> str | None:
    """The Chinese message a server error of the login `who` on the database `label` stands for, or None
    when it is a bug of ours."""
    state = sqlstate(exc)
    # the driver's own failures to reach the server carry no SQLSTATE (the server never answered)
    if getattr(exc, "connection_invalidated", False) or (isinstance(exc, OperationalError) and not state):
        return lost_message(label)
    if state == "55P03":
        return LOCKED_MESSAGE
    if state == "42501":
        return (f"您的数据库账号“{who}”没有做这项操作的权限（例如领导或查阅账号不能登记、作废），操作没有保存。"
                "如需要，请管理员在服务器上授予相应角色。")
    if state == "25006":
        return f"服务器数据库目前只读（账号“{who}”只有查阅权限，或服务器处于只读状态），操作没有保存。"
    if state in ("40001", "40P01"):
        return "与另一位同事的操作同时发生，本次操作没有保存。请重试。"
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return lost_message(label)
    if state == "53100":
        return "服务器磁盘空间不足，本次操作没有保存。请管理员腾出空间后再试。"
    return None
