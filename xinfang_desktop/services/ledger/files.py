"""台账 files against a database: the jobs the CLI and the window share (reading, checking, writing in batches; no Qt)."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.domain.ledger import ImportReport, ParsedLedger, SkippedRow
from xinfang_desktop.domain.values import MatterFilter
from xinfang_desktop.exporters.ledger_import import error_workbook_path, write_error_workbook
from xinfang_desktop.exporters.ledger_xlsx import ledger_title, write_ledger
from xinfang_desktop.services.bulk import collector_paused
from xinfang_desktop.services.ledger.export import ledger_rows, ledger_title_parts
from xinfang_desktop.services.ledger.headers import confirmed_mappings, read_ledger_file, save_profiles
from xinfang_desktop.services.ledger.importer import CheckedLedger, check_import, write_import_batch
from xinfang_desktop.services.reference import seed_defaults
from xinfang_desktop.services.search import count_matters
from xinfang_desktop.wallclock import now

log = logging.getLogger(__name__)

# How long one batch of an import holds the write lock: a clerk's save waits at most about this
# (issue 12). Batches are sized by time, not rows, because a row costs ten times more on a
# busy old PC than on a new one; the first batch is small and measures the machine.
BATCH_SECONDS = 0.4  # under 1 s with the save itself and a busy machine's slower batch
FIRST_BATCH = 50
GROWTH = 4  # a batch at most this many times the last: one quick batch (a cache warm) is no measure


def next_batch_size(rows: int, seconds: float) -> int:
    """The rows that should take BATCH_SECONDS, given that `rows` rows just took `seconds`."""
    if seconds <= 0:
        return rows * GROWTH
    return max(1, min(rows * GROWTH, int(rows * BATCH_SECONDS / seconds)))


@dataclass(frozen=True)
class ImportOutcome:
    report: ImportReport
    error_workbook: Path | None  # written next to the source when rows were skipped (not in a dry run)
    committed: bool
    error_workbook_problem: str = ""  # why the list of those rows could not be written (the import stands)

    @property
    def listed(self) -> str:
        """What the error workbook lists, as the clerk is told it: rows not imported, rows imported under a
        new number (their old one in 备注), or both."""
        return listing(self.report)


def listing(report: ImportReport) -> str:
    missing = bool(report.skipped) or (bool(report.conflicts) and not report.renumbered)
    renumbered = bool(report.moved) or (bool(report.conflicts) and report.renumbered)
    return "、".join(what for what, there in (("未导入的行", missing), ("按新编号导入的行", renumbered)) if there)


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
    """Every problem by row, found by checking every row as the import does: nothing is written, no lock taken."""
    with db.read() as session:
        return check_import(session, ledger).report


def _write_batches(db: Database, ledger: ParsedLedger, checked: CheckedLedger,
                   progress: Callable[[int, int], None] | None,
                   cancelled: Callable[[], bool] | None) -> tuple[list[int], int, list[SkippedRow]]:
    """The checked rows written a batch at a time, the lock given back between batches: (the new
    matters' ids, how many rows another writer had written first, the rows renumbered because
    another matter took their 编号 after the check)."""
    written: list[int] = []
    late = 0
    renumbered: list[SkippedRow] = []
    total = len(checked.rows)
    done, size = 0, FIRST_BATCH
    while done < total:
        if done and cancelled is not None and cancelled():
            raise XinfangError(
                f"导入已取消：已写入{len(written)}件，其余{total - done}行未写入。"
                "再次导入同一文件可继续，已写入的不会重复登记"
            )
        rows = checked.rows[done:done + size]
        with db.begin() as session:
            session.connection()  # BEGIN IMMEDIATE: a wait for another writer is here, outside the timing
            began = time.perf_counter()
            batch = write_import_batch(session, ledger.source_name, rows, checked.known)
        size = next_batch_size(len(rows), time.perf_counter() - began)  # the commit included
        done += len(rows)
        written += batch.ids
        late += len(batch.late)
        renumbered += batch.renumbered
        if progress is not None:
            progress(done, total)
        if done < total:
            db.give_way()
    return written, late, renumbered


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
    renumber: bool = False,
    new_categories: bool = True,
) -> ImportOutcome:
    """Check a ledger, then write it a batch at a time; list skipped rows in an error workbook beside it.

    The check reads only. `confirm`, when given, sees its report before anything is written and
    decides: True writes, False writes nothing (then `committed` is False). The rows then go in
    batches of about BATCH_SECONDS each, each its own transaction, with the lock given back between
    them, so a clerk's save waits at most one batch. A cancel (or a crash) between batches keeps the
    batches written, and importing the same file again adds only the rest. `progress(done, total)`
    is told while checking, then again while writing (after each batch is committed).
    Once written, the columns the clerk named (or whose guesses were accepted) are kept as the
    profile of their layout, offered when the same headers come again.
    """
    path = Path(path)
    if ledger is None:
        ledger = read_ledger_file(db, path, mapping=mapping)
    with db.begin() as session:
        seed_defaults(session)  # a new database gets the shipped units and categories first (once)
    with db.read() as session:
        checked = check_import(session, ledger, progress=progress, cancelled=cancelled, renumber=renumber,
                               new_categories=new_categories)
    report = checked.report
    if dry_run or (confirm is not None and not confirm(report)):
        return ImportOutcome(report, None, False)
    # the checked rows are many objects that live until the end: no full collections walking them meanwhile
    # (held off during the check too, but not while the clerk reads the report)
    with collector_paused():
        written, late, renumbered = _write_batches(db, ledger, checked, progress, cancelled)
        # written: let the outcomes go while the collector is off (freed by their counts; once it is back on,
        # its first full pass would walk all of them, a quarter of a second at 10,000 rows)
        checked.rows.clear()
    report = replace(report, imported=len(written), duplicates=report.duplicates + late, matter_ids=tuple(written),
                     moved=tuple(renumbered))
    if written:
        db.complete_tally_cache()  # every day the rows went into lost its kept tally figures
    if confirmed_mappings(ledger):
        with db.begin() as session:
            save_profiles(session, ledger, at=now())
    listed = report.skipped + report.conflicts + report.moved
    if not listed:
        return ImportOutcome(report, None, True)
    try:
        target = write_error_workbook(error_workbook_path(path), ledger, listed, listing(report))
    except XinfangError as exc:
        # the import is committed: say that the list is missing, not that the import failed
        return ImportOutcome(report, None, True, exc.message)
    except Exception:  # noqa: BLE001 - our bug, but after the commit: the clerk must hear what was written
        log.error("error workbook of %s not written\n%s", path.name, traceback.format_exc())
        return ImportOutcome(report, None, True, "程序内部出错，详情已记入日志")
    return ImportOutcome(report, target, True)
