"""The tally's figures of the leaders' work: 约访, 下访, 包案 and 验证, counted live from their own small tables.

They are counted by the day of the meeting, the 包案 or the 验证 (a matter registered last year may be
taken on or checked this year), so they stay out of the per-登记日期 day cache (cache.py).
已作废 matters count nowhere, as in every other figure.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import LeaderCharge, LeaderMeeting, Matter, Verification
from xinfang_desktop.domain.enums import MeetingKind, Status, VerifyResult


def leader_figures(session: Session, *, date_from: date, date_to: date) -> dict[str, int]:
    """A period's HeadCounts fields of the leaders' work: leader_charged(_closed, _settled), verified,
    verified_not_done, leader_invited(_persons), leader_visits, leader_visit_batches and _persons."""
    live = Matter.status != Status.VOIDED
    charged = (select(func.count(LeaderCharge.id), func.count(Matter.id).filter(Matter.status == Status.CLOSED),
                      func.count(Matter.id).filter(Matter.settled.is_(True)))
               .join(Matter, Matter.id == LeaderCharge.matter_id)
               .where(LeaderCharge.assigned_on.between(date_from, date_to), live))
    n_charged, n_closed, n_settled = session.execute(charged).one()
    # the voided matters are few (one seek of the status index); joining each 验证 to its matter row
    # instead read a page of the matters table per 验证 (0.13-0.18 s a year at a million matters)
    voided = select(Matter.id).where(Matter.status == Status.VOIDED)
    checked = (select(func.count(distinct(Verification.matter_id)),
                      func.count(distinct(Verification.matter_id)).filter(Verification.result == VerifyResult.NOT_DONE))
               .where(Verification.checked_on.between(date_from, date_to), Verification.matter_id.not_in(voided)))
    n_verified, n_not_done = session.execute(checked).one()
    invited, visit = LeaderMeeting.kind == MeetingKind.INVITED, LeaderMeeting.kind == MeetingKind.VISITING
    met = (select(func.count(LeaderMeeting.id).filter(invited),
                  func.coalesce(func.sum(LeaderMeeting.persons).filter(invited), 0),
                  func.count(LeaderMeeting.id).filter(visit),
                  func.coalesce(func.sum(LeaderMeeting.batches).filter(visit), 0),
                  func.coalesce(func.sum(LeaderMeeting.persons).filter(visit), 0))
           .outerjoin(Matter, Matter.id == LeaderMeeting.matter_id)
           .where(LeaderMeeting.held_on.between(date_from, date_to),
                  (LeaderMeeting.matter_id.is_(None)) | live))
    n_invited, invited_persons, n_visits, visit_batches, visit_persons = session.execute(met).one()
    return dict(leader_charged=n_charged, leader_charged_closed=n_closed, leader_charged_settled=n_settled,
                verified=n_verified, verified_not_done=n_not_done, leader_invited=n_invited,
                leader_invited_persons=int(invited_persons), leader_visits=n_visits,
                leader_visit_batches=int(visit_batches), leader_visit_persons=int(visit_persons))
