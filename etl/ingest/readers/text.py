"""Plain text (.txt): decoding as before (UTF-8/16, GB18030, charset-normalizer)."""
from __future__ import annotations

from etl.ingest.readers import Reading
from etl.ingest.sources import decode


def read(data: bytes) -> Reading:
    text, encoding = decode(data)
    return Reading(text.replace("\x00", ""), "txt", encoding)
