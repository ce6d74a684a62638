"""Batch near-duplicate detection: shingles, signatures, LSH, clusters."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import Config, IndexMismatchError, cluster, signatures
from newsclean.dedup import (
    clustering,
    load_signatures,
    lsh,
    minhash,
    save_signatures,
    shingles,
    to_datasketch,
)
from tests.helpers import FIXTURES, SEEDS


def seed_bodies() -> list[str]:
    """The five seed pages' long lines (their paragraphs), all five about 复工复产."""
    out = []
    for p in sorted(SEEDS.glob("*.txt")):
        lines = p.read_text(encoding="utf-8").splitlines()
        out.append("\n\n".join(ln.strip() for ln in lines if len(ln.strip()) >= 100))
    return out


def english_bodies(n: int) -> list[str]:
    """The first n benchmark ground-truth bodies over 1,500 characters (fixtures/dedup)."""
    rows = json.loads((FIXTURES / "dedup" / "english_bodies.json").read_text(encoding="utf-8"))
    if n > len(rows):
        raise ValueError(f"fixtures/dedup holds {len(rows)} English bodies; {n} were asked for")
    return [r["articleBody"] for r in rows[:n]]


def shingle_set(text: str) -> set[int]:
    cfg = Config()
    return set(shingles.shingle_hashes(text, cfg.char_ngram, cfg.word_ngram).tolist())


# --- comparison form and shingles -----------------------------------------------


def test_width_case_punctuation_and_spacing_do_not_change_shingles() -> None:
    a = "烟台累计开复工规上工业企业1867家,开复工率达97.6%。Hello World!"
    b = "烟台累计开复工规上工业企业１８６７家， 开复工率达 97.6 ％ 。 hello   WORLD"
    assert shingle_set(a) == shingle_set(b)


def test_digits_are_kept() -> None:
    assert shingle_set("企业1867家复工复产") != shingle_set("企业1868家复工复产")


def test_tokens_are_characters_for_cjk_and_thai_and_words_elsewhere() -> None:
    assert shingles.tokens("复工 ok, it's 2020年!") == ["复", "工", "ok", "it", "s", "2020", "年"]
    assert shingles.tokens("สวัสดี") == list("สวัสดี")
    assert shingles.tokens("Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ") == ["full", "width", "abc"]


def test_chinese_uses_character_ngrams_and_english_word_ngrams() -> None:
    zh = shingles.shingle_strings("今天天气很好我们去公园", 5, 3)
    assert zh[0] == "今 天 天 气 很" and len(zh) == 11 - 5 + 1
    en = shingles.shingle_strings("The quick brown fox jumps", 5, 3)
    assert en == ["the quick brown", "quick brown fox", "brown fox jumps"]
    assert shingles.shingle_strings("两个字", 5, 3) == ["两 个 字"]  # shorter than n: one shingle
    assert shingles.shingle_strings("。，！", 5, 3) == []


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("复工产业企a Bc,.!，。１２3 ﬁßÅé\u0301ㄱ가สวั\n\t…")),
        max_size=40,
    )
)
def test_vectorized_hashes_equal_the_reference_hash_of_each_shingle_string(text: str) -> None:
    hv = shingles.shingle_hashes(text, 5, 3)
    ref = [shingles.hashfunc(s.encode()) for s in shingles.shingle_strings(text, 5, 3)]
    assert hv.tolist() == ref


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_table_fold_tokenizes_any_text_like_unicodedata(text: str) -> None:
    # The fast path folds by table lookup; the reference by unicodedata.normalize.
    hv = shingles.shingle_hashes(text, 3, 2)
    ref = [shingles.hashfunc(s) for s in shingles.shingle_strings(text, 3, 2)]
    assert hv.tolist() == ref


# --- signatures ----------------------------------------------------------------


