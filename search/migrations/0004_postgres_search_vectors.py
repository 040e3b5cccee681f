"""PostgreSQL: the search vectors move to a narrow table of their own, `search_searchvector` (SQLite: nothing).

At 100k case studies a broad query matches 25–35 % of them. With the weighted vector (1.5 kB) generated on the wide
`search_searchtext` row, every matched row's vector was read from TOAST and decompressed to match it and again to
rank it. Now, per case study:

- `match_vector`: every term of every field, without positions or weights, plus each run of two and three adjacent
  terms of a field as one lexeme ("satu_data", "satu_data_indonesia"). Its GIN index answers a search of words and
  phrases of up to three words exactly, so the database returns the matched ids without reading any vector.
- `rank_vector`: the weighted fields only, title terms (A), indicators and tags (B), summary and region (C), kept
  in the row (storage MAIN, ~0.8 kB) so that ranking 30k matches reads no TOAST; body matches count as a flat
  term (search/backends/database/postgres.py).
- `vector`: the full weighted vector with positions, as before, for what the index cannot answer exactly
  (phrases of four or more words, autocomplete's title-word prefixes), checked on the few candidate rows only.

A trigger on `search_searchtext` keeps the row current, as SQLite's FTS5 triggers do (migration 0002).
"""

from django.db import migrations

TEXT = "search_searchtext"
TABLE = "search_searchvector"
COLUMNS = ("title_terms", "title_words", "indicator_terms", "tag_terms", "summary_terms", "region_terms", "body_terms")


def _weighted(row: str, *, full: bool) -> str:
    """The weighted vector; `full`: as migration 0002's (with the unstemmed title and indicator-name words that
    autocomplete's prefixes look for, and the body), else the rank vector (title terms, B and C only)."""
    title = f"{row}.title_terms || ' ' || {row}.title_words" if full else f"{row}.title_terms"
    parts = [
        f"setweight(to_tsvector('simple'::regconfig, {title}), 'A')",
        f"setweight(to_tsvector('simple'::regconfig, {row}.indicator_terms || ' ' || {row}.tag_terms), 'B')",
        f"setweight(to_tsvector('simple'::regconfig, {row}.summary_terms || ' ' || {row}.region_terms), 'C')",
    ]
    if full:
        parts.append(f"setweight(to_tsvector('simple'::regconfig, {row}.body_terms), 'D')")
    return " || ".join(parts)


def _values(row: str) -> str:
    fields = ", ".join(f"{row}.{c}" for c in COLUMNS)
    return (
        f"{row}.document_id, {_weighted(row, full=False)}, search_match_vector(ARRAY[{fields}]), "
        f"{_weighted(row, full=True)}"
    )


POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_doc_vector",
    f"ALTER TABLE {TEXT} DROP COLUMN IF EXISTS vector",
    # Terms are [a-z0-9]+ separated by spaces (search/text.py), so "_" joins the words of a phrase unambiguously.
    """CREATE FUNCTION search_match_vector(fields text[]) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(coalesce(array_agg(DISTINCT lexeme), '{}'))
    FROM (
        SELECT t.word, lead(t.word) OVER field_order AS next, lead(t.word, 2) OVER field_order AS after_next
        FROM unnest(fields) WITH ORDINALITY AS f(value, field),
             regexp_split_to_table(btrim(f.value), '\\s+') WITH ORDINALITY AS t(word, position)
        WHERE t.word <> ''
        WINDOW field_order AS (PARTITION BY f.field ORDER BY t.position)
    ) words,
    LATERAL (VALUES (word), (word || '_' || next), (word || '_' || next || '_' || after_next)) AS phrases(lexeme)
    WHERE lexeme IS NOT NULL
    $$""",
    f"""CREATE TABLE {TABLE} (
        document_id integer PRIMARY KEY REFERENCES {TEXT} (document_id) ON DELETE CASCADE,
        rank_vector tsvector NOT NULL,
        match_vector tsvector NOT NULL,
        vector tsvector NOT NULL
    )""",
    # Out of line (and not compressed) whatever the row's size: only rank_vector stays in the row.
    f"ALTER TABLE {TABLE} ALTER COLUMN rank_vector SET STORAGE MAIN, "
    "ALTER COLUMN match_vector SET STORAGE EXTERNAL, ALTER COLUMN vector SET STORAGE EXTERNAL",
    f"INSERT INTO {TABLE} SELECT {_values('t')} FROM {TEXT} t",  # noqa: S608 (constants only)
    f"CREATE INDEX search_vector_match ON {TABLE} USING gin (match_vector)",
    f"""CREATE FUNCTION search_searchvector_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} VALUES ({_values("NEW")})
        ON CONFLICT (document_id) DO UPDATE SET rank_vector = EXCLUDED.rank_vector,
            match_vector = EXCLUDED.match_vector, vector = EXCLUDED.vector;
        RETURN NULL;
    END
    $$""",  # noqa: S608 (constants only)
    f"CREATE TRIGGER search_searchvector_write AFTER INSERT OR UPDATE ON {TEXT} "
    "FOR EACH ROW EXECUTE FUNCTION search_searchvector_write()",
    f"ANALYZE {TABLE}",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS search_searchvector_write ON {TEXT}",
    "DROP FUNCTION IF EXISTS search_searchvector_write()",
    f"DROP TABLE IF EXISTS {TABLE}",
    "DROP FUNCTION IF EXISTS search_match_vector(text[])",
    # Migration 0002's generated column and index.
    f"ALTER TABLE {TEXT} ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms || ' ' || title_words), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, indicator_terms || ' ' || tag_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, summary_terms || ' ' || region_terms), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'D')) STORED",
    f"CREATE INDEX search_doc_vector ON {TEXT} USING gin (vector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_synonym_seed")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
