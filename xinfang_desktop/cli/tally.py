"""`xinfang tally`: the year's (or any period's) figures, printed, as JSON or written to a workbook."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from xinfang_desktop import wallclock
from xinfang_desktop.cli.command import Command, open_db, parse_day
from xinfang_desktop.domain.errors import XinfangError


def cmd_tally(args: argparse.Namespace) -> int:

    from xinfang_desktop.domain.tally_text import figure_rows, summary_text, tally_json
    from xinfang_desktop.services.settings import get_setting
    from xinfang_desktop.services.statistics import tally, year_range

    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise XinfangError("--from 和 --to 要一起给出统计的起止日期")
        date_from, date_to = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    else:
        date_from, date_to = year_range(args.year or wallclock.today().year)
    db = open_db(args, must_exist=True)
    # derive(): the days the tally counted are kept (tally_days, derived data: no timeline event)
    # without holding the write lock while it counts; a busy or read-only database still gets its
    # figures, uncached
    with db.derive() as session:
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


COMMANDS: tuple[Command, ...] = (
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
)
