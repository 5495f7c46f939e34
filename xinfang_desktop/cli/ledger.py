"""The `xinfang import-ledger` and `xinfang export-ledger` subcommands (no Qt)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xinfang_desktop import wallclock
from xinfang_desktop.cli.command import FORCE, Command, open_db, progress, refuse_overwrite
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.values import MatterFilter

MAX_LISTED = 50  # problems printed one by one; the error workbook holds them all
ACCEPT_HINT = "核对无误请加 --accept-guesses 采用，或用 --map 源列名=标准列名 逐列指定"
MAP_HINT = "请用 --map 源列名=登记日期 指定哪一列是登记日期"


def _mapping(items: list[str]) -> dict[str, str]:
    """--map 源列名=标准列名, each checked: the target is a column of the 台账 (or empty: keep in 备注)."""
    from xinfang_desktop.domain.ledger import IMPORT_HEADERS

    mapping: dict[str, str] = {}
    for item in items:
        source, sep, target = item.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source:
            raise XinfangError(f"--map “{item}”应写成 源列名=标准列名，如 --map 内容摘要=反映问题")
        if target and target not in IMPORT_HEADERS:
            raise XinfangError(f"--map “{item}”：“{target}”不是台账的标准列名，可用的有：{'、'.join(IMPORT_HEADERS)}；"
                               "留空（源列名=）则该列保留在备注中")
        mapping[source] = target
    return mapping


def cmd_import_ledger(args: argparse.Namespace) -> int:
    from xinfang_desktop.domain.ledger_headers import describe
    from xinfang_desktop.services.ledger.files import import_ledger_file
    from xinfang_desktop.services.ledger.headers import read_ledger_file

    path = Path(args.file)
    mapping = _mapping(args.map or [])
    db = open_db(args)
    started = time.perf_counter()
    ledger = read_ledger_file(db, path, mapping=mapping, accept_guesses=args.accept_guesses,
                              use_profiles=not args.no_profile)
    outcome = import_ledger_file(db, path, ledger=ledger, dry_run=args.dry_run, progress=progress("已处理"),
                                 renumber=args.renumber, new_categories=not args.categories_to_other)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    report = outcome.report
    head = "试导入（未写入数据库）" if args.dry_run else "导入完成"
    print(f"{head}：{path.name}")
    print("各列的读法：")
    for line in describe(ledger, accept_hint=ACCEPT_HINT, map_hint=MAP_HINT):
        print(f"  {line}")
    print(f"读取行数：{report.rows_read}")
    print(f"{'可导入' if args.dry_run else '已导入'}：{report.imported}")
    print(f"已存在（重复导入，跳过）：{report.duplicates}")
    if report.conflicts:
        done = "已按新编号导入" if report.renumbered else "未导入（加 --renumber 以新编号导入）"
        print(f"编号已被另一件事项使用：{len(report.conflicts)}，{done}")
    if report.moved:
        print(f"导入期间编号被另一件事项占用：{len(report.moved)}，已按新编号导入（原编号记入备注）")
    print(f"无法导入：{len(report.skipped)}")
    if report.new_categories:
        print(f"不在分类表中的问题分类：{'、'.join(report.new_categories)}"
              "（导入时新增；加 --categories-to-other 则按“其他”登记）")
    print(f"警告：{len(report.warnings)}")
    for conflict in report.conflicts[:MAX_LISTED]:
        print(f"  编号冲突 {conflict.sheet} 第{conflict.row}行：{conflict.reason}")
    for moved in report.moved[:MAX_LISTED]:
        print(f"  新编号 {moved.sheet} 第{moved.row}行：{moved.reason}")
    for skipped in report.skipped[:MAX_LISTED]:
        print(f"  跳过 {skipped.sheet} 第{skipped.row}行：{skipped.reason}")
    for warning in report.warnings[:MAX_LISTED]:
        print(f"  警告 {warning.sheet} 第{warning.row}行：{warning.text}")
    hidden = max(0, len(report.skipped) - MAX_LISTED) + max(0, len(report.warnings) - MAX_LISTED)
    if hidden:
        print(f"  ……另有{hidden}条未列出")
    if outcome.error_workbook is not None:
        print(f"{outcome.listed}已列入：{outcome.error_workbook}")
    elif outcome.error_workbook_problem:
        print(f"{outcome.listed}的清单没有写成：{outcome.error_workbook_problem}")
    print(f"用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from xinfang_desktop.services.ledger.files import export_ledger_file
    from xinfang_desktop.services.settings import get_setting

    year = args.year or wallclock.today().year
    db = open_db(args, must_exist=True)
    if args.output:
        target = Path(args.output)
    else:
        with db.read() as session:
            office = str(get_setting(session, "office_name"))
        target = Path(f"{office}{year}年信访工作台账.xlsx")
    if target.suffix.lower() != ".xlsx":
        raise XinfangError(f"台账文件应以 .xlsx 结尾：{target}")
    refuse_overwrite(target, args)
    started = time.perf_counter()
    show = progress("已写出")
    count = export_ledger_file(db, target, flt=MatterFilter(year=year, include_voided=False), full_id=args.full_id,
                               progress=(lambda n: show(n)) if show else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    masked = "身份证号完整显示" if args.full_id else "身份证号已脱敏"
    print(f"已导出{year}年台账 {count} 件（{masked}）到 {target}，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "import-ledger",
        "导入Excel信访台账（可先 --dry-run 试导入）",
        cmd_import_ledger,
        (
            (("file",), {"help": "台账文件（.xlsx）"}),
            (("--dry-run",), {"action": "store_true", "help": "只检查并报告，不写入数据库"}),
            (("--map",), {"action": "append", "metavar": "源列名=标准列名",
                           "help": "指定某列对应哪一标准列（可多次使用），如 --map 内容摘要=反映问题；源列名照表头写，"
                                   "空格、换行和括号内的说明可省；两行表头写作 上/下，如 --map 信访人信息/姓名=信访人；"
                                   "标准列名留空（源列名=）则该列保留在备注。导入后，指定的对应按这组表头保存，下次自动沿用"}),
            (("--accept-guesses",), {"action": "store_true",
                                      "help": "采用程序按内容猜测的列（如18位数字→身份证号、11位1开头数字→联系电话、"
                                              "日期→按位置定为登记日期等、长文字→反映问题）。不加此项时，猜测只列在输出的"
                                              "“各列的读法”中、不采用，该列内容保留在备注；请先 --dry-run 核对"}),
            (("--no-profile",), {"action": "store_true",
                                 "help": "不沿用以前导入同样表头时保存的列对应"}),
            (("--renumber",), {"action": "store_true",
                               "help": "编号已被另一件事项使用的行，以新编号导入（原编号记入备注）"}),
            (("--categories-to-other",), {"action": "store_true",
                                          "help": "不在分类表中的问题分类按“其他”登记（原分类记入备注）；"
                                                  "默认导入时新增到分类表"}),
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
            FORCE,
        ),
    ),
)
