"""Issuing documents: every kind from demo data read back from its PDF, numbering, reprint, protection, delivery, batch."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from tests.helpers.database import cli_db
from tests.helpers.pdf import page_sizes, pdf_fonts, pdf_text
from xinfang_desktop.cli import main
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Document, Event, Matter, Transfer
from xinfang_desktop.domain.enums import (
    Channel,
    Decision,
    Delivery,
    EventKind,
    Purpose,
    TransferRole,
    TransferState,
)
from xinfang_desktop.domain.errors import (
    InvalidTransitionError,
    StorageError,
    ValidationError,
    XinfangError,
)
from xinfang_desktop.domain.idcard import check_digit
from xinfang_desktop.domain.letters import PROTECTED_NAME, DocumentKind
from xinfang_desktop.domain.values import MatterInput, PetitionerInput, TransferTarget
from xinfang_desktop.exporters import letter_pdf
from xinfang_desktop.exporters.fonts import load_fonts
from xinfang_desktop.services import documents
from xinfang_desktop.services.common import cn_date
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.handling import (
    extend,
    record_feedback,
    reply,
    request_review,
)
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter
from xinfang_desktop.services.settings import get_setting
from xinfang_desktop.wallclock import today

D = date.fromisoformat
ID_NUMBER = "11010519491231002" + check_digit("11010519491231002")


def _register(db: Database, *, name: str = "张三", purpose: Purpose = Purpose.CLAIM, anonymous: bool = False,
              received: date = D("2026-03-02"), content: str = "村道完工不到一年即开裂。") -> int:
    people = () if anonymous else (PetitionerInput(name=name, id_number=ID_NUMBER, phone="13800001111",
                                                   address="城关镇石桥村5组"),)
    data = MatterInput(received_on=received, channel=Channel.LETTER, title="反映村道硬化工程质量问题",
                       petitioners=people, purpose=purpose, content=content,
                       demand="请求督促施工单位返修。", anonymous=anonymous)
    with db.begin() as s:
        return register_matter(s, data).id


def _unit(db: Database, index: int = 0) -> int:
    with db.read() as s:
        return list_units(s)[index].id


def _assigned(db: Database, *, due: date = D("2026-05-04"), assist: bool = False, **kw: object) -> int:
    """A matter 交办 to the first unit (主办), with assist the second as 协办."""
    matter_id = _register(db, **kw)  # type: ignore[arg-type]
    targets = [TransferTarget(_unit(db), due_on=due)]
    if assist:
        targets.append(TransferTarget(_unit(db, 1), role=TransferRole.ASSIST, due_on=due))
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ASSIGN, on=D("2026-03-05"), targets=tuple(targets))
    return matter_id


def _text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text with line breaks removed, as a reader would search it."""
    return pdf_text(pdf, tmp_path).replace("\n", "")


def _issue(db: Database, matter_id: int, kind: DocumentKind, **kw: object) -> tuple[str, bytes]:
    with db.begin() as s:
        info = documents.issue_document(s, matter_id=matter_id, kind=kind, **kw)  # type: ignore[arg-type]
        return info.number, documents.document_pdf(s, info.id)


def _numbers(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Document.number).order_by(Document.id)))


# every kind, from demo data --------------------------------------------------------------------
def _reviewed(db: Database, matter_id: int, stage_kind: DocumentKind) -> int:
    """Build a 复查 (and for 复核 a 复核) matter on a replied one, decided and answered."""
    target = matter_id
    steps = 1 if stage_kind in (DocumentKind.REVIEW_OPINION, DocumentKind.REVIEW_ACCEPT_NOTICE) else 2
    for _ in range(steps):
        with db.begin() as s:
            replied_on = s.get(Matter, target).replied_on  # type: ignore[union-attr]
            child = request_review(s, matter_id=target, on=replied_on + timedelta(days=5),  # type: ignore[operator]
                                   reason="对处理意见不服")
            reply(s, matter_id=child.id, on=replied_on + timedelta(days=20), text="经复查，维持原处理意见。")  # type: ignore[operator]
        target = child.id
    return target


