"""Rongshu ETL: article files -> documents -> articles -> sentences -> claims -> DuckDB."""
from etl import compiled

# The Cython build of the extraction modules when it matches their sources (see etl/compiled.py).
compiled.activate(__path__)
