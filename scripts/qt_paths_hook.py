"""PyInstaller run-time hook: where the bundle's Qt plugins are, set before any Qt module loads.

It stands in for PyInstaller's own PySide6 hook (dropped in build.spec), which imports PySide6.QtCore at
the start of every run, the command line's too (250 ms before `xinfang --version` printed), to register
a qt.conf that PySide6's wheels register themselves when QtCore is first imported.
"""

import os
import sys

_qt = os.path.join(sys._MEIPASS, "PySide6") if sys.platform == "win32" else os.path.join(sys._MEIPASS, "PySide6", "Qt")  # type: ignore[attr-defined]
os.environ["QT_PLUGIN_PATH"] = os.path.join(_qt, "plugins")
