"""The one Job class: a result, the clerk's message, a cancel, our bug; each reported once, on the UI thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.helpers.qt import WAIT_MS
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.exporters.ledger_xlsx import Cancelled
from xinfang_desktop.ui import workers
from xinfang_desktop.ui.workers import BUG_TEXT, CANCELLED_TEXT, Job, run_with_progress, start


def _outcome(qtbot: QtBot, job: Job) -> list[tuple[object, ...]]:
    heard: list[tuple[object, ...]] = []
    job.signals.progress.connect(lambda done, total: heard.append(("progress", done, total)))
    job.signals.done.connect(lambda result: heard.append(("done", result)))
    job.signals.failed.connect(lambda message, cancelled: heard.append(("failed", message, cancelled)))
    start(job)
    qtbot.waitUntil(lambda: bool(heard) and heard[-1][0] != "progress", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: job not in workers._running, timeout=WAIT_MS)
    return heard


def test_a_result_comes_back_after_its_progress(qtbot: QtBot) -> None:
    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> str:
        for i in range(1, 4):
            progress(i, 3)
        return "三件"

    assert _outcome(qtbot, Job(work, name="t")) == [("progress", 1, 3), ("progress", 2, 3), ("progress", 3, 3),
                                                    ("done", "三件")]


def test_a_xinfang_error_is_the_clerks_message(qtbot: QtBot) -> None:
    def work(progress: object, cancelled: object) -> None:
        raise ValidationError("登记日期不能晚于今天，请改正", field="登记日期")

    assert _outcome(qtbot, Job(work, name="t")) == [("failed", "登记日期不能晚于今天，请改正", False)]


def test_a_cancelled_job_says_it_was_cancelled(qtbot: QtBot) -> None:
    job: Job

    def work(progress: object, cancelled: Callable[[], bool]) -> None:
        job.cancel()
        assert cancelled()
        raise Cancelled()

    job = Job(work, name="t")
    assert _outcome(qtbot, job) == [("failed", CANCELLED_TEXT, True)]


def test_our_bug_is_logged_and_shown_as_such(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    def work(progress: object, cancelled: object) -> None:
        raise KeyError("missing")

    with caplog.at_level(logging.ERROR):
        assert _outcome(qtbot, Job(work, name="测试任务")) == [("failed", BUG_TEXT, False)]
    assert "测试任务 failed" in caplog.text and "KeyError" in caplog.text


def test_the_progress_dialog_cancels_the_job(qtbot: QtBot) -> None:
    seen: list[tuple[str, bool]] = []

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> None:
        progress(1, 2)
        while not cancelled():
            time.sleep(0.01)
        raise Cancelled()

    job = Job(work, name="t")
    dialog = run_with_progress(None, job, "正在处理…", on_done=lambda _r: None,
                               on_failed=lambda message, cancelled: seen.append((message, cancelled)),
                               step_text=lambda done, total: f"第{done}/{total}件")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.labelText() == "第1/2件", timeout=WAIT_MS)
    dialog.findChild(QPushButton).click()  # 取消
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen == [(CANCELLED_TEXT, True)] and not dialog.isVisible()
