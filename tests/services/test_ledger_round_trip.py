"""Export → import keeps what the tally counts and what the ledger says (walk6 #5): 息访 and its day, a 转送's
办理结果, and a 办理结果 no step of the import can hold (kept in 备注, never dropped)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, Satisfaction
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.ledger import ledger_rows
from xinfang_desktop.services.ledger.files import export_ledger_file, import_ledger_file
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import find_unit, seed_defaults
from xinfang_desktop.services.statistics.figures import tally_year

FORWARD_REASON = "属纪检监察机关职责"


def _register(db: Database) -> tuple[int, int, int]:
    """Matters as a clerk leaves them, and what the test itself did: (息访, 办结, 办结未息访) counted by hand."""
    settled, closed = set(), set()
    with db.begin() as s:
        def reg(title: str, on: date) -> int:
            return registry.register_matter(s, MatterInput(received_on=on, channel=Channel.LETTER, title=title,
                                                           petitioners=(PetitionerInput("孙八"),))).id

        a = reg("受理办结并息访", date(2026, 3, 2))
        registry.decide(s, matter_id=a, decision=Decision.ACCEPT, on=date(2026, 3, 3))
        handling.close(s, matter_id=a, on=date(2026, 3, 20), result="已解决")
        handling.settle(s, matter_id=a, on=date(2026, 3, 25))
        closed.add(a)
        settled.add(a)
        b = reg("受理办结未息访", date(2026, 4, 1))
        registry.decide(s, matter_id=b, decision=Decision.ACCEPT, on=date(2026, 4, 2))
        handling.close(s, matter_id=b, on=date(2026, 4, 20), result="已答复政策")
        closed.add(b)
        c = reg("交办反馈办结回访息访", date(2026, 9, 22))  # as walk6's 0002
        unit = find_unit(s, "城关镇人民政府")
        assert unit is not None
        registry.decide(s, matter_id=c, decision=Decision.ASSIGN, on=date(2026, 9, 23),
                        targets=(TransferTarget(unit.id),))
        (t,) = get_matter(s, c).transfers
        handling.record_feedback(s, transfer_id=t.id, received_on=date(2026, 11, 5), text="公司已支付工资。",
                                 result="已支付全部工资")
        handling.close(s, matter_id=c, on=date(2026, 11, 6))
        handling.follow_up(s, matter_id=c, on=date(2026, 11, 10), satisfaction=Satisfaction.SATISFIED)
        handling.settle(s, matter_id=c, on=date(2026, 11, 23))
        closed.add(c)
        settled.add(c)
        d = reg("检举村干部", date(2026, 10, 8))  # as walk6's 0003: 转送 to a body named in words, with its reason
        registry.decide(s, matter_id=d, decision=Decision.FORWARD, on=date(2026, 10, 9),
                        competent_body="青石县纪委监委", reason=FORWARD_REASON)
        reg("尚未办理", date(2026, 11, 2))
    return len(settled), len(closed), len(closed - settled)


def _figures(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        t = tally_year(s, year=2026, use_cache=False).this
    return t.settled, t.closed, t.closed_not_settled


def _empty(path: Path) -> Database:
    target = Database(path)
    with target.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    return target


def _cells(path: Path) -> list[tuple[object, ...]]:
    return [tuple(r) for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True)]


def test_round_trip_keeps_the_tally_of_息访_and_a_forwarded_result(db: Database, tmp_path: Path) -> None:
    by_hand = _register(db)
    assert by_hand == (2, 3, 1)
    assert _figures(db) == by_hand
    first = tmp_path / "ledger1.xlsx"
    export_ledger_file(db, first, flt=MatterFilter(year=2026), full_id=True)
    with db.read() as s:
        notes = {r.title: r.note for r in ledger_rows(s, MatterFilter(year=2026))}
    assert notes["受理办结并息访"] == "息访日期：2026年3月25日"
    assert notes["受理办结未息访"] == ""

    other = _empty(tmp_path / "r2.sqlite3")
    report = import_ledger_file(other, first).report
    assert report.imported == 5 and report.skipped == () and not report.warnings
    assert _figures(other) == by_hand  # 息访 2, 办结 3, 办结未息访 1: as the clerk did it
    with other.read() as s:
        rows = {r.title: r for r in ledger_rows(s, MatterFilter(year=2026))}
        settled_on = dict(s.connection().exec_driver_sql(
            "SELECT title, settled_on FROM matters WHERE settled ORDER BY title").all())
    assert {k: str(v)[:10] for k, v in settled_on.items()} == {
        "受理办结并息访": "2026-03-25", "交办反馈办结回访息访": "2026-11-23"}
    assert rows["检举村干部"].result == FORWARD_REASON and rows["检举村干部"].note == ""
    second = tmp_path / "ledger2.xlsx"
    export_ledger_file(other, second, flt=MatterFilter(year=2026), full_id=True)
    assert _cells(second) == _cells(first)
    other.close()


def test_a_result_no_step_holds_is_kept_in_the_note(db: Database, tmp_path: Path) -> None:
    """A 受理 matter not yet reported with a 办理结果 written: the import keeps it in 备注, with the row's own note."""
    path = tmp_path / "hand.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "处理方式", "办理结果", "备注"])
    ws.append([date(2026, 5, 6), "张三", "反映路灯不亮", "受理", "正在调查", "电话联系过"])
    ws.append([date(2026, 5, 7), "李四", "反映噪音", "受理", "", ""])
    ws.append([date(2026, 5, 8), "王五", "反映积水", "受理", "正在调查", "办理结果：正在调查"])  # said once
    wb.save(path)
    report = import_ledger_file(db, path).report
    assert report.imported == 3
    with db.read() as s:
        notes = {r.title: (r.note, r.result) for r in ledger_rows(s, MatterFilter(year=2026))}
    assert notes == {"反映路灯不亮": ("电话联系过；办理结果：正在调查", ""), "反映噪音": ("", ""),
                     "反映积水": ("办理结果：正在调查", "")}


def test_a_息访_day_before_登记_is_said_not_stored(db: Database, tmp_path: Path) -> None:
    """The 息访 of 备注 goes through the workflow: a day it refuses leaves the matter 未息访, with its reason."""
    path = tmp_path / "hand.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "反映问题", "处理方式", "办结日期", "备注"])
    ws.append([date(2026, 5, 6), "张三", "反映路灯不亮", "受理", date(2026, 5, 20), "息访日期：2026年5月1日"])
    wb.save(path)
    report = import_ledger_file(db, path).report
    assert report.imported == 1
    assert any(w.text.startswith("息访未导入：") and "登记日期" in w.text for w in report.warnings)
    assert _figures(db) == (0, 1, 1)
