"""Every step of a matter's life as a pure function from a frozen case to an outcome, or a domain error.

No SQLAlchemy, no Qt: services/cases.py loads a case, calls a step and applies the outcome, and
the ledger import replays its rows through the same steps in memory.
"""

from xinfang_desktop.domain.workflow import records
from xinfang_desktop.domain.workflow.amend import amend, amendable
from xinfang_desktop.domain.workflow.checks import (
    allowed_steps,
    cn_date,
    require_day,
    require_not_before,
    require_not_future,
    require_persons,
    require_step,
    require_text,
)
from xinfang_desktop.domain.workflow.decide import Target, decide, instruct, lead_unit, propose, revoke, transfer
from xinfang_desktop.domain.workflow.finish import (
    close,
    finalize,
    follow_up,
    no_longer_accepted,
    reply,
    reply_document,
    request_review,
    restore,
    review_window,
    settle,
    void,
)
from xinfang_desktop.domain.workflow.leaders import meet, take_charge, verify
from xinfang_desktop.domain.workflow.register import Earlier, correct, correct_petitioner, register
from xinfang_desktop.domain.workflow.state import (
    Case,
    Charge,
    Feedback,
    Instruction,
    Line,
    MatterState,
    Outcome,
    Rules,
    Transfer,
    Unit,
    Verification,
)
from xinfang_desktop.domain.workflow.supervise import extend, feedback, key_supervision, remind

__all__ = [
    "Case", "Charge", "Earlier", "Feedback", "Instruction", "Line", "MatterState", "Outcome", "Rules", "Target", "Transfer",
    "Unit", "allowed_steps", "amend", "amendable", "close", "cn_date", "correct", "correct_petitioner", "decide", "extend", "feedback", "finalize", "follow_up",
    "instruct", "lead_unit", "no_longer_accepted", "reply_document",
    "key_supervision", "meet", "propose", "records", "register", "remind", "reply", "request_review", "require_day", "restore", "revoke",
    "require_not_before", "require_not_future", "require_persons", "require_step", "require_text", "review_window",
    "settle", "take_charge", "transfer", "Verification", "verify", "void",
]
