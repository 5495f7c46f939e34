"""The `xinfang` command: each module of this package declares its subcommands as data; batch work never
imports PySide6."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from xinfang_desktop.cli import database, ledger, letters, matters, tally
from xinfang_desktop.cli.command import Command
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.paths import default_db_path


def cmd_gui(args: argparse.Namespace) -> int:
    from xinfang_desktop.app import run

    return run(Path(args.db) if args.db else default_db_path(), smoke=args.smoke)


COMMANDS: tuple[Command, ...] = (
    database.COMMANDS + letters.COMMANDS + matters.COMMANDS + tally.COMMANDS + ledger.COMMANDS
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xinfang", description="信访台账：登记、交办、督办、统计")
    parser.add_argument("--db", help="数据库文件（默认在用户数据文件夹）")
    parser.add_argument("--smoke", action="store_true", help="打开主窗口，首次绘制后打印用时并退出")
    parser.set_defaults(run=cmd_gui)
    sub = parser.add_subparsers(title="子命令", metavar="命令")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        p.add_argument("--db", help="数据库文件（默认在用户数据文件夹）", default=argparse.SUPPRESS)
        for flags, options in command.arguments:
            p.add_argument(*flags, **options)
        p.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return int(args.run(args))
    except XinfangError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`xinfang overdue | head`): not a failure; keep Python quiet at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
