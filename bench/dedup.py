"""Reprint clustering quality (docs/contracts.md §4): newsclean vs datasketch on raw text, one run.

The benchmark is built here, with a fixed seed, from real article bodies: the
five seed pages and the 181 pages of the article-extraction-benchmark.

* Originals: each seed page as scraped (text mode, its own chrome), and each
  benchmark page flattened to text mode (docs/contracts.md §4: BeautifulSoup, lxml,
  ``get_text("\\n")``) with its real chrome.
* Reprints: 0-3 per original.  The body (ground truth, or the seed's paragraph
  lines) under another site's chrome (navigation, breadcrumb, byline, share
  widget, a related-news list of *other* stories' headlines, comments,
  copyright), plus 1-3 of the syndication changes of docs/contracts.md §4: ``retitle``
  (new title, "原标题:" line), ``intro-outro``, ``punct`` (width swaps, spaces
  around punctuation, rewrapped lines), ``drop-para``, ``truncate`` (first
  50-80 % + "阅读全文"), ``word-fix``, ``injection`` (content-farm keywords).
* Hard negatives, each its own cluster: the five seeds (all 复工复产, Feb 2020),
  short articles inside one heavy site template, and follow-up stories that
  quote one paragraph of an original.

Systems, all at threshold 0.7 with 128 permutations:

* datasketch MinHashLSH on the raw text, whitespace tokens;
* the same with character 5-grams;
* newsclean ``cluster`` on the raw text (an ablation: no cleaning);
* newsclean ``clean`` + site templates learned from the batch + ``cluster``
  (what ``newsclean run`` does), and its variants (exact verification, no
  merges, ``scheme="oph"``).

Scores: pairwise precision / recall / F1 over same-cluster pairs, and the
adjusted Rand index.  Then which changes the missed pairs carry, and which
kinds of documents the false pairs join.

    python bench/dedup.py [--data PATH] [--seed 20200226] [--explain pairs.txt] [--minhash-seeds 10]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA, ROOT, load_pages, peak_rss_mb

import newsclean
from newsclean.html import flatten_html
from newsclean.template import SiteTemplates

THRESHOLD = 0.7
NUM_PERM = 128
KINDS = ("retitle", "intro-outro", "punct", "drop-para", "truncate", "word-fix", "injection")


@dataclass
class Doc:
    id: str
    text: str
    label: str  # the true cluster
    site: str  # the chrome it sits in (site templates are learned per site)
    category: str  # original | seed | reprint | template-short | follow-up
    kinds: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class Story:
    key: str
    title: str
    body: str  # paragraphs separated by blank lines
    zh: bool


# --- other sites' chrome ----------------------------------------------------------

ZH_SITES = ["东方资讯", "华夏新闻", "北方网", "南国在线"]
EN_SITES = ["dailywire-news", "metro-herald", "the-post-online", "newsroom24"]


def zh_chrome(
    site: str, title: str, related: Sequence[str], rng: random.Random
) -> tuple[list[str], list[str]]:
    head = [
        "首页 | 新闻 | 国内 | 国际 | 财经 | 科技 | 体育 | 娱乐 | 汽车 | 房产",
        f"当前位置: {site} > 新闻中心 > 国内新闻",
        title,
        f"2020-0{rng.randint(2, 3)}-{rng.randint(10, 28)} {rng.randint(8, 22)}:{rng.randint(10, 59)} 来源: {site} 作者: 佚名",
        "字号: 大 中 小 | 打印 | 关闭 | 纠错",
    ]
    foot = [
        f"责任编辑: {rng.choice(['王明', '李华', '张伟', '刘洋'])}",
        "分享到: 微信 微博 QQ空间",
        "相关新闻",
        *[f"· {t}" for t in related],
        "网友评论",
        "登录后发表评论 已有0条评论",
        f"版权所有 © 2020 {site} All Rights Reserved",
        "互联网新闻信息服务许可证编号: 10120170000 违法和不良信息举报电话: 010-12345678",
    ]
    return head, foot


def en_chrome(
    site: str, title: str, related: Sequence[str], rng: random.Random
) -> tuple[list[str], list[str]]:
    head = [
        "Home | World | Politics | Business | Tech | Sports | Opinion | Subscribe",
        f"{site} > News > World",
        title,
        f"By Staff Writer | March {rng.randint(1, 28)}, 2020 {rng.randint(1, 12)}:{rng.randint(10, 59)} PM",
        "Share on Facebook | Share on Twitter | Email | Print",
    ]
    foot = [
        "Related stories",
        *[f"- {t}" for t in related],
        "Comments",
        "Sign in to join the conversation. 0 comments",
        f"© 2020 {site}. All rights reserved. Terms of Use | Privacy Policy | Cookie Settings",
        "Sign up for our newsletter to get the top stories in your inbox every morning.",
    ]
    return head, foot


# --- syndication changes -----------------------------------------------------------

_ZH_PUNCT = str.maketrans(
    {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")"}
)
_ZH_PUNCT_BACK = str.maketrans(
    {
        v: k
        for k, v in {
            "，": ",",
            "：": ":",
            "；": ";",
            "！": "!",
            "？": "?",
            "（": "(",
            "）": ")",
        }.items()
    }
)


def punct(paras: list[str], zh: bool, rng: random.Random) -> list[str]:
    out = []
    for p in paras:
        p = p.translate(_ZH_PUNCT if rng.random() < 0.5 else _ZH_PUNCT_BACK)
        p = re.sub(r"([,.:;!?，。：；！？])", r" \1 ", p) if rng.random() < 0.6 else p
        if rng.random() < 0.5 and len(p) > 120:  # rewrap: hard line breaks inside the paragraph
            width = 60 if zh else 80
            p = "\n".join(p[i : i + width] for i in range(0, len(p), width))
        out.append(p)
    if rng.random() < 0.3 and len(out) > 2:  # or two paragraphs run together
        k = rng.randrange(len(out) - 1)
        out[k : k + 2] = [out[k] + (" " if not zh else "") + out[k + 1]]
    return out


def word_fix(paras: list[str], zh: bool, rng: random.Random) -> list[str]:
    out = list(paras)
    for _ in range(3):
        k = rng.randrange(len(out))
        p = out[k]
        if zh:
            cjk = [i for i, c in enumerate(p) if "\u4e00" <= c <= "\u9fff"]
            if cjk:
                i = rng.choice(cjk)
                p = p[:i] + rng.choice("的了在是和有为也这") + p[i + 1 :]
        else:
            words = p.split(" ")
            i = rng.randrange(len(words))
            words[i] = rng.choice(["the", "a", "said", "also", "new", "its"])
            p = " ".join(words)
        out[k] = p
    return out


def truncate(paras: list[str], zh: bool, rng: random.Random) -> list[str]:
    text = "\n\n".join(paras)
    cut = text[: int(len(text) * rng.uniform(0.5, 0.8))]
    return [*cut.split("\n\n"), "……阅读全文" if zh else "Read more >>"]


def injection(paras: list[str], zh: bool, rng: random.Random) -> list[str]:
    out = list(paras)
    zh_kw = [
        "【关键词】复工复产 企业 最新消息",
        "相关搜索: 免费领取 优惠券 今日热点",
        "更多精彩内容请关注本站公众号",
    ]
    en_kw = [
        "Keywords: cheap flights, best deals, breaking news today",
        "Trending: celebrity news | stock tips | free VPN",
        "Click here for more top stories like this",
    ]
    for _ in range(rng.randint(2, 4)):
        out.insert(rng.randint(1, len(out)), rng.choice(zh_kw if zh else en_kw))
    return out


def reprint(
    story: Story, site: str, related: Sequence[str], rng: random.Random
) -> tuple[str, tuple[str, ...]]:
    kinds = tuple(sorted(rng.sample(KINDS, rng.choice([1, 1, 2, 2, 3]))))
    paras = [p for p in story.body.split("\n\n") if p.strip()]
    title = story.title
    if "drop-para" in kinds and len(paras) > 2:
        del paras[rng.randrange(1, len(paras))]
    if "word-fix" in kinds:
        paras = word_fix(paras, story.zh, rng)
    if "truncate" in kinds:
        paras = truncate(paras, story.zh, rng)
    if "punct" in kinds:
        paras = punct(paras, story.zh, rng)
    if "injection" in kinds:
        paras = injection(paras, story.zh, rng)
    if "intro-outro" in kinds:
        if story.zh:
            paras = [
                rng.choice(["编者按: 本文转自人民日报。", "(记者 王强 报道)"]),
                *paras,
                "来源: 人民日报",
            ]
        else:
            paras = [
                *paras,
                rng.choice(
                    [
                        "(Reporting by John Smith; Editing by Jane Doe)",
                        "This article originally appeared in The Guardian.",
                    ]
                ),
            ]
    if "retitle" in kinds:
        paras = [f"原标题: {title}" if story.zh else f"Originally published as: {title}", *paras]
        title = ("转载: " if story.zh else "UPDATE: ") + title[: max(8, len(title) * 2 // 3)]
    head, foot = (zh_chrome if story.zh else en_chrome)(site, title, related, rng)
    return "\n\n".join(["\n".join(head), *paras, "\n".join(foot)]), kinds


# --- building the benchmark -------------------------------------------------------


def seed_story(path: Path) -> tuple[str, Story]:
    raw = path.read_text(encoding="utf-8")
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    body = [ln for ln in lines if len(ln) >= 60 and ln[-1] in "。！？”)）"]
    return raw, Story(path.stem, lines[0], "\n\n".join(body), True)


#: A headline made of a text's first words is cut here when the text has no
#: spaces (Japanese, Thai): ten "words" of such a text are whole paragraphs.
HEADLINE_CHARS = 30


def first_words(text: str, n: int = 10) -> str:
    words = " ".join(text.split()[:n])
    return words if len(words) <= 8 * n else words[:HEADLINE_CHARS]


def build(data: Path, seed: int) -> list[Doc]:
    rng = random.Random(seed)
    pages = load_pages(data)
    rng.shuffle(pages)
    held_out, pages = pages[:24], pages[24:]  # material for the hard negatives
    docs: list[Doc] = []
    stories: list[tuple[Story, str, str]] = []  # story, original text, its site
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        raw, story = seed_story(path)
        stories.append((story, raw, f"seed-{path.stem}"))
    for p in pages:
        body = "\n\n".join(x.strip() for x in p.truth.split("\n") if x.strip())
        story = Story(p.id[:12], first_words(p.truth), body, False)
        stories.append((story, flatten_html(p.html), urlparse(p.url or "").netloc or p.id[:12]))
    headlines_zh = [s.title for s, _, _ in stories if s.zh]
    headlines_en = [s.title for s, _, _ in stories if not s.zh]
    for story, original, site in stories:
        docs.append(
            Doc(
                story.key,
                original,
                story.key,
                site,
                "seed" if story.zh else "original",
                ("original",),
            )
        )
        for r in range(rng.choice([0, 1, 1, 2, 3])):
            pool = headlines_zh if story.zh else headlines_en
            related = rng.sample([h for h in pool if h != story.title], min(5, len(pool) - 1))
            other = rng.choice(ZH_SITES if story.zh else EN_SITES)
            text, kinds = reprint(story, other, related, rng)
            docs.append(Doc(f"{story.key}-r{r}", text, story.key, other, "reprint", kinds))
    # Hard negative: short articles inside one heavy template.
    heavy_head = [
        "World News Network | Home | Latest | Politics | Business | Technology | Science | Health | Sports | Travel | Opinion",
        "Breaking: markets close higher as investors weigh new data | Weather: 18°C Sunny | Subscribe for $1 a week",
        "Trending now: The best laptops of the year | How to save on groceries | Ten places to visit this spring",
    ]
    heavy_foot = [
        "Most read: 1. Ten tips for a better sleep 2. The housing market explained 3. What the new tax rules mean for you 4. Inside the race for the city council 5. A guide to the best local restaurants",
        "About us | Contact | Careers | Advertise | Terms of service | Privacy policy | Accessibility | Sitemap | RSS feeds | Newsletters | Corrections",
        "© 2020 World News Network. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission.",
    ]
    for k, p in enumerate(held_out[:12]):
        sentences = re.split(r"(?<=[.!?])\s+", " ".join(p.truth.split()))
        short = " ".join(sentences[:2])[:300]
        text = "\n\n".join(
            [
                "\n".join(heavy_head),
                f"Brief {k}: {first_words(short, 6)}",
                short,
                "\n".join(heavy_foot),
            ]
        )
        docs.append(Doc(f"short{k}", text, f"short{k}", "heavy-template", "template-short"))
    # Hard negative: follow-ups that quote one paragraph of an original.
    en_stories = [s for s, _, _ in stories if not s.zh]
    for k, p in enumerate(held_out[12:24]):
        quoted = rng.choice(en_stories)
        paras = [x for x in quoted.body.split("\n\n") if len(x) > 80] or [quoted.body[:400]]
        own = [x.strip() for x in p.truth.split("\n") if x.strip()]
        cut = rng.randint(1, max(1, len(own) - 1))
        body = [*own[:cut], f"As reported earlier: “{rng.choice(paras)}”", *own[cut:]]
        site = rng.choice(EN_SITES)
        head, foot = en_chrome(site, first_words(p.truth), rng.sample(headlines_en, 5), rng)
        docs.append(
            Doc(
                f"followup{k}",
                "\n\n".join(["\n".join(head), *body, "\n".join(foot)]),
                f"followup{k}",
                site,
                "follow-up",
            )
        )
    return docs


# --- systems -----------------------------------------------------------------------


def connected(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]


def datasketch_lsh(docs: Sequence[Doc], shingle: Callable[[str], set[str]]) -> list[int]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    sketches = []
    for k, d in enumerate(docs):
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode() for s in shingle(d.text)])
        lsh.insert(k, m)
        sketches.append(m)
    edges = [(k, j) for k, m in enumerate(sketches) for j in lsh.query(m) if j != k]
    return connected(len(docs), edges)


def whitespace_tokens(text: str) -> set[str]:
    return set(text.split())


def char5(text: str) -> set[str]:
    return {text[i : i + 5] for i in range(max(1, len(text) - 4))}


def newsclean_raw(docs: Sequence[Doc]) -> list[int]:
    return _labels(newsclean.cluster([(d.id, d.text) for d in docs]))


def clean_batch(docs: Sequence[Doc]) -> list[newsclean.Article]:
    """What ``newsclean run`` compares: clean, then remove the site templates of the batch."""
    arts = [newsclean.clean(d.text, kind="text") for d in docs]
    templates = SiteTemplates.learn((d.site, a) for d, a in zip(docs, arts, strict=True))
    return [templates.apply(d.site, a) for d, a in zip(docs, arts, strict=True)]


def newsclean_full(
    docs: Sequence[Doc], arts: list[newsclean.Article] | None = None, **overrides: object
) -> list[int]:
    """Labels of clean + templates + cluster; ``arts`` receives the cleaned articles."""
    cleaned = clean_batch(docs)
    if arts is not None:
        arts[:] = cleaned
    return _labels(
        newsclean.cluster(
            [(d.id, a.text, a.date) for d, a in zip(docs, cleaned, strict=True)], **overrides
        )
    )


def _labels(infos: Sequence[newsclean.ClusterInfo]) -> list[int]:
    ids: dict[str, int] = {}
    return [ids.setdefault(i.cluster_id, len(ids)) for i in infos]


# --- scores ------------------------------------------------------------------------


def pair_scores(truth: Sequence[str], pred: Sequence[int]) -> dict[str, float]:
    t = np.unique(np.asarray(truth), return_inverse=True)[1]
    p = np.asarray(pred)
    cont = Counter(zip(t.tolist(), p.tolist(), strict=True))

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1) / 2).sum())

    tp = pairs(np.array(list(cont.values()), dtype=np.float64))
    true_pairs = pairs(np.bincount(t).astype(np.float64))
    pred_pairs = pairs(np.bincount(p).astype(np.float64))
    total = len(t) * (len(t) - 1) / 2
    prec = tp / pred_pairs if pred_pairs else 1.0
    rec = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    expected = true_pairs * pred_pairs / total
    ari = (tp - expected) / ((true_pairs + pred_pairs) / 2 - expected)
    return {"P": prec, "R": rec, "F1": f1, "ARI": ari}


def explain(
    docs: Sequence[Doc], pred: Sequence[int]
) -> tuple[Counter[str], Counter[str], int, int]:
    """Missed pairs by change kind, false pairs by document category."""
    missed: Counter[str] = Counter()
    false: Counter[str] = Counter()
    n_missed = n_false = 0
    n = len(docs)
    for a in range(n):
        for b in range(a + 1, n):
            same_truth = docs[a].label == docs[b].label
            same_pred = pred[a] == pred[b]
            if same_truth and not same_pred:
                n_missed += 1
                for kind in set(docs[a].kinds) | set(docs[b].kinds):
                    if kind != "original":
                        missed[kind] += 1
            elif same_pred and not same_truth:
                n_false += 1
                false["+".join(sorted((docs[a].category, docs[b].category)))] += 1
    return missed, false, n_missed, n_false


def overlap(a: str, b: str) -> tuple[float, float]:
    """Exact Jaccard and containment (of the smaller) of two texts' shingle sets."""
    from newsclean.dedup.shingles import shingle_hashes

    cfg = newsclean.Config()
    sa = np.unique(shingle_hashes(a, cfg.char_ngram, cfg.word_ngram))
    sb = np.unique(shingle_hashes(b, cfg.char_ngram, cfg.word_ngram))
    inter = np.intersect1d(sa, sb, assume_unique=True).size
    union = sa.size + sb.size - inter
    return (inter / union if union else 0.0), (inter / max(1, min(sa.size, sb.size)))


