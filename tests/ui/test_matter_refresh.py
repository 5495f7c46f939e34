"""The 卷宗 after another clerk changed its matter: a refused save shows their change at once and may be retried over
what was typed; 刷新 (F5) in the 卷宗 and F5 in the main window read it again. Both engines: on a server the two
clerks are two programs, on a file two programs on one file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import ENGINES
from tests.helpers.action_dialogs import Script, script  # noqa: F401 - the fixture
from tests.helpers.database import second_program
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.changes import Changes
from xinfang_desktop.domain.enums import Channel
from xinfang_desktop.domain.status import Action
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import registry
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.ui.actions import ActionRunner
from xinfang_desktop.ui.matter.matter_dialog import REFRESHED, MatterDialog

ON = date(2026, 11, 20)
pytestmark = pytest.mark.parametrize("engine", ENGINES)


@pytest.fixture
def matter(db: Database) -> int:
    with db.begin() as s:
        return registry.register_matter(s, MatterInput(
            received_on=ON, channel=Channel.LETTER, title="反映拖欠工资",
            petitioners=(PetitionerInput("王建国", phone="13800001111"),)), now=ON).id


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """The second clerk's program."""
    program = second_program(db)
    yield program
    program.close()


def _dialog(qtbot: QtBot, db: Database, matter: int) -> MatterDialog:
    dialog = MatterDialog(ActionRunner(db), matter)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _other_proposes(other: Database, matter: int, text: str) -> None:
    with other.begin() as s:
        version = get_matter(s, matter).version
        registry.propose(s, matter_id=matter, version=version, text=text)


def test_a_refused_save_shows_the_other_clerks_change_and_the_retry_over_what_was_typed_is_saved(
        qtbot: QtBot, db: Database, other: Database, matter: int, script: Script) -> None:  # noqa: F811
    dialog = _dialog(qtbot, db, matter)
    _other_proposes(other, matter, "拟请城关镇核实处理（王）")
    script.form(text="拟交派出所（李）").cancel()
    assert not dialog.run_step(Action.PROPOSE)
    assert len(script.warnings) == 1 and "请刷新后再改" in script.warnings[0]
    # the 卷宗 was read again at the refusal: the other clerk's 拟办 is on it, and it says so
    assert dialog.detail.proposal == "拟请城关镇核实处理（王）" and REFRESHED in dialog.header.text()
    script.form(text="拟交派出所（李）")  # the step again, now that the clerk has seen the change: saved
    assert dialog.run_step(Action.PROPOSE)
    script.done()
    assert len(script.warnings) == 1 and dialog.detail.proposal == "拟交派出所（李）"


def test_the_form_kept_open_after_the_refusal_saves_what_the_clerk_typed(
        qtbot: QtBot, db: Database, other: Database, matter: int, script: Script) -> None:  # noqa: F811
    dialog = _dialog(qtbot, db, matter)
    _other_proposes(other, matter, "拟请城关镇核实处理（王）")
    script.form(text="拟交派出所（李）").form()  # refused; the same form back, 确定 as it stands
    assert dialog.run_step(Action.PROPOSE)
    script.done()
    assert len(script.warnings) == 1 and "请刷新后再改" in script.warnings[0]
    assert db_proposal(db, matter) == "拟交派出所（李）"
    kinds = [e.kind for e in dialog.detail.events]
    assert kinds.count("拟办") == 2  # both clerks' 拟办 on the timeline: nothing written over unseen


def test_refresh_in_the_matter_and_f5_in_the_main_window_read_it_again(
        qtbot: QtBot, db: Database, other: Database, matter: int) -> None:
    dialog = _dialog(qtbot, db, matter)
    _other_proposes(other, matter, "拟请城关镇核实处理（王）")
    assert dialog.detail.proposal == ""
    dialog.refresh_button.click()
    assert dialog.detail.proposal == "拟请城关镇核实处理（王）"
    _other_proposes(other, matter, "拟请司法所调解（王）")
    dialog.runner.announce(Changes(everything=True, label="刷新"))  # what the main window's F5 sends
    assert dialog.detail.proposal == "拟请司法所调解（王）"


def db_proposal(db: Database, matter: int) -> str:
    with db.read() as s:
        return get_matter(s, matter).proposal
