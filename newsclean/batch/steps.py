"""Phase 2, per batch: site templates, empties, clusters, duplicates.

Pure functions of the phase-1 outcomes taken in input order (never in
completion order), so every engine, and a resumed run, ends with the same
outcomes.  Clustering is :func:`newsclean.dedup.cluster_signed`, the one
definition of a reprint cluster; this module only feeds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from newsclean.article import ClusterInfo
from newsclean.batch.records import Outcome, Sketch, group_of
from newsclean.config import Config

if TYPE_CHECKING:
    from newsclean.template import SiteTemplates


def batch_steps(
    outcomes: list[Outcome], cfg: Config, mode: str, sketches: Mapping[str, Sketch | None]
) -> None:
    """Phase 2 in place: templates (``run``), empties, clusters (``run``/``dedup``).

    ``sketches`` maps document keys to the signatures phase 1 computed; the
    ones templates change, and any missing, are signed here.
    """
    live = live_outcomes(outcomes)
    stale: set[str] = set()
    if mode == "run" and live:
        from newsclean.template import SiteTemplates

        pairs = [(group_of(o), o.article) for o in live if o.article is not None]
        templates = SiteTemplates.learn(pairs, config=cfg)
        stale.update(apply_templates(live, templates))  # the worker signed the pre-template text
    mark_empty(live)
    if mode in ("run", "dedup"):
        live = [o for o in live if o.status == "ok"]
        if live:
            usable = {k: s for k, s in sketches.items() if k not in stale}
            mark_duplicates(live, cluster_outcomes(live, usable, cfg))


def live_outcomes(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes with a clean article: what templates learn from and clustering sees."""
    return [o for o in outcomes if o.status == "ok" and o.article is not None]


def apply_templates(live: Iterable[Outcome], templates: SiteTemplates) -> list[str]:
    """Cut each article's site-template lines; the keys of the articles that changed."""
    changed = []
    for o in live:
        assert o.article is not None
        before = o.article.text
        o.article = templates.apply(group_of(o), o.article)
        if o.article.text != before:
            changed.append(o.doc.key)
    return changed


def mark_empty(live: Iterable[Outcome]) -> None:
    """An article with no text left is ``empty``: ``no-body`` when cleaning found none."""
    for o in live:
        assert o.article is not None
        if not o.article.text.strip():
            o.status = "empty"
            o.reason = "no-body" if "no-body" in o.article.flags else "no-text"


def mark_duplicates(live: Sequence[Outcome], infos: Sequence[ClusterInfo]) -> None:
    """Attach each clustered outcome's ClusterInfo; non-representatives become duplicates."""
    for o, info in zip(live, infos, strict=True):
        o.cluster = info
        if not info.is_representative:
            o.status = "duplicate"
            o.reason = f"near-duplicate of {info.duplicate_of}"


def cluster_outcomes(
    live: Sequence[Outcome], sketches: Mapping[str, Sketch | None], cfg: Config
) -> list[ClusterInfo]:
    """Cluster with the given signatures where there is one; sign the rest here."""
    import numpy as np

    import newsclean.dedup as dedup
    from newsclean.dedup.minhash import Params

    docs = [(o.doc.id, o.article.text, o.article.date) for o in live if o.article is not None]
    # exact_jaccard verifies pairs on full shingle sets, which only cluster() keeps.
    if cfg.exact_jaccard:
        return dedup.cluster(docs, config=cfg)
    rows: list[np.ndarray | None] = [None] * len(live)
    sizes = np.zeros(len(live), dtype=np.int32)
    for i, o in enumerate(live):
        sk = sketches.get(o.doc.key)
        if sk is not None:
            rows[i] = sk.row()
            sizes[i] = sk.size
    todo = [i for i, r in enumerate(rows) if r is None]
    if todo:
        s2, z2 = dedup.sketch((docs[i][1] for i in todo), Params.from_config(cfg))
        for k, i in enumerate(todo):
            rows[i], sizes[i] = s2[k], z2[k]
    sigs = np.stack([r for r in rows if r is not None])
    return dedup.cluster_signed([d[0] for d in docs], [d[2] for d in docs], sigs, sizes, cfg)
