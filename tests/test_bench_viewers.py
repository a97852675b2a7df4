"""`python -m etl.bench --viewers N` (the dashboard load test) works end to end, small: CI runs
2 viewers; docs/benchmarks.md has the 20-viewer figures."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_two_concurrent_viewers(tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed")
    r = subprocess.run([sys.executable, "-m", "etl.bench", "--viewers", "2", "--out", str(tmp_path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "VERDICT PASS 2 concurrent viewers render every page" in r.stdout
    viewers = json.loads((tmp_path / "bench.json").read_text())["parts"]["viewers"]
    assert viewers["errors"] == 0
    opens = viewers["opens"]
    assert len(opens) == 8 and {o["page"] for o in opens} == {"overview", "trends", "districts", "explorer"}
    assert all(o["s"] > 0 for o in opens)
    assert "p95 s" in (tmp_path / "bench.md").read_text()