def _candidate(db: Database, kind: DocumentKind, *, replied_before: date | None = None) -> int:
    """A demo matter in a state that allows this kind (tried through the service itself)."""
    query = select(Matter.id).order_by(Matter.id)
    if kind is DocumentKind.ACCEPT_NOTICE:  # a 交办 matter's 受理告知书 is the 受理告知书（交办）
        query = query.where(Matter.decision == Decision.ACCEPT)
    if replied_before is not None:
        # a matter nobody asked to review yet: each test builds its own 复查 chain (one 复查 per matter)
        child = aliased(Matter)
        query = query.where(Matter.replied_on < replied_before,
                            ~exists().where(child.parent_id == Matter.id), Matter.parent_id.is_(None))
    with db.read() as s:
        ids = list(s.scalars(query))
    for matter_id in ids:
        try:
            with db.read() as s:
                documents.draft_document(s, matter_id=matter_id, kind=kind)
            return matter_id
        except XinfangError:
            continue
    raise AssertionError(f"no demo matter allows {kind}")


def _expected(detail, kind: DocumentKind) -> list[str]:  # type: ignore[no-untyped-def]
    """Values the filled letter must show, from the matter itself."""
    names = "、".join(p.name for p in detail.petitioners)
    role = "协办" if kind is DocumentKind.ASSIST_LETTER else "主办"
    lead = next((t for t in detail.transfers if t.kind.value == "交办" and t.role.value == role), None)
    if kind in (DocumentKind.ASSIGN_LETTER, DocumentKind.ASSIST_LETTER, DocumentKind.REMINDER):
        assert lead is not None
        named = [f"交由你单位{role}"] if kind is not DocumentKind.REMINDER else []
        return [lead.unit, detail.number, detail.title, cn_date(lead.due_on), *named]
    if kind is DocumentKind.FORWARD_LETTER:
        return [detail.number, detail.title]
    if kind is DocumentKind.ASSIGN_NOTICE:  # the unit that handles it, and its deadline
        assert lead is not None
        return [names, detail.title, f"交由{lead.unit}办理", cn_date(detail.due_on)]
    if kind is DocumentKind.REJECT_NOTICE:
        return [names, detail.competent_body, cn_date(detail.received_on)]
    if kind is DocumentKind.FORWARD_NOTICE:
        return [names, f"转送{detail.competent_body}处理", cn_date(detail.received_on)]
    if kind is DocumentKind.EXTENSION_NOTICE:
        return [names, cn_date(detail.due_on)]
    if kind in (DocumentKind.OPINION, DocumentKind.REVIEW_OPINION, DocumentKind.RECHECK_OPINION,
                DocumentKind.REPLY_LETTER):
        return [names, detail.reply_text[:20], cn_date(detail.received_on)]
    if kind is DocumentKind.FOLLOW_UP_RECORD:
        return [names, detail.number, cn_date(detail.followed_up_on), detail.satisfaction.value]
    if kind in (DocumentKind.REVIEW_ACCEPT_NOTICE, DocumentKind.RECHECK_ACCEPT_NOTICE):
        return [names, cn_date(detail.received_on), cn_date(detail.due_on)]
    if kind is DocumentKind.DELIVERY_RECEIPT:
        return [names, detail.number, detail.documents[-1].number if detail.documents else ""]
    return [names, detail.title, cn_date(detail.received_on)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = Database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    with db.begin() as s:
        generate(s, cases=200, seed=7)
    return db


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_renders_from_demo_data(demo_db: Database, kind: DocumentKind, tmp_path: Path) -> None:
    if kind in (DocumentKind.REVIEW_OPINION, DocumentKind.RECHECK_OPINION, DocumentKind.REVIEW_ACCEPT_NOTICE,
                DocumentKind.RECHECK_ACCEPT_NOTICE):
        old = _candidate(demo_db, DocumentKind.OPINION, replied_before=today() - timedelta(days=60))
        matter_id = _reviewed(demo_db, old, kind)
    elif kind is DocumentKind.ASSIST_LETTER:
        matter_id = _assigned(demo_db, assist=True)  # the demo has no 协办
    elif kind is DocumentKind.DELIVERY_RECEIPT:
        matter_id = _candidate(demo_db, DocumentKind.ACCEPT_NOTICE)
        _issue(demo_db, matter_id, DocumentKind.ACCEPT_NOTICE)
    else:
        matter_id = _candidate(demo_db, kind)
    with demo_db.read() as s:
        # a 复查 or 复核 document is signed by the body that really does it
        signer = {DocumentKind.REVIEW_ACCEPT_NOTICE: "review_body", DocumentKind.REVIEW_OPINION: "review_body",
                  DocumentKind.RECHECK_ACCEPT_NOTICE: "recheck_body", DocumentKind.RECHECK_OPINION: "recheck_body"}
        office = str(get_setting(s, signer.get(kind, "office_name")))
        before = get_matter(s, matter_id)
    number, pdf = _issue(demo_db, matter_id, kind)
    text = _text(pdf, tmp_path)
    for value in [office, number, cn_date(today()), *_expected(before, kind)]:
        assert value and value.replace(" ", "") in text.replace(" ", ""), (kind, value)
    assert "{" not in text and "}" not in text, "a placeholder was left"
    assert "你（你们）" not in text  # 你 or 你们, by the petitioners on the matter
    assert all(size == (pytest.approx(595.28, abs=0.01), pytest.approx(841.89, abs=0.01))
               for size in page_sizes(pdf))
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts and all(f.embedded and f.subset for f in fonts), fonts
    with demo_db.read() as s:
        detail = get_matter(s, matter_id)
    assert detail.documents[-1].number == number and detail.documents[-1].kind == kind.value
    assert any(e.kind == EventKind.DOCUMENT and number in e.text for e in detail.events)


# numbering and state ---------------------------------------------------------------------------
def test_numbers_are_a_yearly_sequence_with_the_prefix(db: Database) -> None:
    matter_id = _assigned(db)
    _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE, on=D("2026-03-06"))
    _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, on=D("2026-03-06"))
    assert _numbers(db) == ["信告〔2026〕1号", "信告〔2026〕2号"]


