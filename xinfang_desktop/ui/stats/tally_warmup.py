"""Counts the tally's per-day cache in a pool thread once the window is up, so that the first 统计 is fast."""

from __future__ import annotations

import logging
import traceback
from datetime import date
from typing import Any

from xinfang_desktop.services.statistics import WARM_FROM_MATTERS, fill_cache, warm_ranges
from xinfang_desktop.ui.workers import Job, start
from xinfang_desktop.wallclock import today

log = logging.getLogger(__name__)


def warm_tally(db: Any, *, year: int, at_least: int | None = None) -> int:
    """This year's and last year's days counted ahead, one month per transaction; how many were counted.

    A failure is logged, never shown. The cache is derived data: if the clerk writes meanwhile,
    one month's write may be refused (the database moved on under it) and the 统计 tab simply
    counts those days itself.
    """
    counted = 0
    try:
        with db.read() as session:
            months = warm_ranges(session, year=year, at_least=WARM_FROM_MATTERS if at_least is None else at_least)
        # a transaction a month: the write lock is taken only for that month's few rows, and given back
        for date_from, date_to in months:
            with db.derive() as session:
                counted += fill_cache(session, date_from=date_from, date_to=date_to)
        if counted:
            log.info("tally cache: %d days of %d-%d counted ahead", counted, year - 1, year)
    except Exception:  # noqa: BLE001 - an optimisation failed: the tally counts for itself
        log.warning("tally warm-up failed\n%s", traceback.format_exc())
    return counted


def start_tally_warmup(db: Any, *, on: date | None = None) -> Job:
    """Start the warm-up in the pool; nobody waits for it."""
    year = (on or today()).year
    return start(Job(lambda _progress, _cancelled: warm_tally(db, year=year), name="tally warm-up"))
