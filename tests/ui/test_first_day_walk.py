"""A clerk's first day on a new database at 1366×728 and 1280×720: the 首次设置 page filled, or put off and
finished later, then 登记, 交办, 督办 and 统计; every window met fits the screen with its buttons in sight.

first_day_walk.py does the walk in a process of its own per screen (see test_fits_screen.py) and saves
its screenshots under screenshots/first-day-WxH/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.ui.screen_probe import screen_config
from tests.ui.test_fits_screen import SHOTS, misfits

WALK = Path(__file__).with_name("first_day_walk.py")


def walk(mode: str, width: int, height: int, dpr: float) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": screen_config(width, height, dpr)}
    done = subprocess.run([sys.executable, str(WALK), mode, "--shots", str(SHOTS / f"first-day-{width}x{height}")],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


SCREENS = [(1366, 728, 1.0), (1280, 720, 1.5)]


@pytest.mark.parametrize("width, height, dpr", SCREENS)
def test_a_first_day_with_the_page_filled(width: int, height: int, dpr: float) -> None:
    seen = walk("filled", width, height, dpr)
    facts = seen["facts"]
    assert facts["maximized"] and facts["first_start_asked"] == 1
    assert facts["number"] == "河信〔2026〕0001号"  # the office's own 编号 prefix
    assert facts["units_offered"][0] == "河口镇派出所"  # its own units, none made up
    # the 交办 offers the 交办函 to the unit and the 受理告知书 naming it to the petitioner
    assert facts["letters_offered"] == 2 and facts["reminders_offered"] == 1
    assert seen["said"] == []
    assert "青石县河口镇人民政府" in facts["title"]
    assert misfits(seen["windows"]) == []


@pytest.mark.parametrize("width, height, dpr", SCREENS)
def test_a_first_day_with_the_page_put_off_and_finished_later(width: int, height: int, dpr: float) -> None:
    seen = walk("skipped", width, height, dpr)
    facts = seen["facts"]
    assert facts["first_start_asked"] == 1 and facts["number"] == "信〔2026〕0001号"
    # no units yet: 交办 offers to add them (the clerk adds one), and the 交办函 it owes is refused, saying where
    # the 机关名称 is set; the 催办单 likewise
    asked, refused = facts["said_at_assign"]
    assert "还没有承办单位" in asked and facts["units_offered"] == ["河口镇司法所"]
    assert "尚未填写“机关名称”" in refused and "机关信息" in refused and facts["letters_offered"] == 0
    assert len(facts["said_at_remind"]) == 1 and "尚未填写“机关名称”" in facts["said_at_remind"][0]
    assert facts["reminders_offered"] == 0
    assert "青石县河口镇人民政府" in facts["title"]  # finished later from 设置
    assert {"承办单位（尚无）", "新增承办单位", "首次设置-以后补填"} <= {w["name"] for w in seen["windows"]}
    assert misfits(seen["windows"]) == []
