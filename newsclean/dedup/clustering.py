"""Verified candidate pairs -> clusters, with an anti-chaining guard and representatives.

Verification.  A candidate pair is a reprint pair when, on the full signatures
(or, with ``exact_jaccard=True``, on the exact shingle-hash sets),

* the estimated Jaccard similarity ``J`` is at least ``threshold``; or
* the pair is size-mismatched and the estimated containment of the smaller in
  the larger is at least ``containment``.  With shingle-set sizes ``|A|`` and
  ``|B|``, ``|A ∩ B| ≈ J (|A| + |B|) / (1 + J)`` and containment is that over
  ``min(|A|, |B|)``.  The rule applies only while the smaller text has at
  least ``MIN_SIZE_RATIO`` of the larger's shingles: a truncated reprint (the
  first 50-85 % plus "阅读全文") joins its original, but a one-paragraph quote
  never makes a short note a "reprint" of a long article.

Assignment (the same in batch and streaming, so both give the same clusters):
documents are taken in input order; each one looks at its verified earlier
candidates, best first, and joins the cluster of the first candidate whose
cluster *root* (the first document of that cluster) also passes verification
against it.  That second check is the anti-chaining guard: a follow-up that
quotes one paragraph of article A and one of article B may touch both, but
A's and B's clusters never merge through it, because neither root passes
against the other's members.  A document without such a candidate starts its
own cluster.

Guarded merge (batch only, ``merge_clusters=True``): a copy seen before its
original can fail against it (a truncated, retitled copy) and leave the
original in a cluster of its own.  The merge is a post-pass over the roots of
the assignment above, so that it does not depend on the order it runs in and
every engine (this module, the Dask engine) computes the same result:

1. a *merge edge* joins two roots ``r1`` (the root document ``j`` joined) and
   ``r2`` (the root of another verified candidate of ``j``) when ``j`` passes
   verification against ``r2`` too, and ``r1`` and ``r2`` share at least
   ``MERGE_MIN_CONTAINMENT`` of the smaller one's shingles (:func:`related`);
2. clusters whose roots are connected by merge edges become one, under the
   smallest (earliest) root of the component.

Plain union-find over verified edges would also catch this but chains (P 0.969
on bench/dedup.py); the root-to-root check keeps a digest that quotes two
unrelated articles in full from merging them.  Streaming cannot merge (it has
already answered), so it equals batch clustering with ``merge_clusters=False``.

Kept-set pass (with the merge, :func:`merge_kept_reprints`): the root guard
makes a cluster depend on which documents were compared.  Article ``b`` roots
a cluster that its extension ``c`` joins; ``d``, a longer version of ``c``
without one of ``b``'s paragraphs, passes against ``c`` but not against the
root ``b``, so it starts its own cluster, and ``c`` and ``d`` are both kept.
Clustered again on their own (``newsclean check`` on ``run``'s output) they
are one cluster.  So, after the representatives are chosen, the verified
candidate pairs among the representatives alone (the same LSH, window and
verification, in input order) merge their clusters, under the smallest root,
and the representatives are chosen again, until no such pair is left: the
kept documents of a batch then hold no pair that clustering them again joins.
A representative pair passes verification itself, so this joins reprints, it
does not chain through a third document.

Representatives: ``longest`` (most shingles, the default), ``earliest`` (date,
undated last) or ``first``; ties go to the earlier document.  The cluster id is
the representative's id; ``duplicate_of`` names the representative and
``similarity`` is the estimated Jaccard similarity to it.  An empty text is
nobody's representative (:func:`cluster_infos`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from newsclean.article import ClusterInfo, JoinReason

#: The containment rule needs the smaller text to hold at least this share of
#: the larger's shingles.  A quarter, not the 50 % a truncation keeps: cleaning
#: that leaves extra text (a kept sidebar) on the larger side shrinks the ratio
#: (0.4 -> 0.25 on bench/dedup.py: F1 0.946 -> 0.947 and, with --seed 2,
#: 0.939 -> 0.947, precision unchanged); a one-paragraph quote of a longer
#: article still stays below it.
MIN_SIZE_RATIO = 0.25
_VERIFY_CHUNK = 1 << 14


def jaccard(sigs: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of rows i[k] and j[k] (share of equal values)."""
    out = np.empty(i.size, dtype=np.float64)
    for s in range(0, i.size, _VERIFY_CHUNK):
        e = s + _VERIFY_CHUNK
        out[s:e] = (sigs[i[s:e]] == sigs[j[s:e]]).mean(axis=1)
    return out


