"""A matter's transfer sums and 领导批示 flag (migration 0014's triggers) equal a count made afresh, whoever wrote.

The tally reads 交办, 反馈, 催办 and 领导阅批 from these columns alone, so a column that lagged
behind its transfers would put a wrong figure in the 年度总结 without any error.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from xinfang_desktop.db.database import Database
from xinfang_desktop.db.dialect import as_date
from xinfang_desktop.db.models import Feedback, Instruction, Matter, Transfer
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Satisfaction,
    Status,
    TransferKind,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.services import handling, registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.statistics import tally_year

AS_OF = date(2026, 6, 30)


def _sums_and_counts(db: Database) -> tuple[dict[int, tuple[int, int, int, bool]], dict[int, tuple[int, int, int, bool]]]:
    """Every matter's four columns, and the same four counted here from its transfers and 批示."""
    with db.read() as s:
        stored = {m.id: (m.assigned_transfers, m.answered_transfers, m.reminder_times, bool(m.leader_reviewed))
                  for m in s.scalars(select(Matter))}
        counted = {matter_id: [0, 0, 0, False] for matter_id in stored}
        for t in s.scalars(select(Transfer)):
            mine = counted[t.matter_id]
            if t.kind == TransferKind.ASSIGN:
                mine[0] += 1
                mine[1] += t.state != TransferState.WAITING
            mine[2] += t.reminders
        for matter_id in s.scalars(select(Instruction.matter_id)):
            counted[matter_id][3] = True
    return stored, {k: (int(a), int(b), int(c), bool(d)) for k, (a, b, c, d) in counted.items()}


def test_the_sums_follow_every_writer(db: Database) -> None:
    with db.begin() as s:  # bulk rows (the demo and the ledger import write through services/bulk.py)
        generate(s, cases=150, seed=5, end=AS_OF, years=1)
    stored, counted = _sums_and_counts(db)
    assert stored == counted
    assert any(a > 0 for a, *_ in stored.values()) and any(r for *_, r in stored.values())

    with db.begin() as s:  # a clerk's steps: a 主办 and a 协办, two 催办, one report, a 批示
        first, second = (u.id for u in list_units(s)[:2])
        pair = registry.register_matter(s, MatterInput(
            received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映道路问题",
            petitioners=(PetitionerInput("李四"),)), now=AS_OF).id
        registry.decide(s, matter_id=pair, decision=Decision.ASSIGN, on=date(2026, 3, 3),
                        targets=(TransferTarget(first), TransferTarget(second, TransferRole.ASSIST)))
        lead, assist = (t.id for t in get_matter(s, pair).transfers)
        handling.remind(s, transfer_id=lead, on=date(2026, 4, 10))
        handling.remind(s, transfer_id=lead, on=date(2026, 4, 20))
        handling.record_feedback(s, transfer_id=assist, received_on=date(2026, 4, 1), text="已配合", result="配合核实")
        registry.instruct(s, matter_id=pair, leader="张县长", on=date(2026, 3, 4), text="阅")
        other = registry.register_matter(s, MatterInput(
            received_on=date(2026, 3, 5), channel=Channel.VISIT, title="反映噪音问题",
            petitioners=(PetitionerInput("王五"),)), now=AS_OF).id
    stored, counted = _sums_and_counts(db)
    assert stored == counted
    assert stored[pair] == (2, 1, 2, True) and stored[other] == (0, 0, 0, False)

    with db.begin() as s:  # writes no service makes: a transfer moved, one made a 转送, a 批示 deleted
        s.execute(text("UPDATE transfers SET matter_id = :other WHERE id = :lead"), {"other": other, "lead": lead})
        s.execute(text("UPDATE transfers SET kind = :forward WHERE id = :assist"),
                  {"forward": TransferKind.FORWARD.value, "assist": assist})
        s.execute(text("DELETE FROM instructions WHERE matter_id = :pair"), {"pair": pair})
    stored, counted = _sums_and_counts(db)
    assert stored == counted
    assert stored[pair] == (0, 0, 0, False) and stored[other] == (1, 0, 2, False)


