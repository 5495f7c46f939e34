"""The `xinfang` command. Subcommands are declared as data; batch work never imports PySide6."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang_desktop.cli_letters import ARGUMENTS as LETTER_ARGUMENTS
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.paths import default_db_path


def _open(args: argparse.Namespace, *, migrate: bool = True, must_exist: bool = False):  # type: ignore[no-untyped-def]
    from xinfang_desktop.db.database import Database

    path = Path(args.db) if args.db else default_db_path()
    if must_exist and not path.exists():
        raise XinfangError(f"数据库文件“{path}”不存在，请检查 --db 参数")
    return Database(path, migrate=migrate)


def cmd_demo(args: argparse.Namespace) -> int:
    from xinfang_desktop.services.demo import generate

    db = _open(args)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r已生成 {done}/{total}", end="", file=sys.stderr, flush=True)

    with db.begin() as session:
        generate(session, cases=args.cases, seed=args.seed, years=args.years, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"已在 {db.path} 生成 {args.cases} 件演示信访事项，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    db = _open(args, migrate=False, must_exist=True)
    report = db.check()
    print(report.text())
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    db = _open(args, migrate=False, must_exist=True)
    target = db.backup(Path(args.output) if args.output else None)
    print(f"已备份到 {target}")
    return 0


def cmd_letter(args: argparse.Namespace) -> int:
    from xinfang_desktop.cli_letters import letter_command

    return letter_command(args, lambda a: _open(a, must_exist=True))


def cmd_overdue(args: argparse.Namespace) -> int:
    from xinfang_desktop.services.common import periods
    from xinfang_desktop.services.supervision import due_within, overdue

    db = _open(args, must_exist=True)
    with db.read() as session:
        days = args.days if args.days is not None else periods(session).due_soon_days
        late = overdue(session)
        soon = due_within(session, days=days)
    if args.json:
        def row(r: Any) -> dict[str, Any]:
            return {"number": r.number, "title": r.title, "unit": r.unit, "due_on": r.due_on.isoformat(),
                    "days_left": r.days_left, "state": r.state, "key_supervision": r.key_supervision,
                    "reminders": r.reminders}
        print(json.dumps({"overdue": [row(r) for r in late], "due_soon": [row(r) for r in soon], "days": days},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"超期 {len(late)} 件，{days} 日内到期 {len(soon)} 件")
    for title, rows in (("超期", late), (f"{days}日内到期", soon)):
        if rows:
            print(f"\n【{title}】")
        for r in rows:
            left = f"超期{-r.days_left}天" if r.days_left < 0 else ("今日到期" if r.days_left == 0 else f"剩{r.days_left}天")
            flag = "【重点】" if r.key_supervision else ""
            print(f"{r.number}\t{r.due_on.isoformat()}\t{left}\t{r.unit or '-'}\t{r.state}\t{flag}{r.title}")
    return 0


def _parse_day(text: str, label: str):  # type: ignore[no-untyped-def]
    import re
    from datetime import date

    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise XinfangError(f"{label}“{text}”不是日期，请写成 2025-01-01 的形式") from None


def cmd_tally(args: argparse.Namespace) -> int:
    from datetime import date

    from xinfang_desktop.domain.tally import figure_rows, summary_text, tally_json
    from xinfang_desktop.services.common import get_setting
    from xinfang_desktop.services.statistics import tally, year_range

    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise XinfangError("--from 和 --to 要一起给出统计的起止日期")
        date_from, date_to = _parse_day(args.date_from, "--from"), _parse_day(args.date_to, "--to")
    else:
        date_from, date_to = year_range(args.year or date.today().year)
    db = _open(args, must_exist=True)
    # a write transaction only so that the days the tally counted are kept (tally_days, derived
    # data: no timeline event); a read-only database still gets its figures, uncached
    with db.begin() as session:
        result = tally(session, date_from=date_from, date_to=date_to)
        office = str(get_setting(session, "office_name"))
    summary = summary_text(result)
    if args.output:
        from xinfang_desktop.exporters.tally_xlsx import write_tally

        write_tally(Path(args.output), result, office_name=office, summary=summary)
    if args.json:
        print(json.dumps(tally_json(result, summary), ensure_ascii=False, indent=2))
        return 0
    for row in figure_rows(result):
        name = "  " * row.indent + row.label
        print(f"{name}\t{row.show(row.this)}\t{row.show(row.last)}\t{row.yoy}\t{row.share}")
    print()
    print(summary)
    if args.output:
        print(f"\n统计表已写入 {args.output}")
    return 0


def cmd_import_ledger(args: argparse.Namespace) -> int:
    from xinfang_desktop.cli_ledger import import_ledger_command

    return import_ledger_command(args, _open)


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from xinfang_desktop.cli_ledger import export_ledger_command

    return export_ledger_command(args, lambda a: _open(a, must_exist=True))


def cmd_gui(args: argparse.Namespace) -> int:
    from xinfang_desktop.app import run

    return run(Path(args.db) if args.db else default_db_path(), smoke=args.smoke)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = field(default=())


COMMANDS: tuple[Command, ...] = (
    Command(
        "demo",
        "生成演示数据（培训与性能测试用）",
        cmd_demo,
        (
            (("--cases",), {"type": int, "default": 500, "help": "事项数量"}),
            (("--seed",), {"type": int, "default": 1, "help": "随机种子"}),
            (("--years",), {"type": int, "default": 3, "help": "跨越年数"}),
        ),
    ),
    Command("check", "检查数据库完整性与外键", cmd_check),
    Command("backup", "用SQLite备份接口备份数据库", cmd_backup,
            ((("-o", "--output"), {"help": "备份文件路径（默认在数据库旁的backups文件夹）"}),)),
    Command("letter", "为信访事项出具文书（告知书、交办函、催办单等），写出PDF", cmd_letter, LETTER_ARGUMENTS),
    Command(
        "overdue",
        "列出超期和临期的督办事项",
        cmd_overdue,
        (
            (("--days",), {"type": int, "default": None, "help": "临期天数（默认取设置）"}),
            (("--json",), {"action": "store_true", "help": "输出JSON"}),
        ),
    ),
    Command(
        "tally",
        "年度（或任意期间）信访统计与同比，可写出统计表",
        cmd_tally,
        (
            (("--year",), {"type": int, "default": None, "help": "统计年度（默认今年）"}),
            (("--from",), {"dest": "date_from", "default": None, "help": "起始登记日期，如 2025-01-01"}),
            (("--to",), {"dest": "date_to", "default": None, "help": "截止登记日期，如 2025-06-30"}),
            (("--json",), {"action": "store_true", "help": "输出JSON"}),
            (("-o", "--output"), {"default": None, "help": "写出统计表（.xlsx）"}),
        ),
    ),
    Command(
        "import-ledger",
        "导入Excel信访台账（可先 --dry-run 试导入）",
        cmd_import_ledger,
        (
            (("file",), {"help": "台账文件（.xlsx）"}),
            (("--dry-run",), {"action": "store_true", "help": "只检查并报告，不写入数据库"}),
        ),
    ),
    Command(
        "export-ledger",
        "导出某年的信访工作台账（Excel，可直接打印）",
        cmd_export_ledger,
        (
            (("--year",), {"type": int, "default": None, "help": "年度（默认今年）"}),
            (("-o", "--output"), {"default": None, "help": "输出文件（.xlsx）"}),
            (("--full-id",), {"action": "store_true", "help": "身份证号完整显示（默认脱敏）"}),
        ),
    ),
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
