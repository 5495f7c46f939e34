"""The import and the services give the same rows: one ledger, two writers of the same workflow steps.

Each ledger is imported twice into empty databases: once as the program does it (each row
replayed through domain/workflow in memory, the outcomes written in batches by column name),
once by driving the clerk's services (register_matter, decide, record_feedback, close,
follow_up, void…) with the steps `plan_row` reads from each row, each in a savepoint, through
services/cases.apply. Every stored column, link, transfer, feedback, 批示 and timeline line must
be the same, and so must the rows imported and skipped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.services.test_ledger import _hand_ledger, _populate
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Matter
from xinfang_desktop.domain.enums import Decision, EventKind, Status, TransferKind
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.values import MatterFilter, TransferTarget
from xinfang_desktop.exporters.ledger_import import read_ledger
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.common import add_event
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.ledger.files import export_ledger_file, import_ledger_file
from xinfang_desktop.services.ledger.importer import _Importer, import_key
from xinfang_desktop.services.ledger.replay import plan_row, targets
from xinfang_desktop.services.office import seed_demo_office
from xinfang_desktop.services.reference import seed_defaults

_MATTER = (
    "year, seq, number, received_on, channel, source, source_level, purpose, route, c.name, place, title, content, "
    "demand, persons, collective, joint, anonymous, skip_level, repeat, involves_deputy, in_scope, receiving_leader, "
    "proposal, decision, decided_on, decision_reason, competent_body, notice_due, due_on, extended, status, "
    "key_supervision, replied_on, reply_text, followed_up_on, satisfaction, closed_on, result, settled, stage, "
    "final, void_reason, note, import_key"
)


def _snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import writes, keyed by 编号 rather than by id (ids may differ, nothing else may)."""
    queries = {
        "matters": f"SELECT {_MATTER} FROM matters m LEFT JOIN categories c ON c.id = m.category_id ORDER BY number",
        "people": "SELECT m.number, l.role, l.position, p.name, p.sex, p.id_number, p.phone, p.address, p.region "
                  "FROM matter_petitioners l JOIN matters m ON m.id = l.matter_id "
                  "JOIN petitioners p ON p.id = l.petitioner_id ORDER BY m.number, l.position",
        "petitioners": "SELECT count(*), count(DISTINCT id_number) FROM petitioners",
        "transfers": "SELECT m.number, u.name, t.kind, t.role, t.sent_on, t.due_on, t.state, t.reminders "
                     "FROM transfers t JOIN matters m ON m.id = t.matter_id JOIN units u ON u.id = t.unit_id "
                     "ORDER BY m.number, t.id",
        "feedback": "SELECT m.number, u.name, f.received_on, f.text, f.result, f.accepted, f.return_reason "
                    "FROM feedback f JOIN transfers t ON t.id = f.transfer_id JOIN matters m ON m.id = t.matter_id "
                    "JOIN units u ON u.id = t.unit_id ORDER BY m.number, f.id",
        "instructions": "SELECT m.number, i.leader, i.\"on\", i.text FROM instructions i "
                        "JOIN matters m ON m.id = i.matter_id ORDER BY m.number, i.id",
        # a feedback line names its transfer by id: compare the unit it names instead
        "events": "SELECT m.number, e.actor, e.kind, e.text, "
                  "CASE WHEN json_extract(e.data, '$.transfer_id') IS NOT NULL "
                  "THEN (SELECT u.name FROM transfers t JOIN units u ON u.id = t.unit_id "
                  "      WHERE t.id = json_extract(e.data, '$.transfer_id')) ELSE e.data END "
                  "FROM events e JOIN matters m ON m.id = e.matter_id ORDER BY m.number, e.id",
        "units": "SELECT name, kind, active FROM units ORDER BY name",
        "categories": "SELECT c.name, p.name FROM categories c LEFT JOIN categories p ON p.id = c.parent_id "
                      "ORDER BY c.name, p.name",
        "search": "SELECT m.number, f.title, f.body, f.names FROM matter_fts f JOIN matters m ON m.id = f.rowid "
                  "ORDER BY m.number",
        "grams": "SELECT count(*) FROM matter_grams",
        # kept by the triggers of migration 0014 as the rows go in
        "sums": "SELECT number, assigned_transfers, answered_transfers, reminder_times, leader_reviewed "
                "FROM matters ORDER BY number",
    }
    with db.read() as s:
        return {name: [tuple(r) for r in s.execute(text(q))] for name, q in queries.items()}


