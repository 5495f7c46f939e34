"""The `xinfang` command: each module of this package declares its subcommands as data; batch work never
imports PySide6."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from xinfang_desktop import started
from xinfang_desktop.cli import database, ledger, letters, matters, monthly, server, tally
from xinfang_desktop.cli.chinese import ChineseArgumentParser, ChineseHelpFormatter, chinese_argparse, chinese_metavar
from xinfang_desktop.cli.command import Command, close_opened
from xinfang_desktop.domain.errors import XinfangError

DB_HELP = "数据库文件（默认在用户数据文件夹），或服务器数据库 postgresql://用户名@服务器/数据库名"


def cmd_gui(args: argparse.Namespace) -> int:
    from xinfang_desktop.app import run
    from xinfang_desktop.db.dialect import is_server_url

    # no --db: the window decides (the server it was last used on, else this PC's file)
    target = args.db if is_server_url(args.db) else Path(args.db) if args.db else None
    return run(target, smoke=args.smoke)


COMMANDS: tuple[Command, ...] = (
    database.COMMANDS + letters.COMMANDS + matters.COMMANDS + tally.COMMANDS + monthly.COMMANDS + ledger.COMMANDS
    + server.COMMANDS
)


class ShowVersion(argparse.Action):
    """--version: prints the version, read only now (importlib.metadata is not for the window's start)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:  # noqa: A002 - argparse's name
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        import xinfang_desktop

        print(f"信访台账 {xinfang_desktop.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The parser; build and use it inside chinese_argparse() so that its own words are Chinese too."""
    parser = ChineseArgumentParser(prog="xinfang", description="信访台账：登记、交办、督办、统计",
                                     formatter_class=ChineseHelpFormatter)
    parser.add_argument("--version", action=ShowVersion, help="显示版本号并退出")
    parser.add_argument("--db", help=DB_HELP, metavar="数据库")
    parser.add_argument("--smoke", action="store_true", help="打开主窗口，首次绘制后打印用时并退出")
    parser.set_defaults(run=cmd_gui)
    sub = parser.add_subparsers(title="子命令", metavar="命令")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help,
                           formatter_class=ChineseHelpFormatter)
        p.add_argument("--db", help=DB_HELP, default=argparse.SUPPRESS, metavar="数据库")
        for flags, options in command.arguments:
            dest = options.get("dest") or flags[-1].lstrip("-").replace("-", "_")
            p.add_argument(*flags, **chinese_metavar(dest, options))
        p.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    with chinese_argparse():
        args = build_parser().parse_args(argv)
    if args.run is not cmd_gui:
        started()  # the window says so after its first paint
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
    finally:
        close_opened()
