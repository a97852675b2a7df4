"""Page images (.png, .jpg, .tif): OCR (`ocr`) of every frame, a box per character."""
from __future__ import annotations

import io

from etl.ingest.readers import Reading, page_jpeg
from etl.ingest.readers.order import compose
from etl.ingest.sources import SourceError

# Larger images are refused, not decoded: a 300 dpi scan of a broadsheet page is ~35 megapixels,
# and decoding plus OCR of more would take gigabytes of memory.
MAX_PIXELS = 40_000_000


def read(data: bytes) -> Reading:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from etl.ingest.readers import ocr

    if not data:
        raise SourceError("is an empty image (0 bytes)")
    try:
        img = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise SourceError(f"is not a readable image ({exc})") from exc
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise SourceError(f"is a {w}x{h} image ({w * h / 1e6:.1f} megapixels), over the "
                          f"{MAX_PIXELS / 1e6:.0f}-megapixel limit for OCR; scan at 300 dpi or less")
    pages, shots = [], []
    try:
        for n, frame in enumerate(ImageSequence.Iterator(img), 1):
            frame = frame.convert("RGB")
            pages.append((n, frame.width, frame.height, ocr.image_lines(frame)))
            shots.append(page_jpeg(frame, n, ocr=True))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise SourceError(f"is a damaged image ({exc})") from exc
    composed = compose(pages)
    if not composed.text.strip():
        raise SourceError("is an image in which OCR found no text")
    return Reading(composed.text, "image", "ocr", {}, composed.boxes, composed.conf, tuple(shots))
