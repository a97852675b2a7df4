"""jieba word segmentation whose dictionary loads one first character at a time.

Stock jieba unmarshals its whole prefix dictionary (about 500,000 words and word prefixes)
on first use: 0.65 s on a 2-core machine, a third of a started one-article load. A load
of a few articles looks up words that begin with a few hundred characters. So the table
(jieba's dictionary plus `data/jieba_user.txt`, the same frequencies and total a stock
Tokenizer has after `load_userdict`) is written once, split by first character, to
`build/jieba/`, and a character's part is read the first time a word starting with it is
looked up. Segmentation is jieba's own code on the same numbers (tested against stock jieba).
"""
from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import os
import struct
import tempfile
from collections import defaultdict
from pathlib import Path

from etl.extract.lexicon import DATA_DIR

USER_DICT = DATA_DIR / "jieba_user.txt"
CACHE_DIR = Path(__file__).resolve().parents[2] / "build" / "jieba"
FORMAT = 1
_HEADER = struct.Struct("<Q")  # byte length of the marshalled (total, index) that follows


class FirstCharTable:
    """The part of jieba's FREQ mapping it uses (`in`, `[]`, `get`, assignment), backed by
    one marshalled dict per first character, read on first use."""

    __slots__ = ("_blob", "_index", "_parts")

    def __init__(self, blob: bytes, index: dict[str, tuple[int, int]]) -> None:
        self._blob = blob
        self._index = index
        self._parts: dict[str, dict[str, int]] = {}

    def _part(self, ch: str) -> dict[str, int]:
        part = self._parts.get(ch)
        if part is None:
            span = self._index.get(ch)
            part = marshal.loads(self._blob[span[0]:span[1]]) if span else {}
            self._parts[ch] = part
        return part

    def __contains__(self, word: str) -> bool:
        return bool(word) and word in self._part(word[0])

    def __getitem__(self, word: str) -> int:
        if not word:
            raise KeyError(word)
        return self._part(word[0])[word]

    def get(self, word: str, default: int | None = None) -> int | None:
        return self._part(word[0]).get(word, default) if word else default

    def __setitem__(self, word: str, freq: int) -> None:
        self._part(word[0])[word] = freq

    def loaded(self) -> int:
        """How many first characters have been read (for tests and benchmarks)."""
        return len(self._parts)


def _stock() -> tuple[dict[str, int], int]:
    """FREQ and total of a stock jieba Tokenizer after loading the user dictionary."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.load_userdict(str(USER_DICT))
    return tk.FREQ, tk.total


def _key() -> str:
    import jieba

    h = hashlib.sha256(f"{FORMAT}|{jieba.__version__}|".encode())
    h.update(USER_DICT.read_bytes())
    return h.hexdigest()[:16]


def encode(freq: dict[str, int], total: int) -> bytes:
    """The table file: header length, marshalled (total, {char: (start, end)}), the parts."""
    parts: dict[str, dict[str, int]] = defaultdict(dict)
    for word, f in freq.items():
        if word:
            parts[word[0]][word] = f
    blobs, index, offset = [], {}, 0
    for ch, part in parts.items():
        b = marshal.dumps(part)
        index[ch] = (offset, offset + len(b))
        blobs.append(b)
        offset += len(b)
    head = marshal.dumps((total, index))
    return _HEADER.pack(len(head)) + head + b"".join(blobs)


def decode(data: bytes) -> tuple[FirstCharTable, int]:
    """The table and total from a file written by `encode`."""
    (n,) = _HEADER.unpack_from(data)
    total, index = marshal.loads(data[_HEADER.size:_HEADER.size + n])
    blob = data[_HEADER.size + n:]
    if max((end for _, end in index.values()), default=0) != len(blob):
        raise ValueError("jieba table file is truncated")
    return FirstCharTable(blob, index), total


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: workers building it at once all end with one whole file
    finally:
        tmp.unlink(missing_ok=True)


def table_file(cache_dirs: tuple[Path, ...] | None = None, rebuild: bool = False) -> Path | None:
    """The table file for this jieba and user dictionary, written if missing (or `rebuild`);
    None when no folder is writable (the caller then uses a stock in-memory table)."""
    name = f"freq-{_key()}.bin"
    dirs = cache_dirs or (CACHE_DIR, Path(tempfile.gettempdir()) / "rongshu-jieba")
    for d in dirs:
        if not rebuild and (d / name).is_file():
            return d / name
    data = encode(*_stock())
    for d in dirs:
        try:
            _write(d / name, data)
            return d / name
        except OSError:
            continue
    return None


def _read(path: Path | None) -> tuple[FirstCharTable, int] | None:
    try:
        return decode(path.read_bytes()) if path else None
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        return None


@functools.lru_cache(maxsize=1)
def tokenizer():
    """A jieba Tokenizer with the user dictionary, its table read by first character."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    path = table_file()
    table = _read(path)
    if path and table is None:  # damaged on disk: write it again
        table = _read(table_file(rebuild=True))
    if table is None:  # no writable folder: jieba's own whole-dictionary load
        tk.load_userdict(str(USER_DICT))
    else:
        tk.FREQ, tk.total = table
        tk.initialized = True  # the table is complete: jieba must not load its own
    return tk


@functools.lru_cache(maxsize=4096)
def segment(text: str) -> tuple[str, ...]:
    """jieba words of a short text (cached)."""
    return tuple(w for w in tokenizer().lcut(text) if w.strip())
