"""``report.html``: one self-contained page about a batch run.

No scripts, fonts or images are fetched: styles and the filter box's few
lines of script are inline, the chart is an inline SVG, diffs are tables.
Without script the page still shows everything; the filter only hides.  The page holds no timestamps or timings, so a
resumed run writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import difflib
from html import escape as _escape

from newsclean._version import __version__
from newsclean.article import ClusterInfo
from newsclean.batch.records import Outcome, printable
from newsclean.batch.summary import Summary
from newsclean.config import Config

#: How much of a batch the page shows; the manifest has everything.
MAX_CLUSTERS = 20
#: Duplicates of a cluster shown with a diff; the others are listed (path,
#: similarity, why) under a collapsed "all duplicates", so every one is reachable.
MAX_DUPLICATES_SHOWN = 5
#: Clusters past MAX_CLUSTERS listed (one row per duplicate, no diff) before
#: the page points at the manifest.
MAX_LISTED_CLUSTERS = 2000
MAX_PROBLEMS = 500
MAX_EQUAL_RUN = 2  # identical paragraphs shown around a change before eliding

_CSS = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse}td,th{padding:.25em .6em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.num td:nth-child(2){text-align:right;font-variant-numeric:tabular-nums}
.cluster{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;margin:1em 0}
.diff{width:100%;table-layout:fixed;font-size:13px}.diff td{width:50%;white-space:pre-wrap;word-break:break-all}
.del{background:#fde8e8}.ins{background:#e6f6e6}.del b{background:#f5b5b5;font-weight:normal}
.ins b{background:#a8e0a8;font-weight:normal}.gap{color:#888;text-align:center;font-style:italic}
.rep{white-space:pre-wrap;background:#f7f7f7;padding:.5em;max-height:12em;overflow:auto}
.muted{color:#777}code{font-size:90%}.why{color:#555}
#filter{font:inherit;width:28em;max-width:100%;padding:.3em .5em;margin:.5em 0}
[hidden]{display:none!important}
"""

#: Hides clusters, duplicates and problem rows whose text does not contain the
#: filter's words (all of them, case-insensitive).  Inline, so the page stays one file.
_JS = """
(function(){
var box=document.getElementById("filter"),out=document.getElementById("filter-count");
function match(el,words){var t=el.textContent.toLowerCase();
for(var i=0;i<words.length;i++){if(t.indexOf(words[i])<0)return false;}return true;}
function apply(){
var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean),shown=0,total=0;
document.querySelectorAll("[data-filter]").forEach(function(el){
total++;var ok=!words.length||match(el,words);el.hidden=!ok;if(ok)shown++;});
document.querySelectorAll(".cluster").forEach(function(c){
var items=c.querySelectorAll("[data-filter]"),any=!words.length||match(c.querySelector("h3"),words);
items.forEach(function(el){if(!el.hidden)any=true;});
if(any&&words.length&&match(c.querySelector("h3"),words))items.forEach(function(el){el.hidden=false;});
c.hidden=!any;});
out.textContent=words.length?shown+" of "+total+" items match":"";}
box.addEventListener("input",apply);apply();})();
"""


def escape(s: str) -> str:
    """HTML-escaped, and valid UTF-8 even for a file name that is not (see ``printable``)."""
    return _escape(printable(s))


def render_report(summary: Summary, config: Config) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<title>newsclean report</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>newsclean report</h1><p class=muted>newsclean {escape(__version__)}</p>",
        '<p><input id="filter" type="search" placeholder="filter clusters and problems by path, '
        'reason, text…" aria-label="filter"> <span id="filter-count" class="muted"></span></p>',
        _numbers(summary),
        _chart(summary.removed),
        _clusters(summary.outcomes, config),
        _problems(summary.outcomes),
        _ambiguous(summary.outcomes),
        _config(config),
        f"<script>{_JS}</script>",
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _numbers(s: Summary) -> str:
    c = s.counts
    rows = [
        ("documents", s.documents),
        ("ok (written)", c.get("ok", 0)),
        ("duplicates", c.get("duplicate", 0)),
        ("clusters with duplicates", s.clusters),
        ("empty", c.get("empty", 0)),
        ("errors", c.get("error", 0)),
        ("timeouts", c.get("timeout", 0)),
        ("ambiguous encoding", s.ambiguous),
        ("chars removed", sum(s.removed.values())),
    ]
    body = "".join(f"<tr><td>{escape(k)}</td><td>{v:,}</td></tr>" for k, v in rows)
    return f'<h2 id="numbers">Run</h2><table class="num">{body}</table>'