def test_an_assign_letter_for_a_matter_not_transferred_is_refused_and_uses_no_number(db: Database) -> None:
    matter_id = _register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
    with pytest.raises(InvalidTransitionError, match="尚未交办"), db.begin() as s:
        documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.ASSIGN_LETTER)
    with pytest.raises(InvalidTransitionError, match="未决定不予受理"), db.begin() as s:
        documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.REJECT_NOTICE)
    assert _numbers(db) == []
    number, _ = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE)
    assert number.endswith("〕1号")


def test_an_anonymous_matter_gets_no_notice(db: Database) -> None:
    matter_id = _register(db, anonymous=True)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ACCEPT, on=D("2026-03-05"))
    with pytest.raises(InvalidTransitionError, match="匿名"), db.begin() as s:
        documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.ACCEPT_NOTICE)


def test_a_missing_font_issues_nothing_and_uses_no_number(db: Database, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    matter_id = _assigned(db)
    monkeypatch.setattr(letter_pdf, "load_fonts", lambda: load_fonts(fonts_dir=tmp_path / "gone", system_dir=None))
    with pytest.raises(StorageError, match="字体文件"), db.begin() as s:
        documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.REMINDER)
    with db.read() as s:
        assert s.scalar(select(func.count(Document.id))) == 0
        assert s.scalar(select(Transfer.reminders)) == 0  # the 催办 was rolled back too
        assert not s.scalars(select(Event).where(Event.kind == EventKind.DOCUMENT)).all()
    monkeypatch.undo()
    number, _ = _issue(db, matter_id, DocumentKind.REMINDER)
    assert number == f"信告〔{today().year}〕1号"  # numbered in the year it is issued


