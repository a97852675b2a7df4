"""Part 1 of the benchmark: extraction throughput per stage on the seeds, beside JioNLP."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT, Check, Report, Scale, _timed, full_pass_s, load_watch, seed_files, table


def _pure_python_pass_s(reps: int) -> float | None:
    """full_pass_s on the seeds by the pure-Python extractor (a child process with RONGSHU_PURE)."""
    code = f"from bench.harness import full_pass_s, seed_files; print(full_pass_s(seed_files(), {reps}))"
    env = {**os.environ, "RONGSHU_PURE": "1"}
    try:
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=600, check=True)
        return float(out.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        return None


def _jionlp():
    """jionlp.ner.extract_money, or None when JioNLP is not installed (its banner is muted)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp
            jionlp.ner.extract_money("今年1-8月成都实现营业收入9473亿元。")
        return jionlp.ner.extract_money
    except Exception:  # noqa: BLE001 - any import problem means: not available
        return None


def part_throughput(scale: Scale, report: Report, md: list[str]) -> None:
    from etl import compiled, pipeline
    from etl.extract import articles, layout
    from etl.ingest import sources
    from etl.store import database as store

    raws = seed_files()
    decoded = [sources.decode(r.data)[0] for r in raws]
    n_chars = sum(len(t) for t in decoded)
    reps = scale.reps
    info: dict = {"files": len(raws), "chars": n_chars, "reps": reps}
    stages: dict[str, float | None] = {}
    notes: dict[str, str] = {}
    money = _jionlp()
    with load_watch(info):
        stages["decode"], _ = _timed(lambda: [sources.decode(r.data) for r in raws], reps)
        stages["layout repair"], _ = _timed(lambda: [layout.paragraphs(t) for t in decoded], reps)
        seg, arts = _timed(lambda: [articles.split_articles(r.doc_id, t) for r, t in zip(raws, decoded, strict=True)],
                           reps)
        stages["segmentation"] = max(0.0, seg - stages["layout repair"])
        notes["segmentation"] = "split_articles minus layout repair"
        docs = [pipeline.build_document(r, t, "utf-8") for r, t in zip(raws, decoded, strict=True)]
        sents = [s.text for a_list in arts for a in a_list for s in a.sentences]
        try:
            from etl.extract.numbers import find_numbers

            stages["numbers"], _ = _timed(lambda: [find_numbers(s) for s in sents], reps)
        except Exception as exc:  # noqa: BLE001 - the extractor is a moving target
            stages["numbers"], notes["numbers"] = None, f"n/a: {exc!r}"[:80]
        claims_s, claims = _timed(lambda: [pipeline.extract_claims(d, tuple(a))
                                           for d, a in zip(docs, arts, strict=True)], reps)
        n_claims = sum(len(c) for c in claims)
        stages["metric/region/period/topic"] = max(0.0, claims_s - (stages["numbers"] or 0.0))
        notes["metric/region/period/topic"] = "extract_claims minus numbers"
        for name, t in _components(sents, docs, claims, reps).items():
            stages[f"  of which {name}"] = t
        out_dir = Path(tempfile.mkdtemp(prefix="rongshu-bench-store-"))
        results = [pipeline.process(r) for r in raws]
        k = iter(range(10**9))
        try:
            stages["store"], _ = _timed(lambda: store.write(out_dir / f"s{next(k)}.duckdb", results, set(), "bench",
                                                            False), max(2, reps // 3))
        finally:
            shutil.rmtree(out_dir, ignore_errors=True)
        full_s = full_pass_s(raws, reps)
        pure_s = _pure_python_pass_s(reps) if compiled.ACTIVE else None
        money_s = None
        if money is not None:
            money_s, _ = _timed(lambda: [money(t) for t in decoded], reps)
    rows = []
    for name, t in stages.items():
        rows.append([name, t * 1000 if t is not None else None, (n_chars / t) if t else None,
                     notes.get(name, "")])
    rows.append(["full extraction (pipeline.process)", full_s * 1000, n_chars / full_s,
                 f"decode + layout + segmentation + claims; {'compiled' if compiled.ACTIVE else 'pure Python'}"])
    if pure_s:
        rows.append(["  the same, pure Python", pure_s * 1000, n_chars / pure_s,
                     "RONGSHU_PURE=1 (no compiled build): same claims"])
    rows.append(["full + store", (full_s + stages["store"]) * 1000, n_chars / (full_s + stages["store"]), ""])
    if money_s:
        rows.append(["JioNLP ner.extract_money", money_s * 1000, n_chars / money_s, "same text, money only"])
    md.append(table(f"Part 1: extraction throughput on the seeds ({len(raws)} files, {n_chars:,} chars, "
                    f"{n_claims} claims; median of {reps} passes, 1 core)",
                    ["stage", "ms/pass", "chars/s", "note"], rows))
    info.update(stages_ms={k: (v * 1000 if v is not None else None) for k, v in stages.items()},
                full_chars_per_s=n_chars / full_s, claims=n_claims, extractor=compiled.STATE,
                pure_python_chars_per_s=(n_chars / pure_s) if pure_s else None,
                jionlp_chars_per_s=(n_chars / money_s) if money_s else None)
    ratio = (money_s / full_s) if money_s else None
    info["ratio"] = ratio
    report.parts["throughput"] = info
    if ratio is None:
        print("JioNLP is not installed: ratio skipped (pip install -r requirements-bench.txt)", flush=True)
        report.checks.append(Check("extraction vs JioNLP money, per core", "n/a", f">= {scale.min_ratio:.1f}x",
                                   None, "JioNLP not installed"))
    else:
        print(f"ratio: full extraction / JioNLP money = {ratio:.2f}x  (load {info['loadavg_before']}, "
              f"other processes {info.get('foreign_cpu_cores', '?')} cores)", flush=True)
        report.checks.append(Check("extraction vs JioNLP money, per core", f"{ratio:.2f}x",
                                   f">= {scale.min_ratio:.1f}x", ratio >= scale.min_ratio,
                                   f"{n_chars / full_s:,.0f} vs {n_chars / money_s:,.0f} chars/s"))


def _components(sents: list[str], docs, claims, reps: int) -> dict[str, float | None]:
    """Informative timings of the extractor's public finders (each alone, over every sentence)."""
    out: dict[str, float | None] = {}
    published = docs[0].published if docs else None
    calls: list[tuple[str, str, str, Callable]] = [
        ("places", "etl.extract.places", "find_places", lambda f: [f(s) for s in sents]),
        ("periods", "etl.extract.periods", "find_periods", lambda f: [f(s, published) for s in sents]),
        ("topics", "etl.extract.fields.topic", "topic_of",
         lambda f: [f(c.metric, "", "", c.unit) for cs in claims for c in cs]),
    ]
    for name, module, fn_name, run in calls:
        try:
            fn = getattr(__import__(module, fromlist=[fn_name]), fn_name)
            out[name], _ = _timed(lambda fn=fn, run=run: run(fn), reps)
        except Exception:  # noqa: BLE001 - informative only
            out[name] = None
    return out


# ---------------------------------------------------------------------------------------------
# Part 2: loading a synthetic archive
