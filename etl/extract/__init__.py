"""Stage 2, documents -> claims: analysis script, layout repair, articles, sentences, numbers
and units, places, periods, and each field of a claim (kind, status, metric, region, period,
topic, sector).

Pure functions of one document: nothing here reads files beyond the lexicons in data/, and
nothing touches DuckDB. Imports nothing from ingest or store.
"""
from etl import compiled

compiled.extend(__path__, "extract")
