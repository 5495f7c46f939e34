"""领导约访/下访 and the 领导接访日 roster: record, list, the leader on duty for a day, and the roster notice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop import wallclock
from xinfang_desktop.db.models import LeaderMeeting, Matter, ReceptionDay
from xinfang_desktop.domain import workflow
from xinfang_desktop.domain.enums import MeetingKind
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.letters import LetterContent, Paragraph, Table
from xinfang_desktop.domain.workflow import records
from xinfang_desktop.domain.workflow.checks import cn_date
from xinfang_desktop.services.cases import apply, load_case, rules
from xinfang_desktop.services.lists import reception_day, roster
from xinfang_desktop.services.office import require_office_name
from xinfang_desktop.wallclock import today

ROSTER_TITLE = "领导接访日安排"


def record_meeting(session: Session, *, kind: MeetingKind, held_on: date, leader: str, post: str, place: str,
                   people: str, talk: str, agreed: str = "", batches: int = 1, persons: int = 1,
                   matter_id: int | None = None, version: int | None = None) -> records.Meeting:
    """A 领导约访 (on a matter) or 下访 (on a matter, or on its own); on a matter it goes on the timeline too."""
    found = records.meeting(kind=kind, held_on=held_on, leader=leader, post=post, place=place, people=people,
                            talk=talk, agreed=agreed, rules=rules(session), batches=batches, persons=persons,
                            matter_id=matter_id)
    number = ""
    if matter_id is not None:
        matter, case = load_case(session, matter_id, version=version)
        apply(session, matter, workflow.meet(case, found))
        number = matter.number
    row = LeaderMeeting(kind=found.kind, held_on=found.held_on, leader=found.leader, post=found.post,
                        place=found.place, matter_id=matter_id, batches=found.batches, persons=found.persons,
                        people=found.people, talk=found.talk, agreed=found.agreed, created_at=wallclock.now())
    session.add(row)
    session.flush()
    return _meeting(row, number)


def _meeting(row: LeaderMeeting, number: str) -> records.Meeting:
    return records.Meeting(row.kind, row.held_on, row.leader, row.post, row.place, row.people, row.talk, row.agreed,
                           row.batches, row.persons, row.matter_id, number, row.id)


def list_meetings(session: Session, *, date_from: date, date_to: date, matter_id: int | None = None
                  ) -> list[records.Meeting]:
    """The meetings of a period (or of one matter), newest first."""
    query = (select(LeaderMeeting, Matter.number).outerjoin(Matter, Matter.id == LeaderMeeting.matter_id)
             .where(LeaderMeeting.held_on.between(date_from, date_to)))
    if matter_id is not None:
        query = query.where(LeaderMeeting.matter_id == matter_id)
    query = query.order_by(LeaderMeeting.held_on.desc(), LeaderMeeting.id.desc())
    return [_meeting(row, number or "") for row, number in session.execute(query)]


def add_reception_day(session: Session, *, day: date, leader: str, post: str, place: str, hours: str,
                      now: date | None = None) -> records.ReceptionDay:
    """One line of the roster; a day already past is refused (the notice announces days to come)."""
    taken = session.scalar(select(func.count(ReceptionDay.id)).where(ReceptionDay.day == day,
                                                                     ReceptionDay.leader == leader.strip())) or 0
    found = records.reception_day(day=day, leader=leader, post=post, place=place, hours=hours, today=now or today(),
                                  taken=bool(taken))
    row = ReceptionDay(day=found.day, leader=found.leader, post=found.post, place=found.place, hours=found.hours)
    session.add(row)
    session.flush()
    return reception_day(row)


def remove_reception_day(session: Session, *, day_id: int) -> None:
    """A roster line entered by mistake (the roster is a plan, not a record: it may change)."""
    row = session.get(ReceptionDay, day_id)
    if row is None:
        raise NotFoundError("找不到该接访日安排")
    session.delete(row)
    session.flush()


def roster_notice(session: Session, *, date_from: date, date_to: date, issued_on: date | None = None
                  ) -> LetterContent:
    """The one-page notice for the door and the village boards, in the office's name."""
    office = require_office_name(session, "接访日公告")
    lines = roster(session, date_from=date_from, date_to=date_to)
    if not lines:
        raise ValidationError(f"{cn_date(date_from)}至{cn_date(date_to)}没有接访日安排，请先添加", field="接访日期")
    intro = (f"为畅通群众诉求表达渠道，及时解决群众反映的问题，现将{cn_date(date_from)}至{cn_date(date_to)}"
             "领导接访日安排公告如下，欢迎群众按时来访反映问题。")
    places = {d.place for d in lines}
    # one place for every day (the usual case) is said once above the table rather than on every row
    shared = (Paragraph(f"接访地点：{lines[0].place}。"),) if len(places) == 1 else ()
    header = ("接访日期", "星期", "接访时间", "接访领导") + (() if shared else ("接访地点",))
    table = Table(header, tuple((f"{d.day.month}月{d.day.day}日", records.weekday(d.day), d.hours, f"{d.post}{d.leader}")
                                + (() if shared else (d.place,)) for d in lines), centred=frozenset({0, 1}))
    tail = (Paragraph("来访群众请到接访地点登记，依法有序反映诉求；集体反映同一问题的，请推选不超过5名代表。"),)
    return LetterContent(kind=ROSTER_TITLE, title=ROSTER_TITLE, addressee="", paragraphs=(Paragraph(intro), *shared, table, *tail),
                         signature=office, date=cn_date(issued_on or today()))
