"""The analyst's view as URL query parameters: parsing (pure), sidebar widgets and URL sync.

The URL is the state. `begin_run()` (called by app.py first on every run) adopts query
parameters that differ from what the app last wrote (a bookmark, a shared link, st.switch_page
with query_params); parameters the navigation dropped keep their session value, so filters
persist across pages. Widgets are seeded from that state, and after drawing, their values are
written back to the URL. Values that cannot be understood (bad dates, unknown topics, huge
strings) are dropped with a gentle note, never an exception.

Global parameters: topic, sector, region, kind, status, unit, metric (repeatable), since,
until (YYYY-MM-DD), q (search words), lang (zh|en). Pages add their own (see `url_select`).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from etl.store import sectors
from etl.store.queries import Filters
from ui import i18n

LIST_PARAMS = ("topic", "region", "sector", "kind", "status", "unit", "metric")
FILTER_PARAMS = (*LIST_PARAMS, "since", "until", "q")
# Every parameter a page reads: the filters, the language and the pages' own (trends: m and the
# old u; districts: show, d; source: claim). Any other key is ignored with a note.
KNOWN_PARAMS = frozenset((*FILTER_PARAMS, "lang", "m", "u", "show", "d", "claim"))
MAX_VALUE_CHARS = 100
MAX_Q_CHARS = 100
MAX_VALUES = 50
MIN_DATE, MAX_DATE = dt.date(1949, 10, 1), dt.date(2100, 12, 31)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _short(v: str, n: int = 24) -> str:
    v = _CONTROL.sub("", v)
    return v if len(v) <= n else v[:n] + "…"


def parse_date(value: str) -> dt.date | None:
    """YYYY-MM-DD within 1949-10-01 .. 2100-12-31, else None."""
    if not value or len(value) > 10:
        return None
    try:
        d = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return d if MIN_DATE <= d <= MAX_DATE else None


def parse_params(params: Mapping[str, Sequence[str]],
                 vocab: Mapping[str, Sequence[str]]) -> tuple[Filters, list[str]]:
    """Filters from query parameters ({name: [values]}) and notes about what was ignored.

    List values must occur in `vocab[name]` (known topics, regions in the data ...); a value
    may also be comma-separated. Unknown names are not this function's business.
    """
    notes: list[str] = []
    kw: dict[str, Any] = {}
    for name in LIST_PARAMS:
        allowed = set(vocab.get(name, ()))
        keep: list[str] = []
        for raw in params.get(name) or ():
            for v in str(raw).split(","):
                v = v.strip()
                if not v:
                    continue
                if name == "sector" and len(v) <= MAX_VALUE_CHARS:
                    v = sectors.resolve(v) or v  # a code (C34) or a name (通用设备制造业, 锂电)
                    if v in sectors.nodes():
                        allowed.add(v)  # a sector of the taxonomy, with claims or not
                if len(v) > MAX_VALUE_CHARS or v not in allowed:
                    notes.append(f"{name}={_short(v)}")
                elif v not in keep:
                    keep.append(v)
        if len(keep) > MAX_VALUES:
            notes.append(f"{name}: {len(keep) - MAX_VALUES}+")
        kw[name] = tuple(keep[:MAX_VALUES])
    for name in ("since", "until"):
        values = [v for v in params.get(name) or () if v]
        if values:
            d = parse_date(str(values[-1]))
            if d is None:
                notes.append(f"{name}={_short(str(values[-1]))}")
            kw[name] = d
    if kw.get("since") and kw.get("until") and kw["since"] > kw["until"]:
        kw["since"], kw["until"] = kw["until"], kw["since"]
        notes.append("since > until")
    q = " ".join(str(v) for v in params.get("q") or ())
    q = " ".join(_CONTROL.sub(" ", q).split())
    if len(q) > MAX_Q_CHARS:
        notes.append(f"q: {len(q)} > {MAX_Q_CHARS}")
        q = q[:MAX_Q_CHARS].strip()
    kw["q"] = q
    return Filters(**kw), notes


def to_params(f: Filters) -> dict[str, list[str]]:
    """The query parameters of a Filters value (only the non-empty ones)."""
    out: dict[str, list[str]] = {}
    for name in LIST_PARAMS:
        if getattr(f, name):
            out[name] = list(getattr(f, name))
    for name in ("since", "until"):
        if getattr(f, name):
            out[name] = [getattr(f, name).isoformat()]
    if f.q:
        out["q"] = [f.q]
    return out


def describe(f: Filters, lang: str = "zh") -> list[str]:
    """Readable chips for the active filters: ['主题: 外贸', '地区/区县: 郫都区', ...]."""
    out = []
    for name in LIST_PARAMS:
        values = getattr(f, name)
        if values:
            group = name if name in ("topic", "kind", "status") else ""
            shown = [i18n.label(group, v, lang) if group else sectors.name(v) if name == "sector" else v
                     for v in values]
            out.append(f"{i18n.t(name, lang)}: {'、'.join(shown)}")
    if f.since or f.until:
        out.append(f"{i18n.t('dates', lang)}: {f.since or '…'} – {f.until or '…'}")
    if f.q:
        out.append(f"{i18n.t('search', lang)}: {f.q}")
    return out


def full_vocab(db_vocab: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Known values per filter: the fixed topic/kind/status ids plus whatever the data holds."""
    out = {k: tuple(v) for k, v in db_vocab.items()}
    for group in ("topic", "kind", "status"):
        fixed = i18n.keys(group)
        out[group] = fixed + tuple(v for v in db_vocab.get(group, ()) if v not in fixed)
    return out