def test_signatures_equal_datasketch_bit_for_bit() -> None:
    from datasketch import MinHash

    texts = [*seed_bodies()[:3], *english_bodies(2), "short", ""]
    for num_perm, seed in ((128, 1), (64, 7)):
        sigs = signatures(texts, num_perm=num_perm, seed=seed)
        assert sigs.shape == (len(texts), num_perm) and sigs.dtype == np.uint64
        for text, row in zip(texts, sigs, strict=True):
            m = MinHash(num_perm=num_perm, seed=seed, hashfunc=shingles.hashfunc, scheme="legacy")
            for s in shingles.shingle_strings(text, 5, 3):
                m.update(s.encode())
            assert np.array_equal(m.hashvalues, row)
    assert (signatures([""])[0] == 2**32 - 1).all()


def test_a_signature_row_works_in_datasketch_minhashlsh() -> None:
    from datasketch import MinHashLSH

    bodies = seed_bodies()
    reprint = bodies[0].replace(",", ", ").replace("。", ".\n")
    sigs = signatures([*bodies, reprint])
    index = MinHashLSH(threshold=0.7, num_perm=128)
    for k in range(5):
        index.insert(f"seed{k}", to_datasketch(sigs[k]))
    assert index.query(to_datasketch(sigs[5])) == ["seed0"]


def test_compiled_and_numpy_permutation_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("numba")
    monkeypatch.setattr(minhash, "_COMPILED_MIN_SHINGLES", 0)
    params = minhash.Params.from_config(Config())
    hashes = [shingles.shingle_hashes(t, 5, 3) for t in [*seed_bodies(), "", "x y"]]
    fast = minhash.minhash_rows(hashes, params, compiled=True)
    slow = minhash.minhash_rows(hashes, params, compiled=False)
    assert np.array_equal(fast, slow)


def test_compiled_and_numpy_shingle_hashes_agree() -> None:
    pytest.importorskip("numba")
    rng = random.Random(2)
    pool = list("复工产业企a Bc,.!，。１２3 ﬁßÅé\u0301ㄱ가สวั\n\t…")
    texts = [*seed_bodies(), *english_bodies(5), "", "x"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    fast = shingles.many_shingle_hashes(texts, 5, 3, compiled=True)
    slow = shingles.many_shingle_hashes(texts, 5, 3, compiled=False)
    assert [f.tolist() for f in fast] == [s.tolist() for s in slow]


def test_estimated_jaccard_tracks_the_exact_jaccard() -> None:
    a, b = seed_bodies()[0], seed_bodies()[0][: len(seed_bodies()[0]) // 2]
    sa, sb = shingle_set(a), shingle_set(b)
    exact = len(sa & sb) / len(sa | sb)
    sigs = signatures([a, b], num_perm=256).astype(np.uint32)
    est = clustering.jaccard(sigs, np.array([0]), np.array([1]))[0]
    assert abs(est - exact) < 0.1


def test_saved_signatures_carry_their_parameters(tmp_path: Path) -> None:
    path = tmp_path / "sigs.npz"
    sigs = signatures(seed_bodies())
    save_signatures(path, sigs, Config())
    assert np.array_equal(load_signatures(path, Config()), sigs)
    with pytest.raises(IndexMismatchError, match="seed: saved 1, now 3"):
        load_signatures(path, Config(seed=3))


# --- LSH -------------------------------------------------------------------------


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.3, 128), (0.5, 128), (0.7, 64), (0.9, 256)])
def test_bands_and_rows_match_datasketch(threshold: float, num_perm: int) -> None:
    from datasketch import MinHashLSH

    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert lsh.bands_rows(threshold, num_perm) == (index.b, index.r)


def test_candidate_pairs_come_from_shared_band_keys_in_input_order() -> None:
    keys = np.array([[1, 9], [2, 8], [1, 7], [3, 8], [4, 6]], dtype=np.uint64)
    i, j = lsh.candidate_pairs(keys)
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 2), (1, 3)]
    i, j = lsh.candidate_pairs(keys, active=np.array([True, True, False, True, True]))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(1, 3)]


