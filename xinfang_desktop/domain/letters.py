"""Letters as data: document kinds, the template format, the placeholder filler and the frozen LetterContent."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from xinfang_desktop.domain.enums import Purpose
from xinfang_desktop.domain.errors import ValidationError


class DocumentKind(StrEnum):
    """The documents of DOMAIN §5 the program writes; the value is the title and the stored kind."""

    ACCEPT_NOTICE = "受理告知书"
    # the 受理告知书 of a matter 交办 to a unit: it names the unit that handles it (Art. 22), and does not
    # promise this office will finish it
    ASSIGN_NOTICE = "受理告知书（交办）"
    REJECT_NOTICE = "不予受理告知书"
    FORWARD_LETTER = "转送函"
    # the petitioner is told where a 转送 matter went (条例第二十二条), as for a 交办
    FORWARD_NOTICE = "转送告知书"
    ASSIGN_LETTER = "交办函"
    # the 交办函 to a 协办 unit: its own text, asking it to work with the 主办 unit
    ASSIST_LETTER = "交办函（协办）"
    REMINDER = "催办单"
    EXTENSION_NOTICE = "延期办理告知书"
    OPINION = "信访处理意见书"
    REVIEW_ACCEPT_NOTICE = "复查受理告知书"
    REVIEW_OPINION = "复查意见书"
    RECHECK_ACCEPT_NOTICE = "复核受理告知书"
    RECHECK_OPINION = "复核意见书"
    REPLY_LETTER = "复信"
    # the answer to a 检举控告: how it was handled, not an Art. 32 意见书 with its 复查 rights
    ACCUSATION_NOTICE = "投诉（举报）处理情况告知书"
    FOLLOW_UP_RECORD = "回访记录"
    DELIVERY_RECEIPT = "送达回证"


class Addressee(StrEnum):
    PETITIONER = "信访人"
    UNIT = "承办单位"
    FILE = "存档"  # an internal record kept in the 卷宗


# a document addressed to a unit may reach the accused: Art. 30 protects the informant there
ADDRESSEE: dict[DocumentKind, Addressee] = {
    DocumentKind.ACCEPT_NOTICE: Addressee.PETITIONER,
    DocumentKind.ASSIGN_NOTICE: Addressee.PETITIONER,
    DocumentKind.REJECT_NOTICE: Addressee.PETITIONER,
    DocumentKind.FORWARD_LETTER: Addressee.UNIT,
    DocumentKind.FORWARD_NOTICE: Addressee.PETITIONER,
    DocumentKind.ASSIGN_LETTER: Addressee.UNIT,
    DocumentKind.ASSIST_LETTER: Addressee.UNIT,
    DocumentKind.REMINDER: Addressee.UNIT,
    DocumentKind.EXTENSION_NOTICE: Addressee.PETITIONER,
    DocumentKind.OPINION: Addressee.PETITIONER,
    DocumentKind.REVIEW_ACCEPT_NOTICE: Addressee.PETITIONER,
    DocumentKind.REVIEW_OPINION: Addressee.PETITIONER,
    DocumentKind.RECHECK_ACCEPT_NOTICE: Addressee.PETITIONER,
    DocumentKind.RECHECK_OPINION: Addressee.PETITIONER,
    DocumentKind.REPLY_LETTER: Addressee.PETITIONER,
    DocumentKind.ACCUSATION_NOTICE: Addressee.PETITIONER,
    DocumentKind.FOLLOW_UP_RECORD: Addressee.FILE,
    DocumentKind.DELIVERY_RECEIPT: Addressee.PETITIONER,
}


def protects_informant(purpose: Purpose | None, kind: DocumentKind) -> bool:
    """True when a document of `kind` on a matter of `purpose` must hide the informant (Art. 30): a
    检举控告 in a letter to a unit, which may reach the accused."""
    return purpose is Purpose.ACCUSATION and ADDRESSEE[kind] is Addressee.UNIT

# every placeholder a template may use, with what it stands for (shown in the template dialog)
PLACEHOLDERS: dict[str, str] = {
    "机关名称": "本机关名称（设置中的机关名称）",
    "成文日期": "文书的成文日期，如2026年11月22日",
    "文号": "本文书的文号，如信告〔2026〕12号",
    "事项编号": "信访事项编号",
    "信访人": "信访人姓名（多人以顿号分隔；集体访写代表人，如“张三等8人”）",
    "你": "称呼信访人：一人时为“你”，多人时为“你们”",
    "身份证号": "信访人身份证号",
    "联系电话": "信访人联系电话",
    "住址": "信访人住址",
    "登记日期": "登记（收到）日期",
    "信访形式": "来信、来访、来电等",
    "反映问题": "事项标题",
    "反映内容": "反映的事实和理由",
    "诉求": "信访人的请求（未登记诉求时为空，整段不印）",
    "信访请求": "信访人的请求；未登记诉求时为反映的问题（事项标题）",
    "认定事实": "本机关调查认定的事实和理由（答复时填写；未填写时为承办单位反馈的办理情况或办理结果）",
    "问题发生地": "问题发生地",
    "决定日期": "受理决定日期",
    "不予受理理由": "不予受理的理由",
    "有权处理机关": "有权处理的机关（不予受理、转送时）",
    "承办单位": "交办或转送的承办单位",
    "主办单位": "交办的主办单位",
    "协办单位": "交办的协办单位（多个以顿号分隔；没有协办单位时为空，整段不印）",
    "交办日期": "交办（转送）日期",
    "办理期限": "承办单位或本事项的办理期限",
    "原办理期限": "延期前的办理期限",
    "延期理由": "延期办理的理由",
    "催办次数": "第几次催办",
    "包案领导": "包案领导的职务和姓名，如“副镇长李明”（未确定包案领导时为空，整段不印）",
    "包案期限": "包案领导确定的化解期限",
    "超期情况": "已超过期限的情况，如（已超期5日）",
    "处理意见": "书面答复的内容",
    "意见类别": "答复时选定的处理意见：予以支持、作出解释说明或不予支持（未选定时为空，整段不印）",
    "办理结果": "办理结果",
    "领导批示": "领导批示：批示领导、日期和内容（多条以分号分隔；没有批示时为空，整段不印）",
    "复查机关": "受理复查申请的机关（本机关的上一级，设置中的复查机关）；复查文书以其名义出具",
    "复核机关": "受理复核申请的机关（复查机关的上一级，设置中的复核机关）；复核文书以其名义出具",
    "回访日期": "回访日期",
    "满意度": "回访时信访人的评价：满意、基本满意或不满意",
    "回访情况": "回访时记录的情况",
    "信访人意见": "回访时信访人提出的意见",
    "送达文书": "所送达文书的名称和文号",
    "受送达人": "受送达人",
}

# Art. 30: in a letter to a unit (and so possibly to the accused) a 检举控告 informant's own fields are
# replaced outright, and every value but the record's own is scrubbed of them
PROTECTED_NAME = "检举控告人（姓名依法保密）"
PROTECTED_DETAIL = "（依法保密）"
INFORMANT_PLACEHOLDERS = {"信访人": PROTECTED_NAME, "受送达人": PROTECTED_NAME, "身份证号": PROTECTED_DETAIL,
                          "联系电话": PROTECTED_DETAIL, "住址": PROTECTED_DETAIL}
# the values a letter takes from the record itself: the office, dates, counts, numbers and the bodies
# it is written to or names. Every other value is text typed about the matter (a 处理意见 or a 批示
# may name the informant as readily as the 反映内容): a new placeholder is scrubbed until it is listed here.
RECORD_PLACEHOLDERS = frozenset({
    "机关名称", "成文日期", "文号", "事项编号", "你", "登记日期", "信访形式", "问题发生地", "决定日期", "有权处理机关",
    "承办单位", "主办单位", "协办单位", "交办日期", "办理期限", "原办理期限", "催办次数", "超期情况", "意见类别",
    "复查机关", "复核机关", "回访日期", "满意度", "送达文书",
})


def protect_informant(context: Mapping[str, str], scrub: Callable[[str], str]) -> dict[str, str]:
    """The context for a letter to a unit: the informant's own fields replaced, every typed text scrubbed."""
    return {name: INFORMANT_PLACEHOLDERS[name] if name in INFORMANT_PLACEHOLDERS
            else value if name in RECORD_PLACEHOLDERS else scrub(value)
            for name, value in context.items()}


