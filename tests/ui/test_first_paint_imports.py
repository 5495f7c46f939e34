"""The window paints before the heavy libraries load: they come in when first needed (a letter, an export,
an import, the 统计 tab's chart, a document's preview, a migration, another tab, the first line logged)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from xinfang_desktop.db.database import Database
from xinfang_desktop.services.demo import generate

HEAVY = (
    "reportlab", "openpyxl", "python_calamine", "pypdf", "alembic", "PySide6.QtCharts", "PySide6.QtPdf",
    "PySide6.QtPrintSupport", "PIL", "psycopg", "hypothesis",
    # a server's dialect: an SQLite file never needs it (a model's postgresql_include= loaded it, 25 ms)
    "sqlalchemy.dialects.postgresql",
    # the ORM and the mapped classes (130 ms): what the first paint shows is read as rows through SQLAlchemy
    # Core (services/__init__.py), and the services that need them come in after it
    "sqlalchemy.orm", "xinfang_desktop.db.models", "xinfang_desktop.services.common",
    "xinfang_desktop.services.cases", "xinfang_desktop.services.changes",
    # the log's masking patterns load at the first line logged
    "xinfang_desktop.domain.privacy",
    # the tabs after 登记 are built when first shown, and what they alone use with them
    "xinfang_desktop.ui.decide", "xinfang_desktop.ui.supervise", "xinfang_desktop.ui.leaders",
    "xinfang_desktop.ui.screening", "xinfang_desktop.ui.stats", "xinfang_desktop.ui.documents",
    "xinfang_desktop.ui.ledger", "xinfang_desktop.ui.settings", "xinfang_desktop.ui.backups",
    "xinfang_desktop.exporters", "xinfang_desktop.services.documents", "xinfang_desktop.services.statistics",
    "xinfang_desktop.services.ledger",
)

# `--smoke` exits right after the first paint, so what is loaded at exit was loaded before it
PROBE = """
import runpy, sys
sys.argv = ["xinfang", "--smoke", "--db", sys.argv[1]]
try:
    runpy.run_module("xinfang_desktop", run_name="__main__")
except SystemExit as done:
    code = done.code
print("LOADED:" + ",".join(sorted(m for m in sys.modules if m.startswith(HEAVY))))
sys.exit(code)
"""


def test_no_heavy_library_is_loaded_before_the_first_paint(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    db = Database(path)
    with db.begin() as s:
        generate(s, cases=200, seed=3, end=dt.date(2026, 6, 30))
    db.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", str(path)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "first paint" in result.stdout and "200 matters" in result.stdout, result.stdout
    loaded = result.stdout.split("LOADED:")[1]
    assert loaded.strip() == "", f"loaded before the first paint: {loaded}"