def test_candidate_window_bounds_degenerate_buckets() -> None:
    keys = np.zeros((100, 1), dtype=np.uint64)
    i, j = lsh.candidate_pairs(keys, window=4)
    assert i.size == sum(min(k, 4) for k in range(100))
    assert ((j - i) <= 4).all()


def test_candidate_filter_keeps_what_filtering_afterwards_keeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Few distinct keys: many candidates, found again in several bands and folds.
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 40, size=(300, 6)).astype(np.uint64)
    monkeypatch.setattr(lsh, "_PENDING_CODES", 50)  # fold (and filter) many times

    def keep(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return (i * 7 + j) % 3 == 0

    all_i, all_j = lsh.candidate_pairs(keys)
    wanted = keep(all_i, all_j)
    i, j = lsh.candidate_pairs(keys, keep=keep)
    assert 0 < i.size < all_i.size
    assert i.tolist() == all_i[wanted].tolist() and j.tolist() == all_j[wanted].tolist()


# --- clusters --------------------------------------------------------------------


def reprint(text: str, rng: random.Random) -> str:
    """A syndicated copy: new title line, spaced punctuation, a dropped paragraph, an outro."""
    paras = text.split("\n\n")
    if len(paras) > 4:
        del paras[rng.randrange(1, len(paras) - 1)]
    body = "\n".join(paras).replace(",", ", ").replace("。", "。 ")
    return f"原标题: 新闻\n{body}\n来源: 人民日报"


def test_seeds_stay_five_clusters_and_reprints_and_truncations_join() -> None:
    rng = random.Random(3)
    bodies = seed_bodies()
    docs = [(f"s{k}", b) for k, b in enumerate(bodies)]
    docs += [(f"s{k}-copy", reprint(b, rng)) for k, b in enumerate(bodies)]
    docs += [(f"s{k}-cut", b[: int(len(b) * 0.6)] + "……阅读全文") for k, b in enumerate(bodies)]
    infos = cluster(docs)
    groups: dict[str, set[str]] = {}
    for (doc_id, _), info in zip(docs, infos, strict=True):
        groups.setdefault(info.cluster_id, set()).add(doc_id)
    assert sorted(map(sorted, groups.values())) == [
        sorted({f"s{k}", f"s{k}-copy", f"s{k}-cut"}) for k in range(5)
    ]
    # The truncated copy needed the containment rule: its Jaccard is below 0.7.
    no_containment = cluster(docs, containment=0.0)
    assert no_containment[10].cluster_id == "s0-cut"


def test_a_story_quoting_two_articles_does_not_chain_them() -> None:
    a, b = english_bodies(2)
    half_a, half_b = a[: len(a) // 2], b[len(b) // 2 :]
    docs = [("a", a), ("b", b), ("quote", half_a + "\n" + half_b)]
    infos = cluster(docs, threshold=0.25, containment=0.0)
    assert infos[0].cluster_id != infos[1].cluster_id
    # The quoting story joins at most one of them.
    assert infos[2].cluster_id in {infos[0].cluster_id, infos[1].cluster_id, "quote"}
    sizes = sorted(i.cluster_size for i in infos)
    assert sizes in ([1, 1, 1], [1, 2, 2])


def test_representative_policies_and_record_fields() -> None:
    body = english_bodies(1)[0]
    docs = [
        ("short", body[: int(len(body) * 0.8)], "2020-03-02"),
        ("long", body + "\nMore reporting by staff.", None),
        ("mid", body, "2020-03-01"),
    ]
    longest = cluster(docs)
    assert [i.cluster_id for i in longest] == ["long"] * 3
    assert [i.is_representative for i in longest] == [False, True, False]
    assert longest[0].duplicate_of == "long" and longest[1].duplicate_of is None
    assert longest[1].similarity is None and 0.5 < (longest[0].similarity or 0) < 1
    assert all(i.cluster_size == 3 for i in longest)
    assert cluster(docs, representative="earliest")[0].cluster_id == "mid"
    assert cluster(docs, representative="first")[0].cluster_id == "short"


def test_cluster_is_deterministic_and_in_input_order() -> None:
    rng = random.Random(5)
    bodies = seed_bodies() + english_bodies(10)
    docs = [(str(k), b) for k, b in enumerate(bodies)] + [
        (f"{k}r", reprint(b, rng)) for k, b in enumerate(bodies)
    ]
    assert cluster(docs) == cluster(list(docs))
    infos = cluster(docs)
    assert len(infos) == len(docs)
    by_id = dict(zip((d[0] for d in docs), infos, strict=True))
    for info in infos:  # the cluster id names its representative, a member
        assert by_id[info.cluster_id].is_representative
        assert by_id[info.cluster_id].cluster_id == info.cluster_id
    assert len({i.cluster_id for i in infos}) == len(bodies)


def test_exact_mode_verifies_on_the_shingle_sets() -> None:
    rng = random.Random(9)
    bodies = english_bodies(6)
    docs = [(str(k), b) for k, b in enumerate(bodies)]
    docs += [(f"{k}r", reprint(b, rng)) for k, b in enumerate(bodies)]
    estimated = cluster(docs)
    exact = cluster(docs, exact_jaccard=True)
    assert [i.cluster_id for i in exact] == [i.cluster_id for i in estimated]
    # Similarities are now exact: recompute one from the shingle sets.
    k = next(n for n, i in enumerate(exact) if i.duplicate_of is not None)
    rep = next(d[1] for d in docs if d[0] == exact[k].duplicate_of)
    a, b = shingle_set(docs[k][1]), shingle_set(rep)
    assert exact[k].similarity == round(len(a & b) / len(a | b), 4)


def test_empty_and_punctuation_only_texts_stay_singletons() -> None:
    infos = cluster([("a", ""), ("b", ""), ("c", "!!!"), ("d", "复工复产")])
    assert [i.cluster_id for i in infos] == ["a", "b", "c", "d"]
    assert [i.cluster_size for i in infos] == [1, 1, 1, 1]


def test_an_empty_text_is_nobodys_representative() -> None:
    """The README: an empty text is nobody's representative, so keeping the
    representatives keeps only real articles (cluster() once kept "" and "   ")."""
    body = "The council approved the harbour budget on Monday after a long debate. " * 3
    # invisible characters alone ("\u200b", a BOM) are no text either
    docs = [("a", ""), ("b", body), ("c", body + "Reprinted."), ("d", "   "), ("e", "\n\t\u3000"),
            ("f", "\u200b \ufeff")]  # fmt: skip
    infos = cluster(docs)
    assert [(i.cluster_id, i.is_representative, i.duplicate_of) for i in infos] == [
        ("a", False, None),
        ("c", False, "c"),
        ("c", True, None),
        ("d", False, None),
        ("e", False, None),
        ("f", False, None),
    ]
    assert [d[0] for d, i in zip(docs, infos, strict=True) if i.is_representative] == ["c"]
    # Every policy and option: the flag is decided in one place, after them all.
    for options in ({"representative": "first"}, {"representative": "earliest"}, {"exact_jaccard": True}):  # fmt: skip
        again = cluster(docs, **options)  # type: ignore[arg-type]
        assert [i.is_representative for i in again].count(True) == 1, options
        assert all(not again[k].is_representative for k in (0, 3, 4)), options


def test_cluster_signed_takes_the_empty_flags_and_checks_their_length() -> None:
    from newsclean.dedup import cluster_signed, is_empty, sketch
    from newsclean.dedup.minhash import Params

    texts = ["", "复工复产有序推进，企业陆续恢复生产。" * 5, " "]
    sigs, sizes = sketch(texts, Params.from_config(Config()))
    ids, dates = ["x", "y", "z"], [None, None, None]
    flags = [is_empty(t) for t in texts]
    assert flags == [True, False, True]
    signed = cluster_signed(ids, dates, sigs, sizes, empty=flags)
    assert signed == cluster(list(zip(ids, texts, strict=True)))
    assert [i.is_representative for i in signed] == [False, True, False]
    with pytest.raises(ValueError, match="2 empty flags"):
        cluster_signed(ids, dates, sigs, sizes, empty=flags[:2])


def test_bad_input_raises_value_errors_that_say_what_to_do() -> None:
    with pytest.raises(ValueError, match="unique"):
        cluster([("a", "x"), ("a", "y")])
    with pytest.raises(ValueError, match=r"\(id, text\)"):
        cluster(["just a text"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="sequence of texts"):
        signatures("one text")
    with pytest.raises(ValueError, match="threshold"):
        cluster([], threshold=0)


def _sigs(rows: list[list[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.uint64)


def test_a_later_copy_merges_a_copy_seen_before_its_original() -> None:
    from newsclean.dedup.clustering import roots_before_and_after_merge

    # 0: early copy, 1: original (agrees with 0 on 65 of 100 values: Jaccard
    # below 0.7, so 1 starts its own cluster), 2: a later copy agreeing with both on 80.
    base = list(range(100))
    sigs = _sigs([base, base[:65] + [1000 + k for k in range(35)], base[:80] + [2000] * 20])
    sigs[2, 65:80] = sigs[0, 65:80]
    sigs[1, 80:] = sigs[2, 80:] = np.arange(3000, 3020)  # 2 agrees with 1 on 80 too
    sigs[1, 65:80] = sigs[0, 65:80] + 5000  # keep 0-1 at exactly 65
    sizes = np.array([500, 500, 500])
    jac = (sigs[:, None, :] == sigs[None, :, :]).mean(axis=2)
    assert jac[0, 1] == pytest.approx(0.65) and jac[0, 2] >= 0.7 and jac[1, 2] >= 0.7
    pi, pj = np.array([0, 1]), np.array([2, 2])
    score = np.array([jac[0, 2], jac[1, 2]])
    _, merged = roots_before_and_after_merge(3, pi, pj, score, sigs, sizes, 0.7, 0.8)
    assert merged.tolist() == [0, 0, 0]
    _, separate = roots_before_and_after_merge(3, pi, pj, score, sigs, sizes, 0.7, 0.8, merge=False)
    assert len(set(separate.tolist())) == 2


def test_a_digest_of_two_unrelated_articles_does_not_merge_them() -> None:
    from newsclean.dedup.clustering import roots_before_and_after_merge

    # 0 and 1 share nothing; 2 holds both in full (twice the shingles), so it
    # passes the containment rule against each, yet the roots are unrelated.
    a = np.arange(100)
    b = np.arange(100) + 1000
    c = np.concatenate((a[:50], b[50:]))
    sigs = _sigs([a.tolist(), b.tolist(), c.tolist()])
    sizes = np.array([100, 100, 200])
    pi, pj = np.array([0, 1]), np.array([2, 2])
    _, root = roots_before_and_after_merge(3, pi, pj, np.array([0.5, 0.5]), sigs, sizes, 0.7, 0.8)
    assert root[0] != root[1]


def test_containment_needs_the_smaller_text_to_be_a_real_share_of_the_larger() -> None:
    from newsclean.dedup.clustering import passes

    # Both smaller texts lie wholly inside a 500-shingle article (J = |A| / |B|).
    truncated = passes(300 / 500, 300, 500, 0.7, 0.8)  # the first 60 %: a truncated reprint
    quote = passes(60 / 500, 60, 500, 0.7, 0.8)  # one paragraph in eight: a quote
    assert bool(truncated) and not bool(quote)


def test_merge_pass_joins_each_component_of_merge_edges_under_its_smallest_root() -> None:
    from newsclean.dedup.clustering import merge_roots

    # Roots 2, 5, 9 are linked through 9 (in an order a sequential pass would
    # see 5-9 first); 7-8 form another component; 0 stays alone.
    root = np.array([0, 0, 2, 2, 5, 5, 7, 8, 9, 9])
    a, b = np.array([5, 2, 7]), np.array([9, 9, 8])
    assert merge_roots(root, a, b).tolist() == [0, 0, 2, 2, 2, 2, 7, 7, 2, 2]
    assert merge_roots(root, a[:0], b[:0]).tolist() == root.tolist()


def test_cluster_signed_on_sketches_equals_cluster_and_checks_its_rows() -> None:
    from newsclean.dedup import cluster_signed, sketch

    rng = random.Random(11)
    bodies = seed_bodies() + english_bodies(6)
    docs = [(str(k), b, f"2020-03-{k + 1:02d}") for k, b in enumerate(bodies)]
    docs += [(f"{k}r", reprint(b, rng), None) for k, b in enumerate(bodies)]
    ids, texts, dates = ([d[i] for d in docs] for i in range(3))
    cfg = Config(representative="earliest")
    sets: list[np.ndarray] = []
    sigs, sizes = sketch(texts, minhash.Params.from_config(cfg), keep_sets=sets)
    assert sigs.dtype == np.uint32 and sizes.shape == (len(docs),)
    assert cluster_signed(ids, dates, sigs, sizes, cfg) == cluster(docs, cfg)
    # The uint64 rows of signatures() are the same values.
    assert cluster_signed(ids, dates, signatures(texts), sizes, cfg) == cluster(docs, cfg)
    exact = cfg.replace(exact_jaccard=True)
    assert cluster_signed(ids, dates, sigs, sizes, exact, sets=sets) == cluster(docs, exact)
    with pytest.raises(ValueError, match="one row per document"):
        cluster_signed(ids[1:], dates, sigs, sizes, cfg)
    with pytest.raises(ValueError, match="num_perm"):
        cluster_signed(ids, dates, sigs[:, :64], sizes, cfg)
    with pytest.raises(ValueError, match="sets="):
        cluster_signed(ids, dates, sigs, sizes, exact)
    with pytest.raises(ValueError, match="unique"):
        cluster_signed(["x"] * len(ids), dates, sigs, sizes, cfg)


def test_every_duplicate_says_why_it_joined_without_changing_the_clusters() -> None:
    """A truncated reprint under the threshold is ``contained``; a copy is ``exact``."""
    import newsclean

    paras = [
        f"第{i}段:某市今天公布了第{i}批复工企业名单,共有{i * 37}家企业复工,涉及职工{i * 911}人。"
        for i in range(1, 21)
    ]
    full = "\n\n".join(paras)
    cut = "\n\n".join(paras[:11])  # the first 55 %: Jaccard near 0.55, under 0.7
    other = "\n\n".join(p.replace("复工", "停产") for p in paras[::-1])
    docs = [("full", full), ("copy", full), ("cut", cut), ("other", other)]
    infos = {d[0]: i for d, i in zip(docs, newsclean.cluster(docs), strict=True)}
    assert infos["full"].is_representative and infos["full"].why is None
    assert infos["copy"].why == "exact" and infos["copy"].similarity == 1.0
    cut_info = infos["cut"]
    assert cut_info.duplicate_of == "full" and cut_info.similarity is not None
    assert cut_info.similarity < 0.7 and cut_info.why == "contained"
    assert infos["other"].why is None and infos["other"].cluster_size == 1
    # Without the containment rule the truncated copy stands alone: why never widens a cluster.
    alone = newsclean.cluster(docs, containment=0.0)[2]
    assert alone.is_representative and alone.why is None


def test_join_reasons_rank_exact_similar_contained_linked() -> None:
    from newsclean.dedup.clustering import join_reasons

    sim = np.array([1.0, 0.8, 0.5, 0.3])
    sizes_dup = np.array([100, 100, 55, 100])
    sizes_rep = np.array([100, 100, 100, 100])
    assert join_reasons(sim, sizes_dup, sizes_rep, 0.7, 0.8) == [
        "exact",
        "similar",
        "contained",
        "linked",
    ]