_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")

SECTIONS = ("标题", "主送", "正文", "署名", "日期")
_SECTION = re.compile(r"^【([^】]{1,8})】(.*)$")


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def check_placeholders(text: str) -> None:
    """Refuse a template that names a placeholder the program cannot fill, naming it."""
    for name in placeholders_in(text):
        if name not in PLACEHOLDERS:
            raise ValidationError(
                f"模板中的占位符“{{{name}}}”无法识别，请改为可用的占位符（如{{信访人}}、{{登记日期}}、{{机关名称}}）",
                field="模板",
            )


# a value typed as a sentence ("…应通过诉讼途径解决。") where the template ends the sentence itself
_TRAILING_STOP = re.compile(r"[。．.，,；;、！!？?\s]+$")
_STOPS = "。，；！？"


# values that name someone or something, never a sentence: a full stop typed after one ("青石县民政局。") would
# print inside the letter's own sentence ("向青石县民政局。提出") or before the 主送 colon
NAME_PLACEHOLDERS = frozenset({"信访人", "受送达人", "承办单位", "主办单位", "协办单位", "有权处理机关", "机关名称",
                               "复查机关", "复核机关", "包案领导", "反映问题"})
_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’"})


def fill(text: str, context: Mapping[str, str]) -> str:
    """Replace every {名称} with its value; an unknown name is refused, never left in the letter.

    Where the template puts its own punctuation right after a placeholder, the value's own ending
    punctuation is dropped, so a typed sentence never prints "。。"; a name never ends in one; and a value
    the template quotes (“{反映问题}”) has its own “” turned into ‘’, as quotes inside quotes are written.
    """
    check_placeholders(text)

    def value(m: re.Match[str]) -> str:
        found = context.get(m.group(1), "")
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if before == "“" and after == "”":
            return _TRAILING_STOP.sub("", found).translate(_INNER_QUOTES)
        if m.group(1) in NAME_PLACEHOLDERS or (after and after in _STOPS):
            return _TRAILING_STOP.sub("", found)
        return found

    return _PLACEHOLDER.sub(value, text)


