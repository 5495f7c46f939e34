"""Checks of single form fields that need nothing but the text: phone numbers, title length, lists pasted in."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.values import PetitionerInput

COLLECTIVE_PERSONS = 5  # a visit of five or more is a 集体访
TITLE_MAX = 200  # the column's width; a title is one line, the details go into 反映内容

# One number: an optional +, then digits with spaces, -, and brackets around an area code
# ("(0571) 8888 1234", "+86 138-0000-0000"), then an optional extension
# ("转802", "分机802", "ext 802", "x802", "#802").
_NUMBER = r"\+?[\d\s\-()]*\d[\d\s\-()]*(?:\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6})?"
# Several numbers in one field ("13800000000/0571-88881234") as clerks write them.
_PHONE = re.compile(rf"{_NUMBER}(?:\s*[/,;、]\s*{_NUMBER})*", re.IGNORECASE)
PHONE_HINT = "只能填写数字、空格、-、+ 和分机号（如 0571-88881234 转 802），多个号码用“/”隔开"


def check_phone(value: str, *, field: str = "联系电话") -> str:
    """The phone as typed (stripped; full-width digits and brackets made half-width), or a ValidationError.

    Empty is allowed: many petitioners give none.
    """
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return ""
    if len(text) > 64 or _PHONE.fullmatch(text) is None:
        raise ValidationError(f"“{field}”{PHONE_HINT}；现在填的是“{text}”，请改正或留空", field=field)
    digits = [d for d in re.split(r"[/,;、]", text) if d.strip()]
    for number in digits:
        count = sum(ch.isdigit() for ch in number)
        if count < 3 or count > 24:
            raise ValidationError(f"“{field}”中的“{number.strip()}”位数不对，请核对号码", field=field)
    return text


def check_petitioner_phones(petitioners: Iterable[PetitionerInput]) -> None:
    """Every petitioner's phone on a 登记 form; the first bad one is refused, naming whose it is."""
    for number, person in enumerate(petitioners):
        check_phone(person.phone, field="联系电话" if number == 0 else f"{person.name or '其他信访人'}的联系电话")


def title_length_warning(title: str, limit: int = TITLE_MAX) -> str:
    """What to tell the clerk while a title is longer than can be saved ("" while it fits)."""
    length = len(title.strip())
    if length <= limit:
        return ""
    return (f"“标题”现在有{length}个字，最多{limit}个字，保存时会被拒绝：请概括为一句话，"
            "详细情况写在“反映内容”中")


# Lists pasted in at the first start (or read from an Excel column) -------------------------------
_SPLIT_PAIR = re.compile(r"\s*[/\t｜|]\s*|\s*[:：]\s*")
_SPLIT_MANY = re.compile(r"\s*[、,，;；]\s*")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def parse_region_list(text: str) -> dict[str, list[str]]:
    """{乡镇: [村, ...]} from lines a clerk types or pastes, in the order given.

    One line a 乡镇 ("河口镇"), a 乡镇 and its 村 ("河口镇/李家湾村", or two Excel cells pasted
    as "河口镇<Tab>李家湾村"), or a 乡镇 with several ("河口镇：河口村、沙洲村"). A line with
    just a 村 is not allowed: nobody could tell which 乡镇 it is in.
    """
    towns: dict[str, list[str]] = {}
    for number, line in enumerate(_lines(text), start=1):
        parts = _SPLIT_PAIR.split(line, maxsplit=1)
        town, rest = parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""
        if not town:
            raise ValidationError(f"“乡镇和村”第{number}行“{line}”没有写乡镇，请写成“乡镇/村”", field="乡镇和村")
        _check_name(town, "乡镇", number)
        villages = towns.setdefault(town, [])
        for village in (v for v in _SPLIT_MANY.split(rest) if v):
            _check_name(village, "村（社区）", number)
            if village not in villages:
                villages.append(village)
    return towns


def guess_unit_kind(name: str) -> UnitKind:
    """The kind a 承办单位's name suggests; the clerk can change it in 设置 → 承办单位."""
    if name.endswith(("镇人民政府", "乡人民政府", "街道办事处", "镇政府", "乡政府")):
        return UnitKind.TOWNSHIP
    if name.endswith(("人民政府", "人民法院", "人民检察院")) and name.startswith("县"):
        return UnitKind.GOV_COURT_PROC
    if name.startswith(("市", "省")):
        return UnitKind.SUPERIOR
    if name.startswith("县") or name.endswith(("局", "办", "委", "中心", "所", "站")):
        return UnitKind.COUNTY_DEPT
    return UnitKind.OTHER


def parse_unit_list(text: str) -> list[tuple[str, UnitKind]]:
    """(name, kind) of each 承办单位 line: "县民政局", or "县民政局<Tab>县直部门" with its kind.

    A kind not named is guessed from the name; the same name twice is kept once.
    """
    kinds = {kind.value: kind for kind in UnitKind}
    units: dict[str, UnitKind] = {}
    for number, line in enumerate(_lines(text), start=1):
        parts = [p for p in re.split(r"\s*[\t｜|,，]\s*", line) if p]
        name = parts[0]
        _check_name(name, "单位名称", number)
        kind = guess_unit_kind(name)
        if len(parts) > 1:
            if parts[1] not in kinds:
                raise ValidationError(
                    f"“承办单位”第{number}行的类别“{parts[1]}”不认识，类别可以是：{'、'.join(kinds)}", field="承办单位")
            kind = kinds[parts[1]]
        units.setdefault(name, kind)
    return list(units.items())


def _check_name(name: str, what: str, line: int) -> None:
    if len(name) > 64:
        raise ValidationError(f"第{line}行的{what}“{name[:20]}…”超过64个字，请核对", field=what)


# A date typed in one go -------------------------------------------------------------------------
_FULL = re.compile(r"(\d{4})\s*[-./年\s]\s*(\d{1,2})\s*[-./月\s]\s*(\d{1,2})\s*日?")
_SHORT = re.compile(r"(\d{1,2})\s*[-./月\s]\s*(\d{1,2})\s*日?")
DATE_HINT = "可以输入 20261201、2026-12-01、2026.12.1 或 12-1（今年）"


def parse_typed_date(text: str, *, today: date) -> date | None:
    """The day a clerk typed in one go, or None: 20261201, 2026-12-01, 2026.12.1, 2026年12月1日, 12-1, 1201.

    A day without a year is in `today`'s year.
    """
    typed = unicodedata.normalize("NFKC", text or "").strip()
    year, month, day = today.year, 0, 0
    if re.fullmatch(r"\d{8}", typed):
        year, month, day = int(typed[:4]), int(typed[4:6]), int(typed[6:])
    elif re.fullmatch(r"\d{4}", typed):
        month, day = int(typed[:2]), int(typed[2:])
    elif (full := _FULL.fullmatch(typed)) is not None:
        year, month, day = (int(part) for part in full.groups())
    elif (short := _SHORT.fullmatch(typed)) is not None:
        month, day = (int(part) for part in short.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
