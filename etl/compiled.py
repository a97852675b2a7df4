"""The optional compiled extractor: Cython builds of the extraction modules, used when current.

`scripts/build_compiled.py` (run by scripts/setup.sh) compiles the modules named in MODULES,
unchanged, into build/compiled/etl/ and records the sha256 of each source it compiled. On
import, `etl` puts that folder first on its package path only when every recorded hash still
matches the source beside it: an edited module never runs as a stale binary, the whole package
falls back to pure Python instead. Both forms extract exactly the same claims (tested); the
compiled one is 1.15-1.3x faster (docs/benchmarks.md). RONGSHU_PURE=1 forces pure Python.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

# The modules `pipeline.process` runs through, as paths under etl/. Modules that find data files
# via __file__ (lexicon, wordseg, cli ...) stay Python: a compiled module's __file__ is in build/.
MODULES = ("ingest/sources", "ingest/dates", "extract/script", "extract/layout", "extract/sentences",
           "extract/articles", "extract/model", "pipeline", "extract/numbers", "extract/places",
           "extract/periods", "extract/fields/context", "extract/fields/kind", "extract/fields/status",
           "extract/fields/metric", "extract/fields/region", "extract/fields/period", "extract/fields/topic",
           "extract/fields/sector", "extract/claims")
# The packages that hold them: each puts its build folder first on its __path__ (`extend`).
PACKAGES = sorted({m.rpartition("/")[0] for m in MODULES} - {""})
PACKAGE = Path(__file__).resolve().parent
BUILD = PACKAGE.parent / "build" / "compiled"
MANIFEST = "manifest.json"


def digest(name: str, package: Path = PACKAGE) -> str:
    """sha256 of a module's source."""
    return hashlib.sha256((package / f"{name}.py").read_bytes()).hexdigest()


def abi() -> str:
    """The interpreter a build is for (extension modules are not portable across versions)."""
    return EXTENSION_SUFFIXES[0]  # .cpython-311-x86_64-linux-gnu.so


def check(build: Path = BUILD, package: Path = PACKAGE) -> tuple[bool, str]:
    """Is the build in `build` usable for the sources in `package`? And why not."""
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, "missing (scripts/setup.sh builds it)"
    except (OSError, ValueError) as exc:
        return False, f"unreadable manifest: {exc}"
    if manifest.get("abi") != abi():
        return False, f"built for {manifest.get('abi')}, this is {abi()}"
    modules = manifest.get("modules") or {}
    if set(modules) != set(MODULES):
        return False, "built for another module list"
    for name, sha in modules.items():
        if not (build / "etl" / f"{name}{abi()}").is_file():
            return False, f"{name} missing from the build"
        if digest(name, package) != sha:
            return False, f"stale: etl/{name}.py changed since the build"
    return True, f"compiled (Cython {manifest.get('cython', '?')}, {len(modules)} modules)"


def activate(package_path: list[str]) -> str:
    """Put the compiled modules first on `package_path` (etl.__path__) when usable.
    Returns the state in words, also kept in STATE."""
    global STATE, ACTIVE
    if os.environ.get("RONGSHU_PURE"):
        ok, why = False, "pure Python (RONGSHU_PURE is set)"
    else:
        ok, why = check()
        if not ok:
            why = f"pure Python: compiled build {why}"
    if ok:
        package_path.insert(0, str(BUILD / "etl"))
    STATE, ACTIVE = why, ok
    return why


def extend(package_path: list[str], package: str) -> None:
    """Put the build of subpackage `package` (e.g. "extract") first on its `__path__` when the
    build is active; `activate` ran first, when `etl` itself was imported."""
    if ACTIVE:
        package_path.insert(0, str(BUILD / "etl" / package))


STATE = "pure Python"
ACTIVE = False
