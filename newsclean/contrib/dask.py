"""Near-duplicate clustering on a Dask cluster, equal to :func:`newsclean.cluster`.

::

    import json
    import dask.bag as db
    from dask.distributed import Client
    from newsclean.contrib.dask import cluster_bag

    client = Client()                        # a LocalCluster; or Client("tcp://scheduler:8786")
    docs = db.read_text("s3://bucket/crawl/*.jsonl.gz").map(json.loads)
    result = cluster_bag(docs.map(lambda r: (r["id"], r["text"])), clean=True)
    unique = result.filter(lambda r: r[2].is_representative)
    unique.map(lambda r: json.dumps({"id": r[0], "text": r[1]}, ensure_ascii=False)).to_textfiles(
        "s3://bucket/clean/*.jsonl.gz"
    )

The steps, none of which gathers the corpus on one worker:

1. per partition: clean (``clean=True``) and sign — MinHash signatures and
   shingle-set sizes, with each document's global position (input order);
2. band keys are shuffled (grouped by band and key); each bucket pairs a
   document with at most ``WINDOW`` earlier ones, as the local engine does;
3. candidate pairs are verified where their signatures are, by joining the
   pairs with the signature table twice (once per side);
4. cluster roots by iterated label propagation over the verified edges: every
   document takes the root of its best earlier candidate whose root it also
   passes against (the anti-chaining guard of :mod:`newsclean.dedup.clustering`);
   each round is a distributed join, and the rounds stop at the fixed point,
   which is the local engine's sequential assignment (a document's root depends
   only on earlier documents, so the fixed point is unique);
5. the guarded merge pass (``Config.merge_clusters``, on by default): merge
   edges between roots from two more signature joins, then connected
   components over them by iterated min-label propagation (each component
   under its smallest root), one distributed join per round until the fixed
   point: the rule of :mod:`newsclean.dedup.clustering`, computed the same way;
6. representatives per cluster (a shuffle by root), similarity to them (one
   more signature join), and the result joined back in input order.

The result equals ``newsclean.cluster(docs, config)`` on the same documents in
the same order: the same clusters, representatives, ids and similarities.
``exact_jaccard=True`` is not distributed (it needs every shingle set where
each pair is verified); ``cluster_bag`` refuses it.

Input and output can be any fsspec URL Dask reads and writes
(``db.read_text("s3://...")``, ``gcs://``, ``hdfs://``: ``pip install s3fs``
or ``gcsfs``).  ``newsclean run --engine dask`` (:mod:`newsclean.pipeline`)
builds on the same steps and writes the local engine's bytes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from newsclean.article import ClusterInfo
from newsclean.config import KINDS, Config, check_kind, resolve_config
from newsclean.contrib import require

_dd = require("dask.dataframe", "dask")
_db = require("dask.bag", "dask")
_delayed = require("dask", "dask").delayed

#: Fixed-point rounds after which the root assignment gives up (never reached
#: in practice: the rounds needed are the longest chain of root changes, 2-3).
MAX_ROUNDS = 64
#: Verified edges per partition in the root rounds (a round joins each edge
#: with two signatures: about 1.2 KB an edge at 128 permutations).
EDGES_PER_PARTITION = 250_000
#: Task-based shuffles: they run on any scheduler; distributed's P2P shuffle
#: failed on these graphs (dask/distributed 2026.8).
SHUFFLE = "tasks"


def cluster_bag(
    bag: Any,
    config: Config | None = None,
    *,
    clean: bool = False,
    kind: str = "auto",
    **overrides: Any,
) -> Any:
    """Cluster a ``dask.bag`` of ``(id, text)`` or ``(id, text, date)`` documents.

    Returns a bag of ``(id, text, ClusterInfo)`` in input order, partitioned
    like the input (empty partitions dropped); ``text`` is the clean text when ``clean=True``
    (the text that was compared), else the input text.  The call computes:
    it persists the signatures and the result on the cluster's workers, and
    runs ``compute()`` once per root-assignment and merge round to test for the
    fixed point (a few small counts; the data stays on the workers).
    """
    cfg = resolve_config(config, overrides)
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")
    if cfg.exact_jaccard:
        raise ValueError(
            "exact_jaccard=True is not supported by the Dask engine (it verifies pairs on every "
            "document's shingle set); use the local engine or exact_jaccard=False"
        )
    import dask

    # The method is chosen when a graph is lowered, i.e. at compute/persist time.
    # Signatures travel as bytes cells, which must not become strings.
    with dask.config.set({"dataframe.shuffle.method": SHUFFLE, "dataframe.convert-string": False}):
        return _cluster_bag(bag, cfg, clean, kind)


def _cluster_bag(bag: Any, cfg: Config, clean: bool, kind: str) -> Any:
    import dask

    # Signed at position 0 and persisted first, then counted and shifted: the
    # input bag (reading, parsing, cleaning) is computed once, not once to count
    # and again to sign.
    signed = list(
        _settled(
            *dask.persist(
                *[_delayed(_sign_partition)(p, 0, cfg, clean, kind) for p in bag.to_delayed()]
            )
        )
    )
    lengths = dask.compute(*[_delayed(len)(s) for s in signed])
    # Empty partitions have no position range; dask divisions must increase.
    signed = [s for s, n in zip(signed, lengths, strict=True) if n]
    lengths = [n for n in lengths if n]
    if not signed:
        return _db.from_sequence([], npartitions=1)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64).tolist()
    signed = [_delayed(_shift)(s, off) for s, off in zip(signed, offsets, strict=False)]
    info = _cluster_frames(
        [_delayed(lambda f: f.drop(columns=["text"]))(s) for s in signed], offsets, cfg
    )
    texts = _dd.from_delayed(
        [_delayed(lambda f: f[["pos", "id", "text"]].set_index("pos"))(s) for s in signed],
        meta=_text_meta(),
        divisions=info.divisions,
    )
    (joined,) = _settled(texts.join(info, how="left", shuffle_method=SHUFFLE).persist(fuse=False))
    return _db.from_delayed([_delayed(_records)(p) for p in joined.to_delayed()])


def _cluster_frames(frames: Sequence[Any], offsets: Sequence[int], cfg: Config) -> Any:
    """Steps 2-6 on signed partitions: a frame of cluster fields indexed by position.

    ``frames`` are (delayed) pandas frames of :func:`_sig_meta`'s columns, each
    non-empty, partition k holding positions ``offsets[k]`` up to ``offsets[k+1]``.
    """
    (docs,) = _settled(
        _dd.from_delayed(
            list(frames), meta=_sig_meta(cfg.num_perm), divisions=_divisions(offsets)
        ).persist(fuse=False)
    )
    (edges,) = _settled(_verified_edges(docs, cfg).persist(fuse=False))
    root = _roots(docs, edges, cfg)
    info = _cluster_info(docs, root, cfg)
    return info.set_index("pos", divisions=docs.divisions, shuffle_method=SHUFFLE)


def _settled(*persisted: Any) -> Any:
    """Wait until the scheduler holds what was just persisted; returns its arguments.

    ``persist`` returns at once and lets the scheduler lower the graph in its
    offload thread while this thread builds the next expressions on the same
    objects.  Python 3.11's ``functools.cached_property`` takes one lock per
    property, so the two threads can deadlock on dask-expr's nested ``_meta``
    and ``divisions`` properties (seen in CI with LocalCluster's in-process
    scheduler).
    """
    try:
        from distributed import futures_of, wait
    except ImportError:  # without distributed, persist is synchronous
        return persisted
    wait([f for c in persisted for f in futures_of(c)])
    return persisted


# --------------------------------------------------------------------------- 1. sign


def _shift(frame: Any, offset: int) -> Any:
    return frame.assign(pos=frame["pos"] + offset) if offset else frame


def _divisions(offsets: Sequence[int]) -> tuple[int, ...]:
    # Partition k holds positions offsets[k] .. offsets[k+1]-1 (empty ones are dropped first).
    return (*offsets[:-1], max(offsets[-1] - 1, 0))


def _sign_partition(part: Iterable[Any], offset: int, cfg: Config, clean: bool, kind: str) -> Any:
    import pandas as pd

    from newsclean.dedup import _split, sketch
    from newsclean.dedup.minhash import Params

    ids, texts, dates = _split(list(part))
    if clean:
        from newsclean.clean import clean as clean_one

        texts = [clean_one(t, kind=check_kind(kind), config=cfg).text for t in texts]
    sigs, sizes = sketch(texts, Params.from_config(cfg))
    frame = _sig_frame(ids, dates, sigs, sizes, offset)
    return frame.assign(text=pd.Series(texts, dtype=object, index=frame.index))


def _sig_frame(
    ids: Sequence[str],
    dates: Sequence[str | None],
    sigs: np.ndarray,
    sizes: np.ndarray,
    offset: int,
) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "pos": np.arange(offset, offset + len(ids), dtype=np.int64),
            "id": pd.Series(ids, dtype=object),
            "date": pd.Series(dates, dtype=object),
            "size": sizes.astype(np.int64),
            # One bytes cell per row: wide frames make dask's planner slow.
            "sig": pd.Series([row.tobytes() for row in sigs], dtype=object),
        }
    ).set_index("pos", drop=False)


def _sig_meta(num_perm: int) -> Any:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "pos": pd.Series([], dtype=np.int64),
            "id": pd.Series([], dtype=object),
            "date": pd.Series([], dtype=object),
            "size": pd.Series([], dtype=np.int64),
            "sig": pd.Series([], dtype=object),
        }
    )
    return frame.set_index("pos", drop=False)


def _text_meta() -> Any:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "pos": pd.Series([], dtype=np.int64),
            "id": pd.Series([], dtype=object),
            "text": pd.Series([], dtype=object),
        }
    )
    return frame.set_index("pos")


def _sigs(part: Any, prefix: str = "") -> np.ndarray:
    """The signature matrix of a frame's ``{prefix}sig`` column (uint32 rows as bytes)."""
    col = part[f"{prefix}sig"]
    return np.frombuffer(b"".join(col.tolist()), dtype=np.uint32).reshape(len(col), -1)


