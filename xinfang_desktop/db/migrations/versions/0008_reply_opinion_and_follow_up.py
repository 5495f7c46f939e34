"""the 答复's 处理意见 and findings, the 回访's notes and the petitioner's view; stale copies of old default templates

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

`matters.reply_opinion` is the Art. 32 处理意见 chosen at 答复 (予以支持 / 作出解释说明 /
不予支持), NULL for a reply recorded before it was asked; `reply_findings` what the office
found (the 复查/复核意见书's 认定的事实和理由); `follow_up_note` and `follow_up_opinion`
the 回访情况 and 信访人意见 the clerk typed, which the 回访记录 prints. Plain ADD COLUMNs:
no table is rebuilt, so the tally-cache triggers of 0007 stay in place.

A template row is the clerk's own text and always wins over the shipped default. A row
holding exactly the text a default had before this release (saved without an edit) is
not the clerk's text: it is removed, so the new default (你 or 你们, the 复查/复核 bodies,
the 复核 findings, the 回访记录's notes) reaches it as it reaches a database that never
saved one. A row the clerk did edit is left as it is.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# sha256 of each default template text (line ends normalised, stripped) up to revision 0007
OLD_DEFAULTS = {
    "不予受理告知书": "d81b1b98fb6907ef21e42df07dd6994589fe7396eee8f1298e2cb640baf2fa8a",
    "交办函": "639208352ce4fc5301bcd847fe3c726f5803af054aaa30e433e06b041d55c5ed",
    "信访处理意见书": "b75ff140c6c4c55d53fec12ac806345aac4f19dfc1a8daee2e7e17b4c7537fed",
    "受理告知书": "55d8d5b86f9c988bfe939da3e19891852560cb73e47c8ee2cf068b99606ce770",
    "回访记录": "e2e05ad838c63b74cf6a718743e0f8369d7274988e51da5d7ce155742ca22499",
    "复信": "26c047b4556b6d785987a26d78ac40998697ca63eeaef7cb0e11289bfecb601e",
    "复查受理告知书": "858031b16ba7f70a33a568dc01a5155a354192ed61b7e3ba355f5a1e873b0c1c",
    "复查意见书": "a9001e445f4aa5dd8d062b8ea3e043e3433587af807057f4931558e05f5fc27a",
    "复核受理告知书": "e3245d3f03697dd742a5eb0392235a4077179c8c7959d1513dd0224b55bfd256",
    "复核意见书": "5269353b1fc7575e9a1abcd9c9aaf6f63e24fdd45f514e5dbaa51a1d38b81429",
    "延期办理告知书": "92c8c22eda53bb1afc4d6874cc872e7a18f220cd6177f0615f9c66cae2c8325b",
}


def text_digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column("matters", sa.Column("reply_opinion", sa.String(length=16), nullable=True))
    for name in ("reply_findings", "follow_up_note", "follow_up_opinion"):
        op.add_column("matters", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    for kind, text in conn.execute(sa.text("SELECT kind, text FROM templates")).all():
        if OLD_DEFAULTS.get(kind) == text_digest(text):
            conn.execute(sa.text("DELETE FROM templates WHERE kind = :kind"), {"kind": kind})


def downgrade() -> None:
    for name in ("follow_up_opinion", "follow_up_note", "reply_findings", "reply_opinion"):
        op.drop_column("matters", name)
