"""attachments kept in the database, so that every clerk of a server database (and every copy of a file) has them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

`attachments.content` is the scan itself. Until now 登记 copied it into a folder beside the
database file (`<name>-attachments/`, named by its sha256) and the row named it there: on a
server that folder was on the PC of the clerk who registered it, and `copy-to` copied the rows
without the files, so no other clerk could open them. A plain ADD COLUMN; on SQLite each file
still in that folder is read in. One no longer there stays NULL, and the 卷宗 says where it was.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attachments", sa.Column("content", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    main = next((row[2] for row in bind.exec_driver_sql("PRAGMA database_list") if row[1] == "main"), "")
    if not main:
        return  # a database in memory has no folder beside it
    folder = Path(main).parent / f"{Path(main).stem}-attachments"
    for attachment_id, stored in bind.exec_driver_sql("SELECT id, stored_path FROM attachments").fetchall():
        file = folder / stored
        if file.is_file():
            bind.execute(sa.text("UPDATE attachments SET content = :content WHERE id = :id"),
                         {"content": file.read_bytes(), "id": attachment_id})


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("content")
