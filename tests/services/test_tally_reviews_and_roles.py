"""A year with 复查, 复核, 协办 and voided matters: the tally against counts made here from what was registered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, ReviewStage, Satisfaction, TransferRole, UnitKind
from xinfang_desktop.domain.values import MatterFilter, MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.ledger.files import export_ledger_file, import_ledger_file
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import add_unit, seed_defaults
from xinfang_desktop.services.search import list_matters
from xinfang_desktop.services.statistics import tally_year

AS_OF = date(2026, 12, 31)


def _visit(s, day: date, persons: int, title: str) -> int:  # type: ignore[no-untyped-def]
    return registry.register_matter(s, MatterInput(
        received_on=day, channel=Channel.VISIT, title=title, persons=persons,
        petitioners=(PetitionerInput("张三"),)), now=AS_OF).id


def _year(db: Database) -> None:
    """An 8-person visit and its 复查 and 复核, a matter of a 主办 and a 协办, a voided visit."""
    with db.begin() as s:
        lead = add_unit(s, name="城关镇人民政府（测）", kind=UnitKind.TOWNSHIP).id
        helper = add_unit(s, name="县人社局（测）", kind=UnitKind.COUNTY_DEPT).id
        # an 8-person visit, answered, then its 复查 and its 复核
        big = _visit(s, date(2026, 2, 2), 8, "集体反映拖欠工资")
        registry.decide(s, matter_id=big, decision=Decision.ACCEPT, on=date(2026, 2, 3))
        handling.reply(s, matter_id=big, on=date(2026, 2, 20), text="答复")
        handling.close(s, matter_id=big, on=date(2026, 2, 21))
        review = handling.request_review(s, matter_id=big, on=date(2026, 3, 1), reason="不服").id
        handling.reply(s, matter_id=review, on=date(2026, 3, 20), text="维持")
        handling.close(s, matter_id=review, on=date(2026, 3, 21))
        handling.request_review(s, matter_id=review, on=date(2026, 4, 1), reason="仍不服")
        # a matter handled by a 主办 and a 协办: only the 主办 is credited with 办结, 按期 and 满意
        pair = _visit(s, date(2026, 5, 5), 1, "反映土地问题")
        registry.decide(s, matter_id=pair, decision=Decision.ASSIGN, on=date(2026, 5, 6),
                        targets=(TransferTarget(lead), TransferTarget(helper, TransferRole.ASSIST)))
        for t in get_matter(s, pair).transfers:
            handling.record_feedback(s, transfer_id=t.id, received_on=date(2026, 5, 20), text="已办",
                                     result="配合核实" if t.role is TransferRole.ASSIST else "已解决")
        handling.close(s, matter_id=pair, on=date(2026, 5, 22))
        handling.follow_up(s, matter_id=pair, on=date(2026, 5, 25), satisfaction=Satisfaction.SATISFIED)
        # a voided 6-person visit counts nowhere
        gone = _visit(s, date(2026, 6, 6), 6, "登记错误")
        registry.void(s, matter_id=gone, reason="重复登记")


def test_reviews_and_assisting_units_are_counted_apart(db: Database) -> None:
    _year(db)
    with db.derive() as s:
        matters = list_matters(s, MatterFilter())
        pair = next(m.id for m in matters if m.title == "反映土地问题")
        assert get_matter(s, pair).result == "已解决"  # the matter's result is the 主办's
    _assert_year(db)


def _assert_year(db: Database) -> None:
    for use_cache in (False, True, True):  # counted afresh, then stored, then read back
        with db.derive() as s:
            t = tally_year(s, year=2026, as_of=AS_OF, use_cache=use_cache)
        this = t.this
        # registered here: the 8-person visit and the pair; the 复查, 复核 and the voided one are not matters
        assert this.total == 2
        assert this.by_channel[Channel.VISIT.value] == 2 and this.visit_persons == 8 + 1
        assert (this.collective_batches, this.collective_persons) == (1, 8)
        assert (this.reviews, this.reviews_closed, this.rechecks, this.rechecks_closed) == (1, 1, 1, 0)
        assert this.closed == 2 and this.overdue_open == 0
        units = {u.unit: u for u in t.by_unit}
        assert (units["城关镇人民政府（测）"].assigned, units["城关镇人民政府（测）"].closed,
                units["城关镇人民政府（测）"].satisfied, units["城关镇人民政府（测）"].assisted) == (1, 1, 1, 0)
        assert (units["县人社局（测）"].assigned, units["县人社局（测）"].closed, units["县人社局（测）"].satisfied,
                units["县人社局（测）"].assisted) == (0, 0, 0, 1)
        assert sum(c.count for c in t.by_category) == 2 and sum(c.count for c in t.by_place) == 2


def test_a_ledger_exported_and_imported_keeps_reviews_apart_and_the_voided_out(
        db: Database, new_database: Callable[[str], Database], tmp_path: Path) -> None:
    """A 复查 or 复核 row is a procedure on the matter its 备注 names, not a new 集体访, in the file imported."""
    _year(db)
    path = tmp_path / "台账.xlsx"
    everything = MatterFilter(year=2026)  # the voided one too: its 作废原因 goes with it
    export_ledger_file(db, path, flt=everything, full_id=True)
    second = new_database("second.sqlite3")
    with second.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    report = import_ledger_file(second, path).report
    assert report.imported == 5 and not report.skipped
    _assert_year(second)
    with db.derive() as s, second.derive() as s2:
        before = {m.number: get_matter(s, m.id) for m in list_matters(s, everything)}
        after = {m.number: get_matter(s2, m.id) for m in list_matters(s2, everything)}
        assert sorted(before) == sorted(after)
        for number, m in before.items():
            parent = get_matter(s, m.parent_id).number if m.parent_id else None
            twin = after[number]
            assert (twin.stage, get_matter(s2, twin.parent_id).number if twin.parent_id else None) == (m.stage, parent)
        assert [m.void_reason for m in after.values() if m.void_reason] == ["重复登记"]
    again = tmp_path / "again.xlsx"
    export_ledger_file(second, again, flt=everything, full_id=True)
    assert _cells(again) == _cells(path)  # and the 备注 cells that say so come back as they were


def _cells(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)  # read-only keeps the file open until closed
    try:
        return list(book.active.iter_rows(values_only=True))
    finally:
        book.close()


def test_supervised_leaves_out_reviews_both_when_key_and_when_reminded(db: Database) -> None:
    """督办件 is a matter figure: a 复查 counts in neither of its parts; 催办 times counts every transfer."""
    with db.begin() as s:
        unit = add_unit(s, name="城关镇人民政府（督）", kind=UnitKind.TOWNSHIP).id
        registered: dict[str, int] = {}
        for name, day in (("reminded", date(2026, 1, 5)), ("key", date(2026, 1, 6)), ("both", date(2026, 1, 7)),
                          ("plain", date(2026, 1, 8))):
            registered[name] = _visit(s, day, 1, f"反映{name}")
        for name in ("reminded", "both", "plain"):
            registry.decide(s, matter_id=registered[name], decision=Decision.ASSIGN, on=date(2026, 1, 9),
                            targets=(TransferTarget(unit, due_on=date(2026, 2, 9)),))
        reminders: dict[int, int] = {}
        for name, times in (("reminded", 2), ("both", 1)):
            transfer = get_matter(s, registered[name]).transfers[0].id
            for k in range(times):
                handling.remind(s, transfer_id=transfer, on=date(2026, 1, 20 + k))
            reminders[registered[name]] = times
        for name in ("key", "both"):
            handling.set_key_supervision(s, matter_id=registered[name], reason="群众反映强烈")
        # the plain one is answered and closed, then asks for a 复查, which is assigned and reminded three times;
        # the "key" one likewise, and its 复查 is marked 重点督办
        for name in ("plain", "key"):
            m = registered[name]
            if name == "key":
                registry.decide(s, matter_id=m, decision=Decision.ACCEPT, on=date(2026, 1, 9))
            else:
                handling.record_feedback(s, transfer_id=get_matter(s, m).transfers[0].id,
                                         received_on=date(2026, 1, 30), text="已办")
            handling.reply(s, matter_id=m, on=date(2026, 2, 1), text="答复")
            handling.close(s, matter_id=m, on=date(2026, 2, 2))
            review = handling.request_review(s, matter_id=m, on=date(2026, 2, 10), reason="不服").id
            registered[f"review of {name}"] = review
        review = registered["review of plain"]
        registry.transfer(s, matter_id=review, on=date(2026, 2, 11),
                          targets=(TransferTarget(unit, due_on=date(2026, 3, 11)),))
        transfer = get_matter(s, review).transfers[0].id
        for k in range(3):
            handling.remind(s, transfer_id=transfer, on=date(2026, 2, 20 + k))
        reminders[review] = 3
        handling.set_key_supervision(s, matter_id=registered["review of key"], reason="复查重点督办")
        matters = {name: get_matter(s, m) for name, m in registered.items()}

    # counted here from what was registered: matters that are not 复查/复核, marked or reminded
    not_reviews = {n: m for n, m in matters.items() if not n.startswith("review")}
    key = {m.id for m in not_reviews.values() if m.key_supervision}
    reminded = {m.id for m in not_reviews.values() if reminders.get(m.id)}
    assert (key, reminded) == ({registered["key"], registered["both"]}, {registered["reminded"], registered["both"]})
    assert matters["review of key"].key_supervision and reminders[registered["review of plain"]] == 3
    for use_cache in (False, True, True):
        with db.derive() as s:
            this = tally_year(s, year=2026, as_of=AS_OF, use_cache=use_cache).this
        assert this.total == 4 and (this.reviews, this.rechecks) == (2, 0)
        assert (this.supervised, this.key_supervision) == (len(key | reminded), len(key)) == (3, 2)
        assert this.reminders == sum(reminders.values()) == 2 + 1 + 3


def test_a_review_row_whose_matter_is_nowhere_is_imported_as_a_first_petition_and_said_so(
        db: Database, tmp_path: Path) -> None:
    path = tmp_path / "复查.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "登记日期", "信访形式", "信访人", "反映问题", "备注"])
    wb.active.append(["信〔2026〕0009号", "2026-03-01", "来访", "张三", "复查申请：反映拖欠工资",
                      "复查事项，原事项信〔2025〕0100号；本人签收"])
    wb.save(path)
    report = import_ledger_file(db, path).report
    assert report.imported == 1
    assert any("原事项信〔2025〕0100号不在本库中" in w.text for w in report.warnings)
    with db.derive() as s:
        m = get_matter(s, report.matter_ids[0])
        assert (m.stage, m.parent_id, m.note) == (ReviewStage.FIRST, None, "本人签收")
        assert tally_year(s, year=2026, as_of=AS_OF).this.total == 1
