"""Finding matters: 1-, 2-, 3- and 4-character Chinese terms, ID numbers, phones, paging, history, repeats."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers.builders import register
from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Status
from xinfang_desktop.domain.values import MatterFilter, PetitionerInput
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.registry import correct_petitioner, update_matter, void
from xinfang_desktop.services.repeats import find_repeats
from xinfang_desktop.services.search import (
    count_matters,
    find_matter_by_number,
    list_matters,
    petitioner_history,
    search,
)

WANG_ID = "11010519491231002X"
LI_ID = "110101199003074477"


@pytest.fixture
def corpus(db: Database) -> dict[str, int]:
    """Five matters whose words overlap only where a test wants them to."""
    ids = {
        "land": register(db, title="反映柳溪村土地承包经营权被调整问题", content="承包地被村组收回另行发包",
                         petitioners=(PetitionerInput("王建国", id_number=WANG_ID, phone="13812345678"),)),
        "house": register(db, received_on=date(2026, 3, 4), title="请求解决危房改造问题", content="房屋漏雨无法居住",
                          demand="请求补助", petitioners=(PetitionerInput("李秀英", id_number=LI_ID,
                                                                           phone="13900001111"),)),
        "estate": register(db, received_on=date(2026, 3, 5), title="反映小区物业服务质量差问题", content="电梯停运",
                           petitioners=(PetitionerInput("王芳", phone="13700002222"),)),
        "noise": register(db, received_on=date(2026, 3, 6), title="反映王家村夜间施工噪音问题", content="工地扰民",
                          channel=Channel.CALL, anonymous=True, petitioners=()),
        "road": register(db, received_on=date(2026, 3, 7), title="请求修缮通组道路", content="雨天泥泞",
                         petitioners=(PetitionerInput("欧阳春梅"),)),
    }
    return ids


def _found(db: Database, term: str) -> set[int]:
    with db.read() as s:
        listed = {m.id for m in search(s, term)}
        assert count_matters(s, MatterFilter(text=term)) == len(listed)  # the count agrees
    return listed


def test_one_character_finds_surnames_and_titles(db: Database, corpus: dict[str, int]) -> None:
    assert _found(db, "王") == {corpus["land"], corpus["estate"], corpus["noise"]}  # 2 names, 1 title
    assert _found(db, "危") == {corpus["house"]}


def test_two_characters_find_a_name_and_a_title_word(db: Database, corpus: dict[str, int]) -> None:
    assert _found(db, "王芳") == {corpus["estate"]}
    assert _found(db, "欧阳") == {corpus["road"]}
    assert _found(db, "物业") == {corpus["estate"]}
    assert _found(db, "问题") == {corpus["land"], corpus["house"], corpus["estate"], corpus["noise"]}
    assert _found(db, "张三") == set()


def test_three_and_four_characters_use_the_full_text_index(db: Database, corpus: dict[str, int]) -> None:
    assert _found(db, "李秀英") == {corpus["house"]}  # a name, through the index's names column
    assert _found(db, "欧阳春梅") == {corpus["road"]}
    assert _found(db, "土地承包") == {corpus["land"]}  # title
    assert _found(db, "房屋漏雨") == {corpus["house"]}  # content
    assert _found(db, "补助") == set()  # two characters of the 诉求 do not go to the index
    assert _found(db, "请求补助") == {corpus["house"]}  # four do: 诉求 is indexed with the content
    assert _found(db, "柳溪村土地") == {corpus["land"]}
    assert _found(db, "经营权被收回") == set()  # a phrase, not loose words


def test_the_index_follows_edits(db: Database, corpus: dict[str, int]) -> None:
    with db.begin() as s:
        update_matter(s, matter_id=corpus["road"], changes={"title": "请求硬化通村公路"})
    assert _found(db, "通村公路") == {corpus["road"]}
    assert _found(db, "修缮通组") == set()


def test_id_number_and_phone(db: Database, corpus: dict[str, int]) -> None:
    assert _found(db, WANG_ID) == {corpus["land"]}
    assert _found(db, WANG_ID.lower()) == {corpus["land"]}
    assert _found(db, "110101") == {corpus["house"]}  # a prefix of an ID number
    assert _found(db, "13900001111") == {corpus["house"]}
    assert _found(db, "1370000") == {corpus["estate"]}  # a prefix of a phone


def test_a_matter_found_two_ways_is_counted_once(db: Database, corpus: dict[str, int]) -> None:
    """The count adds the hits of each way that the ways before it missed (search._hit_count)."""
    both = register(db, title="王芳反映王芳家门前积水问题", content="联系电话13700002222，积水多日",
                    petitioners=(PetitionerInput("王芳", phone="13700002222"), PetitionerInput("王芳芳")))
    sisters = register(db, title="反映邻里纠纷问题", petitioners=(PetitionerInput("王芳丽"), PetitionerInput("王芳华")))
    assert _found(db, "王芳") == {corpus["estate"], both, sisters}  # title twice, two petitioners; two petitioners
    assert _found(db, "王") == {corpus["land"], corpus["estate"], corpus["noise"], both, sisters}
    assert _found(db, "1370000") == {corpus["estate"], both}  # content and phone
    assert _found(db, "积水") == {both}


def test_a_petitioner_corrected_is_found_by_the_new_name_and_no_longer_by_the_old(db: Database) -> None:
    """On a server by each matter's names' first two characters (migration 0021), kept by a trigger."""
    pair = register(db, title="反映邻里纠纷问题", petitioners=(PetitionerInput("王芳"), PetitionerInput("王芳芳"),
                                                              PetitionerInput("王伟")))
    with db.read() as s:
        named = {p.name: p.id for p in get_matter(s, pair).petitioners}
    with db.begin() as s:
        correct_petitioner(s, matter_id=pair, petitioner_id=named["王伟"], name="李伟", reason="姓名登记错误")
        correct_petitioner(s, matter_id=pair, petitioner_id=named["王芳芳"], name="李芳芳", reason="姓名登记错误")
    assert _found(db, "王伟") == set()
    assert _found(db, "李伟") == _found(db, "李芳") == _found(db, "李") == {pair}
    assert _found(db, "王芳") == _found(db, "王") == {pair}  # 王芳 is still one of its petitioners
    with db.begin() as s:
        correct_petitioner(s, matter_id=pair, petitioner_id=named["王伟"], name="王伟", reason="改回")
    assert _found(db, "王伟") == {pair}
    assert _found(db, "李伟") == set()


def test_filters_and_keyset_paging(db: Database, corpus: dict[str, int]) -> None:
    with db.begin() as s:
        void(s, matter_id=corpus["noise"], reason="误登记")
    with db.read() as s:
        first = list_matters(s, limit=2)
        assert [m.id for m in first] == [corpus["road"], corpus["noise"]]  # newest first
        second = list_matters(s, after=(first[-1].received_on, first[-1].id), limit=2)
        assert [m.id for m in second] == [corpus["estate"], corpus["house"]]
        third = list_matters(s, after=(second[-1].received_on, second[-1].id), limit=2)
        assert [m.id for m in third] == [corpus["land"]]
        assert count_matters(s, MatterFilter(include_voided=False)) == 4
        assert count_matters(s, MatterFilter(status=Status.VOIDED)) == 1
        assert count_matters(s, MatterFilter(channel=Channel.CALL)) == 1
        assert count_matters(s, MatterFilter(date_from=date(2026, 3, 4), date_to=date(2026, 3, 5))) == 2
        assert count_matters(s, MatterFilter(year=2025)) == 0
        summary = list_matters(s, MatterFilter(text="王芳"))[0]
        assert (summary.petitioners, summary.status) == ("王芳", Status.PENDING)


def test_find_by_number_as_typed(db: Database, corpus: dict[str, int]) -> None:
    with db.read() as s:
        assert find_matter_by_number(s, "信〔2026〕0002号") == corpus["house"]
        assert find_matter_by_number(s, "2026-2") == corpus["house"]
        assert find_matter_by_number(s, "2026-0005") == corpus["road"]
        assert find_matter_by_number(s, "2026-99") is None


# petitioner history and repeats ---------------------------------------------------------------
def test_petitioner_history(db: Database, corpus: dict[str, int]) -> None:
    again = register(db, received_on=date(2026, 4, 1), title="再次反映土地承包问题",
                     petitioners=(PetitionerInput("王建国", id_number=WANG_ID),))
    with db.read() as s:
        assert [m.id for m in petitioner_history(s, id_number=WANG_ID)] == [again, corpus["land"]]
        assert [m.id for m in petitioner_history(s, name="王芳", phone="13700002222")] == [corpus["estate"]]
        assert [m.id for m in petitioner_history(s, name="王芳", phone="13000000000")] == []
        assert [m.id for m in petitioner_history(s, name="李秀英")] == [corpus["house"]]
        assert petitioner_history(s) == []


def test_repeat_by_id_number(db: Database, corpus: dict[str, int]) -> None:
    with db.read() as s:
        found = find_repeats(s, name="王建国", id_number=WANG_ID.lower(), title="完全不同的事")
    assert [(c.matter.id, c.reason, c.final) for c in found] == [(corpus["land"], "身份证号相同", False)]


def test_repeat_by_name_and_phone(db: Database, corpus: dict[str, int]) -> None:
    with db.read() as s:
        assert [c.reason for c in find_repeats(s, name="王芳", phone="13700002222")] == ["姓名和联系电话相同"]
        assert find_repeats(s, name="王芳", phone="13799999999") == []
        assert find_repeats(s, name="王芬", phone="13700002222") == []


def test_repeat_by_name_and_similar_title(db: Database, corpus: dict[str, int]) -> None:
    with db.read() as s:
        found = find_repeats(s, name="王建国", title="反映柳溪村土地承包经营权问题")
        assert [c.matter.id for c in found] == [corpus["land"]]
        assert found[0].reason.startswith("姓名相同且标题相近")
        assert find_repeats(s, name="王建国", title="咨询子女入学政策") == []
        assert find_repeats(s, name="张建国", title="反映柳溪村土地承包经营权问题") == []


def test_repeat_excludes_the_matter_itself_and_voided_ones(db: Database, corpus: dict[str, int]) -> None:
    with db.read() as s:
        assert find_repeats(s, id_number=LI_ID, exclude_id=corpus["house"]) == []
    with db.begin() as s:
        void(s, matter_id=corpus["house"], reason="误登记")
    with db.read() as s:
        assert find_repeats(s, id_number=LI_ID) == []


def test_confirmed_repeat_is_linked(db: Database, corpus: dict[str, int]) -> None:
    with db.read() as s:
        candidate = find_repeats(s, id_number=WANG_ID)[0]
    again = register(db, received_on=date(2026, 4, 1), repeat_of_id=candidate.matter.id,
                     petitioners=(PetitionerInput("王建国", id_number=WANG_ID),))
    with db.read() as s:
        m = get_matter(s, again)
    assert (m.repeat, m.repeat_of_id) == (True, corpus["land"])
    assert "重复信访" in [e.kind for e in m.events]


def test_a_lapsed_review_window_makes_the_earlier_matter_final(db: Database) -> None:
    from xinfang_desktop.domain.enums import Decision
    from xinfang_desktop.services.registry import decide
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ANSWER, on=date(2026, 3, 4), reason="依法答复")
    with db.read() as s:
        within = find_repeats(s, id_number=WANG_ID, on=date(2026, 4, 3))
        lapsed = find_repeats(s, id_number=WANG_ID, on=date(2026, 4, 3) + timedelta(days=1))
    assert [c.final for c in within] == [False]
    assert [c.final for c in lapsed] == [True]


def test_the_review_window_of_an_earlier_matter_runs_from_the_delivery_of_its_letter(db: Database) -> None:
    """The same 30 days as the 复查 request itself (workflow.review_window): from the 送达 of the 意见书."""
    from sqlalchemy import select

    from xinfang_desktop.db.models import Document
    from xinfang_desktop.domain.enums import Decision, Delivery
    from xinfang_desktop.domain.letters import DocumentKind
    from xinfang_desktop.services import documents
    from xinfang_desktop.services.handling import review_deadline
    from xinfang_desktop.services.registry import decide
    matter_id = register(db)
    with db.begin() as s:
        decide(s, matter_id=matter_id, decision=Decision.ANSWER, on=date(2026, 3, 4), reason="依法答复")
    with db.begin() as s:
        documents.issue_document(s, matter_id=matter_id, kind=DocumentKind.OPINION, on=date(2026, 3, 5))
    with db.begin() as s:
        document_id = s.scalar(select(Document.id).where(Document.matter_id == matter_id))
        documents.record_delivery(s, document_id=document_id, delivery=Delivery.REGISTERED, on=date(2026, 3, 20))
    with db.read() as s:
        last = review_deadline(s, matter_id=matter_id)
        within = find_repeats(s, id_number=WANG_ID, on=last)
        lapsed = find_repeats(s, id_number=WANG_ID, on=last + timedelta(days=1))
    assert last == date(2026, 4, 19)
    assert [c.final for c in within] == [False]
    assert [c.final for c in lapsed] == [True]


@pytest.mark.parametrize("term", ["王", "问题", "王芳", "土地承包", "110101"])
def test_walking_the_date_index_gives_the_same_pages(db: Database, corpus: dict[str, int],
                                                     monkeypatch: pytest.MonkeyPatch, term: str) -> None:
    """Terms with many hits take another plan (see search._FEW_HITS); it must list the same rows."""
    import xinfang_desktop.services.search as search_module

    def pages() -> list[list[int]]:
        with db.read() as s:
            found, after = [], None
            while True:
                page = list_matters(s, MatterFilter(text=term), after=after, limit=2)
                if not page:
                    return found
                found.append([m.id for m in page])
                after = (page[-1].received_on, page[-1].id)

    by_id = pages()
    monkeypatch.setattr(search_module, "_FEW_HITS", 0)
    assert pages() == by_id
    assert sum(by_id, [])  # the term finds something


def test_the_source_systems_number_is_found_and_shown(db: Database, corpus: dict[str, int], tmp_path) -> None:  # type: ignore[no-untyped-def]
    """原编号: what an upper level's or another system's export numbered a matter, the number the clerk is asked by."""
    import openpyxl

    from xinfang_desktop.services.ledger.files import import_ledger_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "信访件编号", "受理时间", "举报人", "反映主要问题"])
    ws.append([1, "340102202500123", "2025-04-01", "王五", "反映村干部优亲厚友"])
    ws.append([2, "JJ-2025-02", "2025-04-08", "赵六", "反映站所工作人员吃拿卡要"])
    wb.save(tmp_path / "省系统导出.xlsx")
    assert import_ledger_file(db, tmp_path / "省系统导出.xlsx").report.imported == 2
    with db.read() as s:
        by_title = {m.title: m.id for m in list_matters(s, MatterFilter(year=2025))}
    first, second = by_title["反映村干部优亲厚友"], by_title["反映站所工作人员吃拿卡要"]
    assert _found(db, "340102202500123") == {first}
    assert _found(db, "3401022025") == {first}  # its start, as far as the clerk has typed
    assert _found(db, "JJ-2025-02") == {second}
    assert _found(db, "JJ-2025") == {second}
    with db.read() as s:
        assert get_matter(s, second).source_number == "JJ-2025-02"
        assert get_matter(s, corpus["land"]).source_number == ""  # registered here: no 原编号
