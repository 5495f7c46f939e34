"""The log keeps no one's ID number, phone or a failed statement's values; the crash dialog shows no data."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from xinfang_desktop.app import log_handler
from xinfang_desktop.db.database import Database

ID = "11010519491231002X"


def test_log_lines_and_tracebacks_mask_ids_and_phones(tmp_path: Path) -> None:
    path = tmp_path / "xinfang.log"
    handler = log_handler(path)
    logger = logging.getLogger("xinfang_desktop.test_masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("refused: 身份证号%s 电话%s", ID, "139-1234-5678")
        try:
            raise ValueError(f"bad row 0571-88888888 {ID.lower()}")
        except ValueError:
            logger.exception("import failed")
    finally:
        logger.removeHandler(handler)
        handler.close()
    written = path.read_text(encoding="utf-8")
    assert "110105********002X" in written and "139****5678" in written and "110105********002x" in written
    for secret in (ID, ID.lower(), "1391234", "88888888"):
        assert secret not in written
    assert "ValueError" in written and "Traceback" in written


def test_a_failed_statement_carries_no_values(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.sqlite3")
    try:
        with pytest.raises(IntegrityError) as caught, db.begin() as s:
            s.execute(text("CREATE TABLE t (id TEXT PRIMARY KEY)"))
            s.execute(text("INSERT INTO t VALUES (:v)"), {"v": ID})
            s.execute(text("INSERT INTO t VALUES (:v)"), {"v": ID})
    finally:
        db.close()
    assert ID not in str(caught.value)
    assert "hidden" in str(caught.value)  # SQLAlchemy says the values were withheld
