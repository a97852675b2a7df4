"""Deterministic synthetic data for benchmarks and scale tests.

- `write_archive(out, n, seed)`: N article files recombining real seed sentences (from
  `seeds/*.txt`) with varied numbers, dates and districts, in folders of 1,000 files with a
  `manifest.csv` each. Same seed -> byte-identical files.
- `build_claims_db(path, n_claims, seed)`: a DuckDB database with the ETL's schema holding
  `n_claims` synthetic claims and the documents / articles / sentences they cite, with
  realistic distributions of topic, region, metric and dates (for query latency benchmarks).

`python -m bench.synth archive OUT -n 10000` and `python -m bench.synth claims DB -n 1000000`.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import hashlib
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from etl.extract.articles import split_articles
from etl.extract.lexicon import table
from etl.ingest.sources import decode
from etl.store.checks import sentence_flags

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FILES_PER_FOLDER = 1000
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
_GIVEN = "雪松晓玮世芳柯雨艳玲怡霏富宇眉灵冬麟佳琪浩然子涵明轩欣怡梓萱一诺思远家豪静文博俊杰婷"
_TERMINAL = ("。", "！", "？", "”")
_NUMBER_SPAN = re.compile(r"\d+(?:\.\d+)?(?:亿元|万元|亿|万|%|个百分点|家|个|项|名|户|件|人|元|倍|平方米|吨|次)?")


@dataclass(frozen=True)
class SeedPool:
    """Real material harvested from the seed pages."""

    headlines: tuple[str, ...]
    sentences: tuple[str, ...]  # body sentences ending a sentence
    districts: tuple[str, ...]
    outlets: tuple[str, ...]


@functools.lru_cache(maxsize=4)
def seed_pool(seeds: Path = SEEDS) -> SeedPool:
    """Headlines and body sentences of the seed pages (segmented by the ETL's own code)."""
    heads: list[str] = []
    sents: list[str] = []
    for p in sorted(seeds.glob("*.txt")):
        text, _ = decode(p.read_bytes())
        for art in split_articles(p.stem, text):
            for s in art.sentences:
                t = s.text.strip()
                if s.role == "headline" and 6 <= len(t) <= 40:
                    heads.append(t)
                elif s.role == "body" and 12 <= len(t) <= 160 and t.endswith(_TERMINAL) and "记者" not in t:
                    sents.append(t)
    if not heads or not sents:
        raise ValueError(f"no usable seed sentences under {seeds}")
    gaz = table("gazetteer.csv")
    districts = tuple(r["name"] for r in gaz if r["level"] in ("district", "zone"))
    outlets = tuple(r["outlet"] for r in table("outlets.csv"))
    return SeedPool(tuple(dict.fromkeys(heads)), tuple(dict.fromkeys(sents)), districts, outlets)


@functools.lru_cache(maxsize=4)
def _vary_pattern(districts: tuple[str, ...]) -> re.Pattern:
    names = "|".join(re.escape(d) for d in sorted(districts, key=len, reverse=True))
    return re.compile(
        r"(?P<year>(?:19|20)\d{2})(?=年)"
        r"|(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
        r"|(?P<num>\d+(?:\.\d+)?)"
        rf"|(?P<dist>{names})"
    )


def vary(text: str, rng: random.Random, year: int, districts: tuple[str, ...]) -> str:
    """The sentence with other numbers of the same shape, dates of `year` and other districts."""

    def sub(m: re.Match) -> str:
        if m.group("year"):
            return str(year - rng.choice((0, 0, 0, 1)))
        if m.group("m"):
            return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        if m.group("dist"):
            return rng.choice(districts)
        num = m.group("num")
        whole, _, frac = num.partition(".")
        if len(whole) == 1:
            w = str(rng.randint(1, 9))
        else:
            w = str(rng.randint(10 ** (len(whole) - 1), 10 ** len(whole) - 1))
        return w + ("." + "".join(str(rng.randint(0, 9)) for _ in frac) if frac else "")

    return _vary_pattern(districts).sub(sub, text)


def _reporter(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))


def _wrap(para: str, width: int) -> str:
    return "\n".join(para[i:i + width] for i in range(0, len(para), width))


