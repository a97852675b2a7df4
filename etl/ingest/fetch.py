"""`python -m etl --urls FILE`: fetch web pages and files into the data folder, politely.

One request at a time, per host at most one every `delay` seconds (or the robots.txt
Crawl-delay when longer); robots.txt is honoured; the raw bytes are kept under
`<data folder>/raw/` named by their sha256, with `index.csv` (url -> file) and a
`manifest.csv` giving each file its URL, so a re-run fetches nothing already held and the
documents cite the URL, not the cached file.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

USER_AGENT = "Rongshu/0.1 (newspaper figures; polite fetcher)"
INDEX = "index.csv"
_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif", "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def read_url_list(path: Path) -> list[str]:
    """URLs of a list file: one per line, blank lines and # comments skipped."""
    urls = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


@dataclass
class Fetcher:
    """Fetches URLs one at a time with a per-host delay and robots.txt rules."""

    raw_dir: Path
    delay: float = 1.0
    client: httpx.Client | None = None
    _robots: dict = field(default_factory=dict)
    _last: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.raw_dir = Path(self.raw_dir)
        self.client = self.client or httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=30.0,
                                                  follow_redirects=True)

    def _wait(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _get(self, url: str) -> httpx.Response:
        parts = urlsplit(url)
        robots = self._robots.get(parts.netloc)
        delay = max(self.delay, float(robots.crawl_delay(USER_AGENT) or 0)) if robots else self.delay
        self._wait(parts.netloc, delay)
        return self.client.get(url)

    def robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The host's robots.txt rules (fetched once per host). A missing file (4xx) allows
        everything; a server error disallows everything, as RFC 9309 says."""
        parts = urlsplit(url)
        if parts.netloc not in self._robots:
            rp = urllib.robotparser.RobotFileParser()
            try:
                resp = self._get(f"{parts.scheme}://{parts.netloc}/robots.txt")
                if resp.status_code >= 500:
                    rp.disallow_all = True
                elif resp.status_code >= 400:
                    rp.allow_all = True
                else:
                    rp.parse(resp.text.splitlines())
            except httpx.HTTPError:
                rp.disallow_all = True
            self._robots[parts.netloc] = rp
        return self._robots[parts.netloc]

    def fetch_all(self, urls: list[str]) -> tuple[int, list[tuple[str, str]]]:
        """Fetch the URLs not yet held; returns (number fetched, [(url, reason) failed])."""
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        index = load_index(self.raw_dir)
        fetched, failed = 0, []
        for url in dict.fromkeys(urls):
            held = index.get(url)
            if held and (self.raw_dir / held["file"]).is_file():
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                failed.append((url, "is not an http(s) URL"))
                continue
            try:
                if not self.robots(url).can_fetch(USER_AGENT, url):
                    failed.append((url, "is disallowed by the site's robots.txt"))
                    continue
                resp = self._get(url)
            except httpx.HTTPError as exc:
                failed.append((url, f"could not be fetched ({type(exc).__name__}: {exc})"))
                continue
            if resp.status_code >= 400:
                failed.append((url, f"could not be fetched (HTTP {resp.status_code})"))
                continue
            suffix = _suffix(resp.headers.get("content-type", ""), url)
            if suffix is None:
                failed.append((url, f"has an unsupported content type {resp.headers.get('content-type')!r}"))
                continue
            data = resp.content
            sha = hashlib.sha256(data).hexdigest()
            name = f"{sha[:16]}{suffix}"
            (self.raw_dir / name).write_bytes(data)
            index[url] = {"url": url, "file": name, "sha256": sha, "content_type": resp.headers.get("content-type", ""),
                          "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            fetched += 1
        save_index(self.raw_dir, index)
        return fetched, failed


def _suffix(content_type: str, url: str) -> str | None:
    kind = content_type.split(";")[0].strip().lower()
    if kind in _TYPES:
        return _TYPES[kind]
    ext = PurePosixPath(urlsplit(url).path).suffix.lower()
    from etl.ingest.sources import SUFFIXES

    return ext if ext in SUFFIXES else None


def load_index(raw_dir: Path) -> dict[str, dict]:
    p = Path(raw_dir) / INDEX
    if not p.is_file():
        return {}
    with open(p, encoding="utf-8", newline="") as fh:
        return {row["url"]: row for row in csv.DictReader(fh)}


def save_index(raw_dir: Path, index: dict[str, dict]) -> None:
    """index.csv (url, file, sha256, content type, time) and manifest.csv (file -> url), both
    written to a temporary name and renamed, so a killed run leaves the old ones."""
    rows = sorted(index.values(), key=lambda r: r["url"])
    for name, cols, conv in (
        (INDEX, ["url", "file", "sha256", "content_type", "fetched"], lambda r: r),
        ("manifest.csv", ["file", "url", "source", "source_kind"],
         lambda r: {"file": r["file"], "url": r["url"], "source": r["url"], "source_kind": "url"}),
    ):
        tmp = Path(raw_dir) / f".{name}.tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
            w.writeheader()
            w.writerows(conv(r) for r in rows)
        tmp.replace(Path(raw_dir) / name)
