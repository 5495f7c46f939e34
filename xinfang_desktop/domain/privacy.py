"""Keeping people out of text: an informant scrubbed from a letter in every spelling (Art. 30), IDs and phones masked.

A clerk types what the petitioner said: "赵 德明", "德明", "139-1234-5678", "+86 139 1234 5678",
an ID with spaces or a lowercase x, "石桥村五组". Matching exact copies leaves all of these in a
交办函. Here each piece of a person is turned into a pattern that tolerates the separators and
the forms people write, and everything matched is blanked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

REDACTED = "×××"

_FULL_DIGITS = {str(d): chr(0xFF10 + d) for d in range(10)}
_NAME_GAP = r"[\s\u3000·•・.．_\-]{0,3}"  # "赵 德明", "赵　德明", "买买提·艾力"
_DIGIT_GAP = r"[\s\u3000\-－—–_.．()（）/]{0,3}"  # 139-1234-5678, (0571) 8888 8888
_NOT_DIGIT_BEFORE = r"(?<![0-9０-９])"
_NOT_DIGIT_AFTER = r"(?![0-9０-９])"
_EXTENSION = rf"(?:{_DIGIT_GAP}(?:转|分机|内线|ext\.?|x|#|-)\s*[0-9０-９]{{1,6}})?"
_MOBILE_PREFIX = r"(?:(?:[+＋]|[0０][0０])?\s*[8８][6６][\s\u3000\-]*)?"

# two-character surnames: the given name is what follows them
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里 呼延 "
    "万俟 闻人 赫连 申屠 濮阳 钟离 宗政 太史 公冶 仲孙 鲜于 闾丘 司空 亓官 司寇 澹台 拓跋 东郭 公羊 第五".split()
)

_CN_NUMERALS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Person:
    """What identifies one petitioner or 代表人 in a text."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    region: str = ""  # 所属乡镇/村


def _char(ch: str) -> str:
    if ch in _FULL_DIGITS:
        return f"[{ch}{_FULL_DIGITS[ch]}]"
    if ch in "Xx":
        return "[XxＸｘ]"
    return re.escape(ch)


def _spaced(text: str, gap: str) -> str:
    return gap.join(_char(ch) for ch in text)


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _digits(text: str) -> str:
    return "".join(ch for ch in text.translate({ord(v): k for k, v in _FULL_DIGITS.items()}) if ch.isdigit())


# names --------------------------------------------------------------------------------------------
def _name_patterns(raw: str) -> list[str]:
    name = _squeeze(raw)
    if len(name) < 2:
        return []  # one character would strike common words
    found = [_spaced(name, _NAME_GAP)]
    given = {name[1:]}
    if name[:2] in _COMPOUND_SURNAMES:
        given.add(name[2:])
    for part in re.split(r"[·•・.．]", name):
        if part != name:
            given.add(part)
    found += [_spaced(g, _NAME_GAP) for g in given if len(g) >= 2]
    return found


# phones -------------------------------------------------------------------------------------------
def _phone_patterns(raw: str) -> list[str]:
    main = re.split(r"转|分机|内线|ext|[xX#]", raw, maxsplit=1)[0]
    digits = _digits(main)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 5:
        return []
    # a whole number of 10 digits or more is the informant's wherever it stands; a short local
    # number (8888 8888) only where it stands alone
    if re.fullmatch(r"1\d{10}", digits):
        return [_MOBILE_PREFIX + _spaced(digits, _DIGIT_GAP) + _EXTENSION]
    if len(digits) < 10:
        return [_NOT_DIGIT_BEFORE + _spaced(digits, _DIGIT_GAP) + _EXTENSION + _NOT_DIGIT_AFTER]
    found = [_spaced(digits, _DIGIT_GAP) + _EXTENSION]
    if digits.startswith("0"):
        area = 3 if digits[1] in "12" else 4  # 010 and 02x, else 0571
        local = digits[area:]
        found.append(_MOBILE_PREFIX + _spaced(digits[1:], _DIGIT_GAP) + _EXTENSION)  # +86 571 8888 8888
        if len(local) >= 7:
            found.append(_NOT_DIGIT_BEFORE + _spaced(local, _DIGIT_GAP) + _EXTENSION + _NOT_DIGIT_AFTER)
    return found


# ID numbers -----------------------------------------------------------------------------------------
def _id_patterns(raw: str) -> list[str]:
    number = _squeeze(raw).translate({ord(v): k for k, v in _FULL_DIGITS.items()}).upper().replace("Ｘ", "X")
    if len(number) < 8:
        return []
    return [_spaced(number, _DIGIT_GAP)]  # 15 or 18 known digits: the informant's wherever they stand


# addresses ------------------------------------------------------------------------------------------
# the levels an address is cut at; from 村 down, a part narrows the informant to a few households
_LEVELS = re.compile(
    r"(.+?(?:自治区|自治州|特别行政区|街道|社区|小区|居委会|村委会|村民小组|小组|单元|"
    r"[省市州盟县区旗镇乡村组队路街巷弄号栋幢楼室户]))"
)
_NARROW = ("社区", "小区", "居委会", "村委会", "村", "村民小组", "小组", "组", "队", "号", "栋", "幢", "楼", "单元", "室", "户")
_NUMBERED = re.compile(r"^第?([0-9０-９]+|[零一二三四五六七八九十百]+)(村民小组|小组|组|队|号|栋|幢|楼|单元|室|户)$")
_GROUP_WORDS = "(?:村民小组|村民组|小组|组)"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _CN_NUMERALS[tens]) + "十" + (_CN_NUMERALS[ones] if ones else "")
    return str(n)