# ---------------------------------------------------------------------------------------------
# Streamlit side: session state <-> URL.

_WRITTEN = "_url_written"  # {param: [values]} as last written to the URL by the app
_CHANGED = "_url_changed"  # params whose URL value changed since the last write (this run)
_NOTES = "_url_notes"
_SAVED = "_filters"


def begin_run() -> None:
    """Adopt query parameters that differ from what the app wrote last (call first in a run)."""
    import streamlit as st

    qp = st.query_params
    raw = {k: qp.get_all(k) for k in qp}
    written: dict[str, list[str]] = st.session_state.setdefault(_WRITTEN, {})
    changed = {k for k, v in raw.items() if v != written.get(k)}
    st.session_state[_CHANGED] = changed
    for k in sorted(changed - KNOWN_PARAMS):
        _note(_short(k))
    if "lang" in changed:
        v = (raw["lang"] or ["zh"])[-1]
        if v in i18n.LANGS:
            st.session_state[i18n.LANG_KEY] = v
        else:
            _note(f"lang={_short(v)}")
    st.session_state.setdefault(i18n.LANG_KEY, "zh")


def _note(text: str) -> None:
    import streamlit as st

    notes = st.session_state.setdefault(_NOTES, [])
    if text not in notes:
        notes.append(text)


def _write(params: Mapping[str, list[str]], managed: Sequence[str]) -> None:
    """Make the URL's `managed` parameters equal to `params` (others untouched)."""
    import streamlit as st

    written = st.session_state.setdefault(_WRITTEN, {})
    for k in managed:
        want = list(params.get(k) or [])
        have = st.query_params.get_all(k) if k in st.query_params else []
        if want != have:
            if want:
                st.query_params[k] = want
            else:
                del st.query_params[k]
        if want:
            written[k] = want
        else:
            written.pop(k, None)


def language_toggle() -> str:
    """The English toggle (sidebar); returns 'zh' or 'en' and keeps `lang=en` in the URL."""
    import streamlit as st

    st.session_state["w_lang"] = st.session_state.get(i18n.LANG_KEY) == "en"

    def _flip() -> None:
        st.session_state[i18n.LANG_KEY] = "en" if st.session_state["w_lang"] else "zh"

    st.sidebar.toggle("English", key="w_lang", on_change=_flip)
    lang = i18n.current_lang()
    _write({"lang": ["en"]} if lang == "en" else {}, ["lang"])
    return lang


def current() -> Filters:
    """The filters in force (as set by `sidebar()` in this session)."""
    import streamlit as st

    return st.session_state.get(_SAVED, Filters())


def sector_option(tree: Mapping[str, tuple[int, int]]) -> Callable[[str], str]:
    """Option labels of the sector filter: indented by depth in the tree, with claim counts."""
    def fmt(code: str) -> str:
        depth, n = tree.get(code, (0, 0))
        node = sectors.nodes().get(code)
        tag = code if node is None or node.level != "分组" else node.scheme
        return f"{'　' * depth}{sectors.name(code)} · {tag} ({n:,})"
    return fmt


