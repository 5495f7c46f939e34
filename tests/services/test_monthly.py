"""`xinfang monthly`: a month of matters, 包案, 约访, 下访, 验证 and 排查 reports, compared with the test's own count."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.helpers.database import cli_db
from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, DisputeState, MeetingKind, RiskLevel, VerifyResult
from xinfang_desktop.domain.tally import change
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services import handling, leaders, registry, screening
from xinfang_desktop.services.reference import find_category
from xinfang_desktop.services.statistics import tally

D = date.fromisoformat
# (登记日期, 信访形式, 人数, 问题分类, 问题发生地, 重复, 越级) of what the month and its neighbours hold
MATTERS = [
    (D("2026-06-02"), Channel.LETTER, 1, "农村农业/土地承包", "柳溪乡/柳溪村", False, None),
    (D("2026-06-03"), Channel.VISIT, 6, "农村农业/土地承包", "柳溪乡/柳溪村", True, None),
    (D("2026-06-09"), Channel.VISIT, 2, "城乡建设/征地拆迁", "青石镇/石桥村", False, "到市"),
    (D("2026-06-15"), Channel.ONLINE, 1, "劳动社保/拖欠工资", "柳溪乡/柳溪村", True, None),
    (D("2026-06-30"), Channel.LETTER, 1, "农村农业/山林权属", "河口镇/河口村", False, None),
    (D("2026-05-20"), Channel.LETTER, 1, "民政/低保", "河口镇/河口村", False, None),
    (D("2026-05-21"), Channel.LETTER, 1, "民政/低保", "河口镇/河口村", False, None),
    (D("2025-06-11"), Channel.LETTER, 1, "民政/低保", "河口镇/河口村", False, None),
    (D("2025-06-12"), Channel.LETTER, 1, "民政/低保", "河口镇/河口村", False, None),
    (D("2025-06-13"), Channel.LETTER, 1, "民政/低保", "河口镇/河口村", False, None),
    (D("2025-06-14"), Channel.LETTER, 1, "民政/低保", "河口镇/河口村", False, None),
]


@pytest.fixture
def month(db: Database) -> tuple[Database, list[int]]:
    ids = []
    with db.begin() as s:
        for day, channel, persons, category, place, repeat, skip in MATTERS:
            ref = registry.register_matter(s, MatterInput(
                received_on=day, channel=channel, title="反映问题", persons=persons, place=place,
                category_id=find_category(s, category), skip_level=skip and __import__(
                    "xinfang_desktop.domain.enums", fromlist=["SkipLevel"]).SkipLevel(skip),
                petitioners=(PetitionerInput(name="李强"),)))
            ids.append(ref.id)
            if repeat:
                s.execute(__import__("sqlalchemy").text("UPDATE matters SET repeat = TRUE WHERE id = :i"), {"i": ref.id})
        # two of June's matters accepted; one of them past its deadline at the end of June, one closed
        registry.decide(s, matter_id=ids[0], decision=Decision.ACCEPT, on=D("2026-06-03"))
        registry.decide(s, matter_id=ids[5], decision=Decision.ACCEPT, on=D("2026-05-21"))
        s.execute(__import__("sqlalchemy").text("UPDATE matters SET due_on = '2026-06-20' WHERE id = :i"),
                  {"i": ids[5]})
        handling.reply(s, matter_id=ids[0], on=D("2026-06-10"), text="已答复")
        handling.close(s, matter_id=ids[0], on=D("2026-06-12"))
        handling.verify(s, matter_id=ids[0], on=D("2026-06-20"), checker="张红", method="实地查看",
                        result=VerifyResult.NOT_DONE, reason="承包地未退还")
        handling.take_charge(s, matter_id=ids[1], leader="李明", post="副镇长", measures="包案化解",
                             resolve_by=D("2026-07-31"), on=D("2026-06-05"))
        for kind, day, mid, batches, persons in ((MeetingKind.INVITED, D("2026-06-08"), ids[1], 1, 3),
                                                 (MeetingKind.VISITING, D("2026-06-18"), None, 4, 17),
                                                 (MeetingKind.VISITING, D("2026-05-18"), None, 1, 5)):
            leaders.record_meeting(s, kind=kind, held_on=day, leader="李明", post="副镇长", place="柳溪村",
                                   people="村民", talk="听取意见", batches=batches, persons=persons, matter_id=mid)
        for village, risk, state in (("柳溪乡/柳溪村", RiskLevel.MAJOR, DisputeState.RESOLVING),
                                     ("柳溪乡/柳溪村", RiskLevel.ORDINARY, DisputeState.RESOLVED),
                                     ("青石镇/石桥村", RiskLevel.SERIOUS, DisputeState.UNRESOLVED)):
            screening.add_dispute(s, found_on=D("2026-06-10"), village=village, parties="张三", category_id=None,
                                  summary="纠纷", risk=risk, responsible="王五", resolve_by=D("2026-06-25"), state=state)
        for village in ("白云乡/白云村", "白云乡/云山村"):
            screening.add_zero_report(s, month="2026-06", village=village, reported_on=D("2026-06-28"))
    return db, ids


def _count(days: tuple[date, date], **want: object) -> list[tuple]:  # type: ignore[type-arg]
    return [m for m in MATTERS if days[0] <= m[0] <= days[1] and all(
        getattr_m(m, k) == v for k, v in want.items())]


def getattr_m(m: tuple, key: str) -> object:  # type: ignore[type-arg]
    return {"channel": m[1]}[key]


def test_monthly_json_and_the_tally_agree_with_the_tests_own_count(
    month: tuple[Database, list[int]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, _ids = month
    june, may, june_last = (D("2026-06-01"), D("2026-06-30")), (D("2026-05-01"), D("2026-05-31")), (
        D("2025-06-01"), D("2025-06-30"))
    total, previous, last_year = len(_count(june)), len(_count(may)), len(_count(june_last))
    assert (total, previous, last_year) == (5, 2, 4)
    assert main(["monthly", "--db", cli_db(db), "--month", "2026-06", "--as-of", "2026-06-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == total and out["mom"]["total"] == change(total, previous) == 150.0
    assert out["yoy"]["total"] == change(total, last_year) == 25.0
    visits = _count(june, channel=Channel.VISIT)
    assert out["by_channel"]["来访"] == len(visits) and out["visit_persons"] == sum(m[2] for m in visits)
    hot = out["hot"]
    first_levels: dict[str, int] = {}
    for m in _count(june):
        first_levels[m[3].split("/")[0]] = first_levels.get(m[3].split("/")[0], 0) + 1
    assert hot["categories"] == {k: v for k, v in first_levels.items()} and list(hot["categories"])[0] == "农村农业"
    assert hot["repeat"] == sum(m[5] for m in _count(june)) == 2
    assert hot["skip_level"] == sum(m[6] is not None for m in _count(june)) == 1
    assert list(hot["places"].items())[0] == ("柳溪乡/柳溪村", 3)
    # past due at 30 June: every matter still awaiting its decision 15 days after receipt, and the May matter
    # accepted and due 20 June; not the matter put back in hand by 未落实 (its 60 days run to August)
    from datetime import timedelta

    as_of = D("2026-06-30")
    pending = [m for i, m in enumerate(MATTERS) if i not in (0, 5) and m[0] + timedelta(days=15) < as_of]
    assert out["past_due"]["count"] == len(pending) + 1 == 8
    assert out["leaders"] == {"received": {"batches": 0, "persons": 0}, "invited": {"times": 1, "persons": 3},
                              "visits": {"times": 1, "batches": 4, "persons": 17}, "charged": 1, "verified": 1,
                              "not_done": 1}
    assert {k: out["screening"][k] for k in ("villages", "reported", "zero", "disputes", "resolved", "major")} == {
        "villages": 23, "reported": 4, "zero": 2, "disputes": 3, "resolved": 1, "major": 1}
    assert len(out["screening"]["unreported"]) == 23 - 4
    text = out["summary_text"]
    assert "2026年6月，共受理群众来信来访5件次，环比上升150.0%，同比上升25.0%" in text
    assert "排查出矛盾纠纷3件，已化解1件，重大风险1件；19个村（社区）未上报" in text

    # the year-end tally counts the same month's leaders' work the same way
    with db.read() as s:
        year = tally(s, date_from=D("2026-01-01"), date_to=D("2026-12-31"), as_of=D("2026-06-30"), use_cache=False)
    assert (year.this.leader_visits, year.this.leader_visit_persons) == (2, 22)  # June's and May's
    assert (year.this.leader_invited_persons, year.this.leader_charged, year.this.verified_not_done) == (3, 1, 1)

    xlsx, pdf = tmp_path / "月报.xlsx", tmp_path / "月报.pdf"
    assert main(["monthly", "--db", cli_db(db), "--month", "2026-06", "--as-of", "2026-06-30", "-o", str(xlsx)]) == 0
    assert main(["monthly", "--db", cli_db(db), "--month", "2026-06", "--as-of", "2026-06-30", "-o", str(pdf)]) == 0
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["A1"].value == "青石县城关镇人民政府2026年6月信访情况汇总分析"
    assert [c.value for c in ws[3]] == ["总量（件次）", 5, 2, "上升150.0%", 4, "上升25.0%"]
    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text().replace("\n", "")
    assert "2026年6月信访情况汇总分析" in first and "一、基本情况" in first
    assert main(["monthly", "--db", cli_db(db), "--month", "2026-13"]) == 2
    assert "月份" in capsys.readouterr().err
    assert main(["monthly", "--db", cli_db(db), "--month", "2026-06", "-o", str(tmp_path / "月报.docx")]) == 2
    assert "“月报.docx”应以 .xlsx 或 .pdf 结尾" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if "月报" in p.name) == ["月报.pdf", "月报.xlsx"]


def test_the_monthly_pdf_puts_each_figure_on_one_line_and_lists_the_longest_overdue(
    month: tuple[Database, list[int]], tmp_path: Path
) -> None:
    from tests.helpers.pdf import pdf_words

    db, _ids = month
    pdf = tmp_path / "月报.pdf"
    assert main(["monthly", "--db", cli_db(db), "--month", "2026-06", "--as-of", "2026-06-30", "-o", str(pdf)]) == 0
    words = pdf_words(pdf.read_bytes(), tmp_path)
    # the 16 figures one line each, the 8 matters past due, the 19 村 not reported (the rows wrapped to 4 pages)
    assert max(w.page for w in words) <= 3

    def row_of(label: str) -> list[str]:
        head = next(w for w in words if w.text == label)
        return [w.text for w in words if w.page == head.page and abs(w.y_min - head.y_min) < 2]

    assert row_of("总量（件次）") == ["总量（件次）", "5", "2", "上升150.0%", "4", "上升25.0%"]
    assert row_of("领导下访（次）") == ["领导下访（次）", "1", "1", "持平", "0", "—"]
    assert row_of("项目") == ["项目", "本月", "上月", "环比", "去年同月", "同比"]
    # the matters past due, the longest first: those awaiting their decision 15 days after receipt, and the
    # May matter due on 20 June
    from datetime import timedelta

    as_of = D("2026-06-30")
    late = [(as_of - m[0] - timedelta(days=15)).days for i, m in enumerate(MATTERS)
            if i not in (0, 5) and m[0] + timedelta(days=15) < as_of] + [(as_of - D("2026-06-20")).days]
    numbers = [w for w in words if w.text.startswith("信〔")]
    days = [int(w.text) for w in words if w.text.isdigit() and any(
        abs(w.y_min - n.y_min) < 2 and n.page == w.page for n in numbers)]
    assert days == sorted(late, reverse=True)
    # the 村 not reported, in prose (河口镇河口村), not as stored in the lists (河口镇/河口村)
    from tests.helpers.pdf import pdf_text

    text = pdf_text(pdf.read_bytes(), tmp_path).replace("\n", "")
    unreported = text[text.index("未上报："):].split("。")[0]
    assert "河口镇河口村" in unreported and "/" not in unreported


def test_a_month_gone_by_is_counted_as_of_the_day_its_text_says(
        month: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch) -> None:
    """June's analysis printed on 3 August says 截至2026年8月3日 and counts a closure of July: its text and its
    figures are of the same day (walk6 #9: the month's last day was printed over later closures)."""
    from xinfang_desktop.services import monthly as monthly_module

    db, ids = month
    with db.begin() as s:
        registry.decide(s, matter_id=ids[2], decision=Decision.ACCEPT, on=D("2026-06-10"))
        handling.reply(s, matter_id=ids[2], on=D("2026-07-20"), text="已答复")
        handling.close(s, matter_id=ids[2], on=D("2026-07-21"))  # after June, before the day it is printed
    monkeypatch.setattr(monthly_module, "today", lambda: D("2026-08-03"))
    with db.read() as s:
        report = monthly_module.monthly(s, month="2026-06", use_cache=False)
    # of June's matters only ids[2] is closed on 3 August: ids[0], closed on 12 June, was put back in hand by its
    # 验证 未落实; the old text, 截至2026年6月30日, stood over a closure of 21 July
    assert report.as_of_text == "2026年8月3日"
    assert report.this.closed == 1
