"""Stage 3, claims -> DuckDB: table rows, the writer (schema, lock, atomic generations), facts,
the metric catalog, fact checks, the search tables, and the read queries the dashboard, the
exports and the question answering share (`queries`).

Imports the extract stage's records and lexicons; nothing in ui/, views/ or report/.
"""
