"""The action runner's crash dialog names the kind of error, never its text; refusals are logged without data."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.helpers.qt import record_boxes
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.ui.actions import ActionRunner

ID = "11010519491231002X"


def test_a_bug_shows_its_kind_and_no_data(qapp: Any, db: Database, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    shown = record_boxes(monkeypatch)

    def failing(session: Session) -> None:
        raise RuntimeError(f"反映内容：村主任挪用补助款，举报人赵德明 {ID}")

    with caplog.at_level(logging.INFO):
        assert ActionRunner(db).run(None, failing) is None
    assert shown and "RuntimeError" in shown[-1] and "程序内部出错" in shown[-1]
    assert "赵德明" not in shown[-1] and ID not in shown[-1] and "挪用" not in shown[-1]


def test_a_refusal_is_logged_by_kind_and_field_only(qapp: Any, db: Database, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    shown = record_boxes(monkeypatch)

    def refused(session: Session) -> None:
        raise ValidationError(f"信访人赵德明的身份证号{ID}校验位不符", field="身份证号")

    with caplog.at_level(logging.INFO):
        assert ActionRunner(db).run(None, refused) is None
    assert shown == [f"信访人赵德明的身份证号{ID}校验位不符"]  # the clerk sees the whole message
    assert "ValidationError" in caplog.text and "身份证号" in caplog.text
    assert "赵德明" not in caplog.text and ID not in caplog.text