# --------------------------------------------------------------------------- 2-3. pairs


def _band_rows(part: Any, bands: int, rows: int) -> Any:
    import pandas as pd

    from newsclean.dedup.lsh import band_keys

    active = part[part["size"] > 0]
    if active.empty:
        return _keys_meta()
    keys = band_keys(_sigs(active), bands, rows)
    n = len(active)
    return pd.DataFrame(
        {
            "band": np.repeat(np.arange(bands, dtype=np.int64)[None, :], n, axis=0).ravel(),
            "key": keys.view(np.int64).ravel(),
            "pos": np.repeat(active["pos"].to_numpy(), bands),
        }
    )


def _keys_meta() -> Any:
    import pandas as pd

    return pd.DataFrame(
        {"band": np.zeros(0, np.int64), "key": np.zeros(0, np.int64), "pos": np.zeros(0, np.int64)}
    )


def _bucket_pairs(part: Any) -> Any:
    """Pairs within each (band, key) bucket: every document with its WINDOW predecessors."""
    import pandas as pd

    from newsclean.dedup.lsh import WINDOW

    if part.empty:
        return _pairs_meta()
    part = part.sort_values(["band", "key", "pos"], kind="stable")
    b, k, p = (part[c].to_numpy() for c in ("band", "key", "pos"))
    ii, jj = [], []
    for d in range(1, WINDOW + 1):
        same = (b[:-d] == b[d:]) & (k[:-d] == k[d:])
        if not same.any():
            break
        ii.append(p[:-d][same])
        jj.append(p[d:][same])
    if not ii:
        return _pairs_meta()
    return pd.DataFrame({"i": np.concatenate(ii), "j": np.concatenate(jj)})


