"""The clerk's editable lists: 承办单位, 问题分类 (two levels), 乡镇和村; seeded from resources once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Category, Matter, Region, Setting, Transfer, Unit
from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.validation import check_phone
from xinfang_desktop.domain.values import CategoryInfo, RegionInfo, UnitInfo
from xinfang_desktop.services.common import load_default_list, require_text
from xinfang_desktop.services.settings import SEEDED, defaults_seeded


def seed_defaults(session: Session) -> bool:
    """Fill a new database with the lists every office shares (问题分类), once. Returns whether it did.

    The statutory periods need no seeding: they are DEFAULT_SETTINGS until changed. 承办单位 and
    乡镇和村 are the office's own: the first start asks for them (services.office). The window asks
    services.settings.defaults_seeded first, before its first paint, and calls this only when not.
    """
    if defaults_seeded(session):
        return False
    for position, (first, seconds) in enumerate(load_default_list("categories.json").items()):
        parent = Category(name=first, position=position)
        session.add(parent)
        session.flush()
        for sub_position, second in enumerate(seconds):
            session.add(Category(name=second, parent_id=parent.id, position=sub_position))
    session.add(Setting(key=SEEDED, value=True))
    session.flush()
    return True


# 承办单位 ---------------------------------------------------------------------------------
def _unit_info(unit: Unit) -> UnitInfo:
    return UnitInfo(unit.id, unit.name, unit.kind, unit.contact, unit.phone, unit.active)


def list_units(session: Session, *, include_inactive: bool = False) -> list[UnitInfo]:
    query = select(Unit).order_by(Unit.kind, Unit.id)
    if not include_inactive:
        query = query.where(Unit.active.is_(True))
    return [_unit_info(u) for u in session.scalars(query)]


def body_names(session: Session, *, recent: int = 2000) -> list[str]:
    """Names to suggest for a 转送机关 or 有权处理机关: the bodies named lately, most used first, then our units.

    A 转送 often goes to a body outside the 承办单位 list (县人民法院, 县住建局…); the clerk
    types it once and is offered it from then on. Only the latest `recent` are counted:
    grouping every matter (no index has the column) took 0.5 s at a million, each time the
    dialog opened.
    """
    latest = session.scalars(
        select(Matter.competent_body).where(Matter.competent_body != "").order_by(Matter.id.desc()).limit(recent)
    )
    used = [name for name, _ in Counter(latest).most_common()]
    return list(dict.fromkeys([*used, *(u.name for u in list_units(session))]))


def _unique_unit_name(session: Session, name: str, exclude_id: int | None = None) -> str:
    name = require_text(name, "单位名称", max_len=64)
    clash = session.scalar(select(Unit.id).where(Unit.name == name, Unit.id != (exclude_id or -1)))
    if clash is not None:
        raise ValidationError(f"已有名为“{name}”的承办单位，请换一个名称", field="单位名称")
    return name


def add_unit(
    session: Session, *, name: str, kind: UnitKind, contact: str = "", phone: str = ""
) -> UnitInfo:
    unit = Unit(name=_unique_unit_name(session, name), kind=kind, contact=contact.strip(),
                phone=check_phone(phone))
    session.add(unit)
    session.flush()
    return _unit_info(unit)


def update_unit(
    session: Session,
    *,
    unit_id: int,
    name: str | None = None,
    kind: UnitKind | None = None,
    contact: str | None = None,
    phone: str | None = None,
    active: bool | None = None,
) -> UnitInfo:
    """Rename, change or (de)activate a unit; a unit is never deleted, its history stays."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("找不到该承办单位")
    if name is not None:
        unit.name = _unique_unit_name(session, name, unit_id)
    if kind is not None:
        unit.kind = kind
    if contact is not None:
        unit.contact = contact.strip()
    if phone is not None:
        unit.phone = check_phone(phone)
    if active is not None:
        unit.active = active
    session.flush()
    return _unit_info(unit)


def unit_has_history(session: Session, unit_id: int) -> bool:
    return bool(session.scalar(select(exists().where(Transfer.unit_id == unit_id))))


def units_with_history(session: Session) -> list[tuple[UnitInfo, bool]]:
    """Every unit, inactive ones too, and whether any matter was ever transferred to it (then it is never deleted)."""
    return [(u, unit_has_history(session, u.id)) for u in list_units(session, include_inactive=True)]


def find_unit(session: Session, name: str) -> UnitInfo | None:
    unit = session.scalar(select(Unit).where(Unit.name == name.strip()))
    return _unit_info(unit) if unit else None


# 问题分类 ---------------------------------------------------------------------------------
def add_category(session: Session, *, name: str, parent_id: int | None = None) -> CategoryInfo:
    name = require_text(name, "分类名称", max_len=64)
    if parent_id is not None:
        parent = session.get(Category, parent_id)
        if parent is None:
            raise NotFoundError("找不到上级分类")
        if parent.parent_id is not None:
            raise ValidationError("问题分类只有两级，请在一级分类下添加", field="上级分类")
    if _name_taken(session, Category, name, parent_id):
        raise ValidationError(f"已有名为“{name}”的分类", field="分类名称")
    position = session.scalar(select(func.coalesce(func.max(Category.position), 0) + 1)) or 0
    cat = Category(name=name, parent_id=parent_id, position=position)
    session.add(cat)
    session.flush()
    return CategoryInfo(cat.id, cat.name, cat.parent_id, cat.active)


