"""Long work off the UI thread: one Job for the 台账 import and export, the tally, the 催办 batch and the warm-up.

A job runs `work(progress, cancelled)` in the global QThreadPool; the work opens its own
sessions and never touches a widget. What it returns, or why it failed, comes back by
signal and is handled by slots on the UI thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from xinfang_desktop.domain.errors import XinfangError
from xinfang_desktop.exporters.ledger_xlsx import Cancelled

log = logging.getLogger(__name__)

CANCELLED_TEXT = "已取消"
BUG_TEXT = "程序内部出错，没有写入任何数据；详情已记入日志，请告知维护人员。"

Progress = Callable[[int, int], None]  # done, total (0 when unknown)
Work = Callable[[Progress, Callable[[], bool]], Any]

_running: set[Job] = set()  # a started job lives until it has reported, whoever started it


class JobSignals(QObject):
    progress = Signal(int, int)  # done, total (0 when unknown)
    done = Signal(object)  # what the work returned
    failed = Signal(str, bool)  # the Chinese message; whether it ended because the clerk cancelled


class Job(QRunnable):
    """`work(progress, cancelled)` in a pool thread: a XinfangError is the clerk's message, anything else our bug."""

    def __init__(self, work: Work, *, name: str, bug_text: str = BUG_TEXT) -> None:
        super().__init__()
        self.work, self.name, self.bug_text = work, name, bug_text
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # Python holds it (see _running): the pool must not delete it under us

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:  # QRunnable override
        try:
            result = self.work(self.signals.progress.emit, self.cancelled)
        except Cancelled:
            self.signals.failed.emit(CANCELLED_TEXT, True)
        except XinfangError as exc:
            self.signals.failed.emit(exc.message, self.cancelled())
        except BaseException:  # noqa: BLE001 - our bug, or calamine's PanicException (not an Exception): the job ends
            log.error("%s failed\n%s", self.name, traceback.format_exc())
            self.signals.failed.emit(self.bug_text, False)
        else:
            self.signals.done.emit(result)

    def _forget(self, *_: object) -> None:
        _running.discard(self)


def start(job: Job) -> Job:
    """Run the job in the global pool; it is kept alive until it has reported.

    Connect the job's slots before: this one, connected last, lets go of it after they ran.
    """
    job.signals.done.connect(job._forget, Qt.ConnectionType.QueuedConnection)
    job.signals.failed.connect(job._forget, Qt.ConnectionType.QueuedConnection)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job


def wait_for_jobs(timeout_ms: int = 30000) -> bool:
    """For tests and shutdown: every started job has finished its work."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def run_with_progress(parent: QWidget | None, job: Job, label: str, *, on_done: Callable[[Any], None],
                      on_failed: Callable[[str, bool], None], title: str = "请稍候",
                      step_text: Callable[[int, int], str] | None = None) -> QProgressDialog:
    """Start the job behind a window-modal progress dialog whose 取消 asks the job to stop."""
    progress = QProgressDialog(label, "取消", 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.canceled.connect(job.cancel)

    def moved(done: int, total: int) -> None:
        if total:
            progress.setMaximum(total)
        progress.setValue(done)
        if step_text is not None:
            progress.setLabelText(step_text(done, total))

    def finished(result: object) -> None:
        progress.close()
        on_done(result)

    def failed(message: str, cancelled: bool) -> None:
        progress.close()
        on_failed(message, cancelled)

    job.signals.progress.connect(moved, Qt.ConnectionType.QueuedConnection)
    job.signals.done.connect(finished, Qt.ConnectionType.QueuedConnection)
    job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    start(job)
    return progress