def dump_pairs(
    out: Path,
    docs: Sequence[Doc],
    pred: Sequence[int],
    arts: Sequence[newsclean.Article],
) -> int:
    """Write every false and missed pair of ``pred`` with both cleaned texts; returns pairs."""
    n = len(docs)
    rows = []
    for a in range(n):
        for b in range(a + 1, n):
            same_truth = docs[a].label == docs[b].label
            if same_truth == (pred[a] == pred[b]):
                continue
            jac, cont = overlap(arts[a].text, arts[b].text)
            rows.append(("missed" if same_truth else "false", jac, cont, a, b))
    rows.sort(key=lambda r: (r[0], r[1], r[3], r[4]))
    with out.open("w", encoding="utf-8") as f:
        for what, jac, cont, a, b in rows:
            f.write(f"=== {what} pair: exact Jaccard {jac:.3f}, containment {cont:.3f}\n")
            for k in (a, b):
                d, art = docs[k], arts[k]
                f.write(
                    f"--- {d.id} ({d.category}; site {d.site}; changes {','.join(d.kinds)}; "
                    f"{len(art.text)} of {len(d.text)} chars kept; "
                    f"flags {','.join(art.flags) or '-'})\n{art.text}\n"
                )
            f.write("\n")
    return len(rows)


def compare_schemes(docs: Sequence[Doc], arts: Sequence[newsclean.Article], n: int) -> None:
    """F1 of clean + templates + cluster per scheme over MinHash seeds 1..n, same cleaned texts."""
    truth = [d.label for d in docs]
    items = [(d.id, a.text, a.date) for d, a in zip(docs, arts, strict=True)]
    print(f"\nclean + templates + cluster, F1 over MinHash seeds 1..{n}:")
    for scheme in ("datasketch", "oph"):
        f1 = [
            pair_scores(truth, _labels(newsclean.cluster(items, scheme=scheme, seed=s)))["F1"]
            for s in range(1, n + 1)
        ]
        print(
            f"  scheme={scheme!r:13} mean {np.mean(f1):.4f}  sd {np.std(f1):.4f}  "
            f"min {min(f1):.3f}  max {max(f1):.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=20200226)
    ap.add_argument(
        "--explain",
        type=Path,
        metavar="FILE",
        help="write newsclean's false and missed pairs, with both cleaned texts, to FILE",
    )
    ap.add_argument(
        "--only-newsclean",
        action="store_true",
        help="skip the peer systems and the variants (quick iterations on cleaning)",
    )
    ap.add_argument(
        "--minhash-seeds",
        type=int,
        default=0,
        metavar="N",
        help="also compare the schemes over MinHash seeds 1..N (one seed is one random draw)",
    )
    args = ap.parse_args()
    docs = build(args.data, args.seed)
    truth = [d.label for d in docs]
    cats = Counter(d.category for d in docs)
    kinds = Counter(k for d in docs for k in d.kinds if k != "original")
    print(f"{len(docs)} documents, {len(set(truth))} true clusters: {dict(cats)}")
    print(f"changes applied to reprints: {dict(sorted(kinds.items()))}\n")
    systems: list[tuple[str, Callable[[Sequence[Doc]], list[int]]]] = [
        ("datasketch raw, whitespace tokens", lambda ds: datasketch_lsh(ds, whitespace_tokens)),
        ("datasketch raw, char 5-grams", lambda ds: datasketch_lsh(ds, char5)),
        ("newsclean cluster, raw text", newsclean_raw),
        ("newsclean clean + templates + cluster", newsclean_full),
        (
            "  the same, exact Jaccard verification",
            lambda ds: newsclean_full(ds, exact_jaccard=True),
        ),
        (
            "  the same, no cluster merges (= streaming)",
            lambda ds: newsclean_full(ds, merge_clusters=False),
        ),
        ("  the same, scheme='oph'", lambda ds: newsclean_full(ds, scheme="oph")),
    ]
    full_arts: list[newsclean.Article] = []
    systems[3] = (systems[3][0], lambda ds: newsclean_full(ds, full_arts))
    if args.only_newsclean:
        systems = systems[3:4]
    print(
        f"threshold {THRESHOLD}, {NUM_PERM} permutations; NEWS-COPY reference: MinHash/LSH ARI ~0.74"
    )
    print(f"{'system':40} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'docs/s':>8} {'clusters':>9}")
    results = {}
    for name, fn in systems:
        t = time.perf_counter()
        pred = fn(docs)
        rate = len(docs) / (time.perf_counter() - t)
        s = pair_scores(truth, pred)
        results[name] = pred
        print(
            f"{name:40} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['ARI']:6.3f} {rate:8.0f} {len(set(pred)):9d}"
        )
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")
    for name in (
        "newsclean cluster, raw text",
        "newsclean clean + templates + cluster",
        "datasketch raw, char 5-grams",
    ):
        if name not in results:
            continue
        missed, false, n_missed, n_false = explain(docs, results[name])
        print(f"\n{name}: {n_missed} missed pairs, {n_false} false pairs")
        if missed:
            print(
                "  missed pairs involving each change: "
                + ", ".join(f"{k} {v}" for k, v in missed.most_common())
            )
        if false:
            print(
                "  false pairs by document kinds: "
                + ", ".join(f"{k} {v}" for k, v in false.most_common())
            )
    if args.minhash_seeds:
        compare_schemes(docs, full_arts or clean_batch(docs), args.minhash_seeds)
    if args.explain:
        pred = results["newsclean clean + templates + cluster"]
        n = dump_pairs(args.explain, docs, pred, full_arts)
        print(f"\n{n} false and missed pairs with their cleaned texts written to {args.explain}")


if __name__ == "__main__":
    main()
