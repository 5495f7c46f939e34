"""title bigrams for one- and two-character search; an index for the 待回访 list

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

FTS5 trigrams cannot answer a term shorter than three characters, and `title LIKE '%物业%'`
reads every matter (over half a second at a million). `matter_grams` holds each title's
overlapping two-character pieces (the last character alone), kept in step by triggers, so
a two-character term is one index range and a one-character term a prefix range.
PostgreSQL keeps the same table by one plpgsql trigger function (pg_trgm cannot answer
fewer than three characters from its index either); `gram` is of the "C" collation there,
so a prefix range is a byte range whatever the database's own collation.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TITLE_MAX = 200  # Matter.title is String(200)

_GRAMS_OF = (
    "SELECT substr({title}, p.n, 2), {matter} FROM gram_positions p WHERE p.n <= length({title})"
)

STATEMENTS = [
    "CREATE TABLE gram_positions (n INTEGER PRIMARY KEY)",
    f"""WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {TITLE_MAX})
        INSERT INTO gram_positions (n) SELECT n FROM k""",
    """CREATE TABLE matter_grams (
        gram TEXT NOT NULL,
        matter_id INTEGER NOT NULL,
        PRIMARY KEY (gram, matter_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX ix_matter_grams_matter ON matter_grams (matter_id)",
    f"""CREATE TRIGGER matters_grams_ai AFTER INSERT ON matters BEGIN
        INSERT OR IGNORE INTO matter_grams (gram, matter_id)
        {_GRAMS_OF.format(title='new.title', matter='new.id')};
    END""",
    f"""CREATE TRIGGER matters_grams_au AFTER UPDATE OF title ON matters BEGIN
        DELETE FROM matter_grams WHERE matter_id = old.id;
        INSERT OR IGNORE INTO matter_grams (gram, matter_id)
        {_GRAMS_OF.format(title='new.title', matter='new.id')};
    END""",
    """CREATE TRIGGER matters_grams_ad AFTER DELETE ON matters BEGIN
        DELETE FROM matter_grams WHERE matter_id = old.id;
    END""",
    # what an older database already holds
    """INSERT OR IGNORE INTO matter_grams (gram, matter_id)
        SELECT substr(m.title, p.n, 2), m.id FROM matters m JOIN gram_positions p ON p.n <= length(m.title)""",
    # 待回访: replied, nobody asked yet; oldest reply first (a small slice of all matters)
    """CREATE INDEX ix_matters_follow_up ON matters (replied_on, id)
        WHERE followed_up_on IS NULL AND replied_on IS NOT NULL""",
]


_PG_GRAMS_OF = _GRAMS_OF.format(title="NEW.title", matter="NEW.id")

POSTGRES_STATEMENTS = [
    "CREATE TABLE gram_positions (n INTEGER PRIMARY KEY)",
    f"INSERT INTO gram_positions (n) SELECT generate_series(1, {TITLE_MAX})",
    """CREATE TABLE matter_grams (
        gram TEXT COLLATE "C" NOT NULL,
        matter_id INTEGER NOT NULL,
        PRIMARY KEY (gram, matter_id)
    )""",
    "CREATE INDEX ix_matter_grams_matter ON matter_grams (matter_id)",
    f"""CREATE FUNCTION matters_grams() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF TG_OP <> 'INSERT' THEN DELETE FROM matter_grams WHERE matter_id = OLD.id; END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO matter_grams (gram, matter_id) {_PG_GRAMS_OF} ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER matters_grams_ai AFTER INSERT ON matters FOR EACH ROW EXECUTE FUNCTION matters_grams()",
    "CREATE TRIGGER matters_grams_au AFTER UPDATE OF title ON matters FOR EACH ROW EXECUTE FUNCTION matters_grams()",
    "CREATE TRIGGER matters_grams_ad AFTER DELETE ON matters FOR EACH ROW EXECUTE FUNCTION matters_grams()",
    """INSERT INTO matter_grams (gram, matter_id)
        SELECT substr(m.title, p.n, 2), m.id FROM matters m JOIN gram_positions p ON p.n <= length(m.title)
        ON CONFLICT DO NOTHING""",
    STATEMENTS[-1],
]


def upgrade() -> None:
    on_server = op.get_context().dialect.name == "postgresql"
    for statement in POSTGRES_STATEMENTS if on_server else STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_matters_follow_up")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS matters_grams() CASCADE")  # CASCADE: its triggers with it
    else:
        for name in ("matters_grams_ad", "matters_grams_au", "matters_grams_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS matter_grams")
    op.execute("DROP TABLE IF EXISTS gram_positions")
