"""the tally's 0/1 figures of a matter packed into generated columns; the per-day breakdowns from narrow indexes

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-02

A tally with no kept day (a cache dropped as damaged; `use_cache=False`) counts every matter
of a year and of the year before. Reading the ~340,000 index rows of a year costs 0.09 s CPU at
a million matters; evaluating the 28 0/1 figures and 17 sums per row cost 0.75 s more. Those
figures depend on the matter's own columns only, so they are generated columns now, packed four
to a column exactly as the tally packs them to a SUM (15 bits each: `LANES` names them, in
order), plus the three per-matter sums the tally takes with a condition (persons of a 集体访,
persons met by a leader, days to 办结). `ix_matters_tally` holds them instead of the 20 columns
they are made of, so the matter pass is a count and 13 plain SUMs over one index range (0.30 s
a year instead of 0.75 s, load ~1).

SQLite: VIRTUAL columns (ALTER TABLE can add them without rebuilding the table; their values
are stored in the index, which is what the tally reads). PostgreSQL has only STORED ones: the
table is rewritten once. The figures' meaning does not change: the day cache is kept.

问题分类 and 发生地 are counted per day from two narrow indexes in (day, key) order, no sort (0.65
→ 0.15 s a year); ix_matters_tally needs neither column any more, and keeps satisfaction for the
承办单位 table.

PostgreSQL only, as 0019: a PostgreSQL index entry points at its table row where an SQLite one
ends in the rowid (the id), so these INCLUDE what the tally's other queries read, for index-only
scans: ix_matters_tally the id (the 承办单位 join hashes the period's matters from it, not from the
table); `ix_matters_tally_by_id` what the leaders' figures and the open transfers' 超期 read of a
matter found by id; ix_transfers_state_due and ix_matters_status_due (0019's) what the live 超期
parts read. At a million matters, load 8.5, EXPLAIN ANALYZE: the period's 办理中 past due 233 → 5
ms, 包案 74 instead of 227 ms, the units' open 超期 114 instead of 350 ms.

A future migration that changes what a figure means replaces the generated column (drop the
indexes holding it first). A batch rebuild of `matters` must keep these columns generated.
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0021"
branch_labels = None
depends_on = None

_CLOSED = "status = '已办结'"
# (figure, condition) in the order of their lanes: lane k of column tally_lanes_{k // 4} is 15 bits at 15 * (k % 4)
LANES: tuple[tuple[str, str], ...] = (
    ("collective_batches", "collective"),
    ("joint_letters", "joint"),
    ("anonymous", "anonymous"),
    ("repeat", "repeat"),
    ("required", "decision IS NULL OR decision NOT IN ('不予受理', '存查')"),
    ("closed", _CLOSED),
    ("closed_on_time", f"{_CLOSED} AND (due_on IS NULL OR closed_on <= due_on)"),
    ("overdue_closed", f"{_CLOSED} AND closed_on > due_on"),
    ("key_supervision", "key_supervision"),
    ("led", "receiving_leader <> ''"),
    ("settled", "settled"),
    ("closed_not_settled", f"{_CLOSED} AND NOT settled"),
    ("leader_reviewed", "leader_reviewed"),
    # half of 督办件 (the other is key_supervision): reminded at least once and not 重点督办
    ("reminded_not_key", "reminder_times > 0 AND NOT key_supervision"),
    *((f"purpose:{v}", f"purpose = '{v}'") for v in ("建议意见类", "检举控告类", "申诉求决类", "咨询")),
    *((f"source:{v}", f"source = '{v}'") for v in ("群众直接", "上级交办", "领导批示", "人大代表转交")),
    *((f"skip:{v}", f"skip_level = '{v}'") for v in ("到市", "赴省", "进京")),
    *((f"satisfaction:{v}", f"satisfaction = '{v}'") for v in ("满意", "基本满意", "不满意")),
)
BITS = 15
PER_COLUMN = 4


def _lane_columns() -> dict[str, str]:
    columns = {}
    for i in range(0, len(LANES), PER_COLUMN):
        terms = [f"CASE WHEN {condition} THEN {1 << (BITS * k)} ELSE 0 END"
                 for k, (_, condition) in enumerate(LANES[i:i + PER_COLUMN])]
        columns[f"tally_lanes_{i // PER_COLUMN}"] = " + ".join(terms)
    return columns


# name -> (type, expression)
GENERATED = {
    "tally_collective_persons": ("INTEGER", "CASE WHEN collective THEN persons ELSE 0 END"),
    "tally_led_persons": ("INTEGER", "CASE WHEN receiving_leader <> '' THEN persons ELSE 0 END"),
    # whole days between two dates: exact as an integer
    "tally_closed_days": ("INTEGER", f"CASE WHEN {_CLOSED} THEN CAST(julianday(closed_on) - julianday(received_on)"
                                     " AS INTEGER) ELSE 0 END"),
    **{name: ("BIGINT", expression) for name, expression in _lane_columns().items()},
}

TALLY_INDEX = (
    f"matters (received_on, channel, status, persons, {', '.join(GENERATED)},"
    " assigned_transfers, answered_transfers, reminder_times, satisfaction)"
)
# 0014's
_OLD_TALLY_INDEX = (
    "matters (received_on, channel, status, purpose, source, skip_level, decision, satisfaction,"
    " collective, joint, anonymous, repeat, key_supervision, settled, receiving_leader, persons,"
    " due_on, closed_on, category_id, place, assigned_transfers, answered_transfers, reminder_times,"
    " leader_reviewed)"
)
DAY_INDEXES = {
    "ix_matters_day_category": "matters (received_on, category_id, status)",
    "ix_matters_day_place": "matters (received_on, place, status)",
}
SERVER_INDEXES = {
    "ix_matters_tally_by_id": "matters (id) INCLUDE (received_on, status, settled, assigned_transfers)",
    "ix_transfers_state_due": "transfers (state, due_on) INCLUDE (matter_id, kind, role, unit_id, id)",
    "ix_matters_status_due": "matters (status, due_on) INCLUDE (id, notice_due, received_on, parent_id)",
}
# as they were before (0019's on a server, the models' own)
_OLD_SERVER_INDEXES = {
    "ix_transfers_state_due": "transfers (state, due_on)",
    "ix_matters_status_due": "matters (status, due_on) INCLUDE (id, notice_due)",
}


def upgrade() -> None:
    on_server = op.get_context().dialect.name == "postgresql"
    op.execute("DROP INDEX IF EXISTS ix_matters_tally")
    if on_server:
        op.execute("ALTER TABLE matters " + ", ".join(
            f"ADD COLUMN {name} {kind} GENERATED ALWAYS AS ({expression}) STORED"
            for name, (kind, expression) in GENERATED.items()))
    else:
        for name, (kind, expression) in GENERATED.items():
            op.execute(f"ALTER TABLE matters ADD COLUMN {name} {kind} GENERATED ALWAYS AS ({expression}) VIRTUAL")
    op.execute(f"CREATE INDEX ix_matters_tally ON {TALLY_INDEX}" + (" INCLUDE (id)" if on_server else ""))
    for name, columns in DAY_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {columns}")
    if on_server:
        for name, columns in SERVER_INDEXES.items():
            op.execute(f"DROP INDEX IF EXISTS {name}")
            op.execute(f"CREATE INDEX {name} ON {columns}")


def downgrade() -> None:
    on_server = op.get_context().dialect.name == "postgresql"
    if on_server:
        for name in SERVER_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        for name, columns in _OLD_SERVER_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {columns}")
    for name in DAY_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_matters_tally")
    for name in GENERATED:
        op.execute(f"ALTER TABLE matters DROP COLUMN {name}")
    op.execute(f"CREATE INDEX ix_matters_tally ON {_OLD_TALLY_INDEX}")
