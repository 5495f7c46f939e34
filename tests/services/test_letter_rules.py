"""The wording rules of the letters (issue 11), each read back from the issued PDF's text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers.pdf import page_sizes, pdf_text
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Document, Transfer
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    PetitionerRole,
    Purpose,
    ReplyOpinion,
    Satisfaction,
    TransferRole,
)
from xinfang_desktop.domain.letters import DocumentKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.exporters import letter_pdf
from xinfang_desktop.services import documents
from xinfang_desktop.services.common import set_setting
from xinfang_desktop.services.handling import follow_up, record_feedback, remind, reply, request_review
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter

D = date.fromisoformat
TITLE = "反映村道硬化工程质量问题"
REASON = "申请人认为原处理意见未考虑路面再次开裂的事实"


def _text(pdf: bytes, tmp_path: Path) -> str:
    """The text as a reader searches it: line breaks and the spaces pdftotext puts in removed."""
    return re.sub(r"\s", "", pdf_text(pdf, tmp_path))


def _matter(db: Database, *, people: tuple[PetitionerInput, ...] = (PetitionerInput(name="张三"),),
            persons: int = 1, channel: Channel = Channel.LETTER, demand: str = "请求督促施工单位返修。",
            joint: bool = False) -> int:
    data = MatterInput(received_on=D("2026-03-02"), channel=channel, title=TITLE, petitioners=people,
                       purpose=Purpose.CLAIM, content="村道完工不到一年即开裂。", demand=demand, persons=persons,
                       joint=joint)
    with db.begin() as s:
        return register_matter(s, data).id


def _units(db: Database) -> list[int]:
    with db.read() as s:
        return [u.id for u in list_units(s)]


def _assign(db: Database, matter_id: int, *, assist: bool = False) -> list[int]:
    units = _units(db)
    targets = [TransferTarget(units[0], due_on=D("2026-05-04"))]
    if assist:
        targets.append(TransferTarget(units[1], role=TransferRole.ASSIST, due_on=D("2026-05-04")))
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=D("2026-03-05"), targets=tuple(targets))
        return list(s.scalars(select(Transfer.id).where(Transfer.matter_id == matter_id).order_by(Transfer.id)))


def _issue(db: Database, matter_id: int, kind: DocumentKind, tmp_path: Path, **kw: object) -> str:
    with db.begin() as s:
        info = documents.issue_document(s, matter_id=matter_id, kind=kind, on=D("2026-06-01"), **kw)  # type: ignore[arg-type]
        return _text(documents.document_pdf(s, info.id), tmp_path)


def _replied(db: Database, matter_id: int, *, opinion: ReplyOpinion | None = None, findings: str = "") -> None:
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
        reply(s, matter_id=matter_id, on=D("2026-04-20"), text="经调查核实，已责成施工单位返修。",
              opinion=opinion, findings=findings)


def _signed_by(text: str, body: str) -> bool:
    """The signature stands over the date at the end of the letter (the page number after it)."""
    return re.search(re.escape(body) + r"2026年6月1日(—\d+—)?$", text) is not None


# 你 or 你们 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [DocumentKind.ACCEPT_NOTICE, DocumentKind.OPINION])
def test_one_petitioner_is_addressed_as_you_and_several_as_you_plural(db: Database, tmp_path: Path,
                                                                     kind: DocumentKind) -> None:
    one = _matter(db)
    several = _matter(db, people=(PetitionerInput(name="李四"), PetitionerInput(name="王五")), joint=True)
    texts = {}
    for matter_id in (one, several):
        _replied(db, matter_id)
        texts[matter_id] = _issue(db, matter_id, kind, tmp_path)
    assert "你（你们）" not in texts[one] + texts[several]
    assert "张三：你于2026年3月2日" in texts[one]
    assert "你们" not in texts[one]
    assert "李四、王五：你们于2026年3月2日" in texts[several]


def test_a_collective_visit_is_addressed_to_its_representatives_with_the_head_count(db: Database,
                                                                                   tmp_path: Path) -> None:
    people = (PetitionerInput(name="张三", role=PetitionerRole.REPRESENTATIVE),
              *(PetitionerInput(name=f"村民{n}") for n in range(1, 8)))
    matter_id = _matter(db, people=people, persons=8, channel=Channel.VISIT)
    _replied(db, matter_id)
    for kind in (DocumentKind.ACCEPT_NOTICE, DocumentKind.OPINION):
        text = _issue(db, matter_id, kind, tmp_path)
        assert "张三等8人：你们于2026年3月2日" in text, kind
        assert "村民1" not in text and "、" not in text.split("：")[0]


# 复查机关 and 复核机关 -----------------------------------------------------------------------------
def test_the_review_body_named_in_the_opinion_is_the_one_that_signs_the_review(db: Database,
                                                                              tmp_path: Path) -> None:
    with db.begin() as s:
        set_setting(s, "review_body", "某县人民政府")
        set_setting(s, "recheck_body", "某市人民政府")
    matter_id = _matter(db)
    _replied(db, matter_id)
    opinion = _issue(db, matter_id, DocumentKind.OPINION, tmp_path)
    assert "向某县人民政府书面提出复查申请" in opinion and _signed_by(opinion, "青石县城关镇人民政府")
    with db.begin() as s:
        review = request_review(s, matter_id=matter_id, on=D("2026-05-10"), reason=REASON).id
    notice = _issue(db, review, DocumentKind.REVIEW_ACCEPT_NOTICE, tmp_path)
    assert _signed_by(notice, "某县人民政府"), notice[-40:]
    with db.begin() as s:
        reply(s, matter_id=review, on=D("2026-05-30"), text="维持原处理意见。", findings="路面开裂已返修完毕。")
    review_opinion = _issue(db, review, DocumentKind.REVIEW_OPINION, tmp_path)
    assert _signed_by(review_opinion, "某县人民政府") and "向某市人民政府书面提出复核申请" in review_opinion
    with db.begin() as s:
        recheck = request_review(s, matter_id=review, on=D("2026-06-01"), reason=REASON).id
    assert _signed_by(_issue(db, recheck, DocumentKind.RECHECK_ACCEPT_NOTICE, tmp_path), "某市人民政府")


# 复核认定的事实和理由 ------------------------------------------------------------------------------
def test_the_recheck_opinion_states_what_the_office_found_not_the_applicants_reason(db: Database,
                                                                                  tmp_path: Path) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id)
    with db.begin() as s:
        review = request_review(s, matter_id=matter_id, on=D("2026-04-25"), reason="对处理意见不服").id
        reply(s, matter_id=review, on=D("2026-05-10"), text="维持原处理意见。")
        recheck = request_review(s, matter_id=review, on=D("2026-05-12"), reason=REASON).id
        reply(s, matter_id=recheck, on=D("2026-05-30"), text="维持复查意见。",
              findings="经现场复核，返修路段已通过第三方检测。")
    text = _issue(db, recheck, DocumentKind.RECHECK_OPINION, tmp_path)
    found = text[text.index("二、复核认定的事实和理由"):text.index("三、复核意见")]
    assert "经现场复核，返修路段已通过第三方检测。" in found
    assert REASON not in found
    assert f"申请理由：{REASON}" in text  # the applicant's reason stays, under the request


def test_without_findings_typed_the_units_reports_are_what_was_found(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id)
    with db.begin() as s:
        review = request_review(s, matter_id=matter_id, on=D("2026-04-25"), reason=REASON).id
        from xinfang_desktop.services.registry import transfer

        transfer(s, matter_id=review, on=D("2026-04-26"), targets=(TransferTarget(_units(db)[0]),))
        transfer_id = s.scalar(select(Transfer.id).where(Transfer.matter_id == review))
        record_feedback(s, transfer_id=transfer_id, received_on=D("2026-05-08"), text="经核查路面已返修",
                        result="已返修")
        reply(s, matter_id=review, on=D("2026-05-10"), text="维持原处理意见。")
    text = _issue(db, review, DocumentKind.REVIEW_OPINION, tmp_path)
    assert "经核查路面已返修" in text[text.index("二、复查认定的事实和理由"):text.index("三、复查意见")]


# 主办 and 协办 --------------------------------------------------------------------------------------
def test_the_lead_and_the_assisting_unit_each_get_a_letter_naming_its_role(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db)
    lead, assist = _assign(db, matter_id, assist=True)
    with db.read() as s:
        lead_name, assist_name = (s.get(Transfer, t).unit.name for t in (lead, assist))  # type: ignore[union-attr]
    to_lead = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, tmp_path, transfer_id=lead)
    to_assist = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, tmp_path, transfer_id=assist)
    assert to_lead != to_assist
    assert to_lead.startswith(f"信访事项交办函信告〔2026〕1号{lead_name}：")
    assert "交由你单位主办" in to_lead and f"本事项由{assist_name}协办，请你单位牵头办理" in to_lead
    assert to_assist.startswith(f"信访事项交办函信告〔2026〕2号{assist_name}：")
    assert f"交由你单位协办，主办单位为{lead_name}" in to_assist and f"积极配合{lead_name}调查核实" in to_assist
    assert "办结报告" not in to_assist
    with db.read() as s:
        kinds = list(s.scalars(select(Document.kind).order_by(Document.id)))
    assert kinds == ["交办函", "交办函（协办）"]


def test_a_sole_unit_gets_no_line_about_assisting_units(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db)
    _assign(db, matter_id)
    text = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, tmp_path)
    assert "交由你单位主办" in text and "协办" not in text


# 回访记录 --------------------------------------------------------------------------------------------
def test_the_follow_up_record_prints_what_was_typed_and_the_petitioners_view(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id)
    with db.begin() as s:
        follow_up(s, matter_id=matter_id, on=D("2026-05-20"), satisfaction=Satisfaction.BASICALLY,
                  note="电话回访，信访人确认已返修", petitioner_view="希望加强后续养护")
    text = _issue(db, matter_id, DocumentKind.FOLLOW_UP_RECORD, tmp_path)
    assert "回访情况电话回访，信访人确认已返修" in text
    assert "信访人意见希望加强后续养护" in text
    assert "回访评价基本满意" in text


# 催办单: the draft is what will be issued -----------------------------------------------------------
@pytest.mark.parametrize("counted_first", [False, True])
def test_the_reminder_draft_shows_the_count_the_issued_copy_has(db: Database, tmp_path: Path,
                                                                counted_first: bool) -> None:
    matter_id = _matter(db)
    (transfer_id,) = _assign(db, matter_id)
    if counted_first:  # the 督办 tab's 催办 records it, then offers the 催办单 documenting that one
        with db.begin() as s:
            remind(s, transfer_id=transfer_id, on=D("2026-06-01"))
    record = not counted_first
    with db.read() as s:
        draft = _text(documents.draft_document(s, matter_id=matter_id, kind=DocumentKind.REMINDER,
                                               on=D("2026-06-01"), record_reminder=record), tmp_path)
    issued = _issue(db, matter_id, DocumentKind.REMINDER, tmp_path, record_reminder=record)
    assert "现予第1次催办" in draft and "现予第1次催办" in issued
    with db.read() as s:
        assert s.get(Transfer, transfer_id).reminders == 1  # type: ignore[union-attr]


# no 诉求 ------------------------------------------------------------------------------------------------
def test_without_a_demand_the_letters_leave_the_demand_line_out(db: Database, tmp_path: Path) -> None:
    without = _matter(db, demand="")
    _assign(db, without)
    text = _issue(db, without, DocumentKind.ASSIGN_LETTER, tmp_path)
    assert "反映的主要内容：村道完工不到一年即开裂。" in text and "主要诉求" not in text
    with_demand = _matter(db)
    _assign(db, with_demand)
    assert "主要诉求：请求督促施工单位返修。" in _issue(db, with_demand, DocumentKind.ASSIGN_LETTER, tmp_path)


# 处理意见 (Art. 32) ------------------------------------------------------------------------------------
@pytest.mark.parametrize("opinion", list(ReplyOpinion))
def test_the_opinion_letter_states_the_opinion_chosen_at_reply(db: Database, tmp_path: Path,
                                                               opinion: ReplyOpinion) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id, opinion=opinion)
    text = _issue(db, matter_id, DocumentKind.OPINION, tmp_path)
    said = text[text.index("三、处理意见及依据"):text.index("四、救济途径")]
    assert f"经研究，对该信访请求{opinion.value}。" in said
    assert [o for o in ReplyOpinion if o.value in said and o is not opinion] == []


def test_a_reply_recorded_without_an_opinion_prints_no_empty_opinion_line(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id)
    text = _issue(db, matter_id, DocumentKind.OPINION, tmp_path)
    assert "经研究" not in text and "三、处理意见及依据经调查核实，已责成施工单位返修。" in text


# the batch: drawn once, one PDF of all ---------------------------------------------------------------
def test_a_batch_of_chosen_transfers_is_drawn_once_and_each_stored_pdf_is_its_letter(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    transfers = [t for _ in range(3) for t in _assign(db, _matter(db))]
    drawn: list[str] = []
    real = letter_pdf._draw_letter

    def counting(canvas, fonts, m, content):  # type: ignore[no-untyped-def]
        drawn.append(content.number)
        return real(canvas, fonts, m, content)

    monkeypatch.setattr(letter_pdf, "_draw_letter", counting)
    with db.begin() as s:
        batch = documents.reminder_batch(s, on=D("2026-06-01"), transfer_ids=[transfers[2], transfers[0]])
        stored = [documents.document_pdf(s, d.id) for d in batch.documents]
        counts = [s.get(Transfer, t).reminders for t in transfers]  # type: ignore[union-attr]
    numbers = [d.number for d in batch.documents]
    assert numbers == ["信告〔2026〕1号", "信告〔2026〕2号"]
    assert drawn == numbers  # each letter drawn once
    assert counts == [1, 0, 1]
    assert len(page_sizes(batch.pdf)) == 2
    combined = _text(batch.pdf, tmp_path)
    for number, pdf in zip(numbers, stored, strict=True):
        text = _text(pdf, tmp_path)
        assert len(page_sizes(pdf)) == 1 and number in text and text in combined
        assert "现予第1次催办" in text


# 事实和理由: what the office found (Art. 32), the claim under 信访请求 -----------------------------------
def _facts(text: str) -> str:
    return text[text.index("二、事实和理由"):text.index("三、处理意见及依据")]


def test_the_opinion_states_the_findings_typed_at_reply_under_facts_and_the_claim_under_the_request(
    db: Database, tmp_path: Path
) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id, opinion=ReplyOpinion.SUPPORT, findings="经现场查看，该路段路面厚度不足设计要求。")
    text = _issue(db, matter_id, DocumentKind.OPINION, tmp_path)
    assert "一、信访请求请求督促施工单位返修。二、事实和理由" in text
    assert _facts(text) == "二、事实和理由经现场查看，该路段路面厚度不足设计要求。"
    assert "村道完工不到一年即开裂" not in text  # the petitioner's words are not stated as found


def test_without_findings_the_opinion_states_the_units_report_not_the_petitioners_words(db: Database,
                                                                                     tmp_path: Path) -> None:
    matter_id = _matter(db)
    (transfer_id,) = _assign(db, matter_id)
    with db.begin() as s:
        record_feedback(s, transfer_id=transfer_id, received_on=D("2026-04-10"), text="经核查，施工单位已返修",
                        result="已返修")
        reply(s, matter_id=matter_id, on=D("2026-04-20"), text="已责成施工单位返修。")
    assert _facts(_issue(db, matter_id, DocumentKind.OPINION, tmp_path)) == "二、事实和理由经核查，施工单位已返修"


def test_with_nothing_found_recorded_the_opinion_says_so_plainly_without_the_content(db: Database,
                                                                                   tmp_path: Path) -> None:
    matter_id = _matter(db, demand="")
    _replied(db, matter_id)
    text = _issue(db, matter_id, DocumentKind.OPINION, tmp_path)
    assert "村道完工不到一年即开裂" not in text
    assert f"一、信访请求{TITLE}二、事实和理由本机关对反映的问题进行了调查核实" in text


def test_a_clerks_own_opinion_template_keeps_working_and_an_issued_opinion_stays_as_issued(
    db: Database, tmp_path: Path
) -> None:
    matter_id = _matter(db)
    _replied(db, matter_id, findings="路面厚度不足。")
    with db.begin() as s:
        old = documents.default_template_text(DocumentKind.OPINION)
        documents.set_template(s, kind=DocumentKind.OPINION,
                               text=old.replace("二、事实和理由\n{认定事实}", "二、事实和理由\n{反映内容}\n认定：{认定事实}"))
        info = documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.OPINION, on=D("2026-06-01"))
    first = _text(_pdf(db, info.id), tmp_path)
    assert "二、事实和理由村道完工不到一年即开裂。认定：路面厚度不足。" in first
    with db.begin() as s:
        documents.reset_template(s, kind=DocumentKind.OPINION)
    assert _text(_pdf(db, info.id), tmp_path) == first
    assert _facts(_issue(db, matter_id, DocumentKind.OPINION, tmp_path)) == "二、事实和理由路面厚度不足。"


def _pdf(db: Database, document_id: int) -> bytes:
    with db.read() as s:
        return documents.document_pdf(s, document_id)


# 你 to one, 你们 and the head count to several -------------------------------------------------------
def test_a_visit_of_three_with_one_name_typed_is_addressed_to_him_and_the_others(db: Database,
                                                                                tmp_path: Path) -> None:
    matter_id = _matter(db, people=(PetitionerInput(name="周九"),), persons=3, channel=Channel.VISIT)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
    text = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE, tmp_path)
    assert "周九等3人：你们于2026年3月2日" in text


def test_a_joint_letter_with_only_its_first_signer_typed_is_addressed_to_him_and_the_others(
        db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db, people=(PetitionerInput(name="王五"),), joint=True)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
    text = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE, tmp_path)
    assert "王五等：你们于2026年3月2日" in text


def test_two_named_of_a_visit_of_two_are_both_named_without_a_count(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db, people=(PetitionerInput(name="周九"), PetitionerInput(name="吴十")), persons=2,
                        channel=Channel.VISIT)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
    assert "周九、吴十：你们于2026年3月2日" in _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE, tmp_path)


# the wording follows the 信访形式 --------------------------------------------------------------------
@pytest.mark.parametrize("channel", list(Channel))
def test_the_reply_letter_speaks_of_the_way_the_matter_came_in(db: Database, tmp_path: Path,
                                                               channel: Channel) -> None:
    matter_id = _matter(db, channel=channel)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ANSWER, on=D("2026-03-05"), reason="已转告有关部门。")
    text = _issue(db, matter_id, DocumentKind.REPLY_LETTER, tmp_path)
    assert f"张三：你于2026年3月2日以{channel.value}方式反映的“{TITLE}”，我们已收悉。" in text
    if channel is not Channel.LETTER:
        assert "来信" not in text
    assert "形式形式" not in text


def test_no_default_template_says_a_letter_came_or_doubles_the_word_form() -> None:
    for kind in DocumentKind:
        text = documents.default_template_text(kind)
        assert "来信" not in text and "形式形式" not in text, kind
        assert "{信访形式}形式" not in text, kind  # 以其他形式形式反映


# a typed reason that ends its own sentence ---------------------------------------------------------------
def test_a_reason_typed_with_a_full_stop_is_not_followed_by_a_second_one(db: Database, tmp_path: Path) -> None:
    matter_id = _matter(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.REJECT, on=D("2026-03-05"),
               reason="该事项属于劳动争议，应通过诉讼途径解决。", competent_body="青石县人民法院")
    text = _issue(db, matter_id, DocumentKind.REJECT_NOTICE, tmp_path)
    assert "经审查，该事项属于劳动争议，应通过诉讼途径解决。根据《信访工作条例》" in text
    assert "。。" not in text


def test_a_review_letter_is_refused_while_the_body_it_names_is_not_set(real_db: Database, tmp_path: Path) -> None:
    from xinfang_desktop.domain.errors import ValidationError

    with real_db.begin() as s:
        set_setting(s, "office_name", "河口镇人民政府")
        set_setting(s, "review_body", "青石县人民政府")
    matter_id = _matter(real_db)
    _replied(real_db, matter_id)
    with real_db.begin() as s:
        review = request_review(s, matter_id=matter_id, on=D("2026-05-10"), reason=REASON).id
        reply(s, matter_id=review, on=D("2026-05-30"), text="维持原处理意见。")
    with pytest.raises(ValidationError, match="尚未填写“复核机关”.*机关信息"), real_db.read() as s:
        documents.draft_document(s, matter_id=review, kind=DocumentKind.REVIEW_OPINION)
    with real_db.begin() as s:
        set_setting(s, "recheck_body", "青山市人民政府")
    text = _issue(real_db, review, DocumentKind.REVIEW_OPINION, tmp_path)
    assert "向青山市人民政府书面提出复核申请" in text and _signed_by(text, "青石县人民政府")


# 交办: the petitioner is told which unit handles the matter (Art. 22) --------------------------------------
def test_a_matter_assigned_to_a_unit_is_told_which_unit_handles_it_not_that_this_office_will_finish_it(
    db: Database, tmp_path: Path
) -> None:
    matter_id = _matter(db)
    lead, _assist = _assign(db, matter_id, assist=True)
    with db.read() as s:
        lead_name = s.get(Transfer, lead).unit.name  # type: ignore[union-attr]
    text = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE, tmp_path)  # as the 卷宗's menu asks for it
    assert text.startswith("信访事项受理告知书信告〔2026〕1号张三：你于2026年3月2日以来信方式反映")
    assert f"本机关已于2026年3月5日将该信访事项交由{lead_name}办理，并要求其于2026年5月4日前办结。" in text
    assert "六十日内办结" not in text and "本机关决定予以受理" not in text
    with db.read() as s:
        assert list(s.scalars(select(Document.kind))) == ["受理告知书（交办）"]
    accepted = _matter(db)
    with db.begin() as s:
        decide(s, matter_id=accepted, decision=Decision.ACCEPT, on=D("2026-03-05"))
    assert "本机关将自受理之日起六十日内办结" in _issue(db, accepted, DocumentKind.ACCEPT_NOTICE, tmp_path)
    from xinfang_desktop.domain.errors import InvalidTransitionError

    with pytest.raises(InvalidTransitionError, match="未决定交办"), db.read() as s:
        documents.draft_document(s, matter_id=accepted, kind=DocumentKind.ASSIGN_NOTICE)


def test_a_forwarded_matter_tells_the_petitioner_where_it_went(db: Database, tmp_path: Path) -> None:
    """转送 (Art. 22): the body is told by the 转送函, the petitioner by the 转送告知书."""
    matter_id = _matter(db)
    with db.begin() as s:
        ref = decide(s, matter_id=matter_id, decision=Decision.FORWARD, on=D("2026-03-05"),
                     competent_body="青石县自然资源局")
    assert (ref.document, ref.notice) == ("转送函", "转送告知书")
    text = _issue(db, matter_id, DocumentKind.FORWARD_NOTICE, tmp_path)
    assert text.startswith("信访事项转送告知书信告〔2026〕1号张三：你于2026年3月2日以来信方式反映")
    assert "本机关已于2026年3月5日将该信访事项转送青石县自然资源局处理，并请其依法处理后书面告知你。" in text
    assert "请你就该信访事项与青石县自然资源局联系" in text
    accepted = _matter(db)
    with db.begin() as s:
        decide(s, matter_id=accepted, decision=Decision.ACCEPT, on=D("2026-03-05"))
    from xinfang_desktop.domain.errors import InvalidTransitionError

    with pytest.raises(InvalidTransitionError, match="未决定转送，不能出具转送告知书"), db.read() as s:
        documents.draft_document(s, matter_id=accepted, kind=DocumentKind.FORWARD_NOTICE)


def test_an_answered_accusation_gets_the_notice_of_how_it_was_handled_not_an_opinion(
        db: Database, tmp_path: Path) -> None:
    """检举控告 (DOMAIN §5): the 投诉（举报）处理情况告知书, not an Art. 32 意见书 offering 复查 (walk6 #8)."""
    data = MatterInput(received_on=D("2026-03-02"), channel=Channel.LETTER, title="检举村会计挪用集体资金",
                       petitioners=(PetitionerInput(name="张三"),), purpose=Purpose.ACCUSATION,
                       content="村会计挪用集体资金三万元。")
    with db.begin() as s:
        matter_id = register_matter(s, data).id
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
        ref = reply(s, matter_id=matter_id, on=D("2026-04-20"), text="已移送镇纪委依规处理。",
                    findings="经查，村会计挪用集体资金属实。")
    assert ref.document == DocumentKind.ACCUSATION_NOTICE.value
    text = _issue(db, matter_id, DocumentKind.ACCUSATION_NOTICE, tmp_path)
    assert text.startswith("投诉（举报）处理情况告知书信告〔2026〕1号张三：你于2026年3月2日以来信方式反映的“检举村会计挪用集体资金”")
    assert "经查，村会计挪用集体资金属实。" in text and "已移送镇纪委依规处理。" in text
    assert "复查" not in text and "严格保密" in text
    claim = _matter(db)  # a 申诉求决 is answered with the 意见书, and refused this notice
    _replied(db, claim)
    from xinfang_desktop.domain.errors import InvalidTransitionError

    with pytest.raises(InvalidTransitionError, match="不是检举控告类事项"), db.read() as s:
        documents.draft_document(s, matter_id=claim, kind=DocumentKind.ACCUSATION_NOTICE)


def test_the_assign_decision_leads_to_the_units_letters_and_the_petitioners_notice(db: Database) -> None:
    matter_id = _matter(db)
    with db.begin() as s:
        ref = decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=D("2026-03-05"),
                     targets=(TransferTarget(_units(db)[0]),))
    assert (ref.document, ref.notice) == ("交办函", "受理告知书（交办）")
