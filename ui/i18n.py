"""UI labels in Chinese (default) and English, from data/labels.csv (group,key,zh,en).

`label(group, key, lang)` and `t(key, lang, **fmt)` are pure; `current_lang()` reads the
language the sidebar toggle chose (session state, mirrored in the URL as `lang=en`).
"""
from __future__ import annotations

import csv
import functools
from pathlib import Path

LABELS_CSV = Path(__file__).resolve().parent.parent / "data" / "labels.csv"
LANGS = ("zh", "en")
LANG_KEY = "lang"


@functools.lru_cache(maxsize=1)
def labels() -> dict[tuple[str, str], dict[str, str]]:
    """{(group, key): {"zh": ..., "en": ...}} from data/labels.csv."""
    with LABELS_CSV.open(encoding="utf-8", newline="") as fh:
        return {(r["group"], r["key"]): {"zh": r["zh"], "en": r["en"]} for r in csv.DictReader(fh)}


def keys(group: str) -> tuple[str, ...]:
    """The keys of a group in file order, e.g. the 12 topic ids."""
    return tuple(k for g, k in labels() if g == group)


def label(group: str, key: str | None, lang: str = "zh") -> str:
    """The label of `key` (a topic id, kind, status ...); the key itself when it has none."""
    if key is None:
        return ""
    entry = labels().get((group, key))
    return entry.get(lang) or entry["zh"] if entry else str(key)


def t(key: str, lang: str | None = None, **fmt: object) -> str:
    """A UI string in `lang` (default: the current language), formatted with `fmt`."""
    text = label("ui", key, lang or current_lang())
    return text.format(**fmt) if fmt else text


def current_lang() -> str:
    """'zh' or 'en', as chosen in the sidebar; 'zh' outside a Streamlit session."""
    try:
        import streamlit as st

        lang = st.session_state.get(LANG_KEY, "zh")
    except Exception:  # noqa: BLE001 - no session (plain Python, tests of pure functions)
        return "zh"
    return lang if lang in LANGS else "zh"
