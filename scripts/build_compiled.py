"""Compile the extraction modules (etl.compiled.MODULES) with Cython into build/compiled/.

    .venv/bin/python scripts/build_compiled.py [--force]

The sources are compiled unchanged (annotations are not turned into C types, so behaviour is
Python's). The build is made in a temporary folder and swapped in whole, with a manifest of
the source hashes it was made from; `etl` uses it only while those still match. Exits 0 when
the build is current, 1 with the reason when it cannot be built (the ETL then runs as pure
Python, just slower).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Load etl/compiled.py alone: importing the `etl` package would load the build being replaced.
_spec = importlib.util.spec_from_file_location("_rongshu_compiled", ROOT / "etl" / "compiled.py")
compiled = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compiled)


def build(force: bool = False, jobs: int = 2) -> str:
    """Build (or keep) build/compiled; returns what was done. Raises RuntimeError when it can't."""
    ok, why = compiled.check()
    if ok and not force:
        return f"up to date: {why}"
    try:
        import Cython
        from Cython.Build import cythonize
        from setuptools import Distribution
    except ImportError as exc:
        raise RuntimeError(f"Cython/setuptools not installed ({exc}); pip install -r requirements-build.txt") from exc
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        raise RuntimeError("no C compiler (apt-get install gcc)")
    t0 = time.perf_counter()
    compiled.BUILD.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".compiled-", dir=compiled.BUILD.parent) as tmp:
        work = Path(tmp)
        src = work / "src" / "etl"
        src.mkdir(parents=True)
        for package in ("", *compiled.PACKAGES):  # names the modules etl.*, etl.extract.* ...
            (src / package).mkdir(exist_ok=True)
            (src / package / "__init__.py").write_text("", encoding="utf-8")
        hashes = {}
        for name in compiled.MODULES:
            text = (compiled.PACKAGE / f"{name}.py").read_bytes()
            if b"__file__" in text:
                raise RuntimeError(f"etl/{name}.py reads __file__: it must stay Python")
            (src / f"{name}.py").write_bytes(text)
            hashes[name] = hashlib.sha256(text).hexdigest()  # of the very bytes compiled
        try:
            ext = cythonize([str(src / f"{m}.py") for m in compiled.MODULES], quiet=True, nthreads=jobs,
                            build_dir=str(work / "c"),
                            compiler_directives={"language_level": 3, "binding": True, "annotation_typing": False})
            dist = Distribution({"ext_modules": ext, "script_name": "build_compiled.py",
                                 "script_args": ["-q", "build_ext", "--build-lib", str(work / "out"),
                                                 "--build-temp", str(work / "obj"), "--parallel", str(jobs)]})
            dist.parse_command_line()
            dist.run_commands()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - Cython and distutils fail in many ways
            raise RuntimeError(f"compilation failed: {exc}") from exc
        out = work / "out"  # out/etl/<package>/<module>.so, beside it the manifest
        (out / compiled.MANIFEST).write_text(json.dumps({
            "abi": compiled.abi(), "cython": Cython.__version__, "modules": hashes}, indent=1), encoding="utf-8")
        if compiled.BUILD.exists():
            compiled.BUILD.rename(work / "old")  # removed with the temporary folder
        out.rename(compiled.BUILD)
    ok, why = compiled.check()
    if not ok:
        raise RuntimeError(f"the new build is unusable: {why}")
    return f"built in {time.perf_counter() - t0:.0f} s: {why}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when the build is current")
    args = ap.parse_args(argv)
    try:
        print(f"compiled extractor: {build(args.force)}", flush=True)
    except RuntimeError as exc:
        fallback = "the current build stays in use" if compiled.check()[0] else "the ETL runs as pure Python"
        print(f"compiled extractor not built: {exc}; {fallback}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