def _pairs_meta() -> Any:
    import pandas as pd

    return pd.DataFrame({"i": np.zeros(0, np.int64), "j": np.zeros(0, np.int64)})


def _with_sigs(pairs: Any, docs: Any, left: str, right: str) -> Any:
    """Attach both sides' signatures and sizes to pairs (left, right): two joins."""
    side = docs[["pos", "size", "sig"]]
    if side.index.name == "pos":
        side = side.reset_index(drop=True)

    def named(name: str) -> Any:
        return side.rename(columns={c: name if c == "pos" else f"{name}_{c}" for c in side.columns})

    n = docs.npartitions
    out = pairs.merge(named(left), on=left, npartitions=n, shuffle_method=SHUFFLE)
    return out.merge(named(right), on=right, npartitions=n, shuffle_method=SHUFFLE)


def _jaccard_cols(part: Any, a: str, b: str) -> np.ndarray:
    if part.empty:
        return np.zeros(0)
    return (_sigs(part, f"{a}_") == _sigs(part, f"{b}_")).mean(axis=1)


def _verify(part: Any, threshold: float, containment: float) -> Any:
    from newsclean.dedup.clustering import passes

    jac = _jaccard_cols(part, "i", "j")
    ok = passes(jac, part["i_size"].to_numpy(), part["j_size"].to_numpy(), threshold, containment)
    out = part[["i", "j"]].assign(jac=jac)
    return out[ok]


