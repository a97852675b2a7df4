"""Page -> articles: group paragraphs under their headlines, close articles at bylines."""
from __future__ import annotations

import re
from itertools import islice

from etl.extract.layout import Paragraph, ends_with_credit, paragraphs
from etl.extract.model import Article, Sentence
from etl.extract.sentences import split_paragraph

# A headline line this long is a main headline, never a section subhead.
_MAIN_HEADLINE = 32
_BODY_OPENERS = ("本报讯", "紧接")
_BYLINE_IN_BODY = re.compile(r"^本报讯\s*[（(]([^()（）]{2,60})[)）]")
UNTITLED = "(无标题)"


def split_articles(doc_id: str, text: str) -> list[Article]:
    """Articles of a page, each with its title, extent, byline and sentences."""
    paras = paragraphs(text)
    groups: list[dict] = []
    cur: dict | None = None
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.role == "headline":
            j = i
            while j + 1 < len(paras) and paras[j + 1].role == "headline":
                j += 1
            heads = paras[i:j + 1]
            nxt = next((q for q in islice(paras, j + 1, None) if q.role == "body"), None)  # no list copy
            opens = nxt is not None and nxt.clean(text).startswith(_BODY_OPENERS)
            main = any(len(h.clean(text)) >= _MAIN_HEADLINE for h in heads)
            if cur is None or cur["closed"] or opens or main:
                cur = {"title": " ".join(h.clean(text).strip() for h in heads), "paras": [], "closed": False,
                       "byline": None}
                groups.append(cur)
            cur["paras"].extend(heads)
            i = j + 1
            continue
        if cur is None and p.role == "meta":
            i += 1  # edition notes before the first article belong to no article
            continue
        if cur is None:
            cur = {"title": UNTITLED, "paras": [], "closed": False, "byline": None}
            groups.append(cur)
        cur["paras"].append(p)
        clean = p.clean(text)
        if p.role == "byline":
            cur["closed"] = True
            cur["byline"] = clean.strip("()（） ")
        elif p.role == "body":
            m = _BYLINE_IN_BODY.match(clean)
            if m and not cur["byline"]:
                cur["byline"] = m.group(1).strip()
            if ends_with_credit(clean):
                cur["closed"] = True
        i += 1
    return [_article(doc_id, n, g, text) for n, g in enumerate(groups, 1) if g["paras"]]


def _article(doc_id: str, n: int, g: dict, text: str) -> Article:
    article_id = f"{doc_id}-a{n:02d}"
    sentences: list[Sentence] = []
    add = sentences.append
    k = 0
    for p in g["paras"]:
        role = p.role
        for start, end, clean, offs in split_paragraph(text, p):
            k += 1
            add(Sentence(f"{article_id}-s{k:03d}", doc_id, article_id, start, end, clean, offs, role))
    paras: list[Paragraph] = g["paras"]
    return Article(article_id, doc_id, g["title"], paras[0].start, paras[-1].end, tuple(sentences), g["byline"])
