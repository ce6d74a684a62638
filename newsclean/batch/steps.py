"""Phase 2, per batch: site templates, empties, clusters, duplicates.

Pure functions of the phase-1 outcomes taken in input order (never in
completion order), so every engine, and a resumed run, ends with the same
outcomes.  Clustering is :func:`newsclean.dedup.cluster_signed`, the one
definition of a reprint cluster; this module only feeds it.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from newsclean.article import Article, ClusterInfo
from newsclean.batch.records import (
    ArticleSource,
    Brief,
    Outcome,
    empty_reason,
    group_of,
)
from newsclean.config import Config

if TYPE_CHECKING:
    from newsclean.batch.signatures import SignatureTable
    from newsclean.io import FieldNames
    from newsclean.io.discover import LeftOut
    from newsclean.template import LineCounts, SiteTemplates


def batch_steps(
    outcomes: list[Outcome],
    cfg: Config,
    mode: str,
    signatures: SignatureTable | None = None,
    on_phase: Callable[[str], None] | None = None,
    lines: LineCounts | None = None,
    unkeyed: Container[str] = (),
) -> None:
    """Phase 2 in place: templates (``run``), empties, clusters (``run``/``dedup``).

    ``signatures`` holds the signatures phase 1 computed, by position in
    ``outcomes`` (taken, and so emptied, by clustering); the ones templates
    change, and any missing, are signed here.  ``lines`` holds
    the line keys phase 1 computed, for every live document but those in
    ``unkeyed`` (see :func:`learn_per_site`).  Articles are read one at a
    time (from memory or the journal), never all held at once.  ``on_phase``
    hears ``templates`` and ``clustering`` as each starts.
    """
    phase = on_phase or (lambda name: None)
    live = live_outcomes(outcomes)
    stale: set[str] = set()
    if mode == "run" and live:
        phase("templates")
        templates = learn_per_site(live, cfg, lines, unkeyed)
        stale.update(apply_templates(live, templates))  # the worker signed the pre-template text
    else:
        mark_empty(live)
    if mode in ("run", "dedup"):
        # Positions in ``outcomes``: the signature table is indexed by them.
        at = np.fromiter(
            (k for k, o in enumerate(outcomes) if o.status == "ok" and o.has_article),
            dtype=np.int64,
        )
        live = [outcomes[k] for k in at.tolist()]
        if live:
            phase("clustering")
            taken = signatures.take(at) if signatures is not None else None
            mark_duplicates(live, cluster_outcomes(live, taken, cfg, stale))


def live_outcomes(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes with a clean article: what templates learn from and clustering sees."""
    return [o for o in outcomes if o.status == "ok" and o.has_article]


def learn_per_site(
    live: Sequence[Outcome],
    cfg: Config,
    lines: LineCounts | None = None,
    unkeyed: Container[str] = (),
) -> SiteTemplates:
    """The site templates of the live outcomes, learned per template group.

    ``lines`` holds the line keys of the documents (as the workers computed
    them); those of the documents whose keys are in ``unkeyed`` (resumed
    from the journal), or of all when ``lines`` is None, are computed here,
    reading the articles one at a time.  The parent keeps 8 bytes per
    distinct line per document, never the lines, and each group's keys are
    freed once counted (:meth:`SiteTemplates.from_counts`), which equals one
    ``learn`` over the batch.
    """
    from newsclean.template import LineCounts, SiteTemplates, document_keys

    if lines is None:
        lines, unkeyed = LineCounts(), _Everything()
    for o in live:
        if o.doc.key in unkeyed:
            art = o.load_article()
            assert art is not None
            lines.add(group_of(o), document_keys(art.text))
    return SiteTemplates.from_counts(lines, config=cfg)


def learn_from_inputs(
    inputs: Sequence[str],
    cfg: Config,
    fields: FieldNames | None = None,
    left_out: list[LeftOut] | None = None,
) -> SiteTemplates:
    """The site templates ``run`` learns from ``inputs``, computed in this process.

    ``show --batch`` explains one page as ``run`` would write it, so it must
    learn what ``run`` learns: each readable document goes through the
    worker's own step (:func:`~newsclean.batch.work.process`), its line keys
    are counted in its group as the parent counts a worker's keys, and the
    counts are learned with :meth:`SiteTemplates.from_counts`.  ``left_out``
    receives what each folder's walk left out, for the caller to say.
    """
    from newsclean.batch.records import Task
    from newsclean.batch.work import process
    from newsclean.io import discover, read_documents
    from newsclean.template import LineCounts, SiteTemplates, document_keys, template_group

    lines = LineCounts()
    for src in discover(list(inputs), left_out=left_out):
        for d in read_documents(src, fields, cfg.max_input_bytes):
            if d.error is not None or d.raw is None:
                continue  # a manifest line in run, no template evidence
            result = process(Task(d.key, d.raw, d.kind, d.url), cfg, "clean")
            if result.status == "ok" and result.article is not None:
                group = template_group(result.article.url, d.group) or d.group
                lines.add(group, document_keys(result.article.text))
    return SiteTemplates.from_counts(lines, config=cfg)


