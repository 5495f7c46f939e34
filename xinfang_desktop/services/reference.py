"""The clerk's editable lists: 承办单位, 问题分类 (two levels), 乡镇和村; seeded from resources once."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from xinfang_desktop.db.models import Category, Region, Setting, Transfer, Unit
from xinfang_desktop.domain.enums import UnitKind
from xinfang_desktop.domain.errors import NotFoundError, ValidationError
from xinfang_desktop.domain.values import CategoryInfo, UnitInfo
from xinfang_desktop.services.common import load_default_list, require_text

_SEEDED = "defaults_seeded"


def seed_defaults(session: Session) -> bool:
    """Fill a new database with the shipped lists, once. Returns whether it did."""
    if session.get(Setting, _SEEDED) is not None:
        return False
    for position, (first, seconds) in enumerate(load_default_list("categories.json").items()):
        parent = Category(name=first, position=position)
        session.add(parent)
        session.flush()
        for sub_position, second in enumerate(seconds):
            session.add(Category(name=second, parent_id=parent.id, position=sub_position))
    for unit in load_default_list("units.json"):
        session.add(Unit(name=unit["name"], kind=UnitKind(unit["kind"])))
    for town, villages in load_default_list("regions.json").items():
        parent_region = Region(name=town)
        session.add(parent_region)
        session.flush()
        for village in villages:
            session.add(Region(name=village, parent_id=parent_region.id))
    session.add(Setting(key=_SEEDED, value=True))
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


def _unique_unit_name(session: Session, name: str, exclude_id: int | None = None) -> str:
    name = require_text(name, "单位名称", max_len=64)
    clash = session.scalar(select(Unit.id).where(Unit.name == name, Unit.id != (exclude_id or -1)))
    if clash is not None:
        raise ValidationError(f"已有名为“{name}”的承办单位，请换一个名称", field="单位名称")
    return name


def add_unit(
    session: Session, *, name: str, kind: UnitKind, contact: str = "", phone: str = ""
) -> UnitInfo:
    unit = Unit(name=_unique_unit_name(session, name), kind=kind, contact=contact.strip(), phone=phone.strip())
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
        unit.phone = phone.strip()
    if active is not None:
        unit.active = active
    session.flush()
    return _unit_info(unit)


def unit_has_history(session: Session, unit_id: int) -> bool:
    return bool(session.scalar(select(exists().where(Transfer.unit_id == unit_id))))


def find_unit(session: Session, name: str) -> UnitInfo | None:
    unit = session.scalar(select(Unit).where(Unit.name == name.strip()))
    return _unit_info(unit) if unit else None


# 问题分类 ---------------------------------------------------------------------------------
def category_tree(session: Session, *, include_inactive: bool = False) -> list[CategoryInfo]:
    rows = list(session.scalars(select(Category).order_by(Category.position, Category.id)))
    if not include_inactive:
        rows = [r for r in rows if r.active]
    children: dict[int, list[CategoryInfo]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(CategoryInfo(row.id, row.name, row.parent_id, row.active))
    return [
        CategoryInfo(r.id, r.name, None, r.active, tuple(children.get(r.id, ())))
        for r in rows
        if r.parent_id is None
    ]


def category_label(session: Session, category_id: int | None) -> str:
    """"劳动社保/拖欠工资" for a second-level category, "教育" for a first-level one."""
    if category_id is None:
        return ""
    cat = session.get(Category, category_id)
    if cat is None:
        return ""
    return f"{cat.parent.name}/{cat.name}" if cat.parent is not None else cat.name


def add_category(session: Session, *, name: str, parent_id: int | None = None) -> CategoryInfo:
    name = require_text(name, "分类名称", max_len=64)
    if parent_id is not None:
        parent = session.get(Category, parent_id)
        if parent is None:
            raise NotFoundError("找不到上级分类")
        if parent.parent_id is not None:
            raise ValidationError("问题分类只有两级，请在一级分类下添加", field="上级分类")
    clash = session.scalar(
        select(Category.id).where(Category.name == name, Category.parent_id.is_(parent_id) if parent_id is None else Category.parent_id == parent_id)
    )
    if clash is not None:
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
    cat = session.get(Category, category_id)
    if cat is None:
        raise NotFoundError("找不到该问题分类", field="分类名称")
    if name is not None:
        name = require_text(name, "分类名称", max_len=64)
        same_level = Category.parent_id.is_(None) if cat.parent_id is None else Category.parent_id == cat.parent_id
        clash = session.scalar(select(Category.id).where(Category.name == name, same_level, Category.id != cat.id))
        if clash is not None:
            raise ValidationError(f"同一级已有名为“{name}”的分类，请换一个名称", field="分类名称")
        cat.name = name
    if active is not None:
        cat.active = active
    session.flush()
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
def region_tree(session: Session) -> dict[str, list[str]]:
    rows = list(session.scalars(select(Region).where(Region.active.is_(True)).order_by(Region.id)))
    towns = {r.id: r.name for r in rows if r.parent_id is None}
    tree: dict[str, list[str]] = {name: [] for name in towns.values()}
    for row in rows:
        if row.parent_id in towns:
            tree[towns[row.parent_id]].append(row.name)
    return tree


def add_region(session: Session, *, name: str, town: str | None = None) -> None:
    name = require_text(name, "乡镇或村名称", max_len=64)
    parent_id = None
    if town:
        parent_id = session.scalar(select(Region.id).where(Region.name == town, Region.parent_id.is_(None)))
        if parent_id is None:
            raise NotFoundError(f"找不到乡镇“{town}”，请先添加该乡镇", field="乡镇")
    session.add(Region(name=name, parent_id=parent_id))
    session.flush()
