"""Finding matters, read as rows (SQLAlchemy Core): the list window, text search, a petitioner's history.
Repeat detection, which needs the workflow's rules, is services.repeats.

Text of three characters or more goes to the FTS5 trigram index (titles, contents and
诉求, names); on a PostgreSQL server to the same table's pg_trgm GIN index (ILIKE). One or two characters cannot use trigrams: they go to the petitioner name
index by prefix (most such terms are a surname or a two-character name; on a server to each
matter's names by their first two characters, `matter_name_starts` of migration 0021) and to the title
bigrams of `matter_grams` (migration 0004); contents are searched from three characters.
Digits also match ID numbers and phones; four characters or more also match the start of 原编号 (matters.source_number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    tuple_,
    union,
    union_all,
)

from xinfang_desktop.db import tables
from xinfang_desktop.db.dialect import Reader, on_server
from xinfang_desktop.domain.enums import Status
from xinfang_desktop.domain.idcard import normalize_id_number
from xinfang_desktop.domain.values import MatterFilter, MatterSummary
from xinfang_desktop.services.lists import category_labels

_DIGITS = re.compile(r"^[0-9Xx]+$")
# a term with few hits is read by id and sorted; one with many walks the date index newest
# first and stops at the page's last row (each alone is slow on the other kind of term)
_FEW_HITS = 2000
# the tables, never the mapped classes: the list's first page comes before the window's first paint and
# the ORM (services/__init__.py)
_MATTERS, _LINKS, _PETITIONERS, _CATEGORIES = tables.matters, tables.matter_petitioners, tables.petitioners, tables.categories
_GRAMS = table("matter_grams", column("gram"), column("matter_id"))
_NAME_STARTS = table("matter_name_starts", column("start"), column("matter_id"))
# the list's order as one row value: SQLite ranges an index on (received_on, id) by it, where the
# same test spelt with OR reads every row of the filter once its values are bound parameters
# (the row above the newest 已办结 of 200,000 matters: 12 ms instead of 155)
_LIST_KEY = tuple_(_MATTERS.c.received_on, _MATTERS.c.id)
# what a MatterSummary shows of the matter's own row
SUMMARY = tuple(_MATTERS.c[name] for name in ("id", "number", "received_on", "channel", "anonymous", "title",
                                                "category_id", "status", "due_on", "closed_on", "version"))


def _prefix_range(column, prefix: str, *, server: bool = False):  # type: ignore[no-untyped-def]
    """column LIKE 'prefix%' that can use an ordinary index.

    A byte range: on a server compared in "C" (migration 0015's indexes), since in a server's own
    collation (zh_CN.UTF-8) U+10FFFF sorts right after 王 and the range held 王 alone."""
    if server:
        column = column.collate("C")
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def _trigram_match(server: bool, term: str):  # type: ignore[no-untyped-def]
    if server:
        # pg_trgm answers ILIKE from the GIN index of each column; LIKE's own wildcards are escaped
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
        return text("(title ILIKE :q OR body ILIKE :q OR names ILIKE :q)").bindparams(q=pattern)
    return text("matter_fts MATCH :q").bindparams(q='"' + term.replace('"', '""') + '"')


def _text_parts(term: str, *, server: bool = False) -> list[Select]:  # type: ignore[type-arg]
    """SELECTs of the ids of matters the term finds by content, name, ID number or phone, one for each way.

    The first lists a matter at most once (a search row, a title bigram), except for one character:
    a title's characters are a prefix range of its bigrams, there once for each place the character is."""
    parts: list[Select] = []  # type: ignore[type-arg]
    if len(term) >= 3:
        parts.append(select(literal_column("rowid")).select_from(text("matter_fts")).where(_trigram_match(server, term)))
    else:
        gram = _GRAMS.c.gram == term if len(term) == 2 else _prefix_range(_GRAMS.c.gram, term)
        parts.append(select(_GRAMS.c.matter_id).where(gram))
        if server:
            # names by their first two characters (migration 0021): the ids from one index, no join
            start = _NAME_STARTS.c.start == term if len(term) == 2 else _prefix_range(_NAME_STARTS.c.start, term)
            parts.append(select(_NAME_STARTS.c.matter_id).where(start))
        else:
            parts.append(
                select(_LINKS.c.matter_id)
                .join(_PETITIONERS, _PETITIONERS.c.id == _LINKS.c.petitioner_id)
                .where(_prefix_range(_PETITIONERS.c.name, term))
            )
    if len(term) >= 4:
        # 原编号 (the source system's number, 340102202500123 or XF-2025-0012) by its start, from its index;
        # shorter, a start such as "34" or "XF" would find every matter of that system
        parts.append(select(_MATTERS.c.id).where(_prefix_range(_MATTERS.c.source_number, term, server=server)))
    if _DIGITS.match(term) and len(term) >= 4:
        digits = normalize_id_number(term)
        people = select(_PETITIONERS.c.id).where(
            or_(_prefix_range(_PETITIONERS.c.id_number, digits, server=server),
                _prefix_range(_PETITIONERS.c.phone, digits, server=server))
        )
        parts.append(select(_LINKS.c.matter_id).where(_LINKS.c.petitioner_id.in_(people)))
    return parts


def _text_ids(term: str, *, server: bool = False):  # type: ignore[no-untyped-def]
    """A SELECT of matter ids matching the term, a matter found two ways listed twice: for an IN, which
    ignores repeats (a UNION would first sort or hash every hit to drop them: 29,641 for 物业)."""
    parts = _text_parts(term, server=server)
    return union_all(*parts) if len(parts) > 1 else parts[0]


def _hit_count(session: Reader, term: str) -> int:
    """How many matters a term finds, read from the indexes alone.

    The first way's hits are counted as they stand, and of the others only the matters the first
    missed, each looked up in the first's index: dropping repeats from the union of every way
    hashed all the hits (物业 among a million matters on a server: 12 ms, against 3 ms so)."""
    first, *others = _text_parts(term, server=on_server(session))
    if len(term) == 1:  # the first lists a matter more than once
        return session.scalar(select(func.count()).select_from(union(first, *others).subquery())) or 0
    total: ColumnElement[int] = select(func.count()).select_from(first.subquery()).scalar_subquery()
    if others:
        rest = (union(*others) if len(others) > 1 else others[0].distinct()).subquery()
        found = first.subquery()
        missed = select(func.count()).select_from(rest).where(
            ~select(found.c[0]).where(found.c[0] == rest.c[0]).exists())
        total = total + missed.scalar_subquery()
    return session.scalar(select(total)) or 0


def _apply_filter(session: Reader, query: Select, flt: MatterFilter,  # type: ignore[type-arg]
                  *, walk_index: bool = False) -> Select:  # type: ignore[type-arg]
    term = flt.text.strip()
    if term:
        server = on_server(session)
        hits = _text_ids(term, server=server)
        if walk_index and server:
            # PostgreSQL turns an IN of the WHERE's top level into a semi join, and under the page's LIMIT
            # plans it as a nested loop over the materialised hits (60 s for 物业's 29,641 hits among a
            # million matters); beneath an OR it stays one hashed set, probed while ix_matters_received is
            # walked backwards (128 ms). The id is never NULL: the OR only keeps the planner's hands off.
            query = query.where(or_(_MATTERS.c.id.in_(hits), _MATTERS.c.id.is_(None)))
        else:
            # `id + 0` hides the rowid from SQLite's planner, so it walks ix_matters_received instead
            key = (_MATTERS.c.id + 0) if walk_index else _MATTERS.c.id
            query = query.where(key.in_(hits))
    if flt.year is not None:
        query = query.where(_MATTERS.c.received_on >= date(flt.year, 1, 1), _MATTERS.c.received_on <= date(flt.year, 12, 31))
    if flt.date_from is not None:
        query = query.where(_MATTERS.c.received_on >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(_MATTERS.c.received_on <= flt.date_to)
    if flt.status is not None:
        query = query.where(_MATTERS.c.status == flt.status)
    elif not flt.include_voided:
        query = query.where(_MATTERS.c.status != Status.VOIDED)
    if flt.channel is not None:
        query = query.where(_MATTERS.c.channel == flt.channel)
    if flt.category_id is not None:
        children = select(_CATEGORIES.c.id).where(_CATEGORIES.c.parent_id == flt.category_id)
        query = query.where(or_(_MATTERS.c.category_id == flt.category_id, _MATTERS.c.category_id.in_(children)))
    return query


def count_matters(session: Reader, flt: MatterFilter = MatterFilter()) -> int:
    if flt.status is None and not flt.include_voided:
        # all but the voided, as two counts the indexes answer alone: "status != 已作废" would read
        # every row's status (the whole table at a million matters, for the list's default view)
        return count_matters(session, replace(flt, include_voided=True)) - count_matters(
            session, replace(flt, status=Status.VOIDED))
    term = flt.text.strip()
    if term and flt == MatterFilter(text=flt.text):  # text alone: count the index hits, read no matter rows
        return _hit_count(session, term)
    # count(*), not count(id): with no filter SQLite counts the table from its b-tree pages
    # (under 1 ms at a million matters) instead of walking an index (56 ms); the same count otherwise
    return session.scalar(_apply_filter(session, select(func.count()).select_from(_MATTERS), flt)) or 0


def _walk(session: Reader, flt: MatterFilter) -> bool:
    """Whether the term finds more than _FEW_HITS matters; stops reading there. A matter found two ways
    counts twice: only the plan hangs on the answer, and dropping repeats hashes every hit (12 ms for
    物业 among a million matters on a server, the same again as the count the list shows)."""
    term = flt.text.strip()
    if not term:
        return False
    hits = _text_ids(term, server=on_server(session)).limit(_FEW_HITS + 1)
    return (session.scalar(select(func.count()).select_from(hits.subquery())) or 0) > _FEW_HITS


def list_matters(
    session: Reader,
    flt: MatterFilter = MatterFilter(),
    *,
    after: tuple[date, int] | None = None,
    limit: int = 200,
) -> list[MatterSummary]:
    """Newest first, one page; `after` is the (登记日期, id) of the last row already shown."""
    query = _apply_filter(session, select(*SUMMARY), flt, walk_index=_walk(session, flt))
    if after is not None:
        query = query.where(
            _LIST_KEY < tuple_(*after)
        )
    query = query.order_by(_MATTERS.c.received_on.desc(), _MATTERS.c.id.desc()).limit(limit)
    return summaries(session, session.execute(query).all())


def summaries(session: Reader, rows: Sequence[Row[*tuple[Any, ...]]]) -> list[MatterSummary]:
    """Rows of the SUMMARY columns as MatterSummary, their names and categories read in one query each.

    Rows, not Matter objects: mapping a page of ORM objects and loading their links, petitioners and
    categories eagerly cost the window's first paint 30 ms of a 50-row block at 100,000 matters."""
    names: dict[int, list[str]] = {}
    if rows:
        links = (
            select(_LINKS.c.matter_id, _PETITIONERS.c.name)
            .join(_PETITIONERS, _PETITIONERS.c.id == _LINKS.c.petitioner_id)
            .where(_LINKS.c.matter_id.in_([row.id for row in rows]))
            .order_by(_LINKS.c.matter_id, _LINKS.c.position)
        )
        for matter_id, name in session.execute(links):
            names.setdefault(matter_id, []).append(name)
    labels = category_labels(session, {row.category_id for row in rows if row.category_id is not None})
    return [
        MatterSummary(
            id=row.id,
            number=row.number,
            received_on=row.received_on,
            channel=row.channel,
            petitioners="、".join(names.get(row.id, ())) or ("匿名" if row.anonymous else ""),
            title=row.title,
            category=labels.get(row.category_id, "") if row.category_id is not None else "",
            status=row.status,
            due_on=row.due_on,
            version=row.version,
            closed_on=row.closed_on,
        )
        for row in rows
    ]


def _voided_from(session: Reader, flt: MatterFilter, key: tuple[date, int]) -> int:
    """How many voided matters the filter would show at or above `key` in list order (newest first)."""
    at_or_above = _LIST_KEY >= tuple_(*key)
    voided = replace(flt, status=Status.VOIDED)
    return session.scalar(_apply_filter(session, select(func.count()).select_from(_MATTERS), voided).where(at_or_above)) or 0


def matter_key_at(session: Reader, flt: MatterFilter = MatterFilter(), *, offset: int) -> tuple[date, int] | None:
    """The (登记日期, id) of the row at `offset` in list order: lets a list window jump far
    down (a scroll-bar drag) and then page by key from there. Reads only the index."""
    if flt.status is None and not flt.include_voided:
        # the voided are few: the key among every matter, moved down past the voided above it, until
        # none is left to pass ("status != 已作废" would read each row: 286 ms instead of 15 at 200,000)
        every, passed = replace(flt, include_voided=True), 0
        while True:
            key = matter_key_at(session, every, offset=offset + passed)
            if key is None:
                return None
            above = _voided_from(session, flt, key)
            if above == passed:
                return key
            passed = above
    query = _apply_filter(session, select(_MATTERS.c.received_on, _MATTERS.c.id), flt, walk_index=_walk(session, flt))
    query = query.order_by(_MATTERS.c.received_on.desc(), _MATTERS.c.id.desc()).offset(offset).limit(1)
    row = session.execute(query).first()
    return (row[0], row[1]) if row is not None else None


def matter_row(session: Reader, flt: MatterFilter = MatterFilter(), *, matter_id: int) -> int | None:
    """Where a matter stands in list order (0 = the top) under the filter, None when the filter
    leaves it out: lets a list that was reloaded find the selected matter again. Reads only the
    index; the count walks the rows above it, so a matter near the top costs least."""
    key = session.execute(
        _apply_filter(session, select(_MATTERS.c.received_on, _MATTERS.c.id), flt).where(_MATTERS.c.id == matter_id)
    ).first()
    if key is None:
        return None
    received, found = key
    if flt.status is None and not flt.include_voided:
        # as count_matters: every matter above it, less the voided ones, each counted from an index
        above_all = matter_row(session, replace(flt, include_voided=True), matter_id=matter_id) or 0
        return above_all - _voided_from(session, flt, (received, found))
    above = _LIST_KEY > tuple_(received, found)
    return session.scalar(_apply_filter(session, select(func.count()).select_from(_MATTERS), flt).where(above)) or 0


def search(session: Reader, term: str, *, limit: int = 50) -> list[MatterSummary]:
    """Free-text search: title and content, petitioner name, ID number, phone, 原编号."""
    return list_matters(session, MatterFilter(text=term), limit=limit)


def find_matter_by_number(session: Reader, number: str) -> int | None:
    """The id for a number as typed: the full 信〔2026〕0001号, or 2026-1 / 2026-0001."""
    number = number.strip()
    found: int | None = session.scalar(select(_MATTERS.c.id).where(_MATTERS.c.number == number))
    match = re.fullmatch(r"(\d{4})\D+(\d+)", number)
    if found is None and match:
        found = session.scalar(
            select(_MATTERS.c.id).where(_MATTERS.c.year == int(match.group(1)), _MATTERS.c.seq == int(match.group(2)))
        )
    return found


# petitioner history ---------------------------------------------------
def petitioner_history(
    session: Reader, *, name: str = "", id_number: str = "", phone: str = "", limit: int = 50
) -> list[MatterSummary]:
    """A person's earlier matters: by 身份证号 when known, else by 姓名 (and 电话 when given)."""
    number = normalize_id_number(id_number) if id_number.strip() else ""
    if len(number) in (15, 18):
        condition = _PETITIONERS.c.id_number == number
    elif name.strip() and phone.strip():
        condition = and_(_PETITIONERS.c.name == name.strip(), _PETITIONERS.c.phone == phone.strip())
    elif name.strip():
        condition = _PETITIONERS.c.name == name.strip()
    else:
        return []
    people = select(_PETITIONERS.c.id).where(condition)
    ids = select(_LINKS.c.matter_id).where(_LINKS.c.petitioner_id.in_(people))
    rows = session.execute(
        select(*SUMMARY).where(_MATTERS.c.id.in_(ids)).order_by(_MATTERS.c.received_on.desc(), _MATTERS.c.id.desc()).limit(limit)
    ).all()
    return summaries(session, rows)
