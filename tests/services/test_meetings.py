"""领导约访/下访 and the 接访日 roster through the services: the timeline, the tally, the leader on duty, the notice."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from tests.helpers.builders import assigned, events_of
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import EventKind, MeetingKind
from xinfang_desktop.domain.errors import InvalidTransitionError, ValidationError
from xinfang_desktop.exporters.letter_pdf import render_letter
from xinfang_desktop.services import leaders, lists, registry
from xinfang_desktop.services.statistics import tally

D = date.fromisoformat


def _meet(db: Database, kind: MeetingKind, on: date, *, matter_id: int | None = None, batches: int = 1,
          persons: int = 1) -> None:
    with db.begin() as s:
        leaders.record_meeting(s, kind=kind, held_on=on, leader="李明", post="副镇长", place="镇信访接待室",
                               people="王建国", talk="听取诉求", agreed="限期答复", batches=batches, persons=persons,
                               matter_id=matter_id)


def test_meetings_on_a_matter_go_on_its_timeline_and_every_one_is_counted(db: Database) -> None:
    matter_id, voided = assigned(db), assigned(db)
    plan = [  # (kind, day, on a matter?, 批, 人次)
        (MeetingKind.INVITED, D("2026-03-10"), matter_id, 1, 2),
        (MeetingKind.INVITED, D("2026-04-02"), matter_id, 1, 1),
        (MeetingKind.VISITING, D("2026-04-15"), None, 3, 14),
        (MeetingKind.VISITING, D("2026-05-06"), matter_id, 2, 5),
        (MeetingKind.VISITING, D("2025-05-06"), None, 1, 4),  # last year
        (MeetingKind.INVITED, D("2026-03-12"), voided, 1, 3),  # its matter voided later: counts nowhere
    ]
    for kind, on, mid, batches, persons in plan:
        _meet(db, kind, on, matter_id=mid, batches=batches, persons=persons)
    with db.begin() as s:
        registry.void(s, matter_id=voided, reason="重复登记")
    kinds = [k for k, _ in events_of(db, matter_id)]
    assert kinds.count(EventKind.INVITED.value) == 2 and kinds.count(EventKind.VISITED.value) == 1

    counted = [p for p in plan if p[1].year == 2026 and p[2] != voided]
    invited = [p for p in counted if p[0] is MeetingKind.INVITED]
    visits = [p for p in counted if p[0] is MeetingKind.VISITING]
    with db.read() as s:
        t = tally(s, date_from=D("2026-01-01"), date_to=D("2026-12-31"), as_of=D("2026-06-30"), use_cache=False)
        assert len(leaders.list_meetings(s, date_from=D("2026-01-01"), date_to=D("2026-12-31"))) == 5
    assert (t.this.leader_invited, t.this.leader_invited_persons) == (len(invited), sum(p[4] for p in invited)) == (2, 3)
    assert (t.this.leader_visits, t.this.leader_visit_batches, t.this.leader_visit_persons) == (
        len(visits), sum(p[3] for p in visits), sum(p[4] for p in visits)) == (2, 5, 19)
    assert (t.last.leader_visits, t.last.leader_visit_persons) == (1, 4)


def test_a_meeting_on_a_voided_matter_or_before_its_registration_is_refused(db: Database) -> None:
    matter_id = assigned(db)
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        leaders.record_meeting(s, kind=MeetingKind.INVITED, held_on=D("2026-03-01"), leader="李明", post="副镇长",
                               place="镇政府", people="王建国", talk="谈话", matter_id=matter_id)
    assert exc.value.field == "约访日期"
    with db.begin() as s:
        registry.void(s, matter_id=matter_id, reason="重复登记")
    with pytest.raises(InvalidTransitionError) as caught, db.begin() as s:
        leaders.record_meeting(s, kind=MeetingKind.INVITED, held_on=D("2026-03-10"), leader="李明", post="副镇长",
                               place="镇政府", people="王建国", talk="谈话", matter_id=matter_id)
    assert caught.value.field == "状态"
    with db.read() as s:
        assert leaders.list_meetings(s, date_from=D("2026-01-01"), date_to=D("2026-12-31")) == []


def test_the_roster_gives_the_leader_on_duty_and_a_one_page_notice(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    now = D("2026-11-30")
    days = [(D("2026-12-01"), "王芳", "镇长"), (D("2026-12-08"), "李明", "副镇长"), (D("2026-12-15"), "赵强", "镇党委副书记"),
            (D("2026-12-22"), "王芳", "镇长"), (D("2026-12-29"), "李明", "副镇长"), (D("2026-12-15"), "孙丽", "副镇长")]
    with db.begin() as s:
        for day, leader, post in days:
            leaders.add_reception_day(s, day=day, leader=leader, post=post, place="镇信访接待室",
                                      hours="上午8:30—12:00", now=now)
    with pytest.raises(ValidationError) as exc, db.begin() as s:
        leaders.add_reception_day(s, day=D("2026-11-29"), leader="李明", post="副镇长", place="镇信访接待室",
                                  hours="上午", now=now)
    assert exc.value.field == "接访日期"
    with db.read() as s:
        assert [d.leader for d in lists.on_duty(s, day=D("2026-12-15"))] == ["赵强", "孙丽"]
        assert lists.on_duty(s, day=D("2026-12-16")) == []
        notice = leaders.roster_notice(s, date_from=D("2026-12-01"), date_to=D("2026-12-31"), issued_on=now)
    pdf = render_letter(notice)
    (tmp_path / "roster.pdf").write_bytes(pdf)
    reader = PdfReader(tmp_path / "roster.pdf")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for needle in ("领导接访日安排", "12月15日", "星期二", "镇党委副书记赵强", "青石县城关镇人民政府", "2026年11月30日"):
        assert needle in text.replace("\n", ""), needle
    # a table, one line a reception day: the date, the weekday, the hours and the leader side by side
    from tests.helpers.pdf import pdf_words

    words = pdf_words(pdf, tmp_path)
    rows = {}
    for day in ("12月1日", "12月15日", "12月29日"):
        head = next(w for w in words if w.text == day)
        rows[day] = [w.text for w in words if abs(w.y_min - head.y_min) < 2]
    assert rows["12月1日"] == ["12月1日", "星期二", "上午8:30—12:00", "镇长王芳"]
    assert rows["12月29日"] == ["12月29日", "星期二", "上午8:30—12:00", "副镇长李明"]
    assert len(rows["12月15日"]) == 4 and rows["12月15日"][-1] == "镇党委副书记赵强"  # 赵强 and 孙丽 on two rows
