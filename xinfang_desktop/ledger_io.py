"""台账 files against a database: the glue the CLI and the UI share (services + exporters, no Qt)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.ledger import ImportReport, ParsedLedger
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.exporters.ledger_import import (
    error_workbook_path,
    read_ledger,
    write_error_workbook,
)
from xinfang_desktop.exporters.ledger_xlsx import ledger_title, write_ledger
from xinfang_desktop.services.ledger import (
    import_ledger,
    ledger_rows,
    ledger_title_parts,
)
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.search import count_matters


@dataclass(frozen=True)
class ImportOutcome:
    report: ImportReport
    error_workbook: Path | None  # written next to the source when rows were skipped (not in a dry run)
    committed: bool
    error_workbook_problem: str = ""  # why the list of skipped rows could not be written (the import stands)


class _NotConfirmed(Exception):
    """The clerk looked at the report and did not import: roll the transaction back."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("not confirmed")
        self.report = report


def count_for_export(db: Database, flt: MatterFilter) -> int:
    with db.read() as session:
        return count_matters(session, flt)


def export_ledger_file(
    db: Database,
    path: Path,
    *,
    flt: MatterFilter = MatterFilter(),
    full_id: bool = False,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the 台账 of a filter (a year, or any list filter) to `path`; returns the rows written.

    Opens its own read session, so it can run in a worker thread. ID numbers are masked
    unless `full_id`. Raises exporters.ledger_xlsx.Cancelled when cancelled (no file left).
    """
    with db.read() as session:
        office, period = ledger_title_parts(session, flt)
        return write_ledger(
            Path(path),
            ledger_rows(session, flt),
            title=ledger_title(office, period),
            sheet_name=period or "台账",
            full_id=full_id,
            progress=progress,
            cancelled=cancelled,
        )


def preview_import(db: Database, ledger: ParsedLedger) -> ImportReport:
    """Every problem by row, found by running the import and rolling it back: nothing is written."""
    with db.read() as session:
        seed_defaults(session)
        return import_ledger(session, ledger)


def import_ledger_file(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    ledger: ParsedLedger | None = None,
    dry_run: bool = False,
    confirm: Callable[[ImportReport], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportOutcome:
    """Read and import a ledger in one transaction; list skipped rows in an error workbook beside it.

    `confirm`, when given, sees the report while the transaction is still open and decides:
    True commits, False rolls everything back (then `committed` is False). The clerk's
    preview is thus the import itself, not a second run of it.
    """
    path = Path(path)
    if ledger is None:
        ledger = read_ledger(path, mapping=mapping)
    if dry_run:
        return ImportOutcome(preview_import(db, ledger), None, False)
    try:
        with db.begin() as session:
            seed_defaults(session)  # a new database gets the shipped units and categories first (once)
            report = import_ledger(session, ledger, progress=progress, cancelled=cancelled)
            if confirm is not None and not confirm(report):
                raise _NotConfirmed(report)
    except _NotConfirmed as declined:
        return ImportOutcome(declined.report, None, False)
    if not report.skipped:
        return ImportOutcome(report, None, True)
    try:
        target = write_error_workbook(error_workbook_path(path), ledger, report.skipped)
    except XinfangError as exc:
        # the import is committed: say that the list is missing, not that the import failed
        return ImportOutcome(report, None, True, exc.message)
    return ImportOutcome(report, target, True)