@dataclass(frozen=True)
class Template:
    """A parsed template: each section's raw text, placeholders not yet filled."""

    title: str
    addressee: str
    body: tuple[str, ...]
    signature: str
    date: str


def parse_template(text: str) -> Template:
    """Read the 【标题】【主送】【正文】【署名】【日期】 sections of a template text."""
    check_placeholders(text)
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        match = _SECTION.match(line.strip())
        if match:
            current = match.group(1)
            if current not in SECTIONS:
                raise ValidationError(
                    f"模板中的栏目“【{current}】”无法识别，只能使用" + "、".join(f"【{s}】" for s in SECTIONS),
                    field="模板",
                )
            if current in parts:
                raise ValidationError(f"模板中“【{current}】”出现了两次，请删去一处", field="模板")
            parts[current] = [match.group(2)] if match.group(2).strip() else []
        elif current is None:
            if line.strip():
                raise ValidationError("模板应以“【标题】”开头", field="模板")
        else:
            parts[current].append(line)
    title = " ".join(s.strip() for s in parts.get("标题", []) if s.strip())
    if not title:
        raise ValidationError("模板缺少“【标题】”，请填写文书标题", field="模板")
    body = tuple(s.strip() for s in parts.get("正文", []) if s.strip())
    if not body:
        raise ValidationError("模板缺少“【正文】”，请填写正文", field="模板")
    return Template(
        title=title,
        addressee=" ".join(s.strip() for s in parts.get("主送", []) if s.strip()),
        body=body,
        signature=" ".join(s.strip() for s in parts.get("署名", []) if s.strip()),
        date=" ".join(s.strip() for s in parts.get("日期", []) if s.strip()),
    )


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; level 1 一、 (黑体), 2 （一） (楷体), 0 body text and levels 3-4 (仿宋), -1 a form row."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Table:
    """A table of several columns (a report's figures, a list of matters): a header row in 黑体, repeated atop
    a page the table runs onto, and rows whose cells wrap inside their column; `centred` columns (figures) are
    centred, the others flush left."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    centred: frozenset[int] = frozenset()


@dataclass(frozen=True)
class LetterContent:
    """Everything the renderer needs, already filled in: no placeholder, no ORM, no Qt."""

    kind: str
    title: str
    addressee: str
    paragraphs: tuple[Paragraph | Table, ...]
    signature: str
    date: str
    number: str = ""
    # 信函格式 (GB/T 9704 10.1): the office's name as letterhead, red double lines, no page number on page 1
    letterhead: str = ""


_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")


TABLE_ROW = -1  # a "名称｜内容" line: one row of a two-column form (送达回证, 回访记录)
CELL_SEPARATOR = "｜"


def heading_level(text: str) -> int:
    """GB/T 9704 heading levels by their numbering: 一、 → 1, （一） → 2; a line with ｜ is a form row."""
    if CELL_SEPARATOR in text:
        return TABLE_ROW
    if _LEVEL1.match(text):
        return 1
    if _LEVEL2.match(text):
        return 2
    return 0


def _all_empty(raw: str, context: Mapping[str, str]) -> bool:
    """A paragraph of placeholders that are all empty (主要诉求：{诉求} without a 诉求) says nothing.

    A form row is kept: its empty value leaves room to write in.
    """
    names = placeholders_in(raw)
    return bool(names) and CELL_SEPARATOR not in raw and not any(context.get(n, "").strip() for n in names)


def compose(kind: str, template: Template, context: Mapping[str, str], number: str) -> LetterContent:
    """A template filled from a context: the frozen content one letter prints."""
    addressee = fill(template.addressee, context).strip()
    if addressee and not addressee.endswith(("：", ":")):
        addressee += "："
    paragraphs = []
    for raw in template.body:
        if _all_empty(raw, context):
            continue
        # a body line may hold several paragraphs once filled (e.g. a multi-line 处理意见)
        for text in fill(raw, context).split("\n"):
            if text.strip():
                paragraphs.append(Paragraph(text.strip(), heading_level(text.strip())))
    return LetterContent(
        kind=kind,
        title=fill(template.title, context),
        addressee=addressee.replace(":", "："),
        paragraphs=tuple(paragraphs),
        signature=fill(template.signature, context),
        date=fill(template.date, context),
        number=number,
    )