def _verified_edges(docs: Any, cfg: Config) -> Any:
    from newsclean.dedup.lsh import bands_rows, lsh_threshold

    bands, rows = bands_rows(lsh_threshold(cfg.threshold, cfg.containment), cfg.num_perm)
    keys = docs.map_partitions(_band_rows, bands, rows, meta=_keys_meta())
    pairs = keys.shuffle(
        on=["band", "key"], npartitions=docs.npartitions, method=SHUFFLE
    ).map_partitions(_bucket_pairs, meta=_pairs_meta())
    pairs = pairs.drop_duplicates(split_out=docs.npartitions, shuffle_method=SHUFFLE)
    meta = _pairs_meta().assign(jac=np.zeros(0))
    return _with_sigs(pairs, docs, "i", "j").map_partitions(
        _verify, cfg.threshold, cfg.containment, meta=meta
    )


# --------------------------------------------------------------------------- 4. roots


def _roots(docs: Any, edges: Any, cfg: Config) -> Any:
    """Root of every document: iterate "take the root of the best passing candidate"."""
    import pandas as pd

    # The rounds work on the verified edges, far fewer than the documents: as
    # many partitions as their size needs, so that each round is a few tasks on
    # a small corpus and stays spread over the workers on a large one.
    n = max(1, -(-len(edges) // EDGES_PER_PARTITION))
    (edges,) = _settled(edges.repartition(npartitions=n).persist(fuse=False))
    # Only documents with a verified edge can have another root; the rest are their own.
    touched = _dd.concat(
        [edges[["i"]].rename(columns={"i": "pos"}), edges[["j"]].rename(columns={"j": "pos"})]
    )
    touched = touched.drop_duplicates(split_out=n, shuffle_method=SHUFFLE)
    sigs = docs[["pos", "size", "sig"]].reset_index(drop=True)
    sigs = sigs.merge(touched, on="pos", npartitions=n, shuffle_method=SHUFFLE)
    sigs = _fixed(sigs, n)
    root = _fixed(sigs[["pos"]].assign(root=sigs["pos"]), n)
    picked_meta = pd.DataFrame({"j": np.zeros(0, np.int64), "new": np.zeros(0, np.int64)})
    for _ in range(MAX_ROUNDS):
        cand = edges.merge(
            root.rename(columns={"pos": "i", "root": "r"}),
            on="i",
            npartitions=n,
            shuffle_method=SHUFFLE,
        )
        # Candidates that are roots need no check; the others' roots are checked against j.
        direct = cand[cand["r"] == cand["i"]].assign(ok=True)
        check = cand[cand["r"] != cand["i"]]
        checked = _with_sigs(check, sigs, "r", "j").map_partitions(
            _check_root, cfg.threshold, cfg.containment, meta=_cand_meta()
        )
        choices = _dd.concat([direct[list(_cand_meta())], checked])
        picked = choices.shuffle(on="j", npartitions=n, method=SHUFFLE).map_partitions(
            _pick, meta=picked_meta
        )
        new = root.merge(
            picked.rename(columns={"j": "pos"}),
            on="pos",
            how="left",
            npartitions=n,
            shuffle_method=SHUFFLE,
        )
        new = new.assign(root=new["new"].fillna(new["pos"]).astype(np.int64), old=new["root"])
        new = _fixed(new[["pos", "root", "old"]], n)
        changed = int((new["root"] != new["old"]).sum().compute())
        root = new[["pos", "root"]]
        if changed == 0:
            return _merged(root, edges, sigs, cfg) if cfg.merge_clusters else root
    raise RuntimeError(f"cluster roots did not settle in {MAX_ROUNDS} rounds; please report this")


def _merged(root: Any, edges: Any, sigs: Any, cfg: Config) -> Any:
    """Roots after the guarded merge pass of :mod:`newsclean.dedup.clustering`.

    Merge edges between roots come from joins (no gathering); the components
    over them by min-label propagation, one distributed join per round.
    """
    n = root.npartitions
    pairs = edges[["i", "j"]].merge(
        root.rename(columns={"pos": "i", "root": "r2"}),
        on="i",
        npartitions=n,
        shuffle_method=SHUFFLE,
    )
    pairs = pairs.merge(
        root.rename(columns={"pos": "j", "root": "r1"}),
        on="j",
        npartitions=n,
        shuffle_method=SHUFFLE,
    )
    pairs = pairs[pairs["r1"] != pairs["r2"]][["j", "r1", "r2"]]
    bridges = _with_sigs(pairs, sigs, "j", "r2").map_partitions(
        _bridge, cfg.threshold, cfg.containment, meta=_roots_meta("r1", "r2")
    )
    links = _with_sigs(bridges, sigs, "r1", "r2").map_partitions(
        _related_roots, meta=_roots_meta("a", "b")
    )
    links = _fixed(links.drop_duplicates(split_out=n, shuffle_method=SHUFFLE), n)
    label = _dd.concat(
        [links[["a"]].rename(columns={"a": "node"}), links[["b"]].rename(columns={"b": "node"})]
    ).drop_duplicates(split_out=n, shuffle_method=SHUFFLE)
    label = _fixed(label.assign(label=label["node"]), n)
    for _ in range(MAX_ROUNDS):
        label, changed = _propagate(label, links, n)
        if changed == 0:
            out = root.merge(
                label.rename(columns={"node": "root"}),
                on="root",
                how="left",
                npartitions=n,
                shuffle_method=SHUFFLE,
            )
            out = out.assign(root=out["label"].fillna(out["root"]).astype(np.int64))
            return out[["pos", "root"]]
    raise RuntimeError(f"cluster merges did not settle in {MAX_ROUNDS} rounds; please report this")


def _propagate(label: Any, links: Any, n: int) -> tuple[Any, int]:
    """One round: every root takes the smallest label among itself and its linked roots."""
    e = links.merge(
        label.rename(columns={"node": "a", "label": "la"}),
        on="a",
        npartitions=n,
        shuffle_method=SHUFFLE,
    )
    e = e.merge(
        label.rename(columns={"node": "b", "label": "lb"}),
        on="b",
        npartitions=n,
        shuffle_method=SHUFFLE,
    )
    low = e["la"].where(e["la"] < e["lb"], e["lb"])
    offers = _dd.concat(
        [
            e[["a"]].rename(columns={"a": "node"}).assign(offer=low),
            e[["b"]].rename(columns={"b": "node"}).assign(offer=low),
        ]
    )
    best = offers.groupby("node").offer.min(split_out=n).reset_index()
    new = label.merge(best, on="node", how="left", npartitions=n, shuffle_method=SHUFFLE)
    offer = new["offer"].fillna(new["label"]).astype(np.int64)
    new = new.assign(old=new["label"], label=offer.where(offer < new["label"], new["label"]))
    new = _fixed(new[["node", "label", "old"]], n)
    changed = int((new["label"] != new["old"]).sum().compute())
    return new[["node", "label"]], changed


def _roots_meta(a: str, b: str) -> Any:
    import pandas as pd

    return pd.DataFrame({a: np.zeros(0, np.int64), b: np.zeros(0, np.int64)})


def _bridge(part: Any, threshold: float, containment: float) -> Any:
    """Pairs (r1, r2) whose document j, in r1's cluster, passes against r2 too."""
    from newsclean.dedup.clustering import passes

    jac = _jaccard_cols(part, "j", "r2")
    ok = passes(jac, part["j_size"].to_numpy(), part["r2_size"].to_numpy(), threshold, containment)
    return part[["r1", "r2"]][np.asarray(ok, dtype=bool)]


def _related_roots(part: Any) -> Any:
    """Merge edges (a, b), a < b: bridged roots that share enough text."""
    import pandas as pd

    from newsclean.dedup.clustering import related

    if part.empty:
        return _roots_meta("a", "b")
    jac = _jaccard_cols(part, "r1", "r2")
    ok = related(jac, part["r1_size"].to_numpy(), part["r2_size"].to_numpy())
    r1, r2 = part["r1"].to_numpy()[ok], part["r2"].to_numpy()[ok]
    return pd.DataFrame({"a": np.minimum(r1, r2), "b": np.maximum(r1, r2)})


def _fixed(frame: Any, n: int) -> Any:
    """``frame`` persisted in ``n`` partitions.

    A join asked for ``npartitions=n`` may still return more (dask-expr keeps
    an input's count); every extra partition multiplies the next round's
    shuffle tasks.
    """
    if frame.npartitions != n:
        frame = frame.repartition(npartitions=n)
    return _settled(frame.persist(fuse=False))[0]


def _cand_meta() -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "i": np.zeros(0, np.int64),
            "j": np.zeros(0, np.int64),
            "jac": np.zeros(0),
            "r": np.zeros(0, np.int64),
            "ok": np.zeros(0, bool),
        }
    )


