"""Templates and placeholders: every kind's default parses, unknown names are refused by name."""

from __future__ import annotations

import pytest

from xinfang_desktop.domain.enums import Purpose
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.letters import (
    INFORMANT_PLACEHOLDERS,
    PLACEHOLDERS,
    PROTECTED_DETAIL,
    PROTECTED_NAME,
    RECORD_PLACEHOLDERS,
    DocumentKind,
    compose,
    fill,
    heading_level,
    parse_template,
    placeholders_in,
    protect_informant,
    protects_informant,
)
from xinfang_desktop.paths import resources_dir


def test_fill_replaces_known_placeholders() -> None:
    assert fill("{信访人}于{登记日期}来信", {"信访人": "张三", "登记日期": "2026年1月5日"}) == "张三于2026年1月5日来信"


@pytest.mark.parametrize("typed", ["应通过诉讼途径解决", "应通过诉讼途径解决。", "应通过诉讼途径解决；\n", "应通过诉讼途径解决。 "])
def test_a_value_ending_its_own_sentence_takes_the_templates_punctuation_once(typed: str) -> None:
    assert fill("经审查，{不予受理理由}。根据", {"不予受理理由": typed}) == "经审查，应通过诉讼途径解决。根据"


def test_a_value_keeps_its_punctuation_where_the_template_adds_none() -> None:
    assert fill("{处理意见}\n感谢", {"处理意见": "已返修。"}) == "已返修。\n感谢"
    assert fill("{超期情况}。", {"超期情况": "（已超期3日）"}) == "（已超期3日）。"


def test_a_name_never_ends_in_a_typed_full_stop_and_a_quoted_title_quotes_inside_with_single_quotes() -> None:
    assert fill("请你向{有权处理机关}提出", {"有权处理机关": "青石县人民法院。"}) == "请你向青石县人民法院提出"
    assert fill("{承办单位}", {"承办单位": "青石县民政局。"}) == "青石县民政局"  # the 主送 line, before its colon
    assert fill("反映的“{反映问题}”的信访事项", {"反映问题": "反映“低保”被取消问题。"}) == (
        "反映的“反映‘低保’被取消问题”的信访事项")
    # a sentence the template does not quote keeps its own quotes and stop
    assert fill("{处理意见}\n", {"处理意见": "已恢复“低保”。"}) == "已恢复“低保”。\n"


def test_unknown_placeholder_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as info:
        fill("{信访人}反映的{反应问题}", {"信访人": "张三"})
    assert "{反应问题}" in info.value.message
    assert info.value.field == "模板"


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_default_template_parses_and_uses_known_placeholders(kind: DocumentKind) -> None:
    text = (resources_dir() / "templates" / f"{kind.value}.txt").read_text(encoding="utf-8")
    template = parse_template(text)
    assert template.title and template.body
    assert set(placeholders_in(text)) <= set(PLACEHOLDERS)
    # a 复查 or 复核 document is signed by the body that does it, every other by this office
    signer = {DocumentKind.REVIEW_ACCEPT_NOTICE: "{复查机关}", DocumentKind.REVIEW_OPINION: "{复查机关}",
              DocumentKind.RECHECK_ACCEPT_NOTICE: "{复核机关}", DocumentKind.RECHECK_OPINION: "{复核机关}"}
    assert template.signature == signer.get(kind, "{机关名称}") and template.date == "{成文日期}"
    assert "你（你们）" not in text


def test_a_paragraph_of_empty_placeholders_is_left_out_but_a_form_row_stays() -> None:
    template = parse_template("【标题】函\n【正文】\n反映：{反映内容}\n主要诉求：{诉求}\n{诉求}\n"
                              "{你}的诉求{诉求}\n意见｜{信访人意见}")
    content = compose("交办函", template, {"反映内容": "路面开裂", "诉求": "", "你": "你", "信访人意见": ""}, "")
    assert [p.text for p in content.paragraphs] == ["反映：路面开裂", "你的诉求", "意见｜"]


def test_template_sections_are_checked() -> None:
    with pytest.raises(ValidationError, match="【落款】"):
        parse_template("【标题】告知书\n【正文】内容\n【落款】某机关")
    with pytest.raises(ValidationError, match="正文"):
        parse_template("【标题】告知书\n【主送】张三")
    with pytest.raises(ValidationError, match="标题"):
        parse_template("随便写的一段话")


def test_compose_fills_everything_and_detects_headings() -> None:
    template = parse_template("【标题】意见书\n【主送】{信访人}\n【正文】\n一、请求\n{诉求}\n（一）细节\n【署名】{机关名称}\n【日期】{成文日期}")
    content = compose("信访处理意见书", template,
                      {"信访人": "李四", "诉求": "第一段\n第二段", "机关名称": "某镇人民政府", "成文日期": "2026年11月22日"},
                      "信告〔2026〕1号")
    assert content.addressee == "李四："
    assert [(p.text, p.level) for p in content.paragraphs] == [
        ("一、请求", 1), ("第一段", 0), ("第二段", 0), ("（一）细节", 2)]
    assert content.signature == "某镇人民政府" and content.number == "信告〔2026〕1号"
    assert heading_level("1.小点") == 0


def test_a_letter_to_a_unit_replaces_the_informant_and_scrubs_every_typed_text_but_not_the_record() -> None:
    assert RECORD_PLACEHOLDERS | set(INFORMANT_PLACEHOLDERS) < set(PLACEHOLDERS)
    # what a clerk types, and so what may quote the informant, in a letter to a unit (Art. 30)
    assert {"反映问题", "反映内容", "诉求", "信访请求", "认定事实", "不予受理理由", "延期理由", "处理意见", "办理结果",
            "领导批示", "回访情况", "信访人意见"}.isdisjoint(RECORD_PLACEHOLDERS)
    context = {name: f"{name}：赵检举" for name in PLACEHOLDERS}
    protected = protect_informant(context, lambda text: text.replace("检举", "×××"))
    for name in PLACEHOLDERS:
        if name in INFORMANT_PLACEHOLDERS:  # replaced, never scrubbed: 检举控告人（姓名依法保密） stays whole
            assert protected[name] in (PROTECTED_NAME, PROTECTED_DETAIL), name
        else:
            assert protected[name] == (context[name] if name in RECORD_PLACEHOLDERS else f"{name}：赵×××"), name


@pytest.mark.parametrize("kind", list(DocumentKind))
@pytest.mark.parametrize("purpose", [*Purpose, None])
def test_only_a_letter_to_a_unit_on_an_accusation_hides_the_informant(purpose: Purpose | None, kind: DocumentKind) -> None:
    # the one rule the issued letter, its draft and the dialog's 载明检举控告人 box all ask
    unit_letter = kind in (DocumentKind.FORWARD_LETTER, DocumentKind.ASSIGN_LETTER, DocumentKind.ASSIST_LETTER,
                           DocumentKind.REMINDER)
    assert protects_informant(purpose, kind) is (purpose is Purpose.ACCUSATION and unit_letter)
