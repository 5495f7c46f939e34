"""The generated xinfang_desktop/ui/forms/*.py are what pyside6-uic makes of forms/*.ui today (none forgotten)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORMS = sorted((ROOT / "forms").glob("*.ui"))
GENERATED = ROOT / "xinfang_desktop" / "ui" / "forms"
VERSION_LINE = "## Created by: Qt User Interface Compiler version"  # differs from one PySide6 to the next


def _uic() -> str:
    beside = Path(sys.executable).with_name("pyside6-uic")
    found = str(beside) if beside.exists() else shutil.which("pyside6-uic")
    assert found, "pyside6-uic (installed with PySide6) is needed to check the generated forms"
    return found


def _without_version(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(VERSION_LINE)]


def test_every_form_has_its_generated_module_and_no_module_its_form_lost() -> None:
    assert FORMS, "forms/*.ui"
    assert {f"ui_{ui.stem}.py" for ui in FORMS} == {p.name for p in GENERATED.glob("ui_*.py")}


@pytest.mark.parametrize("ui", FORMS, ids=[ui.name for ui in FORMS])
def test_generated_module_matches_its_form(ui: Path) -> None:
    made = subprocess.run([_uic(), "-g", "python", str(ui)], capture_output=True, text=True, check=True,
                          encoding="utf-8", timeout=120).stdout
    kept = (GENERATED / f"ui_{ui.stem}.py").read_text(encoding="utf-8")
    assert _without_version(kept) == _without_version(made), (
        f"{ui.name} was changed after {GENERATED.name}/ui_{ui.stem}.py was generated: run python scripts/compile_forms.py"
    )
