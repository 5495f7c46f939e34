"""The office's settings as stored, read as rows: the window's title and the list's numbers and deadline
colours read them before its first paint (services/__init__.py); services.common writes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from xinfang_desktop.db import tables
from xinfang_desktop.db.dialect import Reader
from xinfang_desktop.domain.clock import EARLIEST, Periods
from xinfang_desktop.domain.errors import NotFoundError

# What only the office knows (its name, kind, 复查机关) starts empty: the first start asks for it,
# and a document is refused until 机关名称 is set. `xinfang demo` fills in a made-up office.
DEFAULT_SETTINGS: dict[str, Any] = {
    "office_name": "",
    "office_kind": "",
    "number_prefix": "信",
    "document_prefix": "信告",
    "clerk_name": "信访干部",
    # the body one level up: named in a 信访处理意见书 as where the petitioner may ask for 复查
    # (Art. 35), and so the body that signs the 复查受理告知书 and 复查意见书
    "review_body": "",
    # one level above that: named in a 复查意见书 for 复核 (Art. 36), and signs the 复核 documents
    "recheck_body": "",
    # no record may carry a date before this one (a mistyped year, 0001-01-01)
    "earliest_date": EARLIEST.isoformat(),
    "periods": Periods().as_mapping(),
    # the first-start page: "" not yet shown, "skipped" put off to 设置, "done" filled in
    "first_start": "",
    # a second folder (a USB stick, another drive) that receives a copy of every automatic backup; "" for none
    "backup_folder2": "",
}

# the label each text setting has on screen, for a message that names the field
SETTING_LABELS = {
    "office_name": "机关名称",
    "office_kind": "机关类别",
    "number_prefix": "编号前缀",
    "document_prefix": "文书文号前缀",
    "clerk_name": "经办人",
    "review_body": "复查机关",
    "recheck_body": "复核机关",
}

# set once the shared lists are in the database (services.reference.seed_defaults)
SEEDED = "defaults_seeded"

# Settings are read by almost every service call; one user action (or a whole ledger import) reads
# them once per session, and every write through services.common drops the copy. A plain connection
# (Database.rows) keeps none: its info lives as long as the pooled connection, past this read.
SETTINGS_CACHE = "xinfang_settings"


def get_setting(session: Reader, key: str) -> Any:
    cache = None if isinstance(session, Connection) else session.info
    stored = cache.get(SETTINGS_CACHE) if cache is not None else None
    if stored is None:
        settings = tables.settings
        stored = {row.key: row.value for row in session.execute(select(settings.c.key, settings.c.value))}
        if cache is not None:
            cache[SETTINGS_CACHE] = stored
    if key in stored:
        return stored[key]
    if key not in DEFAULT_SETTINGS:
        raise NotFoundError(f"没有名为“{key}”的设置")
    return DEFAULT_SETTINGS[key]


def periods(session: Reader) -> Periods:
    return Periods.from_mapping(get_setting(session, "periods"))


def format_number(prefix: str, year: int, seq: int) -> str:
    """A matter's number, 信〔2026〕0001号: the office's 编号前缀 (number_prefix), the year and its 序号."""
    return f"{prefix}〔{year}〕{seq:04d}号"


def defaults_seeded(session: Reader) -> bool:
    """Whether the shared lists were put in already: a new database has them seeded once, at its first opening."""
    settings = tables.settings
    return session.scalar(select(settings.c.key).where(settings.c.key == SEEDED)) is not None
