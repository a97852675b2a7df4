"""Stage 1, files -> documents: find and decode article files, read every input format
(text, HTML, PDF, page images, Word), fetch URLs, infer publication dates.

I/O lives in this stage; what it hands on (`sources.RawFile`, `readers.Reading`) is plain data.
Imports nothing from the later stages.
"""
from etl import compiled

compiled.extend(__path__, "ingest")
