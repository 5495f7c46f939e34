"""Alembic environment: always run by `Database.migrate` with an open connection, never by hand."""

from __future__ import annotations

from alembic import context

from xinfang_desktop.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds the table
)
with context.begin_transaction():
    context.run_migrations()