def passes(
    jac: np.ndarray | float,
    size_i: np.ndarray | int,
    size_j: np.ndarray | int,
    threshold: float,
    containment: float,
) -> np.ndarray:
    """The verification rule of the module docstring, vectorized."""
    jac = np.asarray(jac, dtype=np.float64)
    si = np.asarray(size_i, dtype=np.float64)
    sj = np.asarray(size_j, dtype=np.float64)
    ok = jac >= threshold
    if containment > 0:
        small, large = np.minimum(si, sj), np.maximum(si, sj)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(large > 0, small / np.maximum(large, 1), 0.0)
        ok |= (_containment(jac, si, sj) >= containment) & (ratio >= MIN_SIZE_RATIO)
    return ok


def _containment(jac: np.ndarray, si: np.ndarray, sj: np.ndarray) -> np.ndarray:
    """Estimated share of the smaller set inside the larger, from Jaccard and the sizes.

    ``|A ∩ B| ≈ J (|A| + |B|) / (1 + J)``, over ``min(|A|, |B|)``; 0 for an empty set.
    """
    small = np.minimum(si, sj)
    with np.errstate(divide="ignore", invalid="ignore"):
        inter = jac * (si + sj) / (1.0 + jac)
        return np.where(small > 0, inter / np.maximum(small, 1), 0.0)


