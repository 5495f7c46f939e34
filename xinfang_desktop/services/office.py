"""The office's own facts: the first start (机关名称, kind, 编号前缀, 复查机关, 复核机关, 乡镇和村, 承办单位), and the demo office."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Region, Unit
from xinfang_desktop.domain.enums import OfficeKind, UnitKind
from xinfang_desktop.domain.errors import ValidationError
from xinfang_desktop.domain.validation import parse_region_list, parse_unit_list
from xinfang_desktop.services.common import load_default_list, set_setting
from xinfang_desktop.services.lists import region_entries
from xinfang_desktop.services.reference import add_region, add_unit, find_unit
from xinfang_desktop.services.settings import get_setting

DEMO_OFFICE = {
    "office_name": "青石县城关镇人民政府",
    "office_kind": OfficeKind.TOWNSHIP.value,
    "review_body": "青石县人民政府",
    "recheck_body": "青山市人民政府",
}
WHERE_TO_SET = "请在“设置”菜单的“机关信息”中填写"
OFFICE_NAME_FIELD = "机关名称"  # the field of a document refused while the office has no name yet
# the settings a letter is signed with or names: a letter a step owes, refused for want of one, is said
# even after the step (the clerk did not ask for it, but cannot have it until the setting is filled)
OFFICE_SETTING_FIELDS = frozenset({OFFICE_NAME_FIELD, "复查机关", "复核机关"})


@dataclass(frozen=True)
class OfficeSetup:
    """What the first-start page collects; the lists as typed, pasted or read from Excel."""

    office_name: str
    office_kind: str = ""
    number_prefix: str = ""
    review_body: str = ""
    recheck_body: str = ""
    regions: str = ""
    units: str = ""


@dataclass(frozen=True)
class OfficeFacts:
    office_name: str
    office_kind: str
    number_prefix: str
    review_body: str
    recheck_body: str
    first_start: str  # "", "skipped" or "done"
    towns: int
    villages: int
    units: int


@dataclass(frozen=True)
class SetupAdded:
    """What the first start added (lines already in the lists are not added twice)."""

    towns: int
    villages: int
    units: int


def office_facts(session: Session) -> OfficeFacts:
    towns = session.scalar(select(func.count()).select_from(Region).where(Region.parent_id.is_(None))) or 0
    villages = session.scalar(select(func.count()).select_from(Region).where(Region.parent_id.is_not(None))) or 0
    return OfficeFacts(
        office_name=str(get_setting(session, "office_name")),
        office_kind=str(get_setting(session, "office_kind")),
        number_prefix=str(get_setting(session, "number_prefix")),
        review_body=str(get_setting(session, "review_body")),
        recheck_body=str(get_setting(session, "recheck_body")),
        first_start=str(get_setting(session, "first_start")),
        towns=towns,
        villages=villages,
        units=session.scalar(select(func.count()).select_from(Unit)) or 0,
    )


def needs_first_start(session: Session) -> bool:
    """A database whose office is not yet named and whose clerk has not put the page off."""
    return not get_setting(session, "office_name") and get_setting(session, "first_start") == ""


def skip_first_start(session: Session) -> None:
    """以后再说: not asked again at start; 设置 → 首次设置 opens the page again."""
    set_setting(session, "first_start", "skipped")


def finish_first_start(session: Session, *, setup: OfficeSetup) -> SetupAdded:
    """Save the office's facts and add its lists, all or nothing (the caller's one transaction)."""
    set_setting(session, "office_name", setup.office_name)
    if setup.office_kind.strip():
        set_setting(session, "office_kind", setup.office_kind)
    if setup.number_prefix.strip():
        set_setting(session, "number_prefix", setup.number_prefix)
    if setup.review_body.strip():
        set_setting(session, "review_body", setup.review_body)
    if setup.recheck_body.strip():
        set_setting(session, "recheck_body", setup.recheck_body)
    towns, villages = add_region_list(session, parse_region_list(setup.regions))
    units = add_unit_list(session, parse_unit_list(setup.units))
    set_setting(session, "first_start", "done")
    return SetupAdded(towns, villages, units)


def add_region_list(session: Session, tree: dict[str, list[str]]) -> tuple[int, int]:
    """Add the 乡镇 and 村 not yet in the list; returns how many of each were added."""
    entries = region_entries(session, include_inactive=True)
    known = {town.name: [v.name for v in town.children] for town in entries}
    stopped = {town.name for town in entries if not town.active}
    towns = villages = 0
    for town, names in tree.items():
        if town in stopped:
            raise ValidationError(f"乡镇“{town}”已停用，请先在“设置 → 乡镇和村”中启用", field="乡镇和村")
        if town not in known:
            add_region(session, name=town)
            known[town] = []
            towns += 1
        for village in names:
            if village not in known[town]:
                add_region(session, name=village, town=town)
                known[town].append(village)
                villages += 1
    return towns, villages


def add_unit_list(session: Session, units: list[tuple[str, UnitKind]]) -> int:
    """Add the 承办单位 not yet in the list (by name); returns how many were added."""
    added = 0
    for name, kind in units:
        if find_unit(session, name) is None:
            add_unit(session, name=name, kind=kind)
            added += 1
    return added


def require_office_name(session: Session, what: str) -> str:
    """The 机关名称 a document is signed with; refused while it is not set."""
    name = str(get_setting(session, "office_name"))
    if not name:
        raise ValidationError(f"尚未填写“机关名称”，{what}无法落款，未出具；{WHERE_TO_SET}“机关名称”后再出具",
                              field=OFFICE_NAME_FIELD)
    return name


def seed_demo_office(session: Session) -> None:
    """The made-up 青石县城关镇 with its units, towns and villages: for `xinfang demo` databases only."""
    for key, value in DEMO_OFFICE.items():
        if not get_setting(session, key):
            set_setting(session, key, value)
    set_setting(session, "first_start", "done")
    add_unit_list(session, [(u["name"], UnitKind(u["kind"])) for u in load_default_list("units.json", "demo")])
    add_region_list(session, load_default_list("regions.json", "demo"))