def _from_cn(text: str) -> int | None:
    if text.isdigit():
        return int(_digits(text))
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_NUMERALS.index(tens) if tens else 1) * 10 + (_CN_NUMERALS.index(ones) if ones else 0)
    if len(text) == 1 and text in _CN_NUMERALS:
        return _CN_NUMERALS.index(text)
    return None


def _numbered_part(number: int, unit: str) -> str:
    arabic = _spaced(str(number), "")
    forms = f"(?:{arabic}|{_cn_number(number)})"
    suffix = _GROUP_WORDS if unit in ("组", "小组", "村民小组") else re.escape(unit)
    # "11月12号" is a date, not a house number; "十五组" is not "五组"
    before = r"(?<![0-9０-９零一二三四五六七八九十百月])"
    return f"{before}第?{forms}\\s*{suffix}"


def _address_patterns(raw: str, public: str) -> list[str]:
    address = _squeeze(raw)
    if len(address) < 2:
        return []
    found = [_spaced(address, _NAME_GAP)]
    parts = _LEVELS.findall(address)
    narrow_from = next((i for i, p in enumerate(parts) if p.endswith(_NARROW)), None)
    if narrow_from is None:
        return found
    tail = "".join(parts[narrow_from:])
    if len(tail) >= 2:
        found.append(_spaced(tail, _NAME_GAP))
    for part in parts[narrow_from:]:
        numbered = _NUMBERED.match(part)
        if numbered:
            number = _from_cn(numbered.group(1))
            if number is not None:
                found.append(_numbered_part(number, numbered.group(2)))
            continue
        # a village the letter names anyway as where the problem is tells nothing more about who wrote
        if len(part) >= 3 and part not in public:
            found.append(_spaced(part, _NAME_GAP))
    return found


def informant_scrubber(people: Iterable[Person], *, public: Iterable[str] = ()) -> Callable[[str], str]:
    """A function blanking every trace of these people (every 信访人 and 代表人) from a text.

    `public`: places the document states anyway (the 问题发生地): a 村 named there is kept in the
    text; the 组 and 号 below it are still blanked.
    """
    known = "".join(_squeeze(p) for p in public)
    patterns: list[str] = []
    for person in people:
        patterns += _name_patterns(person.name)
        patterns += _id_patterns(person.id_number)
        patterns += _phone_patterns(person.phone)
        patterns += _address_patterns(person.address, known)
        patterns += _address_patterns(person.region, known)
    if not patterns:
        return lambda text: text
    # the longest first: the whole address before the village it contains
    unique = sorted(set(patterns), key=len, reverse=True)
    regex = re.compile("|".join(f"(?:{p})" for p in unique), re.IGNORECASE)

    def scrub(text: str) -> str:
        return regex.sub(REDACTED, text)

    return scrub


# masking anyone's numbers: exports and logs ---------------------------------------------------------
_ANY_DIGIT = "[0-9０-９]"
_LAST = "[0-9０-９XxＸｘ]"
_SEP = r"[ \u3000\-]"


def _run(n: int) -> str:
    return f"{_ANY_DIGIT}{{{n}}}"


# anyone's number: written whole, or grouped as people group it (6-8-4, 6-4-4-4); a known informant's
# number is matched in any spacing by informant_scrubber
ID_IN_TEXT = re.compile(
    rf"{_NOT_DIGIT_BEFORE}(?:{_run(17)}|{_run(6)}{_SEP}{_run(8)}{_SEP}{_run(3)}"
    rf"|{_run(6)}{_SEP}{_run(4)}{_SEP}{_run(4)}{_SEP}{_run(3)}){_LAST}(?![0-9０-９A-Za-z])"
    rf"|{_NOT_DIGIT_BEFORE}{_run(15)}{_NOT_DIGIT_AFTER}"
)
MOBILE_IN_TEXT = re.compile(
    rf"{_NOT_DIGIT_BEFORE}(?:(?:\+|00)86[\s\-]?)?[1１][3-9３-９]{_ANY_DIGIT}(?:[\s\-]?{_ANY_DIGIT}){{8}}{_NOT_DIGIT_AFTER}"
)
LANDLINE_IN_TEXT = re.compile(rf"{_NOT_DIGIT_BEFORE}0\d{{2,3}}[\s\-]?\d{{3,4}}[\s\-]?\d{{4}}{_NOT_DIGIT_AFTER}")


def _mask_id(match: re.Match[str]) -> str:
    chars = [ch for ch in match.group(0) if not ch.isspace() and ch not in "-\u3000"]
    return "".join(chars[:6]) + "*" * (len(chars) - 10) + "".join(chars[-4:])


def _mask_phone(match: re.Match[str]) -> str:
    digits = _digits(match.group(0))
    if len(digits) > 11 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) > 11 and digits.startswith("0086"):
        digits = digits[4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_ids_in_text(text: str) -> str:
    """Every 身份证号 in a free text as 330102********1234, however it was spaced."""
    if not text or len(text) < 15:
        return text
    return ID_IN_TEXT.sub(_mask_id, text)


def mask_people_in_text(text: str) -> str:
    """IDs as 330102********1234 and phones as 139****5678: for log lines."""
    text = mask_ids_in_text(text)
    text = MOBILE_IN_TEXT.sub(_mask_phone, text)
    return LANDLINE_IN_TEXT.sub(_mask_phone, text)
