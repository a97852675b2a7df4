"""Rongshu ETL: article files -> documents -> articles -> sentences -> claims -> DuckDB."""
