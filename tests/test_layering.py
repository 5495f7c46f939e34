"""The core has no Qt: importing domain, db, services, exporters or running `xinfang demo` loads no PySide6."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import xinfang_desktop

PACKAGE = Path(xinfang_desktop.__file__).resolve().parent
CORE = ("domain", "db", "services", "exporters")


def _core_modules() -> list[str]:
    names = []
    for layer in CORE:
        names.append(f"xinfang_desktop.{layer}")
        for info in pkgutil.walk_packages([str(PACKAGE / layer)], prefix=f"xinfang_desktop.{layer}."):
            if ".migrations.versions." in info.name or info.name.endswith(".migrations.env"):
                continue  # Alembic scripts run only inside a migration
            names.append(info.name)
    return names


def test_no_core_file_imports_pyside6() -> None:
    offenders = []
    files = [p for layer in CORE for p in (PACKAGE / layer).rglob("*.py")]
    assert len(files) > 15
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            names += [a.name for a in getattr(node, "names", []) if isinstance(node, ast.ImportFrom)]
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            # nor anything from the ui layer, which would bring Qt along
            if any(n.startswith("xinfang_desktop.ui") or n.startswith("xinfang_desktop.app") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} (ui)")
    assert offenders == []


def test_importing_the_core_and_running_demo_loads_no_pyside6(tmp_path: Path) -> None:
    modules = _core_modules()
    assert "xinfang_desktop.services.registry" in modules and "xinfang_desktop.db.database" in modules
    script = f"""
import importlib, sys
for name in {modules!r}:
    importlib.import_module(name)
from xinfang_desktop.cli import main
code = main(["demo", "--db", {str(tmp_path / "d.sqlite3")!r}, "--cases", "30"])
assert code == 0, code
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print("QT:" + ",".join(qt))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "QT:\n" in done.stdout or done.stdout.strip().endswith("QT:"), done.stdout


def test_the_installed_command_runs_demo_without_pyside6(tmp_path: Path) -> None:
    script = f"""
import runpy, sys
sys.argv = ["xinfang", "demo", "--db", {str(tmp_path / "e.sqlite3")!r}, "--cases", "5"]
try:
    runpy.run_module("xinfang_desktop", run_name="__main__")
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("QT:" + ",".join(sorted(m for m in sys.modules if m.startswith("PySide6"))))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("QT:"), done.stdout


def test_the_ui_reaches_the_database_only_through_services() -> None:
    """No SQLAlchemy and no ORM model in ui/: the window gets frozen values from services.

    `db.database.Database` is allowed: it is the handle the window opens and the action runner
    begins its transactions on; what happens inside a transaction is the services' business.
    """
    offenders = []
    files = [p for p in (PACKAGE / "ui").rglob("*.py") if "forms" not in p.parts]
    assert len(files) > 20
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if node.module != "xinfang_desktop.db" else [
                    f"xinfang_desktop.db.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                db_module = name.startswith("xinfang_desktop.db.") and name != "xinfang_desktop.db.database"
                if name.split(".")[0] == "sqlalchemy" or db_module:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    assert offenders == []


MODULE_MAX_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    """Issue 10: a module that grows past 500 lines is split by role; generated forms and migrations aside."""
    files = [p for p in PACKAGE.rglob("*.py")
             if "forms" not in p.relative_to(PACKAGE).parts[:2] and "migrations" not in p.parts]
    assert len(files) > 100 and any(p.name == "registry.py" for p in files)
    long = {str(p.relative_to(PACKAGE)): n for p in files
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_MAX_LINES}
    assert long == {}
