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

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from newsclean.article import ClusterInfo
from newsclean.config import KINDS, Config, resolve_config
from newsclean.contrib import require

_dd = require("dask.dataframe", "dask")
_db = require("dask.bag", "dask")
_delayed = require("dask", "dask").delayed

#: Fixed-point rounds after which the root assignment gives up (never reached
#: in practice: the rounds needed are the longest chain of root changes, 2-3).
MAX_ROUNDS = 64
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
    runs ``compute()`` once per root-assignment round to test for the fixed point.
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
    parts = bag.to_delayed()
    lengths = _db.from_delayed([_delayed(_count)(p) for p in parts]).compute()
    # Empty partitions have no position range; dask divisions must increase.
    parts = [p for p, n in zip(parts, lengths, strict=True) if n]
    lengths = [n for n in lengths if n]
    if not parts:
        return _db.from_sequence([], npartitions=1)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64).tolist()
    signed = [
        _delayed(_sign_partition)(p, off, cfg, clean, kind)
        for p, off in zip(parts, offsets, strict=False)
    ]
    docs = _dd.from_delayed(
        [_delayed(lambda f: f.drop(columns=["text"]))(s) for s in signed],
        meta=_sig_meta(cfg.num_perm),
        divisions=_divisions(offsets),
    ).persist(fuse=False)
    edges = _verified_edges(docs, cfg).persist(fuse=False)
    root = _roots(docs, edges, cfg)
    info = _cluster_info(docs, root, cfg)
    info = info.set_index("pos", divisions=docs.divisions, shuffle_method=SHUFFLE)
    texts = _dd.from_delayed(
        [_delayed(lambda f: f[["pos", "id", "text"]].set_index("pos"))(s) for s in signed],
        meta=_text_meta(),
        divisions=docs.divisions,
    )
    joined = texts.join(info, how="left", shuffle_method=SHUFFLE).persist(fuse=False)
    return _db.from_delayed([_delayed(_records)(p) for p in joined.to_delayed()])


# --------------------------------------------------------------------------- 1. sign


def _count(part: Iterable[Any]) -> list[int]:
    return [sum(1 for _ in part)]


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

        texts = [clean_one(t, kind=kind, config=cfg).text for t in texts]
    sigs, sizes = sketch(texts, Params.from_config(cfg))
    return pd.DataFrame(
        {
            "pos": np.arange(offset, offset + len(ids), dtype=np.int64),
            "id": pd.Series(ids, dtype=object),
            "date": pd.Series(dates, dtype=object),
            "size": sizes.astype(np.int64),
            # One bytes cell per row: wide frames make dask's planner slow.
            "sig": pd.Series([row.tobytes() for row in sigs], dtype=object),
            "text": pd.Series(texts, dtype=object),
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

    n = docs.npartitions
    # Only documents with a verified edge can have another root; the rest are their own.
    touched = _dd.concat(
        [edges[["i"]].rename(columns={"i": "pos"}), edges[["j"]].rename(columns={"j": "pos"})]
    )
    touched = touched.drop_duplicates(split_out=n, shuffle_method=SHUFFLE)
    sigs = docs[["pos", "size", "sig"]].reset_index(drop=True)
    sigs = sigs.merge(touched, on="pos", npartitions=n, shuffle_method=SHUFFLE).persist(fuse=False)
    root = sigs[["pos"]].assign(root=sigs["pos"]).persist(fuse=False)
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
        new = new[["pos", "root", "old"]].persist(fuse=False)
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
    links = links.drop_duplicates(split_out=n, shuffle_method=SHUFFLE).persist(fuse=False)
    label = _dd.concat(
        [links[["a"]].rename(columns={"a": "node"}), links[["b"]].rename(columns={"b": "node"})]
    ).drop_duplicates(split_out=n, shuffle_method=SHUFFLE)
    label = label.assign(label=label["node"]).persist(fuse=False)
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
    new = new[["node", "label", "old"]].persist(fuse=False)
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
    out = []
    for pos, row in zip(part.index.tolist(), part.itertuples(index=False), strict=True):
        is_rep = int(row.rep) == int(pos)
        out.append(
            (
                row.id,
                row.text,
                ClusterInfo(
                    cluster_id=row.rep_id,
                    cluster_size=int(row.csize),
                    is_representative=is_rep,
                    duplicate_of=None if is_rep else row.rep_id,
                    similarity=None if is_rep else round(float(row.sim), 4),
                ),
            )
        )
    return out
