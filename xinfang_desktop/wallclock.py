"""The program's one wall clock: every "today" and "now" the program records or compares comes from here.

`XINFANG_TODAY=YYYY-MM-DD` fixes the day (a practice database set in a given month, the test suite, a
run "on" 31 December); the time of day stays the real one, so timestamps still order. Durations are
measured with `time.monotonic`, never with this clock.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache

from xinfang_desktop.domain.errors import ValidationError

ENV = "XINFANG_TODAY"


@lru_cache(maxsize=4)
def _fixed(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"环境变量{ENV}应为日期，如2026-06-15，现为“{text}”；请改正或删去它") from None


def today() -> date:
    text = os.environ.get(ENV, "").strip()
    return _fixed(text) if text else date.today()


def now() -> datetime:
    text = os.environ.get(ENV, "").strip()
    return datetime.combine(_fixed(text), datetime.now().time()) if text else datetime.now()
