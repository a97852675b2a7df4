"""Server-side rendering of plotly figures to PNG (2x), SVG and PDF with kaleido and Chromium.

One headless Chromium per process, started on first use and reused (a cold `fig.write_image`
starts a browser per call, ~3.5 s; a warm one renders in ~0.2 s). The browser runs in its own
event-loop thread; callers from any thread (Streamlit runs sessions in threads) submit renders
to it and wait with a timeout, so a browser that dies never blocks a caller forever.

We do not use `kaleido.start_sync_server()`: when the browser fails to start, its server thread
dies and every later `calc_fig_sync` call waits forever (measured with a browser that exits at
once), and its result queue is shared by concurrent callers. The public async `kaleido.Kaleido`
in our own loop gives the same one-browser reuse with errors and timeouts.
"""
from __future__ import annotations

import asyncio
import atexit
import glob
import logging
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from kaleido.errors import KaleidoError

FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PNG_SCALE = 2
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
CJK_FONT_PATTERNS = ("*NotoSansCJK*", "*NotoSerifCJK*", "*NotoSansSC*", "*SourceHanSans*", "*wqy*", "*WenQuanYi*")
# plotly.js fetches a base-map topojson for geo subplots (maps), from a CDN by default: offline
# we point it at the repository's stub (static/topojson/, also served to the dashboard).
LOCAL_TOPOJSON = Path(__file__).resolve().parent.parent / "static" / "topojson"
RENDER_TIMEOUT = 60.0
START_TIMEOUT = 60.0
HOW_TO_ENABLE = (
    "图片导出（PNG/SVG/PDF/PPTX）需要服务器上的 Chromium 和中文字体。"
    "启用方法 / To enable image export: `sudo apt-get install chromium fonts-noto-cjk` "
    "(or set BROWSER_PATH to a Chrome/Chromium executable), then restart. "
    "kaleido's own advice (`plotly_get_chrome`) downloads Chrome and does not work offline."
)

log = logging.getLogger(__name__)


class ImageExportUnavailable(RuntimeError):
    """No usable browser or CJK font on this machine; the message says how to enable export."""


class ImageExportError(RuntimeError):
    """The browser was there but a render failed or timed out."""


def browser_path() -> str | None:
    """The Chromium/Chrome executable kaleido will use: BROWSER_PATH if set, else the first on PATH."""
    env = os.environ.get("BROWSER_PATH")
    candidates = [env] if env else [shutil.which(n) for n in BROWSER_NAMES]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    return None


@lru_cache(maxsize=1)
def cjk_font_installed() -> bool:
    """True when a Simplified-Chinese-capable font (e.g. fonts-noto-cjk) is installed."""
    for d in FONT_DIRS:
        root = os.path.expanduser(d)
        for pattern in CJK_FONT_PATTERNS:
            if glob.glob(os.path.join(root, "**", pattern), recursive=True):
                return True
    return False


def topojson_url() -> str | None:
    """plotly's topojson base URL for maps: pio.defaults.topojson, else the local stub folder."""
    if pio.defaults.topojson:
        return pio.defaults.topojson
    return LOCAL_TOPOJSON.as_uri() + "/" if LOCAL_TOPOJSON.is_dir() else None


def unavailable_reason() -> str | None:
    """Why images cannot be rendered here (with how to enable them), or None when they can."""
    path = browser_path()
    if path is None:
        where = f"BROWSER_PATH={os.environ['BROWSER_PATH']!r} 不可执行。" if os.environ.get("BROWSER_PATH") \
            else "未找到 Chromium。"
        return f"{where}{HOW_TO_ENABLE}"
    if not cjk_font_installed():
        return f"未找到中文字体（图片中的汉字会显示为方框）。{HOW_TO_ENABLE}"
    return None


def available() -> bool:
    return unavailable_reason() is None