def _chart(removed: dict[str, int]) -> str:
    head = '<h2 id="removed">Characters removed, by reason</h2>'
    if not removed:
        return head + "<p class=muted>Nothing was removed.</p>"
    items = sorted(removed.items(), key=lambda kv: (-kv[1], kv[0]))
    top = max(n for _, n in items) or 1
    bar_h, gap, label_w, width = 22, 6, 150, 620
    height = len(items) * (bar_h + gap)
    rows = []
    for i, (reason, n) in enumerate(items):
        y = i * (bar_h + gap)
        w = max(1, round((width - label_w - 90) * n / top))
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(reason)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#4a7fc1">'
            f"<title>{escape(reason)}: {n:,} chars</title></rect>"
            f'<text x="{label_w + w + 6}" y="{y + 16}">{n:,}</text>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="characters removed by reason" font-size="13">{"".join(rows)}</svg>'
    )
    return head + svg


def _clusters(outcomes: list[Outcome], config: Config) -> str:
    head = '<h2 id="clusters">Biggest clusters</h2>'
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.cluster is not None and o.cluster.cluster_size > 1 and o.has_article:
            groups.setdefault(o.cluster.cluster_id, []).append(o)
    if not groups:
        return head + "<p class=muted>No near-duplicates were found.</p>"
    everything = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ranked = everything[:MAX_CLUSTERS]
    out = [head, f"<p class=muted>{len(groups)} clusters; the {len(ranked)} largest:</p>"]
    for cid, members in ranked:
        rep = next((m for m in members if m.cluster and m.cluster.is_representative), members[0])
        dups = [m for m in members if m is not rep]
        rep_text = _text(rep)
        out.append(
            f'<section class="cluster" id="cluster-{escape(cid)}">'
            f"<h3>{len(members)} documents · representative <code>{escape(rep.doc.path)}</code></h3>"
            f'<div class="rep">{escape(rep_text[:3000])}</div>'
        )
        for d in dups[:MAX_DUPLICATES_SHOWN]:
            out.append(
                f"<details data-filter><summary><code>{escape(d.doc.path)}</code>"
                f"{_similarity(d, config)}</summary>{_side_by_side(rep_text, _text(d))}</details>"
            )
        if len(dups) > MAX_DUPLICATES_SHOWN:
            rows = "".join(
                f"<tr data-filter><td><code>{escape(d.doc.path)}</code></td>"
                f"<td>{_similarity(d, config)}</td></tr>"
                for d in dups[MAX_DUPLICATES_SHOWN:]
            )
            out.append(
                f'<details class="more"><summary>all {len(dups)} duplicates: '
                f"{len(dups) - MAX_DUPLICATES_SHOWN} more</summary>"
                f'<table class="dups">{rows}</table></details>'
            )
        out.append("</section>")
    out.append(_other_clusters(everything[MAX_CLUSTERS:], config))
    return "".join(out)


def _other_clusters(rest: list[tuple[str, list[Outcome]]], config: Config) -> str:
    """The clusters past MAX_CLUSTERS, one row per duplicate, without diffs."""
    if not rest:
        return ""
    rows: list[str] = []
    for _cid, members in rest[:MAX_LISTED_CLUSTERS]:
        rep = next((m for m in members if m.cluster and m.cluster.is_representative), members[0])
        rows.extend(
            f"<tr data-filter><td><code>{escape(rep.doc.path)}</code></td>"
            f"<td><code>{escape(d.doc.path)}</code>{_similarity(d, config)}</td></tr>"
            for d in members
            if d is not rep
        )
    more = len(rest) - MAX_LISTED_CLUSTERS
    tail = f"<p class=muted>… and {more} more clusters in manifest.jsonl</p>" if more > 0 else ""
    return (
        f'<details id="other-clusters"><summary>the other {len(rest)} clusters</summary>'
        f'<table class="dups"><tr><th>representative</th><th>duplicate</th></tr>{"".join(rows)}'
        f"</table>{tail}</details>"
    )


def _similarity(d: Outcome, config: Config) -> str:
    """`` · similarity 0.37 · why`` for a duplicate: the number and what made it join."""
    info = d.cluster
    if info is None or info.similarity is None:
        return ""
    why = explain_join(info, config)
    return f" · similarity {info.similarity:.2f}" + (
        f' · <span class="why">{escape(why)}</span>' if why else ""
    )


def explain_join(info: ClusterInfo, config: Config) -> str:
    """One phrase for ``info.why``, with the config value that made the rule pass."""
    if info.why == "exact":
        return "exact match: the same shingles as the representative"
    if info.why == "similar":
        return f"similar: at or above threshold {_value(config.threshold)}"
    if info.why == "contained":
        return (
            "contained: a truncated or extended reprint; the shorter text lies inside the "
            f"other (containment ≥ {_value(config.containment)})"
        )
    if info.why == "merged":
        return (
            "merged: its cluster was joined to this one by a copy that matches both "
            "(merge-clusters)"
        )
    if info.why == "linked":
        return (
            "linked: it matches the cluster's first document; the representative is the "
            f"{_value(config.representative)} one"
        )
    return ""


def _text(o: Outcome) -> str:
    art = o.load_article()  # read again from the journal in a batch run
    assert art is not None
    return art.text


