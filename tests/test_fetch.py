"""`python -m etl --urls FILE` against a local HTTP server started here (never the internet):
robots.txt honoured, one request at a time per host with a delay, raw bytes kept by sha256,
nothing fetched twice, documents citing their URL."""
from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, query
from readerinputs import table_docx

from bench.printed import article_page
from etl.cli import main
from etl.load import run

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@pytest.fixture
def site() -> Iterator[tuple[str, list[tuple[float, str]]]]:
    seed = sorted(SEEDS.glob("*.txt"))[2]
    pages = {
        "/robots.txt": ("text/plain", ROBOTS),
        "/news/a.html": ("text/html; charset=utf-8", article_page(
            seed.read_text(encoding="utf-8"), "会地对接 深化科创中国试点城市建设", "四川科技报", "2021-05-14",
            url="https://epaper.example.cn/a.htm").encode()),
        "/files/report.docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               table_docx()),
        "/private/secret.html": ("text/html", b"<html><body><p>secret</p></body></html>"),
    }
    hits: list[tuple[float, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append((time.monotonic(), self.path))
            if self.path not in pages:
                self.send_error(404)
                return
            kind, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_urls_are_fetched_politely_once_and_cited(site, tmp_path: Path) -> None:
    base, hits = site
    urls = [f"{base}/news/a.html", f"{base}/files/report.docx", f"{base}/private/secret.html", f"{base}/gone.html"]
    db = tmp_path / "data" / "rongshu.duckdb"
    import io

    out, err = io.StringIO(), io.StringIO()
    rc = run([], str(db), progress=False, out=out, err=err, urls=urls, delay=0.25)
    assert rc == 1  # the disallowed and the missing URL
    assert f"skipped {base}/private/secret.html: is disallowed by the site's robots.txt" in err.getvalue()
    assert f"skipped {base}/gone.html: could not be fetched (HTTP 404)" in err.getvalue()
    paths = [p for _, p in hits]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1 and "/private/secret.html" not in paths
    gaps = [b - a for (a, _), (b, _) in zip(hits, hits[1:], strict=False)]
    assert min(gaps) >= 0.24, gaps  # one request at a time, 0.25 s apart on one host
    raw = db.parent / "raw"
    held = sorted(p.name for p in raw.iterdir() if p.suffix in (".html", ".docx"))
    assert len(held) == 2 and all(len(p.split(".")[0]) == 16 for p in held)
    rows = query(db, "SELECT source_kind, source, url, path FROM documents ORDER BY source")
    assert [r[:3] for r in rows] == [("url", f"{base}/files/report.docx", f"{base}/files/report.docx"),
                                     ("url", f"{base}/news/a.html", f"{base}/news/a.html")]
    assert [Path(r[3]).suffix for r in rows] == [".docx", ".html"]  # read by the format's reader
    assert query(db, "SELECT count(*) FROM claims")[0][0] > 5

    # Again: nothing already held is fetched; only the failed URLs are tried again.
    before = len(hits)
    out = io.StringIO()
    rc = run([], str(db), progress=False, out=out, err=io.StringIO(), urls=urls, delay=0.0)
    assert rc == 1
    again = [p for _, p in hits[before:]]
    assert "/news/a.html" not in again and "/files/report.docx" not in again
    assert "2 unchanged" in out.getvalue()


def test_url_list_file_on_the_command_line(site, tmp_path: Path, capsys) -> None:
    base, _ = site
    lst = tmp_path / "urls.txt"
    lst.write_text(f"# e-paper pages\n{base}/news/a.html\n\n", encoding="utf-8")
    db = tmp_path / "d" / "r.duckdb"
    assert main(["--urls", str(lst), "--db", str(db), "--delay", "0"]) == 0
    assert query(db, "SELECT count(*) FROM documents")[0][0] == 1  # the seeds are not loaded too
    assert query(db, "SELECT source FROM documents") == [(f"{base}/news/a.html",)]
    with pytest.raises(SystemExit):  # a missing list is a usage error, not a crash
        main(["--urls", str(tmp_path / "missing.txt"), "--db", str(db)])
    assert "missing.txt" in capsys.readouterr().err
