"""居民身份证号 checks: 18 digits with the ISO 7064 MOD 11-2 check digit, or a 15-digit old number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul

from xinfang_desktop import wallclock
from xinfang_desktop.domain.enums import Sex

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH = date(1890, 1, 1)


@dataclass(frozen=True)
class IdCheck:
    """The outcome of checking one number; `reason` is None when the number is sound."""

    number: str
    reason: str | None
    birth_date: date | None = None
    sex: Sex | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"17 digits expected, not {len(first17)}")
    # map over C functions: a ledger import checks every petitioner's number
    return _CHECK_CHARS[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


_NORMAL = str.maketrans({" ": None, "\u3000": None, "x": "X", "Ｘ": "X", "ｘ": "X",
                        **{c: str(i) for i, c in enumerate("０１２３４５６７８９")}})


def normalize_id_number(raw: str) -> str:
    """Strip spaces, turn a full-width or lower-case x into X, full-width digits into ASCII."""
    return raw.strip().translate(_NORMAL)


def _birth(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_id_number(raw: str, *, today: date | None = None) -> IdCheck:
    """Check a 身份证号 and read the birth date and sex from it. Never raises."""
    return _checked(normalize_id_number(raw), today or wallclock.today())


# The ledger import asks of each petitioner's number three times (登记's warnings, the sex at the
# check and again at the write): a tenth of its replay. IdCheck is frozen, so a result can be shared.
@lru_cache(maxsize=1 << 15)
def _checked(number: str, today: date) -> IdCheck:
    if not number:
        return IdCheck(number, "身份证号为空")
    if len(number) == 15:
        if not number.isdigit():
            return IdCheck(number, "15位旧身份证号应全部为数字")
        born = _birth(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
        if born is None:
            return IdCheck(number, f"15位身份证号中的出生日期“{number[6:12]}”不是有效日期")
        sex = Sex.MALE if int(number[14]) % 2 else Sex.FEMALE
        return IdCheck(number, None, born, sex)
    if len(number) != 18:
        return IdCheck(number, f"身份证号应为18位（旧证为15位），现在是{len(number)}位")
    if not _DIGITS.fullmatch(number):
        return IdCheck(number, "身份证号前17位应为数字，最后一位为数字或X")
    born = _birth(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if born is None:
        return IdCheck(number, f"身份证号中的出生日期“{number[6:14]}”不是有效日期")
    if not (_EARLIEST_BIRTH <= born <= today):
        return IdCheck(number, f"身份证号中的出生日期{born.year}年{born.month}月{born.day}日不合理")
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    expected = check_digit(number[:17])
    if number[17] != expected:
        return IdCheck(number, f"身份证号校验位不符：最后一位应为{expected}，请核对号码", born, sex)
    return IdCheck(number, None, born, sex)


def mask_id_number(number: str) -> str:
    """330102********1234: keep the region code and the last four characters."""
    if len(number) <= 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
