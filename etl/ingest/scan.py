"""Finding the article files under PATHs with their signatures, without opening any.

A signature is (size, mtime_ns, inode, ctime_ns) from one `stat`: what a load compares with the
one it stored (`file_stats`) to tell an unchanged file without reading or hashing it, and what
the resident loader compares between polls. ctime cannot be set by a user: a file rewritten
with its old size and mtime restored (`touch -r`, a copy with `cp -p`) still has a new ctime,
and a file replaced by another (a rename over it) a new inode. A change that keeps all four is
seen only by `python -m etl --verify`, which hashes every file.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .sources import SUFFIXES

Sig = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


def signature(st: os.stat_result) -> Sig:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


@dataclass
class Scan:
    """What a scan of PATHs found."""

    files: dict[str, Sig] = field(default_factory=dict)  # article file -> signature
    missing: list[str] = field(default_factory=list)  # PATHs that do not exist
    bad: list[tuple[str, str]] = field(default_factory=list)  # (path, why it is no article file)


def _walk(folder: str, out: Scan) -> None:
    """Add the article files under `folder`: folder symlinks are not followed (as `os.walk`
    does not); paths stay strings (a `Path` per file would cost more than its `stat`)."""
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for e in entries:
            try:
                article = os.path.splitext(e.name)[1].lower() in SUFFIXES
                if e.is_dir():
                    if article:
                        out.bad.append((e.path, "is a directory, not a file"))
                    if not e.is_symlink():
                        _walk(e.path, out)
                elif article:
                    out.files[e.path] = signature(e.stat())
            except OSError:  # gone meanwhile, a broken link: not there for this scan
                continue


def scan(paths: Sequence[str]) -> Scan:
    """The article files under `paths` (folders recursively, files as given) with their signatures."""
    out = Scan()
    for p in map(str, map(Path, paths)):  # as `Path` writes them (seeds/ -> seeds): the paths stored
        try:
            st = os.stat(p)
        except OSError:
            out.missing.append(p)
            continue
        if os.path.isdir(p):
            _walk(p, out)
        elif os.path.isfile(p):
            out.files[p] = signature(st)
        else:
            out.bad.append((p, "is not a regular file"))
    return out


def discover(paths: Sequence[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Article files under `paths` (recursively), sorted, and (path, reason) for unusable entries."""
    found = scan(paths)
    return [Path(f) for f in sorted(found.files)], [*found.bad, *((p, "does not exist") for p in found.missing)]
