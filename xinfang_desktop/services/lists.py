"""What the forms offer to choose from, read as rows: 问题分类, 乡镇和村, the day's 接访领导. The register form
reads them before the window's first paint (services/__init__.py); services.reference and services.leaders
change them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Row, select

from xinfang_desktop.db import tables
from xinfang_desktop.db.dialect import Reader
from xinfang_desktop.domain.values import CategoryInfo, ReceptionDay, RegionInfo


# 问题分类 ---------------------------------------------------------------------------------
def category_tree(session: Reader, *, include_inactive: bool = False) -> list[CategoryInfo]:
    categories = tables.categories
    return _two_levels(session.execute(select(categories).order_by(categories.c.position, categories.c.id)),
                       include_inactive)


def category_label(session: Reader, category_id: int | None) -> str:
    """"劳动社保/拖欠工资" for a second-level category, "教育" for a first-level one."""
    if category_id is None:
        return ""
    return category_labels(session, (category_id,)).get(category_id, "")


def category_labels(session: Reader, category_ids: Iterable[int]) -> dict[int, str]:
    """category_label of each of the ids, in one query (a list page's categories)."""
    wanted = list(category_ids)
    if not wanted:
        return {}
    categories = tables.categories
    parent = categories.alias()
    rows = session.execute(
        select(categories.c.id, categories.c.name, parent.c.name)
        .outerjoin(parent, parent.c.id == categories.c.parent_id)
        .where(categories.c.id.in_(wanted))
    )
    return {cat_id: f"{parent_name}/{name}" if parent_name is not None else name for cat_id, name, parent_name in rows}


# 乡镇和村 ---------------------------------------------------------------------------------
def region_entries(session: Reader, *, include_inactive: bool = False) -> list[RegionInfo]:
    """The 乡镇, each with its 村 as children, in the order added (as the 设置 dialog lists them)."""
    regions = tables.regions
    return _two_levels(session.execute(select(regions).order_by(regions.c.id)), include_inactive)


def region_tree(session: Reader) -> dict[str, list[str]]:
    """{乡镇: [村, ...]} of the active ones: what the register form offers."""
    return {town.name: [v.name for v in town.children] for town in region_entries(session)}


def _two_levels(rows: Iterable[Row[Any]], include_inactive: bool) -> list[CategoryInfo]:
    """Top entries with their children; without include_inactive a stopped top entry hides its children."""
    kept = [r for r in rows if include_inactive or r.active]
    children: dict[int, list[CategoryInfo]] = {}
    for row in kept:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(CategoryInfo(row.id, row.name, row.parent_id, row.active))
    return [CategoryInfo(r.id, r.name, None, r.active, tuple(children.get(r.id, ()))) for r in kept if r.parent_id is None]


# 领导接访日 -------------------------------------------------------------------------------
def reception_day(row: Any) -> ReceptionDay:
    """A roster line of a row of reception_days (or a services.leaders ReceptionDay object)."""
    return ReceptionDay(row.day, row.leader, row.post, row.place, row.hours, row.id)


def roster(session: Reader, *, date_from: date, date_to: date) -> list[ReceptionDay]:
    """The roster lines of a period, by day."""
    days = tables.reception_days
    query = select(days).where(days.c.day.between(date_from, date_to)).order_by(days.c.day, days.c.id)
    return [reception_day(row) for row in session.execute(query)]


def on_duty(session: Reader, *, day: date) -> list[ReceptionDay]:
    """Who receives visitors on this day (the 登记 form offers them as 接访领导)."""
    return roster(session, date_from=day, date_to=day)
