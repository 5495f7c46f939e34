"""db/tables.py holds every column once; db/models.py maps a class onto each table and names its columns again
only as typed annotations (for mypy): the two lists must stay the same, or a column is untyped or a typo maps
nothing."""

from __future__ import annotations

import typing

from xinfang_desktop.db import models, tables


def test_every_mapped_class_annotates_exactly_the_columns_of_its_table() -> None:
    classes = [c for c in vars(models).values()
               if isinstance(c, type) and issubclass(c, models.Base) and c is not models.Base]
    assert len(classes) == len(tables.metadata.tables) > 15
    for cls in classes:
        table = cls.__table__
        hints = typing.get_type_hints(cls, globalns=vars(models))
        relationships = set(cls.__mapper__.relationships.keys())
        annotated = {name for name in hints if name not in relationships and not name.startswith("_")}
        annotated &= set(vars(cls).get("__annotations__", {}))  # the class's own, not DeclarativeBase's
        assert annotated == set(table.columns.keys()), cls.__name__
