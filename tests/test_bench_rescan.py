"""The scale benchmark's folder re-scans (bench/scale.py) on a small synthetic archive: they run,
open no unchanged file, and leave the archive and the database as they found them."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import query

from bench import synth
from bench.harness import run_etl
from bench.scale import RESCAN_ADD, RESCAN_REMOVE, RESCAN_UNCHANGED, folder_rescans

pytestmark = pytest.mark.slow


def test_folder_rescans(tmp_path: Path) -> None:
    arch = tmp_path / "archive"
    synth.write_archive(arch, 120, seed=3)
    db = tmp_path / "db.duckdb"
    assert run_etl([str(arch), "--db", str(db)], sample_s=0.05).status == 0
    before = query(db, "SELECT doc_id, sha256 FROM documents ORDER BY 1")
    runs = folder_rescans(arch, db, tmp_path)
    assert all(r.status == 0 for r in runs.values())
    assert "(0 loaded, 120 unchanged, 0 removed" in runs[RESCAN_UNCHANGED].summary
    assert "(1 loaded, 120 unchanged, 0 removed" in runs[RESCAN_ADD].summary
    assert "(0 loaded, 120 unchanged, 1 removed" in runs[RESCAN_REMOVE].summary
    assert query(db, "SELECT doc_id, sha256 FROM documents ORDER BY 1") == before
    assert not (arch / "zz-added").exists()
