"""each transfer carries its matter's 登记日期 (none when voided) and 回访 result, kept by triggers; the 承办单位 pass reads one index

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02

The 承办单位 table is counted per day and unit over the 交办 transfers of the period's matters.
With an empty cache that read the period's matters from ix_matters_tally, probed
ix_transfers_tally for each matter's transfers, and sorted the joined rows by (day, unit): at a
million matters 0.33 s CPU of a year's tally on SQLite (the probes about 0.15 s, the sort 0.12 s).

- `transfers.tally_day`: the matter's received_on, NULL while the matter is 已作废 (so a voided
  matter's transfers fall out of every day's range); `transfers.tally_satisfaction`: the matter's
  回访 result. Kept by triggers whoever writes: a transfer inserted or moved to another matter
  copies them, a matter whose 登记日期, 作废 or 回访 result changes copies them onto its
  transfers. No tally trigger watches them: the matter's change drops its days already (0007).
- `tally_unit_rated`: the two satisfaction figures of a 主办 transfer (a 回访 result; 满意 or
  基本满意), 12 bits each as 0025's lanes, generated (VIRTUAL on SQLite, STORED on PostgreSQL).
- `ix_transfers_day` (tally_day, unit_id, and the three summed columns, of 交办 transfers): the pass
  is one range of it, grouped in index order, with no join and no sort.

The figures' meaning does not change: the day cache is kept. A future migration that rebuilds
transfers or matters must recreate the triggers and keep these columns generated.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

VOIDED = "已作废"
# the matter's figures as a transfer carries them (`m` is its matter)
DAY = f"CASE WHEN m.status <> '{VOIDED}' THEN m.received_on END"
COPY = (f"tally_day = (SELECT {DAY} FROM matters m WHERE m.id = transfers.matter_id),"
        " tally_satisfaction = (SELECT m.satisfaction FROM matters m WHERE m.id = transfers.matter_id)")

_LEAD = "role = '主办'"
# (figure, condition) in the order of their lanes: lane k is 12 bits at 12 * k (services.statistics.queries._RATED_LANES)
RATED_LANES: tuple[tuple[str, str], ...] = (
    ("evaluated", f"{_LEAD} AND tally_satisfaction IS NOT NULL"),
    ("satisfied", f"{_LEAD} AND tally_satisfaction IN ('满意', '基本满意')"),
)
BITS = 12
RATED = " + ".join(f"CASE WHEN {condition} THEN {1 << (BITS * k)} ELSE 0 END"
                   for k, (_, condition) in enumerate(RATED_LANES))
# partial, on 交办 (spelt so in the pass's SQL, never a bound value, so that both engines always match it):
# no other query names tally_day, so the index is chosen for nothing else (a kind-leading one was, for
# the live 超期 of the open transfers, instead of ix_transfers_state_due)
DAY_INDEX = ("transfers (tally_day, unit_id, tally_unit_lanes, tally_report_days, tally_unit_rated)"
             " WHERE kind = '交办'")

# what changes a transfer's copy: its matter's day, 作废 or 回访 result
_MATTER_CHANGED = ("OLD.received_on IS NOT NEW.received_on OR OLD.satisfaction IS NOT NEW.satisfaction"
                   f" OR (OLD.status = '{VOIDED}') IS NOT (NEW.status = '{VOIDED}')")
TRIGGERS = {
    "tally_day_transfers_ai": f"CREATE TRIGGER tally_day_transfers_ai AFTER INSERT ON transfers"
                              f" BEGIN UPDATE transfers SET {COPY} WHERE id = NEW.id; END",
    "tally_day_transfers_au": f"CREATE TRIGGER tally_day_transfers_au AFTER UPDATE OF matter_id ON transfers"
                              f" BEGIN UPDATE transfers SET {COPY} WHERE id = NEW.id; END",
    "tally_day_matters_au": "CREATE TRIGGER tally_day_matters_au AFTER UPDATE OF received_on, status, satisfaction"
                            f" ON matters WHEN {_MATTER_CHANGED}"
                            f" BEGIN UPDATE transfers SET {COPY} WHERE matter_id = NEW.id; END",
}


def _pg_statements() -> list[str]:
    # SECURITY DEFINER as 0014's and 0025's: whoever may write a matter or a transfer keeps the copies right.
    # A transfer's own copy is set before it is written (no second version of the row).
    changed = _MATTER_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")
    return [
        "CREATE FUNCTION tally_day_of_transfer() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        " SET search_path FROM CURRENT AS $$ BEGIN"
        f" SELECT {DAY}, m.satisfaction INTO NEW.tally_day, NEW.tally_satisfaction"
        " FROM matters m WHERE m.id = NEW.matter_id;"
        " RETURN NEW; END $$",
        "CREATE TRIGGER tally_day_transfers_ai BEFORE INSERT ON transfers"
        " FOR EACH ROW EXECUTE FUNCTION tally_day_of_transfer()",
        "CREATE TRIGGER tally_day_transfers_au BEFORE UPDATE OF matter_id ON transfers"
        " FOR EACH ROW EXECUTE FUNCTION tally_day_of_transfer()",
        "CREATE FUNCTION tally_day_of_matter() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        " SET search_path FROM CURRENT AS $$ BEGIN"
        f" UPDATE transfers SET tally_day = CASE WHEN NEW.status <> '{VOIDED}' THEN NEW.received_on END,"
        " tally_satisfaction = NEW.satisfaction WHERE matter_id = NEW.id;"
        " RETURN NULL; END $$",
        "CREATE TRIGGER tally_day_matters_au AFTER UPDATE OF received_on, status, satisfaction ON matters"
        f" FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION tally_day_of_matter()",
    ]


def upgrade() -> None:
    on_server = op.get_context().dialect.name == "postgresql"
    op.add_column("transfers", sa.Column("tally_day", sa.Date(), nullable=True))
    op.add_column("transfers", sa.Column("tally_satisfaction", sa.String(16), nullable=True))
    if on_server:  # one join, not two probes a row
        op.execute(f"UPDATE transfers SET tally_day = {DAY}, tally_satisfaction = m.satisfaction"
                   " FROM matters m WHERE m.id = transfers.matter_id")
    else:
        op.execute(f"UPDATE transfers SET {COPY}")
    for statement in _pg_statements() if on_server else TRIGGERS.values():
        op.execute(statement)
    if on_server:
        op.execute(f"ALTER TABLE transfers ADD COLUMN tally_unit_rated BIGINT GENERATED ALWAYS AS ({RATED}) STORED")
    else:
        op.execute(f"ALTER TABLE transfers ADD COLUMN tally_unit_rated BIGINT GENERATED ALWAYS AS ({RATED}) VIRTUAL")
    op.execute(f"CREATE INDEX ix_transfers_day ON {DAY_INDEX}")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS tally_day_of_transfer() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS tally_day_of_matter() CASCADE")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_transfers_day")
    op.execute("ALTER TABLE transfers DROP COLUMN tally_unit_rated")
    op.drop_column("transfers", "tally_satisfaction")
    op.drop_column("transfers", "tally_day")
