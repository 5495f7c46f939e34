"""stale copies of old default templates (the 处理意见书 states what was found, the wording follows the 信访形式); a matter's 复查/复核 found by its parent

Revision ID: 0024
Revises: 0019
Create Date: 2026-12-02

The 信访处理意见书 now prints {认定事实} (what the office found, typed at 答复) under 二、事实和理由,
where it printed the petitioner's own 反映内容; the 复信 no longer says 来信 of a call or a visit; and
"以{信访形式}形式反映" became "以{信访形式}方式反映" (it read "以其他形式形式反映" for 其他) in every
template that had it. As in 0008: a row holding exactly a text one of these defaults ever had
(saved from the template dialog without an edit) is not the clerk's text, and is removed so the new
default reaches it; a row the clerk edited is kept as it is, and keeps working (every placeholder
it may use is still filled). Issued documents keep their stored PDF.

ix_matters_parent: the 卷宗 of a matter whose 复查 (复核) is registered no longer offers 复查申请, so
every matter's detail asks for its children; without an index that read every matter. Partial (only
the few 复查 and 复核 matters have a parent), on both engines.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0019"
branch_labels = None
depends_on = None

# sha256 of every text each of these default templates had before this release (line ends
# normalised, stripped), newest first
OLD_DEFAULTS: dict[str, frozenset[str]] = {
    "不予受理告知书": frozenset({"056927492fc7c129e48abdbca56f48828fe984548cfa61c0bc68671b159eb454",
                          "d81b1b98fb6907ef21e42df07dd6994589fe7396eee8f1298e2cb640baf2fa8a"}),
    "交办函": frozenset({"d4d167417ef9bebe7e844ac6b085c963fbd54edee0392ecd991f91d06252d48c",
                      "d31ddcfc36beed701e988ac509271f7e537aba762791a4e64588df530a5baa6c",
                      "639208352ce4fc5301bcd847fe3c726f5803af054aaa30e433e06b041d55c5ed"}),
    "交办函（协办）": frozenset({"b91ee1308e3f4a60d2c9e441626cf6e30b76d66dd834598c7225d1d487531699",
                          "8592458a3e140d01a4a3bdf86d8cacd52657600676d32884ca8e1d5c902accbc"}),
    "信访处理意见书": frozenset({"e3d643522e520a8065a6d1dd6b02abdce760cb9aafbd1b1329b1a6d4b91ac81b",
                          "b75ff140c6c4c55d53fec12ac806345aac4f19dfc1a8daee2e7e17b4c7537fed"}),
    "受理告知书": frozenset({"386cf77b70c3b1246f6704e36165be9cd8a71ec4d86705dc008a9418d4b974c6",
                        "55d8d5b86f9c988bfe939da3e19891852560cb73e47c8ee2cf068b99606ce770"}),
    "复信": frozenset({"d74985b998c1b724b24e9e8787a7967a08f527cb1810f162fcf9887d4ee0c706",
                     "26c047b4556b6d785987a26d78ac40998697ca63eeaef7cb0e11289bfecb601e"}),
    "转送函": frozenset({"526a1f06741d048271729fca05273e4f2d9a0e8018c0987542923770190b1303"}),
}


def text_digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_matters_parent ON matters (parent_id) WHERE parent_id IS NOT NULL")
    conn = op.get_bind()
    for kind, text in conn.execute(sa.text("SELECT kind, text FROM templates")).all():
        if text_digest(text) in OLD_DEFAULTS.get(kind, frozenset()):
            conn.execute(sa.text("DELETE FROM templates WHERE kind = :kind"), {"kind": kind})


def downgrade() -> None:
    # a removed template row was a copy of the default of its day: nothing to put back
    op.execute("DROP INDEX IF EXISTS ix_matters_parent")
