"""问数: a plain Chinese or English question in, the cited figure (or a clear "none") out.

question (read the question with the extractors) -> rank (how well a claim fits) -> answer (the
SQL and the choice) -> cli / evaluate. Imports etl.extract and etl.store only.
"""
