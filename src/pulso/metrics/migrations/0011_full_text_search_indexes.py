"""Full-text indexes over the search documents, so that a search reads only the matches.

The documents already hold the stemmed, accent-folded words of each text, so both indexes
split on spaces and fold nothing more: a query's words, normalised the same way, match as word
prefixes exactly as the ``LIKE ' word%'`` search did.

PostgreSQL: a GIN index on ``to_tsvector('simple', text)``, built concurrently (the migration
is not atomic) so that writers of feedback are not held back while it builds.
SQLite: an FTS5 table with the documents as external content, kept in sync by triggers on the
documents table, whoever writes it. Where SQLite was built without FTS5 nothing is created and
search reads the documents themselves (:mod:`pulso.metrics.search_index`).
"""

from django.db import migrations

FTS = "metrics_search_fts"
DOCS = "metrics_searchdocument"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, content='{DOCS}', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\", detail=none, columnsize=0)",
    f"CREATE TRIGGER {FTS}_inserted AFTER INSERT ON {DOCS} BEGIN "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {FTS}_deleted AFTER DELETE ON {DOCS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {FTS}_updated AFTER UPDATE OF text ON {DOCS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_inserted",
    f"DROP TRIGGER IF EXISTS {FTS}_deleted",
    f"DROP TRIGGER IF EXISTS {FTS}_updated",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_FORWARD = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS metrics_search_tsv_idx "
    f"ON {DOCS} USING gin (to_tsvector('simple'::regconfig, text))"
]
PG_BACKWARD = ["DROP INDEX CONCURRENTLY IF EXISTS metrics_search_tsv_idx"]


def _sqlite_has_fts5(schema_editor) -> bool:
    from django.db import OperationalError

    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.pulso_fts5_probe USING fts5(text)")
        except OperationalError:  # no such module: fts5
            return False
        cursor.execute("DROP TABLE temp.pulso_fts5_probe")
        return True


def _statements(schema_editor, forward: bool) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return PG_FORWARD if forward else PG_BACKWARD
    if vendor == "sqlite" and (not forward or _sqlite_has_fts5(schema_editor)):
        return SQLITE_FORWARD if forward else SQLITE_BACKWARD
    return []


def forward(apps, schema_editor) -> None:
    for sql in _statements(schema_editor, forward=True):
        schema_editor.execute(sql)


def backward(apps, schema_editor) -> None:
    for sql in _statements(schema_editor, forward=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("metrics", "0010_bulk_inserts_log_once_per_batch")]

    operations = [migrations.RunPython(forward, backward)]
