"""`xinfang server-setup` and `copy-to`: an office's database on a PostgreSQL server."""

from __future__ import annotations

import argparse
import getpass
import sys

from xinfang_desktop.cli.command import Command, open_db, open_server, progress


def _password(person) -> str:  # type: ignore[no-untyped-def]
    """Asked at the terminal, twice; from a pipe, one line (for scripts). Never an argument: it would show in ps."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"为 {person.name}（登录名 {person.login}）设置的密码：")
    if getpass.getpass("再输入一次：") != first:
        from xinfang_desktop.domain.errors import ValidationError

        raise ValidationError("两次输入的密码不一样，没有建立登录，请重新运行", field="密码")
    return first


def cmd_server_setup(args: argparse.Namespace) -> int:
    from xinfang_desktop.db.server_setup import Person, setup_server
    from xinfang_desktop.domain.errors import ValidationError
    from xinfang_desktop.services.reference import seed_defaults

    people = [Person(args.clerk, args.name or args.clerk, "clerk")] if args.clerk else []
    for typed in args.person:
        parts = typed.split(":", 2)
        if len(parts) != 3:
            raise ValidationError(f"--person “{typed}”要写成 登录名:姓名:角色，角色是 clerk、leader 或 viewer"
                                  "（如 zhao:赵书记:leader）", field="--person")
        people.append(Person(*parts))
    url = setup_server(args.admin_url, database=args.database, people=tuple(people), password=_password,
                       seed=seed_defaults)
    plain = url.render_as_string(hide_password=True).replace("postgresql+psycopg", "postgresql")
    print(f"完成。经办人用自己的登录名连接：xinfang --db {plain.replace(url.username or '', '登录名', 1)}")
    return 0


# copy-to's count table, in the words of the window
TABLE_NAMES = {
    "matters": "信访事项", "petitioners": "信访人", "matter_petitioners": "事项的信访人", "events": "办理过程",
    "transfers": "交办转送", "feedback": "承办反馈", "instructions": "领导批示", "documents": "文书",
    "attachments": "附件", "verifications": "验证", "leader_charges": "领导包案", "leader_meetings": "领导约访下访",
    "reception_days": "领导接访日", "disputes": "矛盾纠纷", "zero_reports": "零报告", "units": "承办单位",
    "categories": "问题分类", "regions": "乡镇和村", "calendar_days": "节假日调整", "settings": "设置",
    "templates": "文书模板", "ledger_profiles": "台账列对应",
}


def cmd_copy_to(args: argparse.Namespace) -> int:
    from xinfang_desktop.db.copy import copy_to_server

    source = open_db(args, must_exist=True)
    target = open_server(args.server)
    report = copy_to_server(source, target, progress=progress("已复制"))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for table, local, server in report.counts:
        print(f"{TABLE_NAMES.get(table, table)}\t文件{local}行\t服务器{server}行" + ("" if server >= local else "\t不一致"))
    if not report.complete:
        print("复制后的行数不一致，请检查后再运行一次 copy-to。", file=sys.stderr)
        return 1
    print(f"已复制到 {target.label}：新增{report.added}行；再次运行只补上新增的内容。")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command("server-setup", "在PostgreSQL服务器上建立台账数据库、角色组（经办人、领导、查阅）和第一个经办人", cmd_server_setup, (
        (("--admin-url",), {"required": True, "help": "管理员连接地址，如 postgresql://postgres@服务器/postgres"}),
        (("--database",), {"default": "xinfang", "help": "台账数据库名（默认 xinfang）"}),
        (("--clerk",), {"default": None, "help": "第一个经办人的登录名（小写字母、数字、下划线）"}),
        (("--name",), {"default": None, "help": "经办人的姓名，记入办理过程"}),
        (("--person",), {"action": "append", "default": [],
                         "help": "再建立一个登录：登录名:姓名:clerk|leader|viewer，可重复"}),
    )),
    Command("copy-to", "用管理员账号把数据库文件（--db）复制到服务器数据库，核对行数；可重复运行", cmd_copy_to, (
        (("server",), {"help": "服务器数据库地址，用 server-setup 的管理员账号，如 postgresql://postgres@服务器/xinfang"}),
    )),
)
