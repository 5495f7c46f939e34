"""台账 cells read as our vocabularies: 信访形式, 信访目的, 来源, 越级, 处理方式, 状态, 满意度, lists of names."""

from __future__ import annotations

import re

from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Purpose,
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
    Status,
)

ANONYMOUS = "匿名"  # in the 信访人 column of a matter without a name
SPLIT = re.compile(r"[、，,；;/\s]+")
LIST_SPLIT = re.compile(r"[、；;]")


def channel_of(text: str) -> tuple[Channel, str | None]:
    text = text.strip()
    for channel in Channel:
        if text == channel.value:
            return channel, None
    if text.startswith("其他"):
        return Channel.OTHER, None
    keywords = (
        (("网", "信箱", "邮件", "微信", "手机", "短信", "12345"), Channel.ONLINE),
        (("电",), Channel.CALL),
        (("传真",), Channel.FAX),
        (("访",), Channel.VISIT),
        (("信", "函"), Channel.LETTER),
    )
    for words, channel in keywords:
        if any(w in text for w in words):
            return channel, None
    if not text:
        return Channel.OTHER, "未填写信访形式，按“其他”登记"
    return Channel.OTHER, f"信访形式“{text}”无法识别，按“其他”登记"


def purpose_of(text: str) -> tuple[Purpose, str | None]:
    text = text.strip()
    for purpose in Purpose:
        if text == purpose.value:
            return purpose, None
    keywords = (
        (("咨询",), Purpose.CONSULTATION),
        (("检举", "控告", "举报", "投诉"), Purpose.ACCUSATION),
        (("建议", "意见"), Purpose.SUGGESTION),
        (("申诉", "求决"), Purpose.CLAIM),
    )
    for words, purpose in keywords:
        if any(w in text for w in words):
            return purpose, None
    if not text:
        return Purpose.CLAIM, None
    return Purpose.CLAIM, f"信访目的“{text}”无法识别，按“申诉求决类”登记"


def source_of(text: str) -> tuple[Source, SourceLevel | None, str | None]:
    text = text.strip()
    if not text:
        return Source.DIRECT, None, None
    for source in Source:
        if text.startswith(source.value):
            if source is not Source.ASSIGNED_FROM_ABOVE:
                return source, None, None
            break
    if "交办" in text or "转" in text and any(level.value in text for level in SourceLevel):
        for level in (SourceLevel.NATIONAL, SourceLevel.PROVINCE, SourceLevel.CITY, SourceLevel.COUNTY):
            if level.value in text.replace("上级交办", ""):
                return Source.ASSIGNED_FROM_ABOVE, level, None
        return Source.ASSIGNED_FROM_ABOVE, SourceLevel.COUNTY, f"来源“{text}”未注明交办层级，按“县”登记"
    if "代表" in text:
        return Source.DEPUTY, None, None
    if "批示" in text or "领导" in text:
        return Source.LEADER, None, None
    if "群众" in text or "直接" in text or "本人" in text:
        return Source.DIRECT, None, None
    return Source.DIRECT, None, f"来源“{text}”无法识别，按“群众直接”登记"


def skip_level_of(text: str) -> tuple[SkipLevel | None, str | None]:
    text = text.strip()
    if not text or text in ("否", "无", "N", "n", "×"):
        return None, None
    for level in SkipLevel:
        if level.value in text:
            return level, None
    if "京" in text:
        return SkipLevel.CAPITAL, None
    if "省" in text:
        return SkipLevel.PROVINCE, None
    if "市" in text:
        return SkipLevel.CITY, None
    return SkipLevel.CITY, f"越级“{text}”未注明层级，按“到市”登记"


DECISION_WORDS = (
    ("不予受理", Decision.REJECT),
    ("直接答复", Decision.ANSWER),
    ("当场答复", Decision.ANSWER),
    ("存查", Decision.FILE),
    ("转送", Decision.FORWARD),
    ("交办", Decision.ASSIGN),
    ("转办", Decision.ASSIGN),
    ("受理", Decision.ACCEPT),
)


def decision_of(text: str, units: str) -> tuple[Decision | None, str]:
    """The 受理决定 the ledger's 处理方式 names, or None and the text kept as 拟办意见."""
    text = text.strip()
    for decision in Decision:
        if text == decision.value:
            return decision, ""
    if text and not text.startswith("拟"):
        for word, decision in DECISION_WORDS:
            if word in text:
                return decision, text
    if not text and units.strip():
        return Decision.ASSIGN, ""
    return None, text


def status_of(text: str) -> Status | None:
    text = text.strip()
    for status in Status:
        if text == status.value:
            return status
    if text in ("是", "√", "✓", "Y", "y", "办结", "已结", "结案"):
        return Status.CLOSED
    if text in ("否", "未办结", "在办", "办理中", "未结"):
        return Status.IN_PROGRESS
    if "作废" in text:
        return Status.VOIDED
    return None


def satisfaction_of(text: str) -> Satisfaction | None:
    text = text.strip()
    for s in (Satisfaction.BASICALLY, Satisfaction.UNSATISFIED, Satisfaction.SATISFIED):
        if s.value in text:
            return s
    return None


def split(text: str, pattern: re.Pattern[str] = SPLIT) -> list[str]:
    return [part.strip() for part in pattern.split(text)] if text.strip() else []


def names(text: str) -> list[str]:
    """The persons a 信访人 cell names; "匿名" names nobody."""
    return [n for n in split(text) if n and n != ANONYMOUS]
