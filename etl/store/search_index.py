"""Tables `search_sentences` and `search_metrics`: what the dashboard's free-text search
(etl.store.queries.where) scans.

A search keeps the claims whose sentence or metric phrase contains every word. Scanning
`sentences` reads the text of every sentence of the archive (478 MB at 1.5M claims, 200-270 ms
on 2 cores), though only the sentences cited by a claim can select one: a quarter of them at
1.5M claims (750,302 of 3,070,622). `search_sentences` holds those (sentence_key, doc_id,
text), sorted by text: equal sentences (a third of them, reprinted items) are then stored
once per block and `contains` runs once per distinct text of a block (39-56 ms instead of
66-92 ms sorted by key, 220-270 ms over `sentences`). `search_metrics` holds the distinct
metric phrases of the claims, so the phrase test is a join on the few phrases that match
rather than `contains` on every claim's phrase. Without the DuckDB `fts` extension (not
installable offline) this is the cheap candidate set; etl.store.queries scans `sentences` and the
claims' phrases when the tables are missing.

`build(con, changed)` is called by the ETL after the claims have their `sentence_key`
(etl.store.key_sentences) and their documents are final, in the same transaction: with
`changed=None` the table is rebuilt, else `changed` names a table with a `doc_id` column (the
documents whose rows were deleted or inserted, e.g. the temp table `_changed_docs`) and only
their rows are replaced.
"""
from __future__ import annotations

import duckdb

TABLE = "search_sentences"

METRICS = "search_metrics"
# Every sentence whose key a claim carries (a claim's sentence is in its own document).
_CITED = "SELECT s.sentence_key, s.doc_id, s.text FROM sentences s WHERE s.sentence_key IN (SELECT sentence_key FROM claims)"


def build(con: duckdb.DuckDBPyConnection, changed: str | None = None) -> None:
    """Create or bring up to date `search_sentences` and `search_metrics` (see the module's docstring)."""
    has = bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary",
                           [TABLE]).fetchall()[0][0])
    # A few thousand phrases: always rebuilt.
    con.execute(f"CREATE OR REPLACE TABLE {METRICS} AS "
                "SELECT DISTINCT metric FROM claims WHERE metric IS NOT NULL ORDER BY metric")
    if changed is None or not has:
        con.execute(f"DROP TABLE IF EXISTS {TABLE}")
        con.execute(f"CREATE TABLE {TABLE} AS {_CITED} ORDER BY s.text, s.sentence_key")
        return
    # Inserted rows are sorted among themselves: a daily load appends a block or so.
    docs = f"SELECT doc_id FROM {changed}"
    con.execute(f"DELETE FROM {TABLE} WHERE doc_id IN ({docs})")
    con.execute(f"INSERT INTO {TABLE} {_CITED} AND s.doc_id IN ({docs}) ORDER BY s.text, s.sentence_key")


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the tables hold exactly the cited sentences and phrases (a check for tests and tools)."""
    phrases = "SELECT DISTINCT metric FROM claims WHERE metric IS NOT NULL"
    diff = con.execute(f"""SELECT count(*) FROM (
        (SELECT * FROM {TABLE} EXCEPT ALL {_CITED}) UNION ALL ({_CITED} EXCEPT ALL SELECT * FROM {TABLE})
        UNION ALL SELECT NULL, NULL, metric FROM ((SELECT metric FROM {METRICS} EXCEPT ALL {phrases})
                                                 UNION ALL ({phrases} EXCEPT ALL SELECT metric FROM {METRICS})))""").fetchall()
    return diff[0][0] == 0
