"""台账 cells read as our vocabularies: 信访形式 and how it was signed, 信访目的, 来源, 越级, 处理方式, 状态, 满意度,
问题分类 paths, 问题发生地 written out in full, a title from the content, lists of names.

Other systems' words are data here (the *_WORDS tables), looked up in order: the first table that has a
word in the cell wins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Purpose,
    ReviewStage,
    Satisfaction,
    SkipLevel,
    Source,
    SourceLevel,
    Status,
)

# each vocabulary by its own words, looked up once per cell (iterating an Enum and reading .value on
# each member was a tenth of a ledger row's replay)
_CHANNELS = {c.value: c for c in Channel}
_PURPOSES = {p.value: p for p in Purpose}
_DECISIONS = {d.value: d for d in Decision}
_STATUSES = {s.value: s for s in Status}
_OWN_SOURCES = tuple((s.value, s) for s in Source if s is not Source.ASSIGNED_FROM_ABOVE)
_SKIP_LEVELS = tuple((level.value, level) for level in SkipLevel)
# the longest first: 基本满意 and 不满意 contain 满意
_SATISFACTIONS = tuple((s.value, s) for s in (Satisfaction.BASICALLY, Satisfaction.UNSATISFIED, Satisfaction.SATISFIED))

# A ledger writes a few dozen distinct words in each of these columns over thousands of rows: each
# reader below is pure, so it reads a distinct text once (a tenth of a row's plan, read afresh).
_per_text = lru_cache(maxsize=4096)

ANONYMOUS = "匿名"  # in the 信访人 column of a matter without a name
SPLIT = re.compile(r"[、，,；;/\s]+")
LIST_SPLIT = re.compile(r"[、；;]")


CHANNEL_WORDS: tuple[tuple[tuple[str, ...], Channel], ...] = (
    (("网", "信箱", "邮件", "微信", "手机", "短信", "12345", "客户端", "APP", "app"), Channel.ONLINE),
    (("电",), Channel.CALL),
    (("传真",), Channel.FAX),
    (("访",), Channel.VISIT),
    (("信", "函"), Channel.LETTER),
)
# how a matter was signed, written in a 信访方式 column (or in the 信访形式 cell itself: 匿名来信, 集体访)
MANNER_WORDS = ("匿名", "署名", "实名", "联名", "集体")


@dataclass(frozen=True)
class Manner:
    """The flags a 信访方式 cell sets: 匿名, 联名, 集体访 (署名 sets none)."""

    anonymous: bool = False
    joint: bool = False
    collective: bool = False


@_per_text
def manner_of(*texts: str) -> Manner:
    joined = "".join(texts)
    return Manner(anonymous="匿名" in joined, joint="联名" in joined, collective="集体" in joined)


@_per_text
def without_manner(text: str) -> str:
    """The channel words of a cell once its 匿名/署名/联名/集体 words are taken out ("集体访" → "访")."""
    for word in MANNER_WORDS:
        text = text.replace(word, "")
    return text.strip()


@_per_text
def channel_of(text: str) -> tuple[Channel, str | None]:
    text = text.strip()
    if text in _CHANNELS:
        return _CHANNELS[text], None
    if text.startswith("其他"):
        return Channel.OTHER, None
    for words, channel in CHANNEL_WORDS:
        if any(w in text for w in words):
            return channel, None
    if not text:
        return Channel.OTHER, "未填写信访形式，按“其他”登记"
    return Channel.OTHER, f"信访形式“{text}”无法识别，按“其他”登记"


PURPOSE_WORDS: tuple[tuple[tuple[str, ...], Purpose], ...] = (
    (("咨询",), Purpose.CONSULTATION),
    (("检举", "控告", "举报", "揭发", "投诉"), Purpose.ACCUSATION),
    (("建议", "意见"), Purpose.SUGGESTION),
    (("申诉", "求决", "诉求", "请求"), Purpose.CLAIM),
)


@_per_text
def purpose_of(text: str) -> tuple[Purpose, str | None]:
    text = text.strip()
    if text in _PURPOSES:
        return _PURPOSES[text], None
    for words, purpose in PURPOSE_WORDS:
        if any(w in text for w in words):
            return purpose, None
    if not text:
        return Purpose.CLAIM, None
    return Purpose.CLAIM, f"信访目的“{text}”无法识别，按“申诉求决类”登记"


# 来源 in other systems' words: handed down (上级转办, 巡视巡察移交, 省信访局交办…) with the level it names
DEPUTY_WORDS = ("代表",)
ASSIGNED_WORDS = ("交办", "转办", "转交", "转送", "转来", "移交", "移送", "批转", "督办", "交来", "下转", "巡视", "巡察")
LEADER_WORDS = ("批示", "领导")
DIRECT_WORDS = ("群众", "直接", "本人", "本级", "自收", "自办", "举报", "来信", "来访", "来电", "网上")
LEVEL_WORDS: tuple[tuple[tuple[str, ...], SourceLevel], ...] = (
    (("国家", "中央", "全国", "国务院"), SourceLevel.NATIONAL),
    (("省",), SourceLevel.PROVINCE),
    (("市", "州", "盟"), SourceLevel.CITY),
    (("县", "区", "旗"), SourceLevel.COUNTY),
)


@_per_text
def source_of(text: str) -> tuple[Source, SourceLevel | None, str | None]:
    text = text.strip()
    if not text:
        return Source.DIRECT, None, None
    for word, source in _OWN_SOURCES:
        if text.startswith(word):
            return source, None, None
    if any(w in text for w in DEPUTY_WORDS):
        return Source.DEPUTY, None, None
    if text.startswith(Source.ASSIGNED_FROM_ABOVE.value) or any(w in text for w in ASSIGNED_WORDS):
        rest = text.replace(Source.ASSIGNED_FROM_ABOVE.value, "")
        for words, level in LEVEL_WORDS:
            if any(w in rest for w in words):
                return Source.ASSIGNED_FROM_ABOVE, level, None
        return Source.ASSIGNED_FROM_ABOVE, SourceLevel.COUNTY, f"来源“{text}”未注明交办层级，按“县”登记"
    if any(w in text for w in LEADER_WORDS):
        return Source.LEADER, None, None
    if any(w in text for w in DIRECT_WORDS):
        return Source.DIRECT, None, None
    return Source.DIRECT, None, f"来源“{text}”无法识别，按“群众直接”登记"


@_per_text
def skip_level_of(text: str) -> tuple[SkipLevel | None, str | None]:
    text = text.strip()
    if not text or text in ("否", "无", "N", "n", "×"):
        return None, None
    for word, level in _SKIP_LEVELS:
        if word in text:
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


@_per_text
def decision_of(text: str, units: str) -> tuple[Decision | None, str]:
    """The 受理决定 the ledger's 处理方式 names, or None and the text kept as 拟办意见."""
    text = text.strip()
    if text in _DECISIONS:
        return _DECISIONS[text], ""
    if text and not text.startswith("拟"):
        for word, decision in DECISION_WORDS:
            if word in text:
                return decision, text
    if not text and units.strip():
        return Decision.ASSIGN, ""
    return None, text