class _Everything:
    """The container that holds every key."""

    def __contains__(self, key: object) -> bool:
        return True


@dataclass(frozen=True)
class Templated:
    """An article source with a site's template lines cut (applied again on each load)."""

    base: ArticleSource
    templates: SiteTemplates
    group: str

    def load(self) -> Article:
        return self.templates.apply(self.group, self.base.load())


def apply_templates(live: Iterable[Outcome], templates: SiteTemplates) -> list[str]:
    """Cut each article's site-template lines and mark the empties; the keys that changed.

    An article held in memory is replaced; one read from a source gets a
    :class:`Templated` source and a new brief, so it is cut again when read.
    Only the articles of a group with templates are read here.
    """
    changed = []
    for o in live:
        group = group_of(o)
        if o.article is None and not templates.template_count(group):
            _mark_if_empty(o)  # nothing to cut: the brief knows whether it is empty
            continue
        before = o.load_article()
        assert before is not None
        after = templates.apply(group, before)
        # a template line kept in doubt changes the record, not the text: it
        # must reach the output too (only a changed text is signed again)
        if after is not before:
            if after.text != before.text:
                changed.append(o.doc.key)
            if o.article is not None:
                o.article = after
            else:
                assert o.source is not None
                o.source, o.brief = Templated(o.source, templates, group), Brief.of(after)
        _mark_if_empty(o, after)
    return changed


def mark_empty(live: Iterable[Outcome]) -> None:
    """An article with no text left is ``empty``: ``no-body`` when cleaning found none."""
    for o in live:
        _mark_if_empty(o)


def _mark_if_empty(o: Outcome, art: Article | None = None) -> None:
    """Mark ``o`` empty if its article (``art``, else its brief, else read) has no text."""
    if art is None and o.brief is not None and o.article is None:
        reason = o.brief.empty
    else:
        art = art or o.load_article()
        assert art is not None
        reason = empty_reason(art)
    if reason is not None:
        o.status, o.reason = "empty", reason


def mark_duplicates(live: Sequence[Outcome], infos: Sequence[ClusterInfo]) -> None:
    """Attach each clustered outcome's ClusterInfo; those with a representative
    become duplicates (an empty text is nobody's representative nor duplicate)."""
    for o, info in zip(live, infos, strict=True):
        o.cluster = info
        if info.duplicate_of is not None:
            o.status = "duplicate"
            o.reason = f"near-duplicate of {info.duplicate_of}"


def cluster_outcomes(
    live: Sequence[Outcome],
    signed: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    cfg: Config,
    stale: Container[str] = (),
) -> list[ClusterInfo]:
    """Cluster with the given signatures where there is one; sign the rest here.

    ``signed`` is ``(rows, sizes, found)`` with one row per live outcome
    (:meth:`SignatureTable.take`); rows not ``found``, or of documents whose
    keys are in ``stale``, are signed here from the text.
    """
    import newsclean.dedup as dedup
    from newsclean.dedup.minhash import Params

    ids = [o.doc.id for o in live]
    dates = [o.date for o in live]
    # exact_jaccard verifies pairs on full shingle sets, which only cluster() keeps.
    if cfg.exact_jaccard:
        return dedup.cluster(((o.doc.id, _text(o), o.date) for o in live), config=cfg)
    if signed is None:
        todo = np.arange(len(live))
    else:
        sigs, sizes, found = signed
        if stale:
            found &= np.fromiter((o.doc.key not in stale for o in live), dtype=bool)
        todo = np.flatnonzero(~found)
    if todo.size:
        # A generator: sketch() reads the texts in bounded batches.
        s2, z2 = dedup.sketch((_text(live[i]) for i in todo.tolist()), Params.from_config(cfg))
        if signed is None:
            sigs, sizes = s2, np.asarray(z2, dtype=np.int32)
        else:
            sigs[todo], sizes[todo] = s2, z2
    return dedup.cluster_signed(ids, dates, sigs, sizes, cfg)


def _text(o: Outcome) -> str:
    art = o.load_article()
    assert art is not None
    return art.text