def _check_root(part: Any, threshold: float, containment: float) -> Any:
    from newsclean.dedup.clustering import passes

    jac = _jaccard_cols(part, "r", "j")
    ok = passes(jac, part["r_size"].to_numpy(), part["j_size"].to_numpy(), threshold, containment)
    return part[["i", "j", "jac", "r"]].assign(ok=np.asarray(ok, dtype=bool))


def _pick(part: Any) -> Any:
    """Per j: candidates best score first, then earliest; the first that passes gives the root."""
    import pandas as pd

    part = part[part["ok"]]
    if part.empty:
        return pd.DataFrame({"j": np.zeros(0, np.int64), "new": np.zeros(0, np.int64)})
    part = part.assign(neg=-part["jac"]).sort_values(["j", "neg", "i"], kind="stable")
    first = part.drop_duplicates("j", keep="first")
    return pd.DataFrame({"j": first["j"].to_numpy(), "new": first["r"].to_numpy()})


# --------------------------------------------------------------------------- 5. clusters


def _cluster_info(docs: Any, root: Any, cfg: Config) -> Any:
    import pandas as pd

    n = docs.npartitions
    base = docs[["pos", "id", "date", "size"]].reset_index(drop=True)
    base = base.merge(root, on="pos", how="left", npartitions=n, shuffle_method=SHUFFLE)
    base = base.assign(root=base["root"].fillna(base["pos"]).astype(np.int64))
    reps = base.shuffle(on="root", npartitions=n, method=SHUFFLE).map_partitions(
        _representatives, cfg.representative, meta=_reps_meta()
    )
    out = base.merge(reps, on="root", npartitions=n, shuffle_method=SHUFFLE)
    ids = docs[["pos", "id"]].reset_index(drop=True).rename(columns={"pos": "rep", "id": "rep_id"})
    out = out.merge(ids, on="rep", npartitions=n, shuffle_method=SHUFFLE)
    dup = out[out["rep"] != out["pos"]][["pos", "rep"]]
    sims = _with_sigs(dup, docs, "pos", "rep").map_partitions(
        _similarity, meta=pd.DataFrame({"pos": np.zeros(0, np.int64), "sim": np.zeros(0)})
    )
    out = out.merge(sims, on="pos", how="left", npartitions=n, shuffle_method=SHUFFLE)
    return out[["pos", "rep", "rep_id", "csize", "sim"]]


