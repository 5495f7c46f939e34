"""stale copies of the units' letters (交办函, its 协办 form, 转送函) from before they stated the 问题发生地

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02

Letters to a unit now print the 问题发生地 (in prose) under the matter's title. As in 0008 and
0024: a row holding exactly the text a default had before (saved from the template dialog without
an edit) is not the clerk's text, and is removed so the new default reaches it; a row the clerk
edited is kept as it is and keeps working (every placeholder it may use is still filled). Issued
documents keep their stored PDF.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

# sha256 of each default as it was from 0024 until this release (line ends normalised, stripped)
OLD_DEFAULTS: dict[str, frozenset[str]] = {
    "交办函": frozenset({"a754e758c34f1bbd68457f4672f4b1eaa951f563389bb3f3ee3de585b1943d41"}),
    "交办函（协办）": frozenset({"08b1b596b3b941be54e3b029eaa4fc7b0c084b45e81aa710ef2656c141c9ee20"}),
    "转送函": frozenset({"f5050704fb0bcfdd7fa51dabe99f2f059d679488117688c354e5ccf2fa73e995"}),
}


def text_digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()


def upgrade() -> None:
    conn = op.get_bind()
    for kind, text in conn.execute(sa.text("SELECT kind, text FROM templates")).all():
        if text_digest(text) in OLD_DEFAULTS.get(kind, frozenset()):
            conn.execute(sa.text("DELETE FROM templates WHERE kind = :kind"), {"kind": kind})


def downgrade() -> None:
    pass  # a removed row was a copy of the default of its day: nothing to put back
