"""Regenerate xinfang_desktop/ui/forms/*.py from forms/*.ui with pyside6-uic (run after editing a form in Designer)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out_dir = ROOT / "xinfang_desktop" / "ui" / "forms"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "__init__.py").touch()
    for ui in sorted((ROOT / "forms").glob("*.ui")):
        target = out_dir / f"ui_{ui.stem}.py"
        subprocess.run(["pyside6-uic", "-g", "python", str(ui), "-o", str(target)], check=True)
        print(f"{ui.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