def _reps_meta() -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "root": np.zeros(0, np.int64),
            "rep": np.zeros(0, np.int64),
            "csize": np.zeros(0, np.int64),
        }
    )


def _representatives(part: Any, policy: str) -> Any:
    """Per cluster (all its members are in this partition): the representative and the size."""
    import pandas as pd

    if part.empty:
        return _reps_meta()
    if policy == "first":
        order = part.sort_values(["root", "pos"])
    elif policy == "longest":
        order = part.assign(neg=-part["size"]).sort_values(["root", "neg", "pos"])
    else:  # earliest: ISO dates sort as strings, undated last, ties to the earlier document
        undated = part["date"].isna()
        order = part.assign(undated=undated, d=part["date"].fillna("").astype(object)).sort_values(
            ["root", "undated", "d", "pos"]
        )
    first = order.drop_duplicates("root", keep="first")
    sizes = part.groupby("root").size()
    return pd.DataFrame(
        {
            "root": first["root"].to_numpy(),
            "rep": first["pos"].to_numpy(),
            "csize": sizes.loc[first["root"]].to_numpy().astype(np.int64),
        }
    )


def _similarity(part: Any) -> Any:
    import pandas as pd

    return pd.DataFrame({"pos": part["pos"].to_numpy(), "sim": _jaccard_cols(part, "pos", "rep")})


def _records(part: Any) -> list[tuple[str, str, ClusterInfo]]:
    rows = part.itertuples(index=False)
    return [(row.id, row.text, info) for row, info in zip(rows, _infos(part), strict=True)]


def _infos(part: Any) -> list[ClusterInfo]:
    """The ClusterInfo of every row of a frame indexed by position (``cluster_infos``' fields)."""
    out = []
    for pos, row in zip(part.index.tolist(), part.itertuples(index=False), strict=True):
        is_rep = int(row.rep) == int(pos)
        out.append(
            ClusterInfo(
                cluster_id=row.rep_id,
                cluster_size=int(row.csize),
                is_representative=is_rep,
                duplicate_of=None if is_rep else row.rep_id,
                similarity=None if is_rep else round(float(row.sim), 4),
            )
        )
    return out


# --------------------------------------------------------------------------- newsclean run


def check_engine(cfg: Config) -> None:
    """Refuse, before any work, what the Dask engine cannot compute like the local one."""
    if cfg.exact_jaccard:
        raise ValueError(
            "exact_jaccard=True is not supported by the Dask engine (it verifies pairs on every "
            "document's shingle set); use the local engine or exact_jaccard=False"
        )


