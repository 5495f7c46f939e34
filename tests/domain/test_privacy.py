"""The informant in every spelling a clerk types is blanked (Art. 30); IDs and phones masked in free text."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_desktop.domain.idcard import check_digit
from xinfang_desktop.domain.privacy import (
    REDACTED,
    Person,
    informant_scrubber,
    mask_ids_in_text,
    mask_people_in_text,
)

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = "德明建国秀英志强桂兰海燕红梅春生晓东玉珍丽华永刚金凤淑芬文斌"
FILLER = ["反映", "村干部", "挪用", "补助款", "，", "。", "请求", "调查", "处理", "工程", "质量", "问题", "（", "）", "："]
GAPS = st.sampled_from(["", " ", "\u3000", "  ", " \u3000"])


def _normalized(text: str) -> str:
    """What a reader recovers by ignoring spacing and dashes and reading full-width digits as digits."""
    text = text.translate({0xFF10 + d: ord("0") + d for d in range(10)})
    return re.sub(r"[\s\u3000\-－—–_.．()（）+＋·]", "", text).upper().replace("Ｘ", "X")


@st.composite
def names(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(SURNAMES)) + "".join(draw(st.lists(st.sampled_from(GIVEN), min_size=1, max_size=2)))


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 659999))
    born = draw(st.dates(date(1930, 1, 1), date(2008, 12, 31)))
    first17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + check_digit(first17)


def mobiles() -> st.SearchStrategy[str]:
    return st.builds(lambda head, rest: f"1{head}{rest:09d}", st.integers(3, 9), st.integers(0, 999_999_999))


def _spread(draw: st.DrawFn, text: str, gaps: st.SearchStrategy[str]) -> str:
    """The text with a random gap after each character, as people type it."""
    return "".join(ch + draw(gaps) for ch in text[:-1]) + text[-1]


@st.composite
def spoken_name(draw: st.DrawFn, name: str) -> str:
    whole = _spread(draw, name, GAPS)
    return draw(st.sampled_from([whole, name[1:]])) if len(name) >= 3 else whole


@st.composite
def spoken_id(draw: st.DrawFn, number: str) -> str:
    text = _spread(draw, number, st.sampled_from(["", "", "", " ", "\u3000", "-"]))
    if draw(st.booleans()):
        text = text.replace("X", "x")
    if draw(st.booleans()):
        text = text.translate({ord("0") + d: 0xFF10 + d for d in range(10)})
    return text


@st.composite
def spoken_mobile(draw: st.DrawFn, digits: str) -> str:
    form = draw(st.sampled_from(["{a}{b}{c}", "{a}-{b}-{c}", "{a} {b} {c}", "+86 {a} {b} {c}", "+86-{a}{b}{c}",
                                 "0086{a}{b}{c}", "86{a}{b}{c}", "({a}){b}-{c}", "{a}　{b}　{c}"]))
    text = form.format(a=digits[:3], b=digits[3:7], c=digits[7:])
    if draw(st.booleans()):
        text = text.translate({ord("0") + d: 0xFF10 + d for d in range(10)})
    return text


def _sentence(draw: st.DrawFn, secrets: list[str]) -> str:
    words = draw(st.lists(st.sampled_from(FILLER), min_size=len(secrets) + 1, max_size=len(secrets) + 6))
    for secret in secrets:
        words.insert(draw(st.integers(0, len(words))), f"，{secret}，")  # as a clerk writes them down
    return "".join(words)


@settings(max_examples=300, deadline=None)
@given(st.data(), names(), id_numbers(), mobiles())
def test_the_informant_leaves_no_trace_in_any_spelling(data: st.DataObject, name: str, number: str, mobile: str) -> None:
    person = Person(name=name, id_number=number, phone=mobile, address="城关镇石桥村5组12号")
    said = [
        data.draw(spoken_name(name)),
        data.draw(spoken_id(number)),
        data.draw(spoken_mobile(mobile)),
        data.draw(st.sampled_from(["石桥村5组", "石桥村五组", "石桥村第5村民小组", "5组12号", "石 桥 村 5 组", "十二号"])),
    ]
    text = _sentence(data.draw, said)
    scrubbed = informant_scrubber([person])(text)
    left = _normalized(scrubbed)
    for secret in (name, name[1:], number, mobile, "石桥村", "5组", "五组", "12号", "十二号"):
        if len(secret) >= 2:
            assert _normalized(secret) not in left, (text, scrubbed)
    assert "挪用" in scrubbed or "挪用" not in text  # the matter itself is still told


@settings(max_examples=100, deadline=None)
@given(st.data(), names(), names())
def test_every_representative_is_blanked(data: st.DataObject, first: str, second: str) -> None:
    text = _sentence(data.draw, [data.draw(spoken_name(first)), data.draw(spoken_name(second))])
    left = _normalized(informant_scrubber([Person(name=first), Person(name=second)])(text))
    assert _normalized(first) not in left and _normalized(second) not in left


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
