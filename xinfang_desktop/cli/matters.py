"""`xinfang overdue`: the matters past or near their deadline."""

from __future__ import annotations

import argparse
import json
from typing import Any

from xinfang_desktop.cli.command import Command, open_db, parse_day


def cmd_overdue(args: argparse.Namespace) -> int:
    from xinfang_desktop.services.settings import periods
    from xinfang_desktop.services.supervision import days_text, due_within, overdue

    on = parse_day(args.on, "--on") if args.on else None
    db = open_db(args, must_exist=True)
    with db.read() as session:
        days = args.days if args.days is not None else periods(session).due_soon_days
        late = overdue(session, on=on)
        soon = due_within(session, days=days, on=on)
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
            flag = "【重点】" if r.key_supervision else ""
            print(f"{r.number}\t{r.due_on.isoformat()}\t{days_text(r.days_left)}\t{r.unit or '-'}\t{r.state}\t{flag}{r.title}")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "overdue",
        "列出超期和临期的督办事项",
        cmd_overdue,
        (
            (("--days",), {"type": int, "default": None, "help": "临期天数（默认取设置）"}),
            (("--on",), {"default": None, "help": "按哪一天计算，如 2026-06-30（默认今天）"}),
            (("--json",), {"action": "store_true", "help": "输出JSON"}),
        ),
    ),
)