def run_outcomes(
    sources: Sequence[Any],
    cfg: Config,
    opts: Any,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> list[Any]:
    """Phases 1-2 of :mod:`newsclean.pipeline` on a Dask cluster: the local engine's outcomes.

    Per partition of input files, on the workers: read, decode, clean.  Site
    templates: each group's articles shuffled to one task that learns them;
    only the template hashes come back.  Per partition again: apply the
    templates, mark empties, sign.  Then the distributed clustering of
    :func:`cluster_bag`.  The outcomes (documents, clean articles, clusters)
    come back to this process in input order for the local engine's writer.
    """
    check_engine(cfg)
    import dask

    with (
        dask.config.set({"dataframe.shuffle.method": SHUFFLE, "dataframe.convert-string": False}),
        _client(opts) as client,
    ):
        return _run(client, list(sources), cfg, opts, on_progress)


@contextlib.contextmanager
def _client(opts: Any) -> Iterator[Any]:
    distributed = require("distributed", "dask")
    if opts.scheduler:
        with distributed.Client(opts.scheduler) as client:
            yield client
        return
    with (
        distributed.LocalCluster(
            n_workers=opts.n_workers(),
            threads_per_worker=1,  # cleaning is CPU-bound Python: one process per core
            processes=True,
            dashboard_address=":0",  # None still probes port 8787 and warns when taken
            # Its own shutdown chatter ("worker process still alive ... killing")
            # is no news to the user of a CLI run; errors still show.
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


#: Tasks that learn site templates (each takes whole groups): the shuffle to
#: them costs partitions x tasks small transfers.
MAX_TEMPLATE_TASKS = 64
#: Input files per partition at most: bounds a task's memory and its retry cost.
FILES_PER_PARTITION = 500


def _chunks(sources: list[Any], workers: int) -> list[list[Any]]:
    n = min(len(sources), max(2 * workers, -(-len(sources) // FILES_PER_PARTITION)))
    size = -(-len(sources) // max(n, 1))
    return [sources[k : k + size] for k in range(0, len(sources), size)]


def _run(
    client: Any,
    sources: list[Any],
    cfg: Config,
    opts: Any,
    on_progress: Callable[[int, int | None], None] | None,
) -> list[Any]:
    from newsclean.pipeline import mark_duplicates, unique_ids

    if not sources:
        return []
    workers = len(client.scheduler_info().get("workers", {})) or opts.n_workers()
    chunks = _chunks(sources, workers)
    cleaned = client.map(
        _clean_sources, chunks, cfg=cfg, mode=opts.mode, fields=opts.fields, pure=False
    )
    # Ids are made unique in input order over the whole batch, as the local engine does.
    id_futures = client.map(_ids, cleaned)
    if on_progress is not None:  # documents cleaned so far, partition by partition
        distributed = require("distributed", "dask")
        done = 0
        for fut in distributed.as_completed(id_futures):
            done += len(fut.result())
            on_progress(done, None)
    id_lists = client.gather(id_futures)
    flat = unique_ids(i for ids in id_lists for i in ids)
    offsets = np.cumsum([0, *(len(ids) for ids in id_lists)]).tolist()
    ids = [flat[offsets[k] : offsets[k + 1]] for k in range(len(id_lists))]
    templates = _learn_templates(client, cleaned, cfg) if opts.mode == "run" else None
    staged = client.map(
        _stage, cleaned, ids, templates=templates, cfg=cfg, mode=opts.mode, pure=False
    )
    del cleaned  # the workers free each partition's first copy once it is staged
    outcomes = [o for part in client.gather(client.map(_outcomes_of, staged)) for o in part]
    if opts.mode in ("run", "dedup"):
        live = [o for o in outcomes if o.status == "ok"]
        if live:
            mark_duplicates(live, _cluster_staged(client, staged, cfg))
    return outcomes


def _clean_sources(chunk: list[Any], cfg: Config, mode: str, fields: Any) -> list[Any]:
    """Phase 1 for a partition of input files: (document without its bytes, result) each."""
    import dataclasses

    from newsclean.io import read_documents
    from newsclean.pipeline import _process

    out = []
    for src in chunk:
        for doc in read_documents(src, fields, cfg.max_input_bytes):
            if doc.error is not None:
                err = doc.error
                res = {"status": "error", "reason": err.reason, "detail": err.detail or None}
            else:
                res = _process((doc.key, doc.raw, doc.kind, doc.url), cfg, mode)
                res.pop("sketch", None)  # signed after the templates, in _stage
            # The error is in the result; an exception object need not travel.
            out.append((dataclasses.replace(doc, raw=None, error=None), res))
    return out


def _ids(part: list[Any]) -> list[str]:
    return [doc.id for doc, _ in part]


def _live_groups(part: list[Any]) -> list[tuple[str, Any]]:
    from newsclean.pipeline import Outcome, group_of, live_outcomes

    outcomes = [Outcome(doc, res["status"], article=res.get("article")) for doc, res in part]
    return [(group_of(o), o.article) for o in live_outcomes(outcomes)]


def _learn_templates(client: Any, cleaned: list[Any], cfg: Config) -> Any:
    """``SiteTemplates.learn`` over all partitions: a shuffle by template group.

    Templates are learned per group from that group's documents alone, so each
    group's documents are sent to one task (by a stable hash of the group), in
    input order, and learned there by :meth:`SiteTemplates.learn` itself: the
    rule stays the one of :mod:`newsclean.template`, whatever it is.  Only the
    learned hashes come back, and their per-group mappings are merged.
    """
    buckets = max(1, min(len(cleaned), MAX_TEMPLATE_TASKS))
    split = client.map(_by_bucket, cleaned, range(len(cleaned)), buckets=buckets)
    learned = [
        client.submit(_learn_bucket, [client.submit(_pick_bucket, s, b) for s in split], cfg)
        for b in range(buckets)
    ]
    return _merge_templates(client.gather(learned), cfg)


def _by_bucket(part: list[Any], index: int, buckets: int) -> list[list[Any]]:
    """This partition's (partition, position, group, article) rows, split by group bucket."""
    import xxhash

    out: list[list[Any]] = [[] for _ in range(buckets)]
    for k, (group, article) in enumerate(_live_groups(part)):
        out[xxhash.xxh64_intdigest(group.encode("utf-8")) % buckets].append(
            (index, k, group, article)
        )
    return out


def _pick_bucket(split: list[list[Any]], bucket: int) -> list[Any]:
    return split[bucket]


def _learn_bucket(rows: list[list[Any]], cfg: Config) -> Any:
    from newsclean.template import SiteTemplates

    flat = sorted((r for part in rows for r in part), key=lambda r: (r[0], r[1]))  # input order
    return SiteTemplates.learn(((r[2], r[3]) for r in flat), config=cfg)


def _merge_templates(parts: list[Any], cfg: Config) -> Any:
    """One SiteTemplates from per-bucket ones: their groups are disjoint."""
    import dataclasses

    from newsclean.template import SiteTemplates

    merged: dict[str, dict[str, Any]] = {}
    for f in dataclasses.fields(SiteTemplates):
        if f.name == "config":
            continue
        merged[f.name] = {}
        for part in parts:
            merged[f.name].update(getattr(part, f.name))
        merged[f.name] = dict(sorted(merged[f.name].items()))
    return SiteTemplates(config=cfg, **merged)


def _stage(
    part: list[Any], ids: list[str], templates: Any, cfg: Config, mode: str
) -> tuple[list[Any], Any]:
    """Templates, empties and signatures of one partition: (outcomes, signature frame).

    The frame holds the documents left to cluster, at local positions 0..k-1.
    """
    from newsclean.dedup import sketch
    from newsclean.dedup.minhash import Params
    from newsclean.pipeline import apply_templates, live_outcomes, mark_empty, outcome_of

    outcomes = [outcome_of(doc, doc_id, res) for (doc, res), doc_id in zip(part, ids, strict=True)]
    live = live_outcomes(outcomes)
    if templates is not None:
        apply_templates(live, templates)
    mark_empty(live)
    if mode == "clean":
        return outcomes, None
    ok = [o for o in live if o.status == "ok" and o.article is not None]
    texts = [o.article.text for o in ok if o.article is not None]
    sigs, sizes = sketch(texts, Params.from_config(cfg))
    dates = [o.article.date for o in ok if o.article is not None]
    return outcomes, _sig_frame([o.doc.id for o in ok], dates, sigs, sizes, 0)


def _outcomes_of(staged: tuple[list[Any], Any]) -> list[Any]:
    return staged[0]


def _frame_of(staged: tuple[list[Any], Any], offset: int) -> Any:
    return _shift(staged[1], offset).set_index("pos", drop=False)


def _frame_len(staged: tuple[list[Any], Any]) -> int:
    return 0 if staged[1] is None else len(staged[1])


def _cluster_staged(client: Any, staged: list[Any], cfg: Config) -> list[ClusterInfo]:
    """ClusterInfo of every document left to cluster, in input order."""
    lengths = client.gather(client.map(_frame_len, staged))
    keep = [(s, n) for s, n in zip(staged, lengths, strict=True) if n]
    offsets = np.concatenate(([0], np.cumsum([n for _, n in keep]))).astype(np.int64).tolist()
    frames = [_delayed(_frame_of)(s, off) for (s, _), off in zip(keep, offsets, strict=False)]
    info = _cluster_frames(frames, offsets, cfg).compute().sort_index()
    return _infos(info)
