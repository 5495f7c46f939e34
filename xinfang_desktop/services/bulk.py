"""Rows written straight to SQLite with executemany, for bulk jobs (demo data, the ledger import).

Through the ORM each inserted row costs a unit-of-work step and a statement of its own: a
ledger row of a matter, its people, transfers, feedback and timeline is a dozen of them,
about 10 ms. Here the caller numbers the rows itself (`next_ids`, inside its one write
transaction, so nobody else can take the same ids) and a batch goes in one executemany per
table. The search and timeline triggers of the schema fire as for any insert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

# column lists in the order of the tuples the callers build
COLUMNS = {
    "petitioners": ("id", "name", "sex", "id_number", "phone", "address", "region"),
    "matters": (
        "id", "year", "seq", "number", "received_on", "channel", "source", "source_level", "purpose", "route",
        "category_id", "place", "title", "content", "demand", "persons", "collective", "joint", "anonymous",
        "skip_level", "repeat", "repeat_of_id", "involves_deputy", "in_scope", "receiving_leader", "proposal",
        "decision", "decided_on", "decision_reason", "competent_body", "notice_due", "due_on", "extended",
        "extension_reason", "status", "key_supervision", "replied_on", "reply_text", "followed_up_on",
        "satisfaction", "closed_on", "result", "settled", "settled_on", "stage", "parent_id", "final",
        "void_reason", "note", "import_key", "created_at",
    ),
    "matter_petitioners": ("matter_id", "petitioner_id", "role", "position"),
    "transfers": ("id", "matter_id", "unit_id", "kind", "role", "sent_on", "due_on", "state", "reminders"),
    "feedback": ("id", "transfer_id", "received_on", "text", "result", "accepted", "return_reason"),
    "events": ("id", "matter_id", "at", "actor", "kind", "text", "data"),
    "instructions": ("id", "matter_id", "leader", "on", "text"),
}
NUMBERED = ("petitioners", "matters", "transfers", "feedback", "events", "instructions")
# links need their petitioners and matters; the search triggers read the petitioner's name
_ORDER = ("petitioners", "matters", "matter_petitioners", "transfers", "feedback", "events", "instructions")


@dataclass
class RowBatch:
    """Rows waiting to be written, per table, as tuples in the order of COLUMNS."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in _ORDER})

    def __len__(self) -> int:
        return len(self.rows["matters"])

    def extend(self, other: RowBatch) -> None:
        for table, rows in other.rows.items():
            self.rows[table].extend(rows)

    def write(self, session: Session) -> None:
        """Insert every row held, table by table in dependency order, and empty the batch."""
        driver = session.connection().connection.driver_connection
        assert driver is not None
        for table in _ORDER:
            rows = self.rows[table]
            if rows:
                names = ", ".join(f'"{c}"' for c in COLUMNS[table])
                marks = ", ".join("?" * len(COLUMNS[table]))
                driver.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                rows.clear()


def next_ids(session: Session) -> dict[str, int]:
    """The next free id of each numbered table."""
    conn = session.connection()
    return {
        table: (conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar() or 0) + 1
        for table in NUMBERED
    }
