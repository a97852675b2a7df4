"""SQL of the fact-check page: parameterised queries over `checks`, `claims` and `facts`.

Pure functions of a DuckDB connection (for tests and exports); the page calls them through
`ui.db.q` with the same SQL, cached per database version.
"""
from __future__ import annotations

import duckdb
import pandas as pd

STATUSES = ("inconsistent", "consistent", "undetermined")
KINDS = ("sum", "share", "growth", "conflict")

HAS_CHECKS_SQL = "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'checks'"

CHECKS_SQL = """
SELECT check_id, kind, status, detail, claim_ids, len(claim_ids) AS n_claims
FROM checks
WHERE status IN (SELECT unnest(?::VARCHAR[])) AND kind IN (SELECT unnest(?::VARCHAR[]))
ORDER BY CASE status WHEN 'inconsistent' THEN 0 WHEN 'consistent' THEN 1 ELSE 2 END, kind, check_id
LIMIT ?
"""

COUNTS_SQL = "SELECT status, kind, count(*) AS n FROM checks GROUP BY ALL ORDER BY status, kind"

# The claims of some checks with their citations, as one query (the reference of `citations`,
# which gives the same rows by primary-key lookups: etl.store.queries.check_citations).
CITATIONS_SQL = """
WITH x AS (
    SELECT check_id, unnest(claim_ids) AS claim_id, generate_subscripts(claim_ids, 1) AS pos
    FROM checks WHERE check_id IN (SELECT unnest(?::VARCHAR[])))
SELECT x.check_id, x.pos, c.claim_id, c.fact_id, c.mention, c.metric, c.region, s.text AS sentence,
       a.title AS article_title, d.outlet, d.published
FROM x JOIN claims c USING (claim_id)
JOIN sentences s ON s.sentence_id = c.sentence_id
JOIN articles a ON a.article_id = c.article_id
JOIN documents d ON d.doc_id = c.doc_id
ORDER BY x.check_id, x.pos
"""


def has_checks(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(HAS_CHECKS_SQL).fetchone()[0])


def checks(con: duckdb.DuckDBPyConnection, statuses: tuple[str, ...] = STATUSES, kinds: tuple[str, ...] = KINDS,
           limit: int = 500) -> pd.DataFrame:
    """Checks of the given statuses and kinds, inconsistent first."""
    return con.execute(CHECKS_SQL, [list(statuses), list(kinds), int(limit)]).df()


def counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Number of checks per status and kind."""
    return con.execute(COUNTS_SQL).df()


def citations(con: duckdb.DuckDBPyConnection, check_ids: list[str]) -> pd.DataFrame:
    """Every claim of the given checks with its sentence and article, in the checks' order."""
    from etl.store.queries import check_citations

    return check_citations(con, tuple(check_ids))