def test_the_tally_reads_the_sums(db: Database) -> None:
    """交办, 反馈, 催办, 督办件 and 领导阅批 of a year as counted here from the rows, on the cache and off it."""
    with db.begin() as s:
        generate(s, cases=200, seed=9, end=AS_OF, years=2)
    with db.read() as s:
        matters = {m.id: m for m in s.scalars(select(Matter))
                   if m.received_on.year == 2025 and m.status != Status.VOIDED}
        transfers = [t for t in s.scalars(select(Transfer)) if t.matter_id in matters]
        reviewed = {i for i in s.scalars(select(Instruction.matter_id)) if i in matters}
        assigned = [t.state for t in transfers if t.kind == TransferKind.ASSIGN]
        reminders = [(t.matter_id, t.reminders) for t in transfers]
        key = {i for i, m in matters.items() if m.key_supervision}
    for use_cache in (False, True, True):
        with db.derive() as s:
            this = tally_year(s, year=2025, as_of=AS_OF, use_cache=use_cache).this
        assert this.assigned_transfers == len(assigned) > 0
        assert this.transfers_with_feedback == sum(state != TransferState.WAITING for state in assigned)
        assert this.reminders == sum(n for _, n in reminders) > 0
        assert this.supervised == len(key | {matter_id for matter_id, n in reminders if n > 0})
        assert this.leader_reviewed == len(reviewed) > 0


def _report_dates(db: Database) -> tuple[dict[int, date | None], dict[int, date | None]]:
    """Every transfer's report_on (migration 0025's triggers), and its first accepted report read here."""
    with db.read() as s:
        stored = {t.id: t.report_on for t in s.scalars(select(Transfer))}
        counted: dict[int, date | None] = dict.fromkeys(stored)
        for f in s.scalars(select(Feedback)):
            held = counted[f.transfer_id]
            if f.accepted and (held is None or f.received_on < held):
                counted[f.transfer_id] = f.received_on
    return stored, counted


def test_the_report_date_follows_every_writer(db: Database) -> None:
    """The 承办单位 table reads a transfer's accepted report date from the transfer alone."""
    with db.begin() as s:
        generate(s, cases=150, seed=5, end=AS_OF, years=1)
    stored, counted = _report_dates(db)
    assert stored == counted and any(stored.values()) and None in stored.values()

    with db.begin() as s:  # a clerk's steps: a report sent back, then one accepted
        unit = list_units(s)[0].id
        matter = registry.register_matter(s, MatterInput(
            received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映道路问题",
            petitioners=(PetitionerInput("李四"),)), now=AS_OF).id
        registry.decide(s, matter_id=matter, decision=Decision.ASSIGN, on=date(2026, 3, 3),
                        targets=(TransferTarget(unit),))
        transfer = get_matter(s, matter).transfers[0].id
        handling.record_feedback(s, transfer_id=transfer, received_on=date(2026, 3, 20), text="初查", accept=False,
                                 return_reason="不完整")
    assert _report_dates(db)[0][transfer] is None
    with db.begin() as s:
        handling.record_feedback(s, transfer_id=transfer, received_on=date(2026, 4, 1), text="已处理")
    stored, counted = _report_dates(db)
    assert stored == counted and stored[transfer] == date(2026, 4, 1)

    other = next(t for t, day in stored.items() if day is not None and t != transfer)
    for statement, expected in (  # writes no service makes, each through one trigger
        ("INSERT INTO feedback (transfer_id, received_on, text, result, accepted, return_reason)"
         " VALUES (:t, '2026-03-25', '补充', '', TRUE, '')", date(2026, 3, 25)),
        ("UPDATE feedback SET received_on = '2026-03-10' WHERE transfer_id = :t AND NOT accepted", date(2026, 3, 25)),
        ("UPDATE feedback SET accepted = TRUE WHERE transfer_id = :t AND NOT accepted", date(2026, 3, 10)),
        ("UPDATE feedback SET accepted = FALSE WHERE transfer_id = :t AND received_on < '2026-03-30'", date(2026, 4, 1)),
        ("UPDATE feedback SET transfer_id = :other WHERE transfer_id = :t AND accepted", None),
        ("DELETE FROM feedback WHERE transfer_id = :other", None),
    ):
        with db.begin() as s:
            s.execute(text(statement), {"t": transfer, "other": other})
        stored, counted = _report_dates(db)
        assert stored == counted, statement
        assert stored[transfer] == expected, statement
    assert stored[other] is None


