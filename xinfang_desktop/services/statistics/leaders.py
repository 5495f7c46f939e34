"""The tally's figures of the leaders' work: 领导包案 and 验证, counted live from their own small tables.

They are counted by the day of the 包案 or the 验证 (a matter registered last year may be taken on or
checked this year), so they stay out of the per-登记日期 day cache (cache.py).
已作废 matters count nowhere, as in every other figure.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import LeaderCharge, Matter, Verification
from xinfang_desktop.domain.enums import Status, VerifyResult
from xinfang_desktop.domain.tally import HeadCounts


def with_leader_figures(session: Session, counts: HeadCounts, *, date_from: date, date_to: date) -> HeadCounts:
    """The head counts of a period with its leader_charged(_closed, _settled), verified and verified_not_done."""
    live = Matter.status != Status.VOIDED
    charged = (select(func.count(LeaderCharge.id), func.count(Matter.id).filter(Matter.status == Status.CLOSED),
                      func.count(Matter.id).filter(Matter.settled.is_(True)))
               .join(Matter, Matter.id == LeaderCharge.matter_id)
               .where(LeaderCharge.assigned_on.between(date_from, date_to), live))
    n_charged, n_closed, n_settled = session.execute(charged).one()
    checked = (select(func.count(distinct(Verification.matter_id)),
                      func.count(distinct(Verification.matter_id)).filter(Verification.result == VerifyResult.NOT_DONE))
               .join(Matter, Matter.id == Verification.matter_id)
               .where(Verification.checked_on.between(date_from, date_to), live))
    n_verified, n_not_done = session.execute(checked).one()
    return replace(counts, leader_charged=n_charged, leader_charged_closed=n_closed,
                   leader_charged_settled=n_settled, verified=n_verified, verified_not_done=n_not_done)
