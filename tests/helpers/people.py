"""An informant as a clerk types them: generated names, ID numbers and phones, spelt the ways people write them."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import strategies as st

from xinfang_desktop.domain.idcard import check_digit

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = "德明建国秀英志强桂兰海燕红梅春生晓东玉珍丽华永刚金凤淑芬文斌"
FILLER = ["反映", "村干部", "挪用", "补助款", "，", "。", "请求", "调查", "处理", "工程", "质量", "问题", "（", "）", "："]
GAPS = st.sampled_from(["", " ", "\u3000", "  ", " \u3000"])
ADDRESS = "城关镇石桥村5组12号"
# the same address as people say it: the 村 with its 组, the 组 alone, the house
SPOKEN_ADDRESSES = ["石桥村5组", "石桥村五组", "石桥村第5村民小组", "5组12号", "石 桥 村 5 组", "十二号"]


def normalized(text: str) -> str:
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


def sentence(draw: st.DrawFn, secrets: list[str]) -> str:
    """Filler words with each secret set in between, as a clerk writes them down."""
    words = draw(st.lists(st.sampled_from(FILLER), min_size=len(secrets) + 1, max_size=len(secrets) + 6))
    for secret in secrets:
        words.insert(draw(st.integers(0, len(words))), f"，{secret}，")
    return "".join(words)


@st.composite
def said_about(draw: st.DrawFn, name: str, number: str, mobile: str) -> str:
    """A sentence naming the informant (of ADDRESS) by a spoken name, ID, phone and address."""
    return sentence(draw, [draw(spoken_name(name)), draw(spoken_id(number)), draw(spoken_mobile(mobile)),
                           draw(st.sampled_from(SPOKEN_ADDRESSES))])


def traces(name: str, number: str, mobile: str) -> list[str]:
    """What must not be read back from a scrubbed text, normalized."""
    found = [name, name[1:], number, mobile, "石桥村", "5组", "五组", "12号", "十二号"]
    return [normalized(s) for s in found if len(s) >= 2]