def _through_services(db: Database, ledger: Path) -> tuple[int, list[Any]]:
    """The ledger's rows as a clerk would enter them, step by step through the services."""
    parsed = read_ledger(ledger)
    imported, skipped = 0, [(r.sheet, r.row, r.reason) for r in parsed.skipped]
    with db.begin() as s:
        lookups = _Importer(s, parsed.source_name)
        for row in parsed.rows:
            plan = plan_row(row)
            key = import_key(row.values)
            try:
                with s.begin_nested():
                    data = replace(plan.data, category_id=lookups.category_id(row, plan.category))
                    ref = registry.register_matter(s, data)
            except XinfangError as exc:
                skipped.append((row.sheet, row.row, exc.message))
                continue
            imported += 1
            matter = s.get(Matter, ref.id)
            assert matter is not None
            matter.import_key = key
            add_event(s, matter, EventKind.IMPORTED, f"从台账“{parsed.source_name}”工作表“{row.sheet}”第{row.row}行导入",
                      {"file": parsed.source_name, "sheet": row.sheet, "row": row.row, "import_key": key})
            for step in plan.steps:
                if step.name == "reply" and matter.status is Status.REPLIED:
                    continue
                transfers = [t.id for t in matter.transfers]
                if step.each == "all":
                    indexes: list[int | None] = list(range(len(transfers)))
                elif step.each == "unreported":
                    indexes = [i for i, t in enumerate(matter.transfers)
                               if t.kind is TransferKind.ASSIGN and not t.feedback]
                else:
                    indexes = [None]
                for index in indexes:
                    try:
                        with s.begin_nested():
                            _service_step(s, lookups, row, ref.id, step, None if index is None else transfers[index])
                    except XinfangError:
                        pass
                    s.expire_all()
    return imported, skipped


def _service_step(s: Any, lookups: Any, row: Any, matter_id: int, step: Any, transfer_id: int | None) -> None:
    kw = dict(step.kwargs)
    if step.name == "instruct":
        registry.instruct(s, matter_id=matter_id, **kw)
    elif step.name == "decide":
        found = targets(step, lookups.unit)
        kw.pop("units", None)
        kw.pop("units_if_known", None)
        if kw["decision"] is Decision.ASSIGN and not found:
            raise XinfangError("no units")
        chosen = tuple(TransferTarget(t.unit.id or lookups.unit_id(t.unit.name), t.role, t.due_on)
                       for t in found or ())
        if found and kw["decision"] is Decision.FORWARD:
            kw["competent_body"] = ""
        registry.decide(s, matter_id=matter_id, targets=chosen, **kw)
    elif step.name == "transfer":
        chosen = tuple(TransferTarget(t.unit.id or lookups.unit_id(t.unit.name), t.role, t.due_on)
                       for t in targets(step, lookups.unit) or ())
        registry.transfer(s, matter_id=matter_id, targets=chosen, on=kw["on"])
    elif step.name == "feedback":
        assert transfer_id is not None
        handling.record_feedback(s, transfer_id=transfer_id, **kw)
    elif step.name == "void":
        registry.void(s, matter_id=matter_id, **kw)
    else:
        getattr(handling, step.name)(s, matter_id=matter_id, **kw)


def _import_both_ways(tmp_path: Path, ledger: Path) -> tuple[Any, Any, Any, Any]:
    fast = Database(tmp_path / "fast.sqlite3")
    with fast.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
        seed_demo_office(s)
    fast_report = import_ledger_file(fast, ledger).report
    careful = Database(tmp_path / "careful.sqlite3")
    with careful.begin() as s:
        seed_defaults(s)
        seed_demo_office(s)
    return fast, fast_report, careful, _through_services(careful, ledger)


