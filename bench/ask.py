"""问数 latency (etl.ask) on a claims database: every question of eval/ask/questions.jsonl asked
in-process after a warm-up, p50 / p95 / max per question, against the target p95 < 300 ms
(issue: at 1M claims, on the 2-core machine). Part of part 3 and of --scale (bench.queries)."""
from __future__ import annotations

import json
import time

from bench.harness import ROOT, Check, Report, pct, table

QUESTIONS = ROOT / "eval" / "ask" / "questions.jsonl"
P95_MS = 300.0


def time_ask(con, n_claims: int, report: Report, md: list[str], info: dict) -> None:
    """Ask every question once (warm), print the figures, add the check."""
    from etl.ask.answer import ask
    from etl.ask.evaluate import warm_up

    questions = [json.loads(line)["q"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    cold = warm_up(con)
    times, answered = [], 0
    for q in questions:
        t0 = time.perf_counter()
        res = ask(con, q)
        times.append((time.perf_counter() - t0) * 1000)
        answered += res["answer"] is not None
    slow = sorted(zip(times, questions, strict=True), reverse=True)[:3]
    figures = {"questions": len(times), "answered": answered, "warm_up_ms": cold, "p50_ms": pct(times, 50),
               "p95_ms": pct(times, 95), "max_ms": max(times)}
    info["ask"] = figures
    md.append(table(f"问数 (etl.ask) on {n_claims:,} claims: {len(times)} questions, in-process, warm (ms)",
                    ["warm-up (2 questions)", "p50", "p95", "max", "answered", "slowest"],
                    [[cold, figures["p50_ms"], figures["p95_ms"], figures["max_ms"], answered,
                      f"{slow[0][0]:.0f} ms: {slow[0][1]}"]]))
    report.checks.append(Check(f"问数 p95 at {n_claims:,} claims", f"{figures['p95_ms']:.0f} ms", f"< {P95_MS:.0f} ms",
                               figures["p95_ms"] < P95_MS, f"max {figures['max_ms']:.0f} ms; "
                               f"{answered}/{len(times)} answered (a synthetic archive: not a quality figure)"))