def article_text(rng: random.Random, pool: SeedPool, year: int, outlet: str) -> str:
    """One synthetic article: headline(s), an optional 本报讯 opener, 3-8 paragraphs."""
    v = functools.partial(vary, rng=rng, year=year, districts=pool.districts)
    lines = [v(rng.choice(pool.headlines))]
    if rng.random() < 0.3:
        lines.append(v(rng.choice(pool.headlines)))
    paras = []
    for _ in range(rng.randint(3, 8)):
        paras.append("".join(v(rng.choice(pool.sentences)) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.5:
        paras[0] = f"本报讯（{outlet}记者 {_reporter(rng)}）{paras[0]}"
    if rng.random() < 0.15:  # column layout: body lines broken inside sentences and numbers
        width = rng.randint(30, 44)
        paras = [_wrap(p, width) for p in paras]
    body = "\n\n".join(paras)
    tail = f"\n\n（{_reporter(rng)}）\n" if rng.random() < 0.2 else "\n"
    return "\n".join(lines) + "\n\n" + body + tail


def write_archive(out: Path, n: int, seed: int = 7, seeds: Path = SEEDS) -> list[Path]:
    """Write `n` article files (folders of 1,000, each with a manifest.csv); returns the files."""
    pool = seed_pool(seeds)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rows: dict[Path, list[list[str]]] = {}
    for i in range(n):
        folder = out / f"{i // FILES_PER_FOLDER:03d}"
        folder.mkdir(exist_ok=True)
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
        outlet = rng.choice(pool.outlets)
        text = article_text(rng, pool, day.year, outlet)
        encoding = "gb18030" if rng.random() < 0.05 else "utf-8"
        data = text.encode(encoding)
        name = f"{i:06d}_{hashlib.sha1(data).hexdigest()[:8]}.txt"
        path = folder / name
        path.write_bytes(data)
        written.append(path)
        has_date = rng.random() < 0.9
        rows.setdefault(folder, []).append([name, day.isoformat() if has_date else "", "", outlet, ""])
    for folder, rs in rows.items():
        with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["file", "published", "title", "outlet", "url"])
            w.writerows(rs)
    return written


# Every sentence end, clause break, quote, bracket and space: what is left of a page that a
# table dump or a bad PDF conversion flattened into one line.
_PUNCTUATION = re.compile(r"[\s。！？!?；;，,、：:“”‘’\"'《》「」『』（）()【】…—·]")


def unpunctuated_line(n: int, seed: int = 7, seeds: Path = SEEDS) -> str:
    """`n` characters of synthetic articles with every punctuation mark and space removed."""
    pool = seed_pool(seeds)
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < n:
        parts.append(_PUNCTUATION.sub("", article_text(rng, pool, 2023, rng.choice(pool.outlets))))
        total += len(parts[-1])
    return "".join(parts)[:n]


# ---------------------------------------------------------------------------------------------
# Synthetic claims database (query benchmarks)

TOPICS = ("industry", "enterprise", "trade", "investment", "innovation", "finance", "livelihood",
          "transport", "energy", "talent", "culture", "governance")
_METRIC_BASES = {
    "industry": ("规上工业增加值", "工业投资", "制造业增加值", "工业总产值", "营业收入", "产业规模"),
    "enterprise": ("经营主体数量", "新登记市场主体", "高新技术企业数量", "上市企业数量", "专精特新企业数量"),
    "trade": ("进出口总额", "出口额", "进口额", "一般贸易进出口", "跨境电商交易额"),
    "investment": ("固定资产投资", "项目总投资", "签约项目投资额", "重点项目投资"),
    "innovation": ("研发投入", "发明专利授权量", "技术合同成交额", "科技成果转化项目"),
    "finance": ("融资规模", "贷款余额", "存款余额", "信贷投放"),
    "livelihood": ("城镇新增就业", "居民人均可支配收入", "社会消费品零售总额", "保障性住房"),
    "transport": ("旅客吞吐量", "货运量", "中欧班列开行量", "轨道交通运营里程"),
    "energy": ("发电量", "用电量", "新能源装机容量", "充电桩数量"),
    "talent": ("人才引进数量", "高校毕业生留蓉人数", "技能人才数量"),
    "culture": ("接待游客人次", "旅游收入", "文创产业增加值", "演出场次"),
    "governance": ("一般公共预算收入", "民生支出", "地区生产总值"),
}
_METRIC_PREFIXES = ("", "高新技术产业", "数字经济", "先进制造业", "民营经济", "电子信息产业", "生物医药产业",
                    "现代服务业", "文旅", "农业")
_UNITS = (("亿元", "元", "amount", 1e8), ("万元", "元", "amount", 1e4), ("%", "%", "growth", 1.0),
          ("家", "家", "count", 1.0), ("个", "个", "count", 1.0), ("万人次", "人次", "count", 1e4),
          ("项", "项", "count", 1.0), ("个百分点", "个百分点", "change_pp", 1.0), ("名", "名", "count", 1.0))
_UNIT_WEIGHTS = (30, 8, 28, 10, 8, 4, 5, 3, 4)


def _metrics(rng: random.Random) -> list[tuple[str, str]]:
    """(metric, topic) pairs: a few hundred names, in a fixed random order (popularity rank)."""
    out = [(p + b, t) for t, bases in _METRIC_BASES.items() for b in bases for p in _METRIC_PREFIXES]
    rng.shuffle(out)
    return out


def _region_weights(pool: SeedPool) -> tuple[list[str], list[float]]:
    gaz = table("gazetteer.csv")
    cities = [r["name"] for r in gaz if r["level"] == "city" and r["name"] != "成都市"]
    names = ["成都市", "四川省", "全国", *pool.districts, *cities]
    weights = [35.0, 10.0, 7.0] + [40.0 / len(pool.districts)] * len(pool.districts) + [8.0 / len(cities)] * len(cities)
    return names, weights


def build_claims_db(path: Path, n_claims: int, seed: int = 7, seeds: Path = SEEDS) -> dict[str, int]:
    """Create `path` (replaced) with `n_claims` synthetic claims and their documents, articles,
    sentences. Every number of a sentence is a claim; offsets are consistent with the text."""
    import duckdb
    import pyarrow as pa

    from etl.extract.model import claim_id
    from etl.store import search_index
    from etl.store.database import SCHEMA, derive_facts, key_sentences
    from etl.store.rows import squeeze

    pool = seed_pool(seeds)
    rng = random.Random(seed)
    # A pool of varied sentences that contain at least one number, with their number spans.
    variants: list[tuple[str, list[tuple[int, int]]]] = []
    numeric = [s for s in pool.sentences if _NUMBER_SPAN.search(s)]
    while len(variants) < 4000:
        s = vary(rng.choice(numeric), rng, rng.randint(2019, 2025), pool.districts)
        spans = [m.span() for m in _NUMBER_SPAN.finditer(s)]
        if spans:
            variants.append((s, spans[:8]))
    metrics = _metrics(rng)
    metric_w = [1.0 / (k + 1) ** 1.1 for k in range(len(metrics))]
    regions, region_w = _region_weights(pool)
    sectors = sorted({r["name"] for r in table("sectors/groups.csv") if r["grouping"] == "成都重点产业"})
    outlets = pool.outlets

    docs, arts, sents, claims = [], [], [], []
    n_doc = 0
    while len(claims) < n_claims:
        doc_id = f"syn{n_doc:07d}"
        n_doc += 1
        published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
        outlet = rng.choice(outlets)
        parts: list[str] = []
        pos = 0
        for a in range(1, rng.randint(2, 8) + 1):
            article_id = f"{doc_id}-a{a:02d}"
            title = vary(rng.choice(pool.headlines), rng, published.year, pool.districts)
            a_start = pos
            parts.append(title + "\n\n")
            pos += len(title) + 2
            n_s = rng.randint(3, 12)
            for k in range(1, n_s + 1):
                text, spans = rng.choice(variants)
                sentence_id = f"{article_id}-s{k:03d}"
                s_start = pos
                parts.append(text)
                pos += len(text)
                sents.append((sentence_id, doc_id, article_id, s_start, pos, text, "body", *sentence_flags(text)))
                topic_hint = None
                prev_end = 0
                for i, j in spans:
                    if len(claims) >= n_claims:
                        break
                    metric, topic = rng.choices(metrics, metric_w)[0]
                    topic = topic_hint if topic_hint and rng.random() < 0.5 else topic
                    topic_hint = topic
                    u = rng.choices(_UNITS, _UNIT_WEIGHTS)[0]
                    value = round(rng.lognormvariate(3, 2), 2) * u[3]
                    kind = u[2]
                    if u[1] == "%" and rng.random() < 0.3:
                        kind = "share"
                    status = rng.choices(("actual", "forecast", "target"), (85, 5, 10))[0]
                    region = rng.choices(regions, region_w)[0]
                    start, end = _period(metric, region, published)
                    sector = rng.choice(sectors) if sectors and rng.random() < 0.4 else None
                    s, e = s_start + i, s_start + j
                    claims.append((claim_id(doc_id, s, e), doc_id, article_id, sentence_id, s, e, text[i:j],
                                   value, u[1], rng.choices(("exact", "approx", "over", "under"), (70, 12, 14, 4))[0],
                                   kind, metric, region, start, end, status, topic,
                                   sector, published, squeeze(text[prev_end:i])))
                    prev_end = j
                if len(claims) >= n_claims:
                    break
            parts.append("\n\n")
            pos += 2
            arts.append((article_id, doc_id, title, a_start, pos - 2, None, n_s))
            if len(claims) >= n_claims:
                break
        text = "".join(parts)
        docs.append((doc_id, f"synthetic/{doc_id}.txt", hashlib.sha256(text.encode()).hexdigest(), "utf-8", text,
                     published, "manifest", outlet, arts[-1][2], None, len(text)))
    columns = {
        "documents": ("doc_id", "path", "sha256", "encoding", "text", "published", "published_source", "outlet",
                      "title", "url", "n_chars"),
        "articles": ("article_id", "doc_id", "title", "start", "end", "byline", "n_sentences"),
        "sentences": ("sentence_id", "doc_id", "article_id", "start", "end", "text", "role", "list_cue", "share_word"),
        "claims": ("claim_id", "doc_id", "article_id", "sentence_id", "start", "end", "mention", "value", "unit",
                   "qualifier", "kind", "metric", "region", "period_start", "period_end", "status", "topic",
                   "sector", "published", "pre_text"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        for name, rows in (("documents", docs), ("articles", arts), ("sentences", sents), ("claims", claims)):
            cols = columns[name]
            arrow = pa.table({c: pa.array([r[i] for r in rows]) for i, c in enumerate(cols)})
            del rows[:]
            con.register("_incoming", arrow)
            names = ", ".join(f'"{c}"' for c in cols)
            con.execute(f"INSERT INTO {name} ({names}) SELECT {names} FROM _incoming ORDER BY 1")
            con.unregister("_incoming")
        key_sentences(con)
        t0 = time.perf_counter()
        derive_facts(con)  # the ETL's whole-database step (metric catalog, facts, checks)
        derive_s = time.perf_counter() - t0
        search_index.build(con)  # what the dashboard's search scans
        con.execute("INSERT OR REPLACE INTO meta VALUES ('extractor_version', 'synthetic')")
        con.execute("CHECKPOINT")
        counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                  for t in ("documents", "articles", "sentences", "claims")}
        counts["derive_facts_ms"] = round(derive_s * 1000)
    finally:
        con.close()
    return counts


_PERIOD_STYLES = ("none", "month", "ytd", "year", "stock")


def _period(metric: str | None, region: str | None, published: dt.date) -> tuple[dt.date | None, dt.date]:
    """The reference period of a synthetic figure. Like a real statistic, one metric of one
    region is always reported the same way (monthly, year to date, yearly or as a stock), so a
    series keeps one period length (etl.extract.periods.period_type) as real series do."""
    style = _PERIOD_STYLES[int(hashlib.sha1(f"{metric}|{region}".encode()).hexdigest(), 16) % len(_PERIOD_STYLES)]
    last = published.replace(day=1) - dt.timedelta(days=1)  # end of the month before publication
    if style == "none":
        return None, published
    if style == "month":
        return last.replace(day=1), last
    if style == "ytd":
        return dt.date(last.year, 1, 1), last
    if style == "year":
        return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31)
    return last, last


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("archive", help="write N synthetic article files")
    a.add_argument("out", type=Path)
    a.add_argument("-n", type=int, default=1000)
    a.add_argument("--seed", type=int, default=7)
    c = sub.add_parser("claims", help="build a DuckDB file with N synthetic claims")
    c.add_argument("db", type=Path)
    c.add_argument("-n", type=int, default=1_000_000)
    c.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.what == "archive":
        files = write_archive(args.out, args.n, args.seed)
        print(f"{len(files)} files -> {args.out}")
    else:
        counts = build_claims_db(args.db, args.n, args.seed)
        print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" -> {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