def sidebar(db_vocab: Mapping[str, Sequence[str]],
            sector_counts: Mapping[str, int] | None = None) -> Filters:
    """Draw the filter widgets in the sidebar, sync them with the URL, return the Filters.
    `sector_counts` (claims per sector, rolled up) gives the sector tree its counts."""
    import streamlit as st

    counts = dict(sector_counts or {})
    sector_tree = {code: (depth, counts.get(code, 0)) for code, depth in sectors.tree(counts)}

    lang = i18n.current_lang()
    vocab = full_vocab(db_vocab)
    ss = st.session_state
    changed = ss.get(_CHANGED, set()) & set(FILTER_PARAMS)
    saved: Filters = ss.get(_SAVED, Filters())
    if changed:
        raw = {k: st.query_params.get_all(k) for k in FILTER_PARAMS if k in st.query_params}
        # Parameters the URL does not carry (dropped by navigation) keep their saved value.
        merged = {**to_params(saved), **raw}
        saved, notes = parse_params(merged, vocab)
        for n in notes:
            _note(n)
    widget_keys = {name: f"w_{name}" for name in FILTER_PARAMS}
    # A sector asked for by URL stays an option even without claims (its view says so).
    vocab["sector"] = (*vocab.get("sector", ()), *(c for c in saved.sector if c not in vocab.get("sector", ())))
    for name in LIST_PARAMS:
        key = widget_keys[name]
        if name in changed or key not in ss:
            ss[key] = list(getattr(saved, name))
        else:  # options may have changed with a rebuilt database
            ss[key] = [v for v in ss[key] if v in vocab.get(name, ())]
    if "since" in changed or "until" in changed or "w_dates" not in ss:
        ss["w_dates"] = tuple(d for d in (saved.since, saved.until) if d) if saved.since and saved.until else (
            (saved.since,) if saved.since else ())
    if "q" in changed or "w_q" not in ss:
        ss["w_q"] = saved.q

    def fmt(group: str) -> Callable[[str], str]:
        return lambda v: i18n.label(group, v, lang)

    def _clear() -> None:
        for name in LIST_PARAMS:
            ss[widget_keys[name]] = []
        ss["w_dates"] = ()
        ss["w_q"] = ""

    sb = st.sidebar
    sb.subheader(i18n.t("filters"))
    sb.text_input(i18n.t("search"), key="w_q", max_chars=MAX_Q_CHARS, help=i18n.t("search_help"),
                  placeholder=i18n.t("search_placeholder"))
    sb.multiselect(i18n.t("topic"), vocab["topic"], key="w_topic", format_func=fmt("topic"),
                   placeholder=i18n.t("all"))
    sb.multiselect(i18n.t("region"), vocab.get("region", ()), key="w_region", placeholder=i18n.t("all"))
    sb.date_input(i18n.t("dates"), key="w_dates", min_value=MIN_DATE, max_value=MAX_DATE,
                  help=i18n.t("dates_help"), format="YYYY-MM-DD")
    with sb.expander(i18n.t("more_filters"), expanded=any(ss[widget_keys[n]] for n in LIST_PARAMS[2:])):
        st.multiselect(i18n.t("sector"), vocab.get("sector", ()), key="w_sector", placeholder=i18n.t("all"),
                       format_func=sector_option(sector_tree), help=i18n.t("sector_help"))
        st.multiselect(i18n.t("kind"), vocab["kind"], key="w_kind", format_func=fmt("kind"),
                       placeholder=i18n.t("all"))
        st.multiselect(i18n.t("status"), vocab["status"], key="w_status", format_func=fmt("status"),
                       placeholder=i18n.t("all"))
        st.multiselect(i18n.t("unit"), vocab.get("unit", ()), key="w_unit", placeholder=i18n.t("all"))
        st.multiselect(i18n.t("metric"), vocab.get("metric", ()), key="w_metric", placeholder=i18n.t("all"))
    sb.button(i18n.t("clear_filters"), on_click=_clear, icon=":material/filter_alt_off:")

    dates = tuple(ss.get("w_dates") or ())
    since = dates[0] if len(dates) >= 1 else None
    until = dates[1] if len(dates) >= 2 else None
    q = " ".join(_CONTROL.sub(" ", ss.get("w_q") or "").split())[:MAX_Q_CHARS]
    f = Filters(**{n: tuple(ss[widget_keys[n]]) for n in LIST_PARAMS}, since=since, until=until, q=q)
    ss[_SAVED] = f
    _write(to_params(f), FILTER_PARAMS)
    notes = ss.pop(_NOTES, [])
    if notes:
        sb.caption(":material/info: " + i18n.t("ignored_params", what="; ".join(notes)))
    return f


def show_pending_notes() -> None:
    """On pages without the filter sidebar (source), still mention ignored parameters."""
    import streamlit as st

    notes = st.session_state.pop(_NOTES, [])
    if notes:
        st.caption(":material/info: " + i18n.t("ignored_params", what="; ".join(notes)))


def url_select(param: str, label: str, options: Sequence[str], *, format_func: Callable[[str], str] = str,
               default: str | None = None, where: Any = None, **kwargs: Any) -> str | None:
    """A selectbox whose value lives in the URL parameter `param` (page-level view state).

    An unknown value in the URL is ignored with a note; the first option (or `default`) is used.
    """
    import streamlit as st

    ss = st.session_state
    key = f"w_{param}"
    options = list(options)
    if not options:
        _write({}, [param])
        return None
    fallback = default if default in options else options[0]
    if param in ss.get(_CHANGED, set()) or key not in ss or ss[key] not in options:
        values = st.query_params.get_all(param) if param in st.query_params else []
        wanted = values[-1] if values else (ss.get(key) if ss.get(key) in options else fallback)
        if wanted not in options:
            _note(f"{param}={_short(str(wanted))}")
            wanted = fallback
        ss[key] = wanted
    (where or st).selectbox(label, options, key=key, format_func=format_func, **kwargs)
    value = ss[key]
    _write({param: [value]} if value != fallback else {}, [param])
    return value


def with_(f: Filters, **changes: Any) -> Filters:
    """`f` with some fields replaced (a shorthand for dataclasses.replace)."""
    return replace(f, **changes)