# kept as issued ---------------------------------------------------------------------------------
def test_a_reprint_is_the_stored_pdf_even_after_the_template_changes(db: Database, tmp_path: Path) -> None:
    matter_id = _assigned(db)
    number, issued = _issue(db, matter_id, DocumentKind.ASSIGN_NOTICE)
    with db.begin() as s:
        text = documents.get_template(s, kind=DocumentKind.ASSIGN_NOTICE).text
        documents.set_template(s, kind=DocumentKind.ASSIGN_NOTICE, text=text.replace("特此告知。", "特此专门告知。"))
    with db.read() as s:
        document_id = s.scalar(select(Document.id).where(Document.number == number))
        assert documents.document_pdf(s, document_id) == issued
    assert "特此专门告知" not in _text(issued, tmp_path)
    _, later = _issue(db, matter_id, DocumentKind.ASSIGN_NOTICE)
    assert "特此专门告知" in _text(later, tmp_path)
    with db.begin() as s:
        assert not documents.reset_template(s, kind=DocumentKind.ASSIGN_NOTICE).customised
        assert "特此专门告知" not in documents.get_template(s, kind=DocumentKind.ASSIGN_NOTICE).text


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(db: Database) -> None:
    with pytest.raises(ValidationError, match="{来信人}"), db.begin() as s:
        documents.set_template(s, kind=DocumentKind.REPLY_LETTER, text="【标题】复信\n【正文】{来信人}你好")
    with db.read() as s:
        assert not documents.get_template(s, kind=DocumentKind.REPLY_LETTER).customised


def test_preview_fills_sample_data_and_issues_nothing(db: Database, tmp_path: Path) -> None:
    with db.read() as s:
        text = documents.get_template(s, kind=DocumentKind.ASSIGN_LETTER).text
        pdf = documents.preview_template(s, kind=DocumentKind.ASSIGN_LETTER, text=text)
    shown = _text(pdf, tmp_path)
    assert "城关镇村镇建设办公室" in shown and "{" not in shown
    assert _numbers(db) == []


# informant protection (Art. 30) ----------------------------------------------------------------
def test_an_informant_is_not_shown_to_a_unit_unless_the_clerk_overrides(db: Database, tmp_path: Path) -> None:
    matter_id = _assigned(db, name="赵检举", purpose=Purpose.ACCUSATION,
                          content="村干部挪用补助款。举报人赵检举，电话13800001111，住城关镇石桥村5组。")
    _, letter = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER)
    text = _text(letter, tmp_path)
    assert "村干部挪用补助款" in text  # the matter itself is told to the unit
    for secret in ("赵检举", ID_NUMBER[:6], "13800001111", "石桥村5组"):
        assert secret not in text
    assert PROTECTED_NAME in text
    _, notice = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE)  # to the informant: the name is fine
    assert "赵检举" in _text(notice, tmp_path)
    with db.read() as s:
        assert not any(e.kind == EventKind.INFORMANT_DISCLOSED for e in get_matter(s, matter_id).events)
    number, disclosed = _issue(db, matter_id, DocumentKind.ASSIGN_LETTER, disclose_informant=True)
    assert "赵检举" in _text(disclosed, tmp_path)
    with db.read() as s:
        events = [e for e in get_matter(s, matter_id).events if e.kind == EventKind.INFORMANT_DISCLOSED]
    assert len(events) == 1 and number in events[0].text


def test_a_rare_character_in_a_name_prints_with_a_real_glyph(db: Database, tmp_path: Path) -> None:
    matter_id = _assigned(db, name="王䶮𠮷")
    _, pdf = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE)
    assert "王䶮𠮷" in _text(pdf, tmp_path)
    assert any("HanaMin" in f.name and f.embedded for f in pdf_fonts(pdf, tmp_path))