def _assert_same(fast: Database, fast_report: Any, careful: Database, careful_report: Any) -> None:
    imported, skipped = careful_report
    assert fast_report.imported == imported > 0
    assert sorted((r.sheet, r.row, r.reason) for r in fast_report.skipped) == sorted(skipped)
    a, b = _snapshot(fast), _snapshot(careful)
    for table in a:
        assert a[table] == b[table], table


def test_replayed_import_of_every_kind_of_matter_equals_the_services(
    db: Database, tmp_path: Path
) -> None:
    _populate(db)  # 受理, 交办 to 办结 and 回访, 转送, 不予受理, 直接答复, 作废, 存查, 批示, a bad ID number
    with db.begin() as s:
        generate(s, cases=400, years=2, end=date(2025, 12, 31), seed=7)
    ledger = tmp_path / "all.xlsx"
    export_ledger_file(db, ledger, flt=MatterFilter(), full_id=True)
    fast, fast_report, careful, careful_report = _import_both_ways(tmp_path, ledger)
    _assert_same(fast, fast_report, careful, careful_report)
    assert fast_report.imported == 408


def test_replayed_import_of_a_hand_ledger_equals_the_services(tmp_path: Path) -> None:
    # title rows, variant headers, mixed dates, flag forms, broken rows, a new category and unit
    ledger = tmp_path / "2019台账.xlsx"
    _hand_ledger(ledger)
    fast, fast_report, careful, careful_report = _import_both_ways(tmp_path, ledger)
    _assert_same(fast, fast_report, careful, careful_report)
    assert len(fast_report.skipped) == 3  # the sign-off line under the table is not a matter


def test_refused_steps_and_repeated_people_give_the_same_rows_both_ways(tmp_path: Path) -> None:
    """Refused later steps leave warnings and the matter as it was; a person met twice keeps the later phone."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["登记日期", "信访人", "身份证号", "反映问题", "承办单位", "交办日期", "处理方式", "办结日期", "联系电话"])
    ws.append(["2022.5.6", "张三", "11010519491231002X", "第一件", "城关镇人民政府", "2022.5.7", "交办", "2022.6.1"])
    # 办结 before 登记: the workflow refuses the step, the matter is registered with a warning
    ws.append(["2022.5.6", "李四", "", "第二件", "", "", "受理", "2022.5.1"])
    ws.append(["2022.5.8", "张三", "11010519491231002X", "第三件", "", "", "", ""])
    # a 转送 naming a unit twice: decide refuses it, the matter stays registered with a warning
    ws.append(["2022.5.8", "赵六", "", "转送两次", "县公安局、县公安局", "2022.5.9", "转送", ""])
    # the same person again with a new phone, in the same batch: the petitioner row takes it
    ws.append(["2022.5.9", "张三", "11010519491231002X", "第四件", "", "", "", "", "13900001111"])
    ledger = tmp_path / "mixed.xlsx"
    wb.save(ledger)
    fast, fast_report, careful, careful_report = _import_both_ways(tmp_path, ledger)
    _assert_same(fast, fast_report, careful, careful_report)
    assert any("办结未导入" in w.text for w in fast_report.warnings)
    with fast.read() as s:
        numbers = [r[0] for r in s.execute(text("SELECT number FROM matters ORDER BY id"))]
        people = s.execute(text("SELECT count(*) FROM petitioners WHERE id_number = '11010519491231002X'")).scalar()
    assert numbers == [f"信〔2022〕000{i}号" for i in range(1, 6)]
    assert any("受理决定未导入" in w.text and "两次" in w.text for w in fast_report.warnings)
    assert people == 1  # the same 身份证号 in three rows is one person
    with fast.read() as s:
        phone = s.execute(text("SELECT phone FROM petitioners WHERE id_number = '11010519491231002X'")).scalar()
    assert phone == "13900001111"
