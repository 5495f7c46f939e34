"""Rows written straight to SQLite with executemany, by column name, for bulk jobs (demo data, the ledger import).

Through the ORM each inserted row costs a unit-of-work step and a statement of its own: a
ledger row of a matter, its people, transfers, feedback and timeline is a dozen of them,
about 10 ms. Here the caller numbers the rows itself (`next_ids`, inside its one write
transaction, so nobody else can take the same ids) and a batch goes in one statement per table
(on SQLite through a temporary table, see `write`). The schema's triggers fire as for any insert.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from xinfang_desktop.db.dialect import driver, on_server
from xinfang_desktop.domain.workflow.state import MATTER_COLUMNS, TRANSFER_COLUMNS

COLUMNS: dict[str, tuple[str, ...]] = {
    "petitioners": ("id", "name", "sex", "id_number", "phone", "address", "region"),
    "matters": ("id", *(c for c in MATTER_COLUMNS if c != "id"), "created_at"),
    "matter_petitioners": ("matter_id", "petitioner_id", "role", "position"),
    "transfers": ("id", "matter_id", *TRANSFER_COLUMNS),
    "feedback": ("id", "transfer_id", "received_on", "text", "result", "accepted", "return_reason"),
    "events": ("id", "matter_id", "at", "actor", "kind", "text", "data"),
    "instructions": ("id", "matter_id", "leader", "on", "text"),
}
NUMBERED = ("petitioners", "matters", "transfers", "feedback", "events", "instructions")
# A matter after its links: its insert trigger writes the search row once, with the names, where each
# link written after it would have the full-text row indexed again (migration 0017). The links' key
# to matters is checked at commit, so the petitioners (whose names the trigger reads) come first.
_ORDER = ("petitioners", "matter_petitioners", "matters", "transfers", "feedback", "events", "instructions")
LINK_KEY = "fk_matter_petitioners_matter_id_matters"
_NAMES = {table: frozenset(names) for table, names in COLUMNS.items()}
# a row's values in its table's column order, in one call: no dict per row on the way to executemany
_IN_ORDER = {table: itemgetter(*names) for table, names in COLUMNS.items()}


def _as_stored(kind: type) -> Callable[[Any], Any] | None:
    """How the ORM stores a value of this type: enums by their Chinese value, dates in ISO form; None: as it is."""
    if issubclass(kind, StrEnum):
        return str  # the value itself, without the property lookup of .value (twice as fast)
    if issubclass(kind, Enum):
        return attrgetter("value")
    if issubclass(kind, datetime):
        return partial(datetime.isoformat, sep=" ")
    if issubclass(kind, date):
        return date.isoformat
    return None


def _same(value: Any) -> Any:
    return value


class _ByType(dict[type, Callable[[Any], Any]]):
    """How to store a value, by its exact type, worked out the first time a type comes (a batch of a
    hundred thousand values asks each type once; a type met before costs one lookup, in C)."""

    def __missing__(self, kind: type) -> Callable[[Any], Any]:
        convert = self[kind] = _as_stored(kind) or _same
        return convert


_STORED = _ByType()
# most values are stored as they are: those pass in one set lookup (an import converts half a million)
_PLAIN = frozenset({str, int, float, bool, type(None)})


def stored(value: Any) -> Any:
    """A value as the ORM stores it (for a value a bulk job writes many times: converted once)."""
    return value if type(value) in _PLAIN else _STORED[type(value)](value)


def json_value(data: dict[str, Any] | None) -> str:
    """A JSON column's value as the ORM writes it: no data is the JSON null."""
    return "null" if data is None else json.dumps(data)


@dataclass
class RowBatch:
    """Rows waiting to be written, per table, given by column name and held in the table's column order."""

    rows: dict[str, list[list[Any]]] = field(default_factory=lambda: {t: [] for t in _ORDER})

    def __len__(self) -> int:
        return len(self.rows["matters"])

    def add(self, table: str, **values: Any) -> None:
        """One row; every column of the table must be given (a missing one is a bug, not a default)."""
        try:
            row = _IN_ORDER[table](values)
        except KeyError:
            raise KeyError(f"{table}: no value for {sorted(_NAMES[table] - values.keys())}") from None
        # as the ORM stores them
        by_type = _STORED
        self.rows[table].append([value if type(value) in _PLAIN else by_type[type(value)](value) for value in row])

    def write(self, session: Session) -> None:
        """Insert every row held, table by table (a matter's links before it), and empty the batch.

        On PostgreSQL each table's id sequence is then moved past the ids given here, so that the
        next row the ORM adds does not take one of them."""
        raw = driver(session)
        server = on_server(session)
        if self.rows["matter_petitioners"]:
            raw.execute(f"SET CONSTRAINTS {LINK_KEY} DEFERRED" if server else "PRAGMA defer_foreign_keys = ON")
        for table in _ORDER:
            rows = self.rows[table]
            if not rows:
                continue
            names = ", ".join(f'"{c}"' for c in COLUMNS[table])
            marks = ", ".join("?" * len(COLUMNS[table]))
            if server:
                raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                if table in NUMBERED:
                    raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            else:
                # An executemany runs its INSERT once a row, and each run that fires triggers which write
                # (the full-text row, the title's grams, the tally's sums) costs SQLite about 0.1 ms more
                # than the rows themselves. Staged in a plain temporary table, the batch goes in with one
                # INSERT ... SELECT, every trigger firing for every row as for any insert (10,000 ledger
                # rows' matters: 1.6 s of CPU direct, 0.5 s staged).
                stage = f"temp.bulk_{table}"
                raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS bulk_{table} ({names})")
                raw.executemany(f"INSERT INTO {stage} VALUES ({marks})", rows)
                raw.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {stage} ORDER BY rowid")
                raw.execute(f"DELETE FROM {stage}")
            rows.clear()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off during a bulk job that builds objects meant to live on.

    A ledger check keeps every row's outcome; each full collection walks all of them (and the parsed
    ledger), and three of those were a sixth of the check of 10,000 rows. The job makes next to no
    cyclic garbage (frozen values; a refused step's exception is let go at the end of its except).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def next_ids(session: Session) -> dict[str, int]:
    """The next free id of each numbered table."""
    conn = session.connection()
    return {
        table: (conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar() or 0) + 1
        for table in NUMBERED
    }
