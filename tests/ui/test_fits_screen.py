"""Every window and dialog fits a 1366×728 and a 1280×720 available screen, its buttons in sight.

1366×768 is still the most common laptop screen in township offices; Windows' taskbar leaves 728.
1920×1080 at 150% scaling is 1280×720 logical. Qt's offscreen platform is told the screen's size
(a config file read when Qt starts), so each size runs screen_probe.py in its own process, which
opens every window over a demo database and reports where each frame and button lies.
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

PROBE = Path(__file__).with_name("screen_probe.py")
SHOTS = Path(os.environ.get("XINFANG_SCREENSHOTS", Path(__file__).resolve().parents[2] / "screenshots"))
WINDOWS = {  # every window and dialog the probe must have opened
    "主窗口-登记", "主窗口-交办", "主窗口-督办", "主窗口-接访", "主窗口-排查", "主窗口-统计", "主窗口-每月汇总分析",
    "信访事项", "拟办", "领导批示", "延期", "答复", "回访", "办结", "息访", "复查申请", "修改登记内容", "作废", "修改信访人",
    "受理", "不予受理", "转送", "交办", "直接答复", "存查", "催办", "追加交办", "登记反馈", "领导包案", "领导约访", "验证",
    "添加接访日", "领导下访", "登记矛盾纠纷", "零报告", "化解情况", "转为信访事项", "文书", "文书模板", "OfficeDialog",
    "PeriodsDialog", "CategoriesDialog", "RegionsDialog", "承办单位", "备份设置", "导出台账", "导入台账", "对应列名", "台账列对应", "修改列对应", "导入矛盾纠纷",
    "使用说明", "首次设置", "关于",
}


def probe(width: int, height: int, dpr: float, *extra: str) -> list[dict[str, Any]]:
    env = {**os.environ, "QT_QPA_PLATFORM": screen_config(width, height, dpr)}
    shots = SHOTS / f"screen-{width}x{height}"
    done = subprocess.run([sys.executable, str(PROBE), "--shots", str(shots), *extra], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def misfits(results: list[dict[str, Any]]) -> list[str]:
    found = []
    for r in results:
        if "error" in r:
            found.append(f"{r['name']}: {r['error']}")
            continue
        if not r["frame_inside"]:
            found.append(f"{r['name']}: frame {r['frame']} outside the available {r['area']}")
        for b in r["buttons"]:
            if not (b["within_window"] and b["unclipped"]):
                found.append(f"{r['name']}: button “{b['text']}” at {b['rect']} not fully in sight")
    return found


@pytest.mark.parametrize("width, height, dpr", [(1366, 728, 1.0), (1280, 720, 1.5)])
def test_every_window_fits_the_screen_with_its_buttons_in_sight(width: int, height: int, dpr: float) -> None:
    results = probe(width, height, dpr)
    assert {r["name"] for r in results} >= WINDOWS
    assert all(r.get("buttons") for r in results if "error" not in r), "a window without a button was measured"
    assert misfits(results) == []
    # a first start, nothing remembered: the main window takes the whole of a small screen (maximised)
    main = next(r for r in results if r["name"] == "主窗口-登记")
    assert main["frame"] == main["area"]