def roots_before_and_after_merge(
    n: int,
    pi: np.ndarray,
    pj: np.ndarray,
    score: np.ndarray,
    sigs: np.ndarray,
    sizes: np.ndarray,
    threshold: float,
    containment: float,
    pair_jaccard: Callable[[int, int], float] | None = None,
    merge: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster roots from verified pairs pi < pj: (without merges, after the merge pass).

    The assignment of the module docstring, then (``merge``) the guarded merge
    pass; ``pair_jaccard`` replaces the signature estimate in the root checks
    (exact mode).  The first result tells :func:`cluster_infos` which duplicates
    joined by a merge.
    """
    first = first_roots(n, pi, pj, score, sigs, sizes, threshold, containment, pair_jaccard)
    if merge and pi.size:
        a, b = merge_edges(first, pi, pj, sigs, sizes, threshold, containment, pair_jaccard)
        return first, merge_roots(first, a, b)
    return first, first


def first_roots(
    n: int,
    pi: np.ndarray,
    pj: np.ndarray,
    score: np.ndarray,
    sigs: np.ndarray,
    sizes: np.ndarray,
    threshold: float,
    containment: float,
    pair_jaccard: Callable[[int, int], float] | None = None,
) -> np.ndarray:
    """The assignment without merges: what streaming answers, document by document."""
    root = np.arange(n)
    if pi.size == 0:
        return root
    # Per later document j: its earlier candidates, best score first, then earliest.
    order = np.lexsort((pi, -score, pj))
    pi, pj = pi[order], pj[order]
    bounds = np.flatnonzero(np.diff(pj)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [pj.size]))
    for s, e in zip(
        starts.tolist(), ends.tolist(), strict=True
    ):  # one step per duplicate, not per token
        j = int(pj[s])
        for i in pi[s:e].tolist():
            # Roots never change without merges, so root[i] is i's root.
            r = int(root[i])
            if r == i or _pair_passes(sigs, sizes, j, r, threshold, containment, pair_jaccard):
                root[j] = r
                break
    return root


#: A bridge merges two clusters only when their roots share at least this share
#: of the smaller root's shingles: a digest that quotes two unrelated articles
#: in full passes against both, but the two articles share nothing.
MERGE_MIN_CONTAINMENT = 0.75


def related(jac: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Two roots may merge: estimated containment of the smaller >= MERGE_MIN_CONTAINMENT."""
    jac = np.asarray(jac, dtype=np.float64)
    sa = np.asarray(size_a, dtype=np.float64)
    sb = np.asarray(size_b, dtype=np.float64)
    return _containment(jac, sa, sb) >= MERGE_MIN_CONTAINMENT


def merge_edges(
    root: np.ndarray,
    pi: np.ndarray,
    pj: np.ndarray,
    sigs: np.ndarray,
    sizes: np.ndarray,
    threshold: float,
    containment: float,
    pair_jaccard: Callable[[int, int], float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Merge edges (r1, r2), r1 < r2, between roots (step 1 of the guarded merge).

    ``root`` is the assignment without merges; (pi, pj) the verified pairs.
    Vectorized over the pairs that touch two clusters.
    """
    r1, r2, j = root[pj], root[pi], pj
    keep = r1 != r2
    r1, r2, j = r1[keep], r2[keep], j[keep]
    ok = passes(_pair_jac(sigs, j, r2, pair_jaccard), sizes[j], sizes[r2], threshold, containment)
    r1, r2 = r1[ok], r2[ok]
    ok = related(_pair_jac(sigs, r1, r2, pair_jaccard), sizes[r1], sizes[r2])
    a, b = np.minimum(r1[ok], r2[ok]), np.maximum(r1[ok], r2[ok])
    if a.size == 0:
        return a, b
    uniq = np.unique(np.stack((a, b), axis=1), axis=0)
    return uniq[:, 0], uniq[:, 1]


def merge_roots(root: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Roots after merging along edges (a, b): each component under its smallest root.

    Min-label propagation, the same fixed point the Dask engine iterates to
    with distributed joins; vectorized over the edges.
    """
    if a.size == 0:
        return root
    label = np.arange(root.size)
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]  # pointer jumping: follow the new labels one step further
        if np.array_equal(new, label):
            return label[root]
        label = new


def merge_kept_reprints(
    root: np.ndarray,
    rep: np.ndarray,
    sizes: np.ndarray,
    reprint_pairs: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    representatives_of: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """(roots, representatives) after merging every two clusters whose
    representatives are a reprint pair (the kept-set pass of the module docstring).

    ``reprint_pairs(active)`` gives the verified candidate pairs among the
    ``active`` rows: the pairs :func:`newsclean.dedup.cluster` would find on the
    representatives alone, so after this pass clustering the kept documents again
    leaves each alone.  ``representatives_of(root)`` is :func:`representatives`
    under the batch's policy.  A merged cluster's representative is one of the two
    old ones, so every round keeps fewer documents and the loop ends; the usual
    batch needs one round (nothing to merge), a batch with conflicts two.
    """
    pos = np.arange(root.size)
    while True:
        a, b = reprint_pairs((rep == pos) & (sizes > 0))
        if a.size == 0:
            return root, rep
        ra, rb = root[a], root[b]
        root = merge_roots(root, np.minimum(ra, rb), np.maximum(ra, rb))
        rep = representatives_of(root)


def _pair_jac(
    sigs: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    pair_jaccard: Callable[[int, int], float] | None,
) -> np.ndarray:
    if pair_jaccard is None:
        return jaccard(sigs, a, b)
    return np.array(
        [pair_jaccard(x, y) for x, y in zip(a.tolist(), b.tolist(), strict=True)],  # exact mode
        dtype=np.float64,
    )


def _pair_passes(
    sigs: np.ndarray,
    sizes: np.ndarray,
    a: int,
    b: int,
    threshold: float,
    containment: float,
    pair_jaccard: Callable[[int, int], float] | None = None,
) -> bool:
    if pair_jaccard is not None:
        jac = pair_jaccard(a, b)
    else:
        jac = float(np.count_nonzero(sigs[a] == sigs[b])) / sigs.shape[1]
    return bool(passes(jac, int(sizes[a]), int(sizes[b]), threshold, containment))


def representatives(
    root: np.ndarray, sizes: np.ndarray, dates: Sequence[str | None], policy: str
) -> np.ndarray:
    """Index of the representative of every document's cluster."""
    n = root.size
    pos = np.arange(n)
    if policy == "first":
        return root.copy()
    if policy == "longest":
        # Sort by (cluster, -size, position); the first row of each cluster wins.
        order = np.lexsort((pos, -sizes.astype(np.int64), root))
    else:  # earliest: ISO dates sort as strings; undated documents last
        undated = np.array([d is None for d in dates])
        rank = np.unique(np.array([d or "" for d in dates]), return_inverse=True)[1]
        order = np.lexsort((pos, rank, undated, root))
    sorted_roots = root[order]
    first = np.concatenate(([True], sorted_roots[1:] != sorted_roots[:-1]))
    rep_of_root = np.empty(n, dtype=np.int64)
    rep_of_root[sorted_roots[first]] = order[first]
    return rep_of_root[root]


def exact_jaccard(sets: Sequence[np.ndarray], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of the shingle-hash sets (sorted unique arrays) of pairs."""
    out = np.empty(i.size, dtype=np.float64)
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):  # one per candidate
        inter = np.intersect1d(sets[a], sets[b], assume_unique=True).size
        union = sets[a].size + sets[b].size - inter
        out[k] = inter / union if union else 0.0
    return out


def cluster_infos(
    ids: Sequence[str],
    root: np.ndarray,
    rep: np.ndarray,
    sigs: np.ndarray,
    sets: Sequence[np.ndarray] | None = None,
    *,
    first_root: np.ndarray | None = None,
    sizes: np.ndarray | None = None,
    threshold: float = 1.0,
    containment: float = 0.0,
    empty: np.ndarray | None = None,
) -> list[ClusterInfo]:
    """One ClusterInfo per document, in input order.

    With ``sizes`` (and ``first_root``, the roots before the merge pass) every
    duplicate also gets ``why`` (:func:`join_reasons`).  ``empty`` marks the
    blank texts: alone in their cluster (they have no shingles) but nobody's
    representative either (``is_representative=False``, ``duplicate_of=None``),
    so that keeping the representatives of a batch keeps only real articles.
    """
    n = root.size
    counts = np.bincount(root, minlength=n)
    pos = np.arange(n)
    dup = np.flatnonzero(rep != pos)
    sim = np.full(n, np.nan)
    if dup.size:
        sim[dup] = (
            jaccard(sigs, dup, rep[dup]) if sets is None else exact_jaccard(sets, dup, rep[dup])
        )
    whys: list[JoinReason | None] = [None] * n
    if sizes is not None and dup.size:
        before = first_root if first_root is not None else root
        reasons = join_reasons(sim[dup], sizes[dup], sizes[rep[dup]], threshold, containment)
        merged = before[dup] != before[rep[dup]]
        for k, why, m in zip(dup.tolist(), reasons, merged.tolist(), strict=True):  # per duplicate
            whys[k] = "merged" if why == "linked" and m else why
    blank = [False] * n if empty is None else np.asarray(empty, dtype=bool).tolist()
    out = []
    for k in range(n):
        r = int(rep[k])
        is_rep = r == k
        out.append(
            ClusterInfo(
                cluster_id=ids[r],
                cluster_size=int(counts[root[k]]),
                is_representative=is_rep and not blank[k],
                duplicate_of=None if is_rep else ids[r],
                similarity=None if is_rep else round(float(sim[k]), 4),
                why=whys[k],
            )
        )
    return out


_REASONS: tuple[JoinReason, ...] = ("linked", "contained", "similar", "exact")


def join_reasons(
    sim: np.ndarray,
    size_dup: np.ndarray,
    size_rep: np.ndarray,
    threshold: float,
    containment: float,
) -> list[JoinReason]:
    """Why each duplicate passes against its representative, strongest reason first.

    ``exact`` (similarity 1), ``similar`` (at least ``threshold``), ``contained``
    (the containment rule of :func:`passes`); otherwise ``linked``: it joined
    through the cluster's first document, which the representative need not be.
    The caller turns ``linked`` into ``merged`` for clusters the merge pass joined.
    """
    sim = np.asarray(sim, dtype=np.float64)
    contained = passes(sim, size_dup, size_rep, 2.0, containment)  # containment rule alone
    level = np.where(
        sim >= 1.0, 3, np.where(sim >= threshold, 2, np.where(contained, 1, 0))
    ).astype(np.int64)
    return [_REASONS[i] for i in level.tolist()]
