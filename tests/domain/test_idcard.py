"""身份证号 checks: MOD 11-2 check digit, 15-digit legacy numbers, birth dates, lengths, masking."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.domain.enums import Sex
from xinfang_desktop.domain.idcard import (
    check_digit,
    check_id_number,
    mask_id_number,
    normalize_id_number,
)

# the GB 11643 worked example: 11010519491231002X is a valid number ending in X
VALID_X = "11010519491231002X"
VALID_DIGIT = "110101199003074477"  # check digit computed by hand: 7


def test_check_digit_of_known_numbers() -> None:
    assert check_digit(VALID_X[:17]) == "X"
    assert check_digit(VALID_DIGIT[:17]) == "7"


def test_valid_18_digit_number_with_x_reads_birth_and_sex() -> None:
    result = check_id_number(VALID_X)
    assert result.ok and result.reason is None
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex is Sex.FEMALE  # 17th digit 2 is even


def test_lower_case_and_full_width_x_are_normalised() -> None:
    assert check_id_number(VALID_X.lower()).ok
    assert check_id_number(VALID_X[:-1] + "ｘ").ok
    assert normalize_id_number(" １１０１０５１９４９１２３１００２Ｘ ") == VALID_X


def test_bad_check_digit_gives_the_expected_one_in_chinese() -> None:
    result = check_id_number(VALID_DIGIT[:-1] + "8")
    assert not result.ok
    assert "校验位" in result.reason and "应为7" in result.reason
    assert result.birth_date == date(1990, 3, 7)  # still read, for the clerk who overrides


def test_15_digit_legacy_number_is_accepted_with_19xx_birth() -> None:
    result = check_id_number("110105491231002")
    assert result.ok
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex is Sex.FEMALE


def test_15_digit_number_with_letters_or_impossible_date_refused() -> None:
    assert "数字" in check_id_number("11010549123100X").reason
    assert "不是有效日期" in check_id_number("110105491331002").reason  # month 13


@pytest.mark.parametrize(
    "birth, fragment",
    [("19900230", "不是有效日期"), ("19901301", "不是有效日期"), ("18800101", "不合理"), ("20990101", "不合理")],
)
def test_impossible_or_implausible_birth_date_refused(birth: str, fragment: str) -> None:
    first17 = f"110101{birth}447"
    result = check_id_number(first17 + check_digit(first17), today=date(2026, 11, 22))
    assert not result.ok
    assert fragment in result.reason


@pytest.mark.parametrize("raw", ["1101011990030744", "11010119900307447712", "1234567"])
def test_wrong_lengths_name_the_length(raw: str) -> None:
    result = check_id_number(raw)
    assert not result.ok
    assert f"现在是{len(raw)}位" in result.reason


def test_letters_inside_refused_and_empty_refused() -> None:
    assert "前17位应为数字" in check_id_number("1101011990A3074477").reason
    assert check_id_number("  ").reason == "身份证号为空"


def test_mask_keeps_region_and_last_four() -> None:
    assert mask_id_number("330102199001011234") == "330102********1234"
    assert mask_id_number("110105491231002") == "110105*****1002"
    assert mask_id_number("12345") == "12345"