def _matter_copies(db: Database) -> tuple[dict[int, tuple[date | None, str | None]], dict[int, tuple[date | None, str | None]]]:
    """Every transfer's tally_day and tally_satisfaction (migration 0029's triggers), and the same read here
    from its matter: its 登记日期 unless voided, and its 回访 result."""
    with db.read() as s:
        stored = {i: (None if day is None else as_date(day), satisfaction) for i, day, satisfaction in
                  s.execute(text("SELECT id, tally_day, tally_satisfaction FROM transfers"))}
        matters = {m.id: m for m in s.scalars(select(Matter))}
        counted = {}
        for t in s.scalars(select(Transfer)):
            m = matters[t.matter_id]
            counted[t.id] = (None if m.status == Status.VOIDED else m.received_on,
                             None if m.satisfaction is None else m.satisfaction.value)
    return stored, counted


def test_each_transfer_carries_its_matters_day_and_satisfaction_whoever_writes(db: Database) -> None:
    """The 承办单位 table reads the day and the satisfaction of a transfer's matter from the transfer alone."""
    with db.begin() as s:
        generate(s, cases=150, seed=6, end=AS_OF, years=1)
    stored, counted = _matter_copies(db)
    assert stored == counted and any(sat for _, sat in stored.values())

    with db.begin() as s:  # a clerk's steps: 交办, 修改 of the 登记日期, 回访, 作废
        unit = list_units(s)[0].id
        matter = registry.register_matter(s, MatterInput(
            received_on=date(2026, 3, 2), channel=Channel.LETTER, title="反映路灯问题",
            petitioners=(PetitionerInput("王五"),)), now=AS_OF).id
        registry.decide(s, matter_id=matter, decision=Decision.ASSIGN, on=date(2026, 3, 3),
                        targets=(TransferTarget(unit),))
        transfer = get_matter(s, matter).transfers[0].id
    assert _matter_copies(db)[0][transfer] == (date(2026, 3, 2), None)
    with db.begin() as s:
        registry.correct_matter(s, matter_id=matter, changes={"received_on": date(2026, 3, 1)}, reason="登记日期有误")
    assert _matter_copies(db)[0][transfer] == (date(2026, 3, 1), None)
    with db.begin() as s:
        handling.record_feedback(s, transfer_id=transfer, received_on=date(2026, 3, 20), text="已处理")
        handling.close(s, matter_id=matter, on=date(2026, 3, 25), result="已修复")
        handling.follow_up(s, matter_id=matter, on=date(2026, 4, 1), satisfaction=Satisfaction.SATISFIED)
    stored, counted = _matter_copies(db)
    assert stored == counted and stored[transfer] == (date(2026, 3, 1), "满意")
    with db.begin() as s:
        voided = registry.register_matter(s, MatterInput(
            received_on=date(2026, 3, 4), channel=Channel.VISIT, title="反映噪声问题",
            petitioners=(PetitionerInput("赵六"),)), now=AS_OF).id
        registry.decide(s, matter_id=voided, decision=Decision.ASSIGN, on=date(2026, 3, 4),
                        targets=(TransferTarget(unit),))
        registry.void(s, matter_id=voided, reason="重复登记")
        gone = get_matter(s, voided).transfers[0].id
    stored, counted = _matter_copies(db)
    assert stored == counted and stored[gone] == (None, None)

    other = next(m for m in counted if m != transfer)
    for statement, expected in (  # writes no service makes, each through one trigger
        ("UPDATE matters SET satisfaction = '基本满意' WHERE id = :m", (date(2026, 3, 1), "基本满意")),
        ("UPDATE matters SET received_on = '2026-02-27' WHERE id = :m", (date(2026, 2, 27), "基本满意")),
        ("UPDATE matters SET status = '已作废' WHERE id = :m", (None, "基本满意")),
        ("UPDATE matters SET status = '办理中', satisfaction = NULL WHERE id = :m", (date(2026, 2, 27), None)),
        ("INSERT INTO transfers (matter_id, unit_id, kind, role, sent_on, due_on, state, reminders)"
         " VALUES (:m, :u, '交办', '协办', '2026-03-03', NULL, '待反馈', 0)", (date(2026, 2, 27), None)),
        ("UPDATE transfers SET matter_id = (SELECT matter_id FROM transfers WHERE id = :other) WHERE id = :t", None),
    ):
        with db.begin() as s:
            s.execute(text(statement), {"m": matter, "t": transfer, "other": other, "u": unit})
        stored, counted = _matter_copies(db)
        assert stored == counted, statement
        if expected is not None:
            assert stored[transfer] == expected, statement
    assert stored[transfer] == stored[other]