@_per_text
def status_of(text: str) -> Status | None:
    text = text.strip()
    if text in _STATUSES:
        return _STATUSES[text]
    if text in ("是", "√", "✓", "Y", "y", "办结", "已结", "结案"):
        return Status.CLOSED
    if text in ("否", "未办结", "在办", "办理中", "未结"):
        return Status.IN_PROGRESS
    if "作废" in text:
        return Status.VOIDED
    return None


@_per_text
def satisfaction_of(text: str) -> Satisfaction | None:
    text = text.strip()
    for word, s in _SATISFACTIONS:
        if word in text:
            return s
    return None


CATEGORY_SPLIT = re.compile(r"[/／\\\-－_＿>＞、]+")


@_per_text
def category_path(text: str) -> tuple[str, str]:
    """A 问题分类 as our two levels ("一级/二级"), and the full path when it had more levels to keep ("" if not).

    Other systems join three levels or more with _ / or - (城乡建设_住房保障_保障房分配).
    """
    parts = [p.strip() for p in CATEGORY_SPLIT.split(text) if p.strip()]
    return "/".join(parts[:2]), (text.strip() if len(parts) > 2 else "")


TITLE_CLAUSE = 40  # a title made from the content: its first clause, at most this long
SHORT_CLAUSE = 8  # a first clause shorter than this ("经查，") runs on into the next
_CLAUSE_END = re.compile(r"[，,、。！？!?；;\n]")
_SENTENCE_END = frozenset("。！？!?；;\n")
_SAYS = re.compile(r"^[^，。：:,]{0,12}?(?:反映|称|举报|来信|来电|诉称)[：:，,]")


