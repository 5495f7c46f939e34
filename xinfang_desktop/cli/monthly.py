"""`xinfang monthly`: the 每月信访情况汇总分析, printed, as JSON, or written as a workbook or a PDF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from xinfang_desktop.cli.command import Command, open_db, parse_day


def cmd_monthly(args: argparse.Namespace) -> int:
    from xinfang_desktop.domain.monthly import figure_table, monthly_json
    from xinfang_desktop.services.monthly import analysis, export_analysis
    from xinfang_desktop.wallclock import today

    as_of = parse_day(args.as_of, "--as-of") if args.as_of else None
    db = open_db(args, must_exist=True)
    with db.derive() as session:
        done = analysis(session, month=args.month, as_of=as_of)
    report, summary = done.report, done.summary
    if args.output:
        export_analysis(done, target=Path(args.output), issued_on=today())
    if args.json:
        print(json.dumps(monthly_json(report, summary), ensure_ascii=False, indent=2))
        return 0
    print(f"{report.label}信访情况汇总分析")
    for label, this, previous, mom, last, yoy in figure_table(report):
        print(f"{label}\t{this}\t上月{previous}\t环比{mom}\t去年同月{last}\t同比{yoy}")
    print()
    print(summary)
    if args.output:
        print(f"\n已写入 {args.output}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "monthly",
        "每月信访情况汇总分析（环比、同比、热点问题、超期、排查），可写出Excel或PDF",
        cmd_monthly,
        (
            (("--month",), {"required": True, "help": "月份，如 2026-06"}),
            (("--as-of",), {"dest": "as_of", "default": None, "help": "统计截至的日期，也是判断超期的日期（默认今天）"}),
            (("--json",), {"action": "store_true", "help": "输出JSON"}),
            (("-o", "--output"), {"default": None, "help": "写出汇总分析（.xlsx 或 .pdf）"}),
        ),
    ),
)
