"""乡镇和村: renamed and 停用/启用, never deleted; registered matters keep the text they were written with."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers.builders import register, snapshot
from xinfang_desktop.db.database import Database
from xinfang_desktop.db.models import Region
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.values import PetitionerInput, RegionInfo
from xinfang_desktop.services.convert import get_matter
from xinfang_desktop.services.lists import region_entries, region_tree
from xinfang_desktop.services.reference import add_region, update_region


def _town(db: Database, name: str) -> RegionInfo:
    with db.read() as s:
        return next(t for t in region_entries(s, include_inactive=True) if t.name == name)


def _village(db: Database, town: str, name: str) -> RegionInfo:
    return next(v for v in _town(db, town).children if v.name == name)


def test_a_renamed_village_is_offered_by_its_new_name_and_old_matters_keep_theirs(db: Database) -> None:
    matter_id = register(db, place="柳溪乡/杨柳村",
                         petitioners=(PetitionerInput("王建国", region="柳溪乡/杨柳村"),))
    before = snapshot(db, matter_id)
    village = _village(db, "柳溪乡", "杨柳村")
    with db.begin() as s:
        renamed = update_region(s, region_id=village.id, name=" 杨柳社区 ")
    assert renamed == RegionInfo(village.id, "杨柳社区", village.parent_id, True)
    with db.read() as s:
        assert region_tree(s)["柳溪乡"] == ["柳溪村", "杨柳社区", "溪口村", "竹园村"]  # same place in the list
        matter = get_matter(s, matter_id)
    # the matter was written with the old name and stays so; no line is added to its timeline
    assert matter.place == "柳溪乡/杨柳村" and matter.petitioners[0].region == "柳溪乡/杨柳村"
    assert snapshot(db, matter_id) == before


def test_a_renamed_town_keeps_its_villages(db: Database) -> None:
    town = _town(db, "白云乡")
    with db.begin() as s:
        update_region(s, region_id=town.id, name="白云镇")
    with db.read() as s:
        tree = region_tree(s)
    assert "白云乡" not in tree and tree["白云镇"] == [v.name for v in town.children]


@pytest.mark.parametrize(
    ("town", "village", "name", "fragment", "field"),
    [
        ("柳溪乡", "杨柳村", "溪口村", "乡镇“柳溪乡”下已有名为“溪口村”的村（社区）", "村（社区）名称"),
        ("柳溪乡", "杨柳村", "   ", "请填写“村（社区）名称”", "村（社区）名称"),
        ("柳溪乡", "杨柳村", "村" * 65, "不能超过64个字", "村（社区）名称"),
        ("柳溪乡", None, "青石镇", "已有名为“青石镇”的乡镇", "乡镇名称"),
        ("柳溪乡", None, "", "请填写“乡镇名称”", "乡镇名称"),
    ],
)
def test_a_rename_that_would_clash_or_is_empty_is_refused_and_changes_nothing(
    db: Database, town: str, village: str | None, name: str, fragment: str, field: str
) -> None:
    target = _village(db, town, village) if village else _town(db, town)
    with db.read() as s:
        before = region_entries(s, include_inactive=True)
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        update_region(s, region_id=target.id, name=name, active=False)
    assert fragment in caught.value.message and caught.value.field == field
    with db.read() as s:
        assert region_entries(s, include_inactive=True) == before  # neither renamed nor stopped


def test_the_same_village_name_under_another_town_is_allowed(db: Database) -> None:
    with db.begin() as s:
        update_region(s, region_id=_village(db, "河口镇", "新河村").id, name="新华村")  # 城关镇 has one too
    with db.read() as s:
        assert "新华村" in region_tree(s)["河口镇"] and "新华村" in region_tree(s)["城关镇"]


def test_a_stopped_village_is_not_offered_but_kept_and_can_be_started_again(db: Database) -> None:
    matter_id = register(db, place="青石镇/龙井村")
    village = _village(db, "青石镇", "龙井村")
    with db.begin() as s:
        update_region(s, region_id=village.id, active=False)
    with db.read() as s:
        assert "龙井村" not in region_tree(s)["青石镇"]
        assert _village(db, "青石镇", "龙井村").active is False
        assert get_matter(s, matter_id).place == "青石镇/龙井村"
    # a stopped name still counts as taken: a new 龙井村 beside it is refused, not a database error
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        add_region(s, name="龙井村", town="青石镇")
    assert "已有名为“龙井村”" in caught.value.message
    with db.begin() as s:
        update_region(s, region_id=village.id, active=True)
    with db.read() as s:
        assert region_tree(s)["青石镇"] == ["青石村", "石桥村", "龙井村", "上坪村", "下坪村"]


def test_a_stopped_town_hides_its_villages_and_takes_no_new_one(db: Database) -> None:
    town = _town(db, "河口镇")
    with db.begin() as s:
        update_region(s, region_id=town.id, active=False)
    with db.read() as s:
        assert "河口镇" not in region_tree(s)
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        add_region(s, name="新村", town="河口镇")
    assert "乡镇“河口镇”已停用" in caught.value.message and caught.value.field == "乡镇"
    with db.begin() as s:
        update_region(s, region_id=town.id, active=True)
    with db.read() as s:
        assert region_tree(s)["河口镇"] == [v.name for v in town.children]  # the villages come back with it


def test_adding_refuses_a_duplicate_and_an_unknown_town(db: Database) -> None:
    with db.read() as s:
        count = s.scalar(select(func.count(Region.id)))
    with pytest.raises(ValidationError) as caught, db.begin() as s:
        add_region(s, name="城关镇")  # two 乡镇 of one name: SQLite's unique index lets NULL parents through
    assert "已有名为“城关镇”的乡镇" in caught.value.message and caught.value.field == "乡镇名称"
    with pytest.raises(NotFoundError), db.begin() as s:
        add_region(s, name="新村", town="不存在镇")
    with db.read() as s:
        assert s.scalar(select(func.count(Region.id))) == count
    with db.begin() as s:
        added = add_region(s, name="新村", town="柳溪乡")
    assert added.parent_id == _town(db, "柳溪乡").id and region_tree_has(db, "柳溪乡", "新村")


def test_an_unknown_region_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError) as caught, db.begin() as s:
        update_region(s, region_id=99999, name="某村")
    assert "找不到该乡镇或村" in caught.value.message


def region_tree_has(db: Database, town: str, village: str) -> bool:
    with db.read() as s:
        return village in region_tree(s).get(town, [])
