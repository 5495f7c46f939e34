"""prefix search on a server whatever its locale: the petitioners' name, ID number and phone, and 原编号, indexed in "C"

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

A one- or two-character name (most Chinese names begin so) and the digits of an ID number or a
phone are found by prefix: `name >= '王' AND name < '王' || U+10FFFF`. That range is a byte range
only in the "C" collation. A server initialised with the locale of a Chinese Linux (zh_CN.UTF-8,
which initdb takes from the environment) sorts U+10FFFF right after 王, and the range found 王
alone: not 王五, 王小明, nor 13912345678 for 1391234 (nor an 原编号 by its start). On PostgreSQL the search compares these
columns in "C" (services.search) and these indexes answer it; SQLite compares bytes already and
gets nothing here.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ("name", "id_number", "phone")


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f'CREATE INDEX ix_petitioners_{column}_c ON petitioners ({column} COLLATE "C")')
    op.execute('CREATE INDEX ix_matters_source_number_c ON matters (source_number COLLATE "C")')


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_matters_source_number_c")
    for column in COLUMNS:
        op.execute(f"DROP INDEX ix_petitioners_{column}_c")
