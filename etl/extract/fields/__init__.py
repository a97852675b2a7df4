"""The fields of a claim, one module each: `kind`, `status`, `metric`, `region`, `period`,
`topic`, `sector`; `context` is what they share (the article context, clauses, lists).
`etl.extract.claims` composes them per figure."""
from etl import compiled

compiled.extend(__path__, "extract/fields")
