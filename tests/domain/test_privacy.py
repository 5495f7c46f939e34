"""The informant in every spelling a clerk types is blanked (Art. 30); IDs and phones masked in free text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.people import (
    ADDRESS,
    id_numbers,
    mobiles,
    names,
    normalized,
    said_about,
    sentence,
    spoken_name,
    traces,
)
from xinfang_desktop.domain.privacy import (
    REDACTED,
    Person,
    informant_scrubber,
    mask_ids_in_text,
    mask_people_in_text,
)


@settings(max_examples=300, deadline=None)
@given(st.data(), names(), id_numbers(), mobiles())
def test_the_informant_leaves_no_trace_in_any_spelling(data: st.DataObject, name: str, number: str, mobile: str) -> None:
    person = Person(name=name, id_number=number, phone=mobile, address=ADDRESS)
    text = data.draw(said_about(name, number, mobile))
    scrubbed = informant_scrubber([person])(text)
    left = normalized(scrubbed)
    for secret in traces(name, number, mobile):
        assert secret not in left, (text, scrubbed)
    assert "挪用" in scrubbed or "挪用" not in text  # the matter itself is still told


@settings(max_examples=100, deadline=None)
@given(st.data(), names(), names())
def test_every_representative_is_blanked(data: st.DataObject, first: str, second: str) -> None:
    text = sentence(data.draw, [data.draw(spoken_name(first)), data.draw(spoken_name(second))])
    left = normalized(informant_scrubber([Person(name=first), Person(name=second)])(text))
    assert normalized(first) not in left and normalized(second) not in left


def test_landlines_with_area_code_extension_and_international_form() -> None:
    scrub = informant_scrubber([Person(name="钱某某", phone="0571-8888 8888转123")])
    for said in ("0571-88888888", "(0571)8888 8888", "+86 571 8888 8888", "88888888", "8888-8888",
                 "0571-88888888转123", "０５７１８８８８８８８８"):
        scrubbed = scrub(f"电话{said}。")
        assert REDACTED in scrubbed and not re.search(r"[0-9０-９]", scrubbed), said


def test_a_single_character_given_name_and_common_words_are_left() -> None:
    scrub = informant_scrubber([Person(name="王䶮")])
    assert scrub("王 䶮反映：䶮字难认，王家村道路") == f"{REDACTED}反映：䶮字难认，王家村道路"


def test_a_village_named_as_the_problem_place_stays_but_the_group_and_house_go() -> None:
    scrub = informant_scrubber([Person(name="孙德明", address="城关镇石桥村5组12号")], public=["城关镇石桥村"])
    assert scrub("石桥村村道开裂，我住石桥村五组12号，11月12号来访") == (
        f"石桥村村道开裂，我住石桥村{REDACTED}{REDACTED}，11月12号来访"
    )
    hidden = informant_scrubber([Person(name="孙德明", address="城关镇石桥村5组12号")])
    assert "石桥村" not in hidden("石桥村村道开裂")


def test_compound_surname_given_name() -> None:
    scrub = informant_scrubber([Person(name="欧阳娜娜")])
    assert scrub("欧阳 娜娜说，娜娜家") == f"{REDACTED}说，{REDACTED}家"


def test_no_people_no_change() -> None:
    assert informant_scrubber([Person()])("原样") == "原样"


@settings(max_examples=200, deadline=None)
@given(st.data(), id_numbers())
def test_an_id_anywhere_in_free_text_is_masked(data: st.DataObject, number: str) -> None:
    form = data.draw(st.sampled_from([number, number.lower(), f"{number[:6]} {number[6:14]} {number[14:]}",
                                      f"{number[:6]}-{number[6:10]}-{number[10:14]}-{number[14:]}"]))
    masked = mask_ids_in_text(f"备注：身份证{form}，已核实")
    assert masked == f"备注：身份证{number[:6]}********{form[-4:]}，已核实"


def test_amounts_dates_and_phones_are_not_taken_for_ids() -> None:
    text = "金额1234567890123456789元，2026-03-05，电话13912345678，户号12345678901234"
    assert mask_ids_in_text(text) == text


def test_log_lines_mask_ids_and_phones() -> None:
    line = "refused: 张三 11010519491231002X 电话 139-1234-5678 或 +8613912345678 座机 0571-88888888"
    assert mask_people_in_text(line) == (
        "refused: 张三 110105********002X 电话 139****5678 或 139****5678 座机 057*****8888"
    )