def _side_by_side(a: str, b: str) -> str:
    """A two-column paragraph diff, with changed characters marked inside changed pairs."""
    pa, pb = a.split("\n\n"), b.split("\n\n")
    rows = ['<table class="diff"><tr><th>representative</th><th>duplicate</th></tr>']
    sm = difflib.SequenceMatcher(None, pa, pb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            n = i2 - i1
            if n > 2 * MAX_EQUAL_RUN:
                for k in range(i1, i1 + MAX_EQUAL_RUN):
                    rows.append(_row(escape(pa[k]), escape(pa[k])))
                rows.append(
                    f'<tr><td colspan=2 class="gap">… {n - 2 * MAX_EQUAL_RUN} identical paragraphs …</td></tr>'
                )
                for k in range(i2 - MAX_EQUAL_RUN, i2):
                    rows.append(_row(escape(pa[k]), escape(pa[k])))
            else:
                for k in range(i1, i2):
                    rows.append(_row(escape(pa[k]), escape(pa[k])))
            continue
        left, right = pa[i1:i2], pb[j1:j2]
        for k in range(max(len(left), len(right))):
            x = left[k] if k < len(left) else None
            y = right[k] if k < len(right) else None
            if x is not None and y is not None and len(x) + len(y) < 4000:
                hx, hy = _char_diff(x, y)
            else:
                hx = escape(x) if x is not None else ""
                hy = escape(y) if y is not None else ""
            rows.append(
                f'<tr><td class="{"del" if x is not None else ""}">{hx}</td>'
                f'<td class="{"ins" if y is not None else ""}">{hy}</td></tr>'
            )
    rows.append("</table>")
    return "".join(rows)


def _row(x: str, y: str) -> str:
    return f"<tr><td>{x}</td><td>{y}</td></tr>"


def _char_diff(x: str, y: str) -> tuple[str, str]:
    sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
    hx, hy = [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            hx.append(escape(x[i1:i2]))
            hy.append(escape(y[j1:j2]))
        else:
            if i2 > i1:
                hx.append(f"<b>{escape(x[i1:i2])}</b>")
            if j2 > j1:
                hy.append(f"<b>{escape(y[j1:j2])}</b>")
    return "".join(hx), "".join(hy)


def _problems(outcomes: list[Outcome]) -> str:
    head = '<h2 id="problems">Empty and failed documents</h2>'
    bad = [o for o in outcomes if o.status in ("empty", "error", "timeout")]
    if not bad:
        return head + "<p class=muted>None.</p>"
    rows = "".join(
        f"<tr data-filter><td><code>{escape(o.doc.path)}</code></td><td>{escape(o.status)}</td>"
        f"<td>{escape(o.reason or '')}</td><td class=muted>{escape(o.detail or '')}</td></tr>"
        for o in bad[:MAX_PROBLEMS]
    )
    more = (
        f"<p class=muted>… and {len(bad) - MAX_PROBLEMS} more in manifest.jsonl</p>"
        if len(bad) > MAX_PROBLEMS
        else ""
    )
    return (
        f"{head}<table><tr><th>path</th><th>status</th><th>reason</th><th>detail</th></tr>"
        f"{rows}</table>{more}"
    )


def _ambiguous(outcomes: list[Outcome]) -> str:
    """The documents whose charset was a guess among ties: their text may be misread."""
    head = '<h2 id="ambiguous">Ambiguous encoding</h2>'
    doubted = [(o, d) for o in outcomes if (d := o.encoding_doubt) is not None]
    if not doubted:
        return head + "<p class=muted>None.</p>"
    rows = "".join(
        f"<tr data-filter><td><code>{escape(o.doc.path)}</code></td><td>{escape(o.status)}</td>"
        f"<td>{escape(d.chosen)}</td><td>{escape(', '.join(d.alternatives))}</td></tr>"
        for o, d in doubted[:MAX_PROBLEMS]
    )
    more = (
        f"<p class=muted>… and {len(doubted) - MAX_PROBLEMS} more in manifest.jsonl</p>"
        if len(doubted) > MAX_PROBLEMS
        else ""
    )
    return (
        f"{head}<p class=muted>Their bytes read as well in other charsets: the text is the "
        "likeliest reading, but may be a misreading. Convert them to UTF-8, or declare "
        "their charset, to be sure.</p>"
        f"<table><tr><th>path</th><th>status</th><th>read as</th><th>reads as well as</th></tr>"
        f"{rows}</table>{more}"
    )


def _config(config: Config) -> str:
    rows = "".join(
        f"<tr><td>{escape(k.replace('_', '-'))}</td><td><code>{escape(_value(v))}</code></td></tr>"
        for k, v in config.to_dict().items()
    )
    return f'<h2 id="config">Configuration</h2><table class="num">{rows}</table>'


def _value(v: object) -> str:
    """A config value as a user writes it in newsclean.toml or on the command line.

    ``fullwidth``, not ``'fullwidth'``; ``none`` for unset; ``true``/``false``.
    """
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v if v else '""'
    if isinstance(v, (list, tuple)):
        return ", ".join(_value(x) for x in v)
    return str(v)
