"""A real database against a demo one: the first start, and documents refused until the office is named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xinfang_desktop.db.database import Database
from xinfang_desktop.domain.enums import Channel, Decision, UnitKind
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.values import MatterInput, PetitionerInput
from xinfang_desktop.services.common import set_setting
from xinfang_desktop.services.demo import generate
from xinfang_desktop.services.documents import draft_document, issue_document
from xinfang_desktop.services.lists import category_tree, region_tree
from xinfang_desktop.services.office import (
    OfficeSetup,
    finish_first_start,
    needs_first_start,
    office_facts,
    skip_first_start,
)
from xinfang_desktop.services.reference import list_units
from xinfang_desktop.services.registry import decide, register_matter
from xinfang_desktop.services.settings import get_setting

DAY = date(2026, 3, 2)


def _accepted(db: Database) -> int:
    with db.begin() as s:
        ref = register_matter(s, MatterInput(received_on=DAY, channel=Channel.LETTER, title="反映拖欠工资问题",
                                             petitioners=(PetitionerInput(name="王芳"),)), now=DAY)
        decide(s, matter_id=ref.id, decision=Decision.ACCEPT, on=DAY)
    return ref.id


def test_a_real_database_has_the_generic_lists_and_no_made_up_office(real_db: Database) -> None:
    with real_db.read() as s:
        facts = office_facts(s)
        assert facts.office_name == "" and facts.review_body == "" and facts.office_kind == ""
        assert (facts.towns, facts.villages, facts.units) == (0, 0, 0)
        assert list_units(s) == [] and region_tree(s) == {}
        assert {c.name for c in category_tree(s)} >= {"农村农业", "劳动社保", "其他"}
        assert get_setting(s, "periods")["notice_days"] == 15  # the statutory periods
        assert needs_first_start(s)


def test_a_demo_database_has_the_made_up_office(tmp_path: Path) -> None:
    demo = Database(tmp_path / "demo.sqlite3")
    with demo.begin() as s:
        generate(s, cases=5, end=DAY)
    with demo.read() as s:
        assert get_setting(s, "office_name") == "青石县城关镇人民政府"
        assert "河口镇" in region_tree(s) and any(u.name == "县民政局" for u in list_units(s))
        assert not needs_first_start(s)
    demo.close()


def test_issuing_a_document_is_refused_until_the_office_is_named(real_db: Database) -> None:
    matter_id = _accepted(real_db)
    for attempt in (draft_document, issue_document):
        with pytest.raises(ValidationError) as caught, real_db.begin() as s:
            attempt(s, matter_id=matter_id, kind="受理告知书", on=DAY)
        assert caught.value.field == "机关名称"
        assert "“设置”菜单的“机关信息”" in caught.value.message and "未出具" in caught.value.message
    with real_db.begin() as s:
        set_setting(s, "office_name", "河口镇人民政府")
    with real_db.begin() as s:
        info = issue_document(s, matter_id=matter_id, kind="受理告知书", on=DAY)
    assert info.number


def test_first_start_filled_saves_the_office_and_its_lists(real_db: Database) -> None:
    setup = OfficeSetup(
        office_name=" 河口镇人民政府 ", office_kind="乡镇人民政府", number_prefix="河信", review_body="青石县人民政府",
        regions="河口镇/李家湾村\n河口镇\t沙洲村\n河口镇/新河村",
        units="河口镇派出所\t县直部门\n县民政局\n河口镇农业综合服务中心",
    )
    with real_db.begin() as s:
        added = finish_first_start(s, setup=setup)
    assert (added.towns, added.villages, added.units) == (1, 3, 3)
    with real_db.read() as s:
        facts = office_facts(s)
        assert (facts.office_name, facts.office_kind, facts.number_prefix, facts.review_body, facts.first_start) == (
            "河口镇人民政府", "乡镇人民政府", "河信", "青石县人民政府", "done")
        assert region_tree(s) == {"河口镇": ["李家湾村", "沙洲村", "新河村"]}
        kinds = {u.name: u.kind for u in list_units(s)}
        assert kinds["河口镇派出所"] is UnitKind.COUNTY_DEPT and kinds["县民政局"] is UnitKind.COUNTY_DEPT
        assert not needs_first_start(s)
    # finished again later from 设置: what is already there is not added twice
    with real_db.begin() as s:
        again = finish_first_start(s, setup=setup)
    assert (again.towns, again.villages, again.units) == (0, 0, 0)


def test_first_start_without_an_office_name_writes_nothing(real_db: Database) -> None:
    with pytest.raises(ValidationError) as caught, real_db.begin() as s:
        finish_first_start(s, setup=OfficeSetup(office_name="  ", regions="河口镇/李家湾村", units="县民政局"))
    assert caught.value.field == "机关名称" and caught.value.message.startswith("“机关名称”不能为空")
    with real_db.read() as s:
        assert region_tree(s) == {} and list_units(s) == [] and needs_first_start(s)


def test_a_bad_list_line_writes_nothing(real_db: Database) -> None:
    with pytest.raises(ValidationError) as caught, real_db.begin() as s:
        finish_first_start(s, setup=OfficeSetup(office_name="河口镇人民政府", units="县民政局\t部门"))
    assert "第1行" in caught.value.message
    with real_db.read() as s:
        assert get_setting(s, "office_name") == ""


def test_first_start_skipped_is_not_asked_again_and_documents_stay_refused(real_db: Database) -> None:
    with real_db.begin() as s:
        skip_first_start(s)
    with real_db.read() as s:
        assert not needs_first_start(s) and office_facts(s).first_start == "skipped"
    matter_id = _accepted(real_db)
    with pytest.raises(ValidationError), real_db.begin() as s:
        issue_document(s, matter_id=matter_id, kind="受理告知书", on=DAY)


def test_an_empty_setting_names_its_field(real_db: Database) -> None:
    for key, label in (("office_name", "机关名称"), ("review_body", "复查机关"), ("number_prefix", "编号前缀")):
        with pytest.raises(ValidationError) as caught, real_db.begin() as s:
            set_setting(s, key, " ")
        assert caught.value.field == label and caught.value.message == f"“{label}”不能为空，请填写"
