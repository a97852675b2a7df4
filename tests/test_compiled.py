"""The compiled extractor: used only while it matches the sources, and extracts what Python does."""
from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import compiled

ROOT = Path(__file__).resolve().parent.parent

# Prints a canonical dump of pipeline.process for every seed and held-out file, and where
# etl.extract.claims was loaded from.
_DUMP = """
import etl, etl.extract.claims
from etl.pipeline import process
from etl.ingest.scan import discover
from etl.ingest.sources import read_file, read_manifests
print(etl.compiled.STATE)
print(etl.extract.claims.__file__)
for corpus in ("seeds", "tests/heldout"):
    files, _ = discover([corpus])
    manifest = read_manifests(files)
    for f in files:
        print(repr(process(read_file(f, manifest.get(f.resolve())))))
"""


def _fake(tmp_path: Path) -> tuple[Path, Path]:
    """A package folder with copies of the sources and a matching (empty) build."""
    package, build = tmp_path / "pkg", tmp_path / "build"
    package.mkdir()
    (build / "etl").mkdir(parents=True)
    for name in compiled.MODULES:  # paths under etl/: "pipeline", "extract/claims" ...
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (build / "etl" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(compiled.PACKAGE / f"{name}.py", package / f"{name}.py")
        (build / "etl" / f"{name}{compiled.abi()}").write_bytes(b"")
    hashes = {name: compiled.digest(name, package) for name in compiled.MODULES}
    (build / compiled.MANIFEST).write_text(json.dumps({"abi": compiled.abi(), "cython": "x", "modules": hashes}))
    return package, build


def test_build_is_used_only_while_every_source_matches(tmp_path):
    package, build = _fake(tmp_path)
    assert compiled.check(build, package)[0]
    with (package / "extract" / "claims.py").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    ok, why = compiled.check(build, package)
    assert not ok and "etl/extract/claims.py changed" in why


def test_build_missing_a_module_or_for_another_python_is_refused(tmp_path):
    package, build = _fake(tmp_path)
    (build / "etl" / "extract" / f"numbers{compiled.abi()}").unlink()
    assert compiled.check(build, package) == (False, "extract/numbers missing from the build")
    (tmp_path / "2").mkdir()
    package, build = _fake(tmp_path / "2")
    manifest = json.loads((build / compiled.MANIFEST).read_text())
    (build / compiled.MANIFEST).write_text(json.dumps({**manifest, "abi": ".cpython-39-x86_64-linux-gnu.so"}))
    assert "built for .cpython-39" in compiled.check(build, package)[1]


def test_absent_or_garbled_manifest_means_pure_python(tmp_path):
    package, build = _fake(tmp_path)
    (build / compiled.MANIFEST).write_text("{not json")
    ok, why = compiled.check(build, package)
    assert not ok and why.startswith("unreadable manifest")
    (build / compiled.MANIFEST).unlink()
    assert compiled.check(build, package) == (False, "missing (scripts/setup.sh builds it)")


def test_pure_python_can_be_forced(monkeypatch):
    monkeypatch.setattr(compiled, "STATE", compiled.STATE)  # restored after the test
    monkeypatch.setattr(compiled, "ACTIVE", compiled.ACTIVE)
    monkeypatch.setenv("RONGSHU_PURE", "1")
    path: list[str] = ["/src/etl"]
    assert compiled.activate(path) == "pure Python (RONGSHU_PURE is set)"
    assert path == ["/src/etl"] and not compiled.ACTIVE
    sub: list[str] = ["/src/etl/extract"]
    compiled.extend(sub, "extract")  # a subpackage follows the package's choice
    assert sub == ["/src/etl/extract"]


def test_every_compiled_module_of_a_subpackage_is_loaded_from_the_build():
    for package in compiled.PACKAGES:
        mod = importlib.import_module("etl." + package.replace("/", "."))
        built = str(compiled.BUILD / "etl" / package)
        assert (built in mod.__path__) == compiled.ACTIVE, package
    assert {"extract", "extract/fields", "ingest"} <= set(compiled.PACKAGES)


def test_compiled_modules_do_not_locate_files_by___file__():
    # A compiled module's __file__ is in build/, so data files would not be found from it.
    for name in compiled.MODULES:
        assert "__file__" not in (compiled.PACKAGE / f"{name}.py").read_text(encoding="utf-8"), name


def _dump(pure: bool) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "RONGSHU_PURE"}
    if pure:
        env["RONGSHU_PURE"] = "1"
    out = subprocess.run([sys.executable, "-c", _DUMP], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    return out.stdout.splitlines()


def test_compiled_extractor_extracts_exactly_what_python_does():
    if not compiled.ACTIVE:
        if os.environ.get("RONGSHU_EXPECT_COMPILED"):
            pytest.fail(f"scripts/setup.sh --test should have built the compiled extractor: {compiled.STATE}")
        pytest.skip(compiled.STATE)
    fast, pure = _dump(pure=False), _dump(pure=True)
    assert fast[0].startswith("compiled") and fast[1].endswith(compiled.abi())
    assert pure[0].startswith("pure Python") and pure[1].endswith("claims.py")
    assert len(fast) >= 2 + 5 + 7  # the seed pages and held-out files, each dumped whole
    assert fast[2:] == pure[2:]


def test_etl_says_when_a_stale_build_makes_it_run_as_pure_python(tmp_path, monkeypatch):
    import io

    from etl import load

    monkeypatch.delenv("RONGSHU_PURE", raising=False)
    monkeypatch.setattr(compiled, "BUILD", tmp_path)  # a build exists ...
    monkeypatch.setattr(compiled, "ACTIVE", False)  # ... but did not match the sources
    monkeypatch.setattr(compiled, "STATE", "pure Python: compiled build stale: etl/extract/claims.py changed since the build")
    out, err = io.StringIO(), io.StringIO()
    assert load.run([str(ROOT / "seeds")], str(tmp_path / "x.duckdb"), out=out, err=err) == 0
    assert "etl/extract/claims.py changed since the build; scripts/setup.sh rebuilds it" in err.getvalue()
    assert re.search(r"database: 5 documents, \d+ articles, [1-9]\d* claims", out.getvalue())
