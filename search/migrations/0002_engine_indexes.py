"""The database engine's full-text indexes, per database (they are not Django fields).

SQLite: an FTS5 index over SearchText's analysed columns (external content, so the text is stored once),
kept current by triggers on every insert, update and delete.
PostgreSQL: a generated tsvector column, weighted A (title) > B (indicators, tags) > C (summary) > D (body),
with a GIN index.
"""

from django.db import migrations

COLUMNS = ("title_terms", "title_words", "indicator_terms", "tag_terms", "summary_terms", "region_terms", "body_terms")
TABLE = "search_searchtext"


def _sqlite(columns_of: str) -> str:
    return ", ".join(f"{columns_of}.{c}" for c in COLUMNS)


SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(COLUMNS)}, content='{TABLE}', content_rowid='document_id', "
    "prefix='2 3')",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO search_fts(rowid, {', '.join(COLUMNS)}) VALUES (new.document_id, {_sqlite('new')}); END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {', '.join(COLUMNS)}) VALUES ('delete', old.document_id, {_sqlite('old')}); "
    "END",
    f"CREATE TRIGGER search_fts_update AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {', '.join(COLUMNS)}) VALUES ('delete', old.document_id, {_sqlite('old')}); "
    f"INSERT INTO search_fts(rowid, {', '.join(COLUMNS)}) VALUES (new.document_id, {_sqlite('new')}); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms || ' ' || title_words), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, indicator_terms || ' ' || tag_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, summary_terms || ' ' || region_terms), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'D')) STORED",
    f"CREATE INDEX search_doc_vector ON {TABLE} USING gin (vector)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS search_doc_vector", f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
