"""Field checks of the forms: phone numbers, the title's length, lists pasted in at the first start."""

from __future__ import annotations

import pytest

from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.validation import (
    check_petitioner_phones,
    check_phone,
    parse_region_list,
    parse_unit_list,
    title_length_warning,
)
from xinfang_desktop.domain.values import PetitionerInput


@pytest.mark.parametrize("typed, kept", [
    ("13800000000", "13800000000"),
    ("  0571-88881234 转 802 ", "0571-88881234 转 802"),
    ("+86 138 0000 0000", "+86 138 0000 0000"),
    ("（0571）88881234", "(0571)88881234"),  # full-width brackets as a Chinese IME types them
    ("１３８００００００００", "13800000000"),
    ("13800000000/0571-88881234", "13800000000/0571-88881234"),
    ("0571-88881234 ext 12", "0571-88881234 ext 12"),
    ("", ""),
])
def test_a_phone_as_clerks_write_it_is_kept(typed: str, kept: str) -> None:
    assert check_phone(typed) == kept


@pytest.mark.parametrize("typed", ["abc电话", "😀😀", "138😀0000", "电话13800000000", "12", "x123", "1" * 70])
def test_a_phone_that_is_not_one_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_phone(typed)
    assert caught.value.field == "联系电话"
    assert caught.value.message.startswith("“联系电话”")


def test_the_second_petitioners_phone_is_named_by_whose_it_is() -> None:
    people = (PetitionerInput(name="张三", phone="13800000000"), PetitionerInput(name="李四", phone="abc"))
    with pytest.raises(ValidationError) as caught:
        check_petitioner_phones(people)
    assert caught.value.field == "李四的联系电话"


def test_a_long_title_is_told_before_saving() -> None:
    assert title_length_warning("反映拖欠工资问题") == ""
    assert title_length_warning("字" * 200) == ""
    warning = title_length_warning("字" * 5000)
    assert "5000个字" in warning and "最多200个字" in warning and "反映内容" in warning


def test_regions_typed_pasted_from_excel_or_listed_on_one_line() -> None:
    text = "河口镇/李家湾村\n河口镇\t沙洲村\r\n\n城关镇：东街社区、西街社区\n白云乡\n河口镇/李家湾村"
    assert parse_region_list(text) == {
        "河口镇": ["李家湾村", "沙洲村"], "城关镇": ["东街社区", "西街社区"], "白云乡": []}


def test_a_region_line_without_its_town_names_the_line() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_region_list("河口镇\n/李家湾村")
    assert "第2行" in caught.value.message and caught.value.field == "乡镇和村"


def test_units_with_their_kind_named_or_guessed() -> None:
    units = parse_unit_list("县民政局\n城关镇人民政府\n县人民法院\n市信访局\n青石砂石厂\t其他\n县教育局\t县直部门\n县民政局")
    assert units == [
        ("县民政局", UnitKind.COUNTY_DEPT), ("城关镇人民政府", UnitKind.TOWNSHIP),
        ("县人民法院", UnitKind.GOV_COURT_PROC), ("市信访局", UnitKind.SUPERIOR), ("青石砂石厂", UnitKind.OTHER),
        ("县教育局", UnitKind.COUNTY_DEPT),
    ]


def test_a_unit_kind_not_known_is_refused_with_the_kinds() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_unit_list("县民政局\t部门")
    assert "第1行" in caught.value.message and "县直部门" in caught.value.message