def update_category(
    session: Session, *, category_id: int, name: str | None = None, active: bool | None = None
) -> CategoryInfo:
    """Rename or (de)activate a category; never deleted, so matters filed under it keep their label.

    A deactivated category is no longer offered when registering; its matters still count under it.
    """
    cat = _update_entry(
        session, Category, category_id, name=name, active=active, field="分类名称", missing="找不到该问题分类",
        clash=lambda _row, new: f"同一级已有名为“{new}”的分类，请换一个名称",
    )
    return CategoryInfo(cat.id, cat.name, cat.parent_id, cat.active)


def find_category(session: Session, label: str) -> int | None:
    """The id for "一级/二级", "二级" or "一级" as a ledger writes it; None when unknown."""
    text = label.strip().replace("－", "/").replace("-", "/").replace("、", "/")
    if not text:
        return None
    parts = [p.strip() for p in text.split("/") if p.strip()]
    if len(parts) >= 2:
        parent = session.scalar(select(Category).where(Category.name == parts[0], Category.parent_id.is_(None)))
        if parent is not None:
            child = session.scalar(select(Category.id).where(Category.name == parts[1], Category.parent_id == parent.id))
            return child if child is not None else parent.id
        parts = parts[-1:]
    return session.scalar(
        select(Category.id).where(Category.name == parts[0]).order_by(Category.parent_id.is_not(None), Category.id)
    )


# 乡镇和村 ---------------------------------------------------------------------------------
# A matter stores its 问题发生地 and a petitioner their 乡镇/村 as the text chosen when registered,
# so renaming a 乡镇 or 村 here changes what is offered from now on and leaves registered matters
# as they were written (the ledger is a record; rewriting it would change matters without a
# timeline line and change past years' 发生地 figures). Likewise a deactivated one is no longer
# offered, and its matters keep it.
def _region_field(parent_id: int | None) -> str:
    return "乡镇名称" if parent_id is None else "村（社区）名称"


def _region_clash(session: Session, parent_id: int | None, name: str) -> str:
    if parent_id is None:
        return f"已有名为“{name}”的乡镇，请换一个名称"
    town = session.get(Region, parent_id)
    return f"乡镇“{town.name if town else ''}”下已有名为“{name}”的村（社区），请换一个名称"


def add_region(session: Session, *, name: str, town: str | None = None) -> RegionInfo:
    parent_id = None
    if town:
        parent = session.scalar(select(Region).where(Region.name == town, Region.parent_id.is_(None)))
        if parent is None:
            raise NotFoundError(f"找不到乡镇“{town}”，请先添加该乡镇", field="乡镇")
        if not parent.active:
            # its 村 would be offered nowhere: the register form leaves out a stopped 乡镇 with its 村
            raise ValidationError(f"乡镇“{town}”已停用，请先启用该乡镇再添加村（社区）", field="乡镇")
        parent_id = parent.id
    field = _region_field(parent_id)
    name = require_text(name, field, max_len=64)
    if _name_taken(session, Region, name, parent_id):
        raise ValidationError(_region_clash(session, parent_id, name), field=field)
    row = Region(name=name, parent_id=parent_id)
    session.add(row)
    session.flush()
    return RegionInfo(row.id, row.name, row.parent_id, row.active)


def update_region(
    session: Session, *, region_id: int, name: str | None = None, active: bool | None = None
) -> RegionInfo:
    """Rename or (de)activate a 乡镇 or 村; never deleted. Stopping a 乡镇 stops offering its 村 too."""
    row = session.get(Region, region_id)
    field = _region_field(row.parent_id) if row is not None else "乡镇或村名称"
    region = _update_entry(
        session, Region, region_id, name=name, active=active, field=field, missing="找不到该乡镇或村",
        clash=lambda r, new: _region_clash(session, r.parent_id, new),
    )
    return RegionInfo(region.id, region.name, region.parent_id, region.active)


# shared by 问题分类 and 乡镇和村: unique by name under one parent ------------------------------
def _name_taken(
    session: Session, model: type[Category] | type[Region], name: str, parent_id: int | None, exclude_id: int = -1
) -> bool:
    same_level = model.parent_id.is_(None) if parent_id is None else model.parent_id == parent_id
    return session.scalar(select(model.id).where(model.name == name, same_level, model.id != exclude_id)) is not None


_Entry = TypeVar("_Entry", Category, Region)


def _update_entry(
    session: Session,
    model: type[_Entry],
    entry_id: int,
    *,
    name: str | None,
    active: bool | None,
    field: str,
    missing: str,
    clash: Callable[[_Entry, str], str],
) -> _Entry:
    """Rename and/or (de)activate one entry; a name already used under the same parent is refused."""
    row = session.get(model, entry_id)
    if row is None:
        raise NotFoundError(missing, field=field)
    if name is not None:
        name = require_text(name, field, max_len=64)
        if _name_taken(session, model, name, row.parent_id, row.id):
            raise ValidationError(clash(row, name), field=field)
        row.name = name
    if active is not None:
        row.active = active
    session.flush()
    return row
