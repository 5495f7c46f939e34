"""Counts the tally's per-day cache in a pool thread once the window is up, so that the first 统计 is fast."""

from __future__ import annotations

import logging
import traceback
from datetime import date
from typing import Any

from PySide6.QtCore import QRunnable, QThreadPool

from xinfang_desktop.services.common import today
from xinfang_desktop.services.statistics import WARM_FROM_MATTERS, fill_cache, warm_ranges

log = logging.getLogger(__name__)


class TallyWarmup(QRunnable):
    """Its own session and transaction; touches no widget; a failure is logged, never shown.

    The cache is derived data: if the clerk writes meanwhile, one month's write may be refused
    (the database moved on under it) and the 统计 tab simply counts those days itself.
    """

    def __init__(self, db: Any, *, year: int | None = None, at_least: int | None = None) -> None:
        super().__init__()
        self.db = db
        self.at_least = WARM_FROM_MATTERS if at_least is None else at_least
        self.year = year or today().year
        self.counted = 0

    def run(self) -> None:  # QRunnable override
        try:
            with self.db.read() as session:
                months = warm_ranges(session, year=self.year, at_least=self.at_least)
            # a transaction a month: the write lock is taken only for that month's few rows, and given back
            for date_from, date_to in months:
                with self.db.derive() as session:
                    self.counted += fill_cache(session, date_from=date_from, date_to=date_to)
            if self.counted:
                log.info("tally cache: %d days of %d-%d counted ahead", self.counted, self.year - 1, self.year)
        except Exception:  # noqa: BLE001 - an optimisation failed: the tally counts for itself
            log.warning("tally warm-up failed\n%s", traceback.format_exc())


def start_tally_warmup(db: Any, *, on: date | None = None) -> None:
    """Start the warm-up; the pool owns (and deletes) the job."""
    QThreadPool.globalInstance().start(TallyWarmup(db, year=(on or today()).year))
