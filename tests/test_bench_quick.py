"""The benchmark's quick mode (what CI runs) works end to end; its figures are not asserted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_quick_mode_end_to_end(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "etl.bench", "--quick", "--out", str(tmp_path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    verdicts = [ln for ln in r.stdout.splitlines() if ln.startswith("VERDICT ")]
    assert len(verdicts) >= 6
    assert not any("crashed" in v for v in verdicts)
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["mode"] == "quick"
    assert {"throughput", "load", "queries"} <= set(report["parts"])
    assert report["parts"]["throughput"]["full_chars_per_s"] > 0
    runs = report["parts"]["load"]["runs"]
    assert all(run["status"] == 0 for run in runs.values())
    assert report["parts"]["queries"]["counts"]["claims"] == 50_000
    # Every query timed, the pages' SQL replayed included (with the relations a page registered).
    failed = [q for q in report["parts"]["queries"]["queries"] if "error" in q]
    assert not failed, failed[:3]
    assert "Part 3c" in (tmp_path / "bench.md").read_text()