class _Browser:
    """A kaleido browser in a private event-loop thread."""

    def __init__(self, path: str) -> None:
        import kaleido

        self.path = path
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="rongshu-kaleido", daemon=True)
        self.thread.start()

        async def start() -> kaleido.Kaleido:
            k = kaleido.Kaleido(path=path, mathjax=False, timeout=RENDER_TIMEOUT)
            await k.open()
            return k

        try:
            self.kaleido = self._run(start(), START_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coro, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def render(self, fig: dict, fmt: str, scale: float) -> bytes:
        opts = {"format": fmt, "scale": scale, "width": fig["layout"].get("width"),
                "height": fig["layout"].get("height")}
        return self._run(self.kaleido.calc_fig(fig, opts=opts, topojson=topojson_url()), RENDER_TIMEOUT)

    def alive(self) -> bool:
        return self.thread.is_alive()

    def close(self) -> None:
        try:
            self._run(self.kaleido.close(), 10)
        except Exception:  # noqa: BLE001 - closing a broken browser: nothing more to do
            log.debug("closing kaleido failed", exc_info=True)
        self._stop_loop()

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


_browser: _Browser | None = None
_lock = threading.Lock()


def _get_browser() -> _Browser:
    """The process's browser, started on first use (caller holds _lock)."""
    global _browser
    reason = unavailable_reason()
    if reason:
        raise ImageExportUnavailable(reason)
    path = browser_path()
    if _browser is not None and (not _browser.alive() or _browser.path != path):
        _browser.close()
        _browser = None
    if _browser is None:
        try:
            _browser = _Browser(path)  # type: ignore[arg-type]
        except Exception as exc:
            raise ImageExportUnavailable(f"Chromium ({path}) 无法启动：{exc!r}。{HOW_TO_ENABLE}") from exc
        # Registered after the browser's temporary profile exists, so that (atexit runs last-in
        # first-out) the browser is closed before tempfile's finalizer removes its profile.
        atexit.unregister(shutdown)
        atexit.register(shutdown)
    return _browser


def shutdown() -> None:
    """Close the browser (it is started again on the next render)."""
    global _browser
    with _lock:
        if _browser is not None:
            _browser.close()
            _browser = None


def _as_dict(fig: go.Figure | dict) -> dict:
    d = fig.to_plotly_json() if isinstance(fig, go.Figure) else dict(fig)
    d.setdefault("layout", {})
    return d


def render_many(jobs: Iterable[tuple[go.Figure | dict, str]], scale: float | None = None) -> list[bytes]:
    """Render [(figure, format)] in one go on the shared browser; PNG at 2x unless `scale` is given.

    Raises ImageExportUnavailable (no browser / font: the message says how to enable) or
    ImageExportError (a render failed; the browser is restarted once and the render retried).
    """
    global _browser
    jobs = list(jobs)
    for _, fmt in jobs:
        if fmt not in FORMATS:
            raise ValueError(f"unknown image format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out: list[bytes] = []
    with _lock:
        for fig, fmt in jobs:
            d = _as_dict(fig)
            s = scale if scale is not None else (PNG_SCALE if fmt == "png" else 1)
            for attempt in (1, 2):
                browser = _get_browser()
                try:
                    out.append(browser.render(d, fmt, s))
                    break
                except KaleidoError as exc:  # the figure itself failed (bad data, missing map file)
                    raise ImageExportError(f"{fmt.upper()} 导出失败：{exc}") from exc
                except Exception as exc:  # the browser died or timed out: restart it once
                    browser.close()
                    _browser = None
                    if attempt == 2:
                        raise ImageExportError(f"{fmt.upper()} 导出失败：{exc!r}") from exc
                    log.warning("kaleido render failed (%r); restarting the browser", exc)
    return out


def render(fig: go.Figure | dict, fmt: str = "png", scale: float | None = None) -> bytes:
    """One figure as PNG (2x), SVG or PDF bytes."""
    return render_many([(fig, fmt)], scale)[0]


def render_all(fig: go.Figure | dict, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """{format: bytes} of one figure in several formats, rendered in one batch."""
    return dict(zip(formats, render_many([(fig, f) for f in formats]), strict=True))
