"""The tree shows the data flow: ingest -> extract -> store -> ui / views / report, imports one way.

Imports are read from the source (every `import`, also inside functions), so a lazy import
counts as much as a top-level one.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("etl", "ui", "report", "bench", "views")
# What each etl stage may import from the rest of etl (besides itself and etl.compiled).
STAGE_MAY_IMPORT = {
    "etl.ingest": set(),
    "etl.extract": set(),
    "etl.store": {"etl.extract"},
    "etl.pipeline": {"etl.ingest", "etl.extract"},
    "etl.engines": {"etl.ingest", "etl.pipeline", "etl.store"},
    "etl.ask": {"etl.extract", "etl.store"},
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the project modules `path` imports (`from a import b` gives a and a.b)."""
    mod = _module(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.add(name)
            out.update(f"{name}.{a.name}" for a in node.names)
    return {m for m in out if m.split(".")[0] in (*PACKAGES, "app")}


def _graph() -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")] + [ROOT / "app.py"]
    modules = {_module(p): p for p in files}
    graph = {}
    for name, path in modules.items():
        # `from etl.store import queries` names a module; `from etl.store.queries import Filters` an attribute.
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _stage(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "etl" and len(parts) > 1 else parts[0]


def test_nothing_in_etl_imports_the_dashboard_the_reports_or_the_benchmarks():
    bad = {m: sorted(d for d in deps if d.split(".")[0] in ("ui", "views", "report", "bench", "app"))
           for m, deps in _graph().items() if m.split(".")[0] == "etl"}
    assert not {m: d for m, d in bad.items() if d}


def test_there_are_no_import_circles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert circles == []


def test_each_stage_imports_only_the_stages_before_it():
    wrong = []
    for module, deps in _graph().items():
        allowed = STAGE_MAY_IMPORT.get(_stage(module))
        if allowed is None:
            continue
        for d in deps:
            s = _stage(d)
            if s.startswith("etl.") and s not in (_stage(module), "etl.compiled") and s not in allowed:
                wrong.append(f"{module} -> {d}")
    assert wrong == []


def test_etl_keeps_at_most_ten_modules_at_its_top_level():
    top = sorted(p.name for p in (ROOT / "etl").glob("*.py"))
    assert len(top) <= 10, top


def test_the_graph_sees_imports_inside_functions(tmp_path, monkeypatch):
    # The checks above are only as good as the import reader: a lazy import must count.
    pkg = tmp_path / "etl"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "lazy.py").write_text("def f():\n    from ui.charts import x\n    from .store import y\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _imports(pkg / "lazy.py") == {"ui.charts", "ui.charts.x", "etl.store", "etl.store.y"}
