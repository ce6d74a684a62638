"""Near-duplicate (reprint) clustering with MinHash LSH: batch, streaming, persistent.

Contract::

    signatures(texts, config=None, **overrides) -> np.ndarray  (len(texts) x num_perm, uint64)
    cluster(docs, config=None, **overrides) -> list[ClusterInfo]
        docs: iterable of (id, text) or (id, text, date_or_None); result in input order
    sketch(texts, params) -> (sigs, sizes)  (uint32 N x num_perm, int32 shingle-set sizes)
    cluster_signed(ids, dates, sigs, sizes, config, *, empty=None) -> list[ClusterInfo]
        cluster() on documents already signed (by sketch, possibly elsewhere)
    dd = Deduplicator(config=None, path=None, *, threshold=None, window_days=None, **overrides)
    dd.add(doc_id, text, date=None) -> Match | None ; dd.query(text, date=None) -> Match | None
    len(dd); dd.prune(); dd.close(); context manager; safe to share between threads

The steps live in their own modules: :mod:`.shingles` (comparison form,
CJK-aware shingle hashes per script segment), :mod:`.minhash`
(datasketch-compatible signatures, or one permutation hashing with
``scheme="oph"``), :mod:`.lsh` (bands, candidate pairs), :mod:`.clustering`
(verification, anti-chaining, representatives), :mod:`.streaming` and
:mod:`.stores` (the persistent ``Deduplicator``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np

from newsclean.article import ClusterInfo
from newsclean.config import Config, resolve_config
from newsclean.dedup import clustering
from newsclean.dedup.lsh import LazyBandKeys, bands_rows, candidate_pairs, lsh_threshold
from newsclean.dedup.minhash import (
    Params,
    load_signatures,
    save_signatures,
    sketch_batch,
    to_datasketch,
)
from newsclean.dedup.minhash import signatures as _signatures
from newsclean.dedup.streaming import Deduplicator, Match
from newsclean.errors import InputError, document_id, require_text
from newsclean.limits import utf8_size_over

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsclean.config import ConfigOverrides

__all__ = [
    "Deduplicator",
    "Match",
    "cluster",
    "cluster_signed",
    "document_fields",
    "is_empty",
    "load_signatures",
    "save_signatures",
    "signatures",
    "sketch",
    "to_datasketch",
]

#: Characters that show nothing: zero-width spaces and joiners, word joiner, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Documents signed per step: bounds the shingle-hash memory of a large batch.
_BATCH = 2048


def signatures(
    texts: Sequence[str], config: Config | None = None, **overrides: Unpack[ConfigOverrides]
) -> np.ndarray:
    """MinHash signatures, ``len(texts) x num_perm`` uint64, equal to datasketch's.

    With the default ``scheme="datasketch"``, a row equals
    ``datasketch.MinHash(num_perm, seed, scheme="legacy",
    hashfunc=newsclean.dedup.shingles.hashfunc)`` updated with
    ``shingles.shingle_strings(text, char_ngram, word_ngram)``; turn one into a
    ``LeanMinHash`` with :func:`to_datasketch`.  ``scheme="oph"`` (one
    permutation hashing) signs several times faster with the same estimator,
    but its rows are not datasketch's.

    >>> sigs = signatures(["企业复工复产有序推进", "An English sentence about the budget."], num_perm=64)
    >>> sigs.shape, str(sigs.dtype)
    ((2, 64), 'uint64')
    """
    cfg = resolve_config(config, overrides)
    if isinstance(texts, str):
        raise ValueError("signatures() takes a sequence of texts; wrap a single text in a list")
    texts = list(texts)
    for k, text in enumerate(texts):
        require_text(text, "signatures", f"text {k}")
    return _signatures(texts, cfg)


def sketch(
    texts: Iterable[str], params: Params, keep_sets: list[np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """uint32 signatures and shingle-set sizes, computed in bounded-memory batches.

    With ``keep_sets`` (a list), each text's sorted unique shingle hashes are
    appended to it, for exact verification.
    """
    sig_parts, size_parts = [], []
    it = iter(texts)
    while batch := list(islice(it, _BATCH)):
        # One compiled pass per batch; a per-text np.unique cost more than signing.
        sigs, sizes = sketch_batch(batch, params, keep_sets)
        sig_parts.append(sigs)
        size_parts.append(sizes)
    if not sig_parts:
        return np.zeros((0, params.num_perm), dtype=np.uint32), np.zeros(0, dtype=np.int32)
    return np.concatenate(sig_parts), np.concatenate(size_parts)


def document_fields(k: int, doc: Any, config: Config) -> tuple[str, str, str | None]:
    """Document ``k`` of a batch to cluster as ``(id, text, date)``.

    The one reading of :func:`cluster`'s documents, shared by the engines that
    sign elsewhere (``newsclean.contrib.dask``).  ValueError for anything but an
    ``(id, text)`` or ``(id, text, date)`` tuple; ``InputError("too-large")``,
    naming the id, for a text over ``config.max_input_bytes``: the limit every
    other entry point applies (signing is linear, so with the size bounded it
    needs no timeout).
    """
    if not isinstance(doc, (tuple, list)) or len(doc) not in (2, 3):
        raise ValueError(
            f"document {k} must be an (id, text) or (id, text, date) tuple, not {doc!r:.80}"
        )
    # an id of None was "None": every id-less document one document
    doc_id, text = document_id(doc[0], "cluster"), doc[1]
    require_text(text, "cluster", f"document {doc_id!r}")
    if size := utf8_size_over(text, config.max_input_bytes):
        raise InputError(
            "too-large",
            f"document {doc_id!r} has at least {size} bytes (max_input_bytes="
            f"{config.max_input_bytes}); drop it or raise max_input_bytes",
        )
    return doc_id, text, None if len(doc) == 2 or doc[2] is None else str(doc[2])


def cluster(
    docs: Iterable[tuple[Any, ...]],
    config: Config | None = None,
    **overrides: Unpack[ConfigOverrides],
) -> list[ClusterInfo]:
    """Cluster reprints; one ClusterInfo per document, in input order.

    The cluster id is the representative's id (``representative`` policy:
    longest, earliest or first), so ids are deterministic.  ``docs`` may be a
    generator: texts are signed in batches and never held all at once.  An
    empty (or whitespace-only) text is alone in its cluster and nobody's
    representative: ``is_representative=False``, ``duplicate_of=None``.

    >>> body = "The council approved the harbour budget on Monday after a long debate. " * 3
    >>> infos = cluster([("a", body), ("b", body + "Reprinted."), ("c", "Another story."), ("d", "")])
    >>> [(i.cluster_id, i.is_representative, i.duplicate_of) for i in infos]
    [('b', False, 'b'), ('b', True, None), ('c', True, None), ('d', False, None)]
    """
    cfg = resolve_config(config, overrides)
    ids: list[str] = []
    dates: list[str | None] = []
    blank: list[bool] = []

    def texts() -> Iterator[str]:
        for k, doc in enumerate(docs):
            doc_id, text, date = document_fields(k, doc, cfg)
            ids.append(doc_id)
            dates.append(date)
            blank.append(is_empty(text))
            yield text

    sets: list[np.ndarray] | None = [] if cfg.exact_jaccard else None
    sigs, sizes = sketch(texts(), Params.from_config(cfg), sets)
    if len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique; make them unique (e.g. add the path)")
    return cluster_signed(ids, dates, sigs, sizes, cfg, sets=sets, empty=blank)


def is_empty(text: object) -> bool:
    """Whether a document's text is empty: nothing but whitespace and invisible
    characters (or not even a string).

    Such a text is nobody's representative (:func:`cluster_signed`'s ``empty``);
    the engines that sign elsewhere take the flag from here with the signature.
    """
    # zero-width characters and the BOM are no text either ("\u200b" alone)
    return not isinstance(text, str) or not text.translate(_INVISIBLE).strip()


def cluster_signed(
    ids: Sequence[str],
    dates: Sequence[str | None],
    sigs: np.ndarray,
    sizes: np.ndarray,
    config: Config | None = None,
    *,
    sets: Sequence[np.ndarray] | None = None,
    empty: Sequence[bool] | np.ndarray | None = None,
) -> list[ClusterInfo]:
    """:func:`cluster` on documents that are already signed; one ClusterInfo each, in order.

    For engines that sign where the text is (worker processes, a cluster) and
    cluster in one place.  Row ``k`` of every argument is document ``k``, in
    input order (the order decides roots and ties, as in :func:`cluster`):

    * ``ids``: unique document ids;
    * ``dates``: ISO dates or None (the ``earliest`` representative policy);
    * ``sigs``: ``N x num_perm`` signatures of the text compared, as
      :func:`sketch` returns them (uint32; :func:`signatures`' uint64 rows
      compare the same) under the same ``config``;
    * ``sizes``: the texts' shingle-set sizes (:func:`sketch`); 0 marks an
      empty text, which never joins a cluster;
    * ``sets``: with ``config.exact_jaccard``, every text's sorted unique
      shingle hashes (``sketch(..., keep_sets=[])``); pairs are then verified
      on them;
    * ``empty``: which texts are empty (:func:`is_empty`).  An empty text is
      nobody's representative (``is_representative=False``,
      ``duplicate_of=None``), so keeping the representatives keeps only real
      articles; None: no text is empty.

    Equal to ``cluster(docs, config)`` on the same documents.
    """
    cfg = config if config is not None else Config()
    n = len(ids)
    blank = np.zeros(n, dtype=bool) if empty is None else np.asarray(empty, dtype=bool)
    if (
        len(dates) != n
        or len(sizes) != n
        or blank.shape != (n,)
        or sigs.ndim != 2
        or sigs.shape[0] != n
    ):
        raise ValueError(
            f"cluster_signed needs one row per document: {n} ids, {len(dates)} dates, "
            f"{len(sizes)} sizes, {blank.size} empty flags and signatures of shape {sigs.shape}"
        )
    if n and sigs.shape[1] != cfg.num_perm:
        raise ValueError(
            f"signatures have {sigs.shape[1]} permutations but config.num_perm is "
            f"{cfg.num_perm}; sign with the same config"
        )
    if cfg.exact_jaccard and sets is None:
        raise ValueError("config.exact_jaccard needs the shingle sets: pass sets=")
    if len(set(ids)) != n:
        raise ValueError("document ids must be unique; make them unique (e.g. add the path)")
    sizes = np.asarray(sizes)
    if n == 0:  # numpy's empty reductions below have no neutral element
        return []
    bands, rows = bands_rows(lsh_threshold(cfg.threshold, cfg.containment), cfg.num_perm)
    exact: Callable[[int, int], float] | None = None
    if sets is not None:  # exact mode: the signatures only find the candidates

        def exact(a: int, b: int) -> float:
            return float(clustering.exact_jaccard(sets, np.array([a]), np.array([b]))[0])

    def verified(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        jac = clustering.jaccard(sigs, i, j)
        return clustering.passes(jac, sizes[i], sizes[j], cfg.threshold, cfg.containment)

    def reprint_pairs(
        active: np.ndarray, overflow: list[bool] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Verified candidate pairs (i < j) among the ``active`` rows, and their similarity.

        The one definition of a reprint pair: the clustering below, and the
        pass that keeps no two representatives that are reprints of each other.
        """
        keys = LazyBandKeys(sigs, bands, rows)
        # On signatures, pairs are verified as they are found: only reprint pairs are held.
        pi, pj = candidate_pairs(
            keys, active=active, keep=verified if sets is None else None, overflow=overflow
        )
        if sets is None:
            jac = clustering.jaccard(sigs, pi, pj)
        else:
            jac = clustering.exact_jaccard(sets, pi, pj)
        ok = clustering.passes(jac, sizes[pi], sizes[pj], cfg.threshold, cfg.containment)
        return pi[ok], pj[ok], jac[ok]

    overflow: list[bool] = []
    pi, pj, jac = reprint_pairs(sizes > 0, overflow)
    first, root = clustering.roots_before_and_after_merge(
        n,
        pi,
        pj,
        jac,
        sigs,
        sizes,
        cfg.threshold,
        cfg.containment,
        exact,
        merge=cfg.merge_clusters,
    )
    del jac
    rep = clustering.representatives(root, sizes, dates, cfg.representative)

    def kept_pairs(kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if overflow[0]:  # a bucket was cut at the window: find the kept set's own candidates
            return reprint_pairs(kept)[:2]
        both = kept[pi] & kept[pj]  # every same-bucket pair was verified above
        return pi[both], pj[both]

    if cfg.merge_clusters:
        root, rep = clustering.merge_kept_reprints(
            root, rep, sizes, kept_pairs,
            lambda r: clustering.representatives(r, sizes, dates, cfg.representative),
        )  # fmt: skip
    return clustering.cluster_infos(
        ids,
        root,
        rep,
        sigs,
        sets,
        first_root=first,
        sizes=sizes,
        threshold=cfg.threshold,
        containment=cfg.containment,
        empty=blank,
    )