def first_clause(text: str, limit: int = TITLE_CLAUSE) -> str:
    """The first clause of a content, at most `limit` characters, as a title: "信访人反映：" and the like left out."""
    text = _SAYS.sub("", text.strip(), count=1).strip()
    title = ""
    for match in _CLAUSE_END.finditer(text):
        title = text[:match.start()].strip()
        if len(title) >= SHORT_CLAUSE or match.group() in _SENTENCE_END:
            break
    else:
        title = text
    return title[:limit].strip()


def source_number_of(number: str) -> str:
    """The number a ledger row's matter had in its source, or "" for a running count (序号: 1, 2, 3 …).

    Digits only and shorter than six are a count, which starts again on every sheet or year; a
    longer run of digits is a system's number (信访件编号 340102202500123).
    """
    number = number.strip()
    return "" if number.isdigit() and len(number) < 6 else number


def split(text: str, pattern: re.Pattern[str] = SPLIT) -> list[str]:
    return [part.strip() for part in pattern.split(text)] if text.strip() else []


def names(text: str) -> list[str]:
    """The persons a 信访人 cell names; "匿名" names nobody."""
    return [n for n in split(text) if n and n != ANONYMOUS]


# what 备注 says of a matter the ledger has no column for: that it is a 复查/复核 of another, why it was voided,
# the day of its 息访 (DOMAIN §6 has no 息访 column; 状态 says only 已办结)
_REVIEW_OF = re.compile(r"(复查|复核)事项，原事项([^；;\s]+)")
_VOID_REASON = re.compile(r"作废原因：([^；;]*)")
_SETTLED_ON = re.compile(r"息访日期[：:]\s*(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
_NOTE_JOIN = "；"
_NOTE_SPLIT = re.compile(r"[；;]")


@dataclass(frozen=True)
class NoteCell:
    """A 备注 cell read: the clerk's own note, and what our export wrote into it."""

    note: str
    review: tuple[ReviewStage, str] | None = None  # (复查 or 复核, the 编号 of the matter it reviews)
    void_reason: str = ""
    settled_on: date | None = None  # 息访


def note_cell(note: str, *, stage: ReviewStage = ReviewStage.FIRST, reviewed: str | None = None,
              void_reason: str = "", settled_on: date | None = None) -> str:
    """The 备注 cell of a matter: its note, then what the columns cannot hold, so an import reads it back."""
    parts = [note]
    if stage is not ReviewStage.FIRST and reviewed:
        parts.append(f"{stage.value}事项，原事项{reviewed}")
    if settled_on is not None:
        parts.append(f"息访日期：{settled_on.year}年{settled_on.month}月{settled_on.day}日")
    if void_reason:
        parts.append(f"作废原因：{void_reason}")
    return _NOTE_JOIN.join(p for p in parts if p)


def _settled_on(found: re.Match[str] | None) -> date | None:
    if found is None:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None  # not a day: the words stay in the note as written


@_per_text  # a ledger's 备注 repeat (息访日期 of the same days): NoteCell is frozen, so one is shared
def read_note(text: str) -> NoteCell:
    """`note_cell` read back (any ledger's 备注: a cell without our phrases is the note as written)."""
    if "息访日期" not in text and "作废原因：" not in text and "事项，原事项" not in text:
        return NoteCell(text)  # none of the phrases below is there: a note as written
    review = _REVIEW_OF.search(text)
    reason = _VOID_REASON.search(text)
    settled = _SETTLED_ON.search(text)
    settled_on = _settled_on(settled)
    if review is None and reason is None and settled_on is None:
        return NoteCell(text)
    rest = _VOID_REASON.sub("", _REVIEW_OF.sub("", text))
    if settled_on is not None:
        rest = _SETTLED_ON.sub("", rest)
    note = _NOTE_JOIN.join(p.strip() for p in _NOTE_SPLIT.split(rest) if p.strip())
    return NoteCell(note, (ReviewStage(review.group(1)), review.group(2)) if review else None,
                    reason.group(1).strip() if reason else "", settled_on)