# delivery, extension, batch ----------------------------------------------------------------------
def test_delivery_is_recorded_on_the_document_and_the_timeline(db: Database) -> None:
    matter_id = _assigned(db)
    number, _ = _issue(db, matter_id, DocumentKind.ACCEPT_NOTICE, on=D("2026-03-06"))
    with db.begin() as s:
        document_id = s.scalar(select(Document.id).where(Document.number == number))
        with pytest.raises(ValidationError, match="送达日期"):
            documents.record_delivery(s, document_id=document_id, delivery=Delivery.REGISTERED, on=D("2026-03-01"))
        info = documents.record_delivery(s, document_id=document_id, delivery=Delivery.REGISTERED,
                                         on=D("2026-03-08"))
    assert info.delivery is Delivery.REGISTERED and info.delivered_on == D("2026-03-08")
    with db.read() as s:
        detail = get_matter(s, matter_id)
    assert any(e.kind == EventKind.DELIVERED and "挂号" in e.text and number in e.text for e in detail.events)


def test_extension_notice_names_old_and_new_deadline(db: Database, tmp_path: Path) -> None:
    matter_id = _assigned(db, due=D("2026-05-04"))
    with db.begin() as s:
        extend(s, matter_id=matter_id, new_due_on=D("2026-06-01"), reason="需要委托检测", on=D("2026-04-30"))
    _, pdf = _issue(db, matter_id, DocumentKind.EXTENSION_NOTICE, on=D("2026-04-30"))
    text = _text(pdf, tmp_path)
    assert "2026年5月4日" in text and "2026年6月1日" in text and "需要委托检测" in text


def test_reminder_batch_issues_one_per_overdue_transfer_in_one_pdf(db: Database, tmp_path: Path) -> None:
    late = [_assigned(db, due=D("2026-04-01")), _assigned(db, due=D("2026-04-10"))]
    answered = _assigned(db, due=D("2026-04-01"))
    with db.begin() as s:
        transfer_id = s.scalar(select(Transfer.id).where(Transfer.matter_id == answered))
        record_feedback(s, transfer_id=transfer_id, received_on=D("2026-03-20"), text="已办理", result="已解决")
    with db.begin() as s:
        batch = documents.reminder_batch(s, on=D("2026-04-20"))
    assert len(batch.documents) == 2
    assert len(page_sizes(batch.pdf)) == 2
    text = _text(batch.pdf, tmp_path)
    assert all(d.number in text for d in batch.documents)
    assert "已超期19日" in text and "已超期10日" in text
    with db.read() as s:
        for matter_id in late:
            transfer = s.scalar(select(Transfer).where(Transfer.matter_id == matter_id))
            assert transfer.reminders == 1 and transfer.state is TransferState.WAITING  # type: ignore[union-attr]
        assert s.scalar(select(Transfer.reminders).where(Transfer.matter_id == answered)) == 0


# the command --------------------------------------------------------------------------------------
def test_the_letter_command_writes_the_issued_pdf(db: Database, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    matter_id = _assigned(db)
    with db.read() as s:
        number = get_matter(s, matter_id).number
    out = tmp_path / "jiaoban.pdf"
    assert main(["letter", "--db", cli_db(db), "--matter", number, "--kind", "交办函", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    issued = f"信告〔{today().year}〕1号"  # numbered in the year it is issued
    assert issued in capsys.readouterr().out
    assert main(["letter", "--db", cli_db(db), "--matter", "2026-99", "--kind", "交办函"]) == 2
    assert "找不到" in capsys.readouterr().err
    assert _numbers(db) == [issued]


def test_a_cancelled_batch_issues_nothing(db: Database) -> None:
    for due in (D("2026-04-01"), D("2026-04-02"), D("2026-04-03")):
        _assigned(db, due=due)
    seen: list[tuple[int, int]] = []

    def stop_after_two(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    with pytest.raises(documents.BatchCancelled), db.begin() as s:
        documents.reminder_batch(s, on=D("2026-04-20"), progress=stop_after_two)
    assert seen == [(1, 3), (2, 3)]
    assert _numbers(db) == []
    with db.read() as s:
        assert set(s.scalars(select(Transfer.reminders))) == {0}
