"""Signing paths agree bit for bit: compiled kernels, numpy fallback and datasketch.

Signatures are persisted, so every fast path must give exactly the values of
the slow reference, on ordinary text and on the edge cases that take other
branches (empty text, text shorter than the n-gram, astral-plane characters,
mixed scripts, text that needs ``unicodedata`` to fold, Mersenne-prime
corner values).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsclean import Config
from newsclean.dedup import _kernels, minhash, shingles
from tests.conftest import ROOT
from tests.test_dedup import english_bodies, seed_bodies

pytest.importorskip("numba")

EDGE_TEXTS = [
    "",
    "复工",  # shorter than the 5-character n-gram
    "x",
    "，。！…   \n\t",  # punctuation and whitespace only
    "𠀀𠀁𠂇𠃌𠄎𠅤𠆢",  # CJK extension B (astral plane)
    "新华社😀报道🚀复工复产😀😀",  # emoji are dropped, ideographs kept
    "烟台ＡＢＣ企业1867家 opened 97.6% of plants; ไทยภาษา",  # mixed scripts, full width
    "cafe\u0301 nai\u0308ve re\u0301sume\u0301 tre\u0300s",  # combining marks: unicodedata fold
    "\u1100\u1161\u11a8 한국어 뉴스 기사",  # conjoining jamo: unicodedata fold
    "tag\U000e0041\U000e0042 text beyond the fold table",  # tag characters
    "ﬁnance Straße ΣΊΣΥΦΟΣ",  # multi-character case folds
]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = list("复工产业企新华社记者报道aBc xyz,.!，。１２3ﬁßÅé\u0301ㄱ가สวั\n\t…𠀀😀")
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 60))) for _ in range(n)]


def corpus() -> list[str]:
    return [*seed_bodies(), *english_bodies(4), *EDGE_TEXTS, *_random_texts(120, 3)]


@pytest.fixture
def always_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the compiled kernels however small the batch."""
    monkeypatch.setattr(_kernels, "COMPILED_MIN_TEXTS", 0)
    monkeypatch.setattr(minhash, "_COMPILED_MIN_SHINGLES", 0)


def test_batch_shingle_hashes_equal_the_per_text_reference(always_compiled: None) -> None:
    texts = corpus()
    for char_ngram, word_ngram in ((5, 3), (3, 2), (1, 1)):
        hv, offsets = shingles.hash_batch(texts, char_ngram, word_ngram)
        assert offsets.shape == (len(texts) + 1,) and offsets[-1] == hv.size
        for k, text in enumerate(texts):
            got = hv[offsets[k] : offsets[k + 1]].tolist()
            ref = [
                shingles.hashfunc(s) for s in shingles.shingle_strings(text, char_ngram, word_ngram)
            ]
            assert got == ref, repr(text)


def test_numpy_and_compiled_batches_agree_on_every_text(always_compiled: None) -> None:
    texts = corpus()
    fast = shingles.hash_batch(texts, 5, 3, compiled=True)
    slow = shingles.hash_batch(texts, 5, 3, compiled=False)
    assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])
    assert shingles.hash_batch([], 5, 3)[1].tolist() == [0]


def test_text_shorter_than_the_ngram_is_one_shingle_and_empty_text_none() -> None:
    assert shingles.shingle_strings("复工", 5, 3) == ["复 工"]
    assert shingles.hash_batch(["", "复工", ""], 5, 3, compiled=False)[1].tolist() == [0, 0, 1, 1]


def test_signatures_equal_datasketch_on_edge_cases_on_both_paths(
    always_compiled: None,
) -> None:
    from datasketch import MinHash

    texts = [*EDGE_TEXTS, seed_bodies()[1][:300], *_random_texts(6, 5)]
    params = minhash.Params.from_config(Config(num_perm=64, seed=3))
    hashes = shingles.many_shingle_hashes(texts, 5, 3)
    fast = minhash.minhash_rows(hashes, params, compiled=True)
    slow = minhash.minhash_rows(hashes, params, compiled=False)
    assert np.array_equal(fast, slow)
    for text, row in zip(texts, fast, strict=True):
        m = MinHash(num_perm=64, seed=3, hashfunc=shingles.hashfunc, scheme="legacy")
        m.update_batch([s.encode() for s in shingles.shingle_strings(text, 5, 3)])
        assert np.array_equal(m.hashvalues, row.astype(np.uint64)), repr(text)


def _corner_hashes(a: int, b: int) -> list[int]:
    """Inputs h whose ``a*h + b mod 2**64`` lands where ``(x & p) + (x >> 61) >= p``.

    The branch-free reduction corrects these once in 2**58 values; random
    text never reaches them, so they are solved for (``a`` is odd here,
    hence invertible mod 2**64).
    """
    p = (1 << 61) - 1
    inv = pow(a, -1, 1 << 64)
    targets = [(hi << 61) | (p - d) for hi in range(1, 8) for d in range(0, hi)]
    targets += [(7 << 61) | p, (1 << 61) | (p - 1), 0, (1 << 64) - 1, p, p - 1]
    # The numpy path's lazy reduction works with value + 1 and re-signs a document
    # whose block minimum is below 8: values 6..9 around that threshold, and
    # 2**32 - 1, whose + 1 wraps to 0.
    targets += [6, 7, 8, 9, (5 << 61) | 7, (5 << 61) | 8, 0xFFFFFFFF, (3 << 61) | 0xFFFFFFFF]
    return [((x - b) * inv) % (1 << 64) for x in targets]


def _windows(text: str, sizes: list[int], seed: int) -> list[str]:
    rng = random.Random(seed)
    return [text[(k := rng.randrange(max(1, len(text) - n))) : k + n] for n in sizes]


@pytest.mark.parametrize("scheme", ["datasketch", "oph"])
def test_numpy_and_numba_sign_the_same_texts_identically_end_to_end(
    scheme: str, always_compiled: None
) -> None:
    # Text in, signature out, through each path alone: shingling and signing
    # both numpy, then both compiled.  Chinese, English, mixed, short, empty
    # and long texts, in one batch that spans several numpy blocks.
    zh, en = "".join(seed_bodies()), " ".join(english_bodies(6))
    sizes = [0, 1, 4, 5, 6, 40, 300, 2000, 2000, 6000]
    texts = [
        *_windows(zh, sizes * 3, 1),
        *_windows(en, sizes * 3, 2),
        *[a + b for a, b in zip(_windows(zh, sizes, 3), _windows(en, sizes, 4), strict=True)],
        *corpus(),
        *_run_texts(150, 8),
        zh,
    ]
    params = minhash.Params.from_config(Config(scheme=scheme))
    sigs = []
    for compiled in (False, True):
        hv, offsets = shingles.hash_batch(texts, 5, 3, compiled=compiled)
        sigs.append(minhash.minhash_packed(hv, offsets, params, compiled=compiled))
    assert _kernels.loaded()  # the second pass did run the compiled kernels
    assert sigs[0].shape == (len(texts), 128) and sigs[0].dtype == np.uint32
    assert np.array_equal(sigs[0], sigs[1])


def test_mersenne_corner_values_are_reduced_exactly_on_both_paths(
    always_compiled: None,
) -> None:
    from datasketch import MinHash

    num_perm, seed = 16, 1
    a, b = minhash.permutations(num_perm, seed)
    j = next(k for k in range(num_perm) if int(a[k]) % 2)
    corner = np.array(_corner_hashes(int(a[j]), int(b[j])), dtype=np.uint64)
    params = minhash.Params(num_perm, seed, 5, 3)
    # One document per corner value (so each is its permutation's minimum
    # candidate), and one document holding all of them.
    docs = [corner[k : k + 1] for k in range(corner.size)] + [corner]
    fast = minhash.minhash_rows(docs, params, compiled=True)
    slow = minhash.minhash_rows(docs, params, compiled=False)
    p = (1 << 61) - 1
    expect = [((int(a[j]) * int(h) + int(b[j])) % (1 << 64) % p) & 0xFFFFFFFF for h in corner]
    assert fast[: corner.size, j].tolist() == expect
    assert np.array_equal(fast, slow)
    for doc, row in zip(docs, fast, strict=True):
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme="legacy")
        m.update_batch(doc.tolist())
        assert np.array_equal(m.hashvalues, row.astype(np.uint64))


def test_documents_spanning_numpy_chunks_and_empty_documents(
    monkeypatch: pytest.MonkeyPatch, always_compiled: None
) -> None:
    texts = ["", *seed_bodies(), "", "", *english_bodies(3), "x", ""]
    params = minhash.Params.from_config(Config())
    hv, offsets = shingles.hash_batch(texts, 5, 3)
    fast = minhash.minhash_packed(hv, offsets, params, compiled=True)
    # Blocks of 7 shingles x 128 permutations, 300 x 3, 8192 x 8, to all at once.
    for cols, elements in ((7, 128 * 7), (300, 900), (1 << 13, 1 << 16), (1 << 20, 1 << 30)):
        monkeypatch.setattr(minhash, "_CHUNK_SHINGLES", cols)
        monkeypatch.setattr(minhash, "_CHUNK_ELEMENTS", elements)
        assert np.array_equal(minhash.minhash_packed(hv, offsets, params, compiled=False), fast)
    assert (fast[0] == 2**32 - 1).all() and (fast[-1] == 2**32 - 1).all()


def test_set_sizes_count_distinct_hashes_on_both_paths(always_compiled: None) -> None:
    rng = np.random.default_rng(4)
    parts = [
        rng.integers(0, k + 1, size=int(rng.integers(0, 900))).astype(np.uint64)
        for k in range(0, 400, 5)
    ]
    parts += [np.array(v, dtype=np.uint64) for v in ([2**64 - 1, 2**64 - 1, 0, 0], [], [5])]
    offsets = np.concatenate(([0], np.cumsum([p.size for p in parts])))
    hv = np.concatenate(parts)
    expect = [len(set(p.tolist())) for p in parts]
    assert minhash.set_sizes(hv, offsets, compiled=True).tolist() == expect
    assert minhash.set_sizes(hv, offsets, compiled=False).tolist() == expect


def test_sketch_batch_gives_signatures_sizes_and_sorted_sets(always_compiled: None) -> None:
    texts = corpus()
    params = minhash.Params.from_config(Config())
    sets: list[np.ndarray] = []
    sigs, sizes = minhash.sketch_batch(texts, params, sets)
    sigs2, sizes2 = minhash.sketch_batch(texts, params)
    assert sigs.dtype == np.uint32 and sizes.dtype == np.int32
    assert np.array_equal(sigs, sigs2) and np.array_equal(sizes, sizes2)
    assert np.array_equal(sigs, minhash.signatures(texts, Config()).astype(np.uint32))
    for text, size, got in zip(texts, sizes.tolist(), sets, strict=True):
        ref = np.unique(shingles.shingle_hashes(text, 5, 3)).astype(np.uint32)
        assert got.dtype == np.uint32 and np.array_equal(got, ref) and size == ref.size


def test_signatures_are_the_same_bytes_on_every_run() -> None:
    texts = [*seed_bodies(), *english_bodies(2)]
    first = minhash.signatures(texts, Config()).tobytes()
    assert minhash.signatures(list(texts), Config()).tobytes() == first


# --- band keys and candidate order (persisted keys; batch equals streaming) ----


M64 = (1 << 64) - 1


def fmix64(z: int) -> int:  # MurmurHash3's finalizer: the band mixer of legacy indexes
    z ^= z >> 33
    z = (z * 0xFF51AFD7ED558CCD) & M64
    z ^= z >> 33
    z = (z * 0xC4CEB9FE1A85EC53) & M64
    return z ^ (z >> 33)


def splitmix64(z: int) -> int:  # splitmix64's finalizer: shingles, oph, new band keys
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) & M64
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _band_keys_reference(sigs: np.ndarray, bands: int, rows: int, mix: Any) -> np.ndarray:
    """The band-key formula written out per key in Python integers."""
    out = np.empty((sigs.shape[0], bands), dtype=np.uint64)
    for d in range(sigs.shape[0]):
        for i in range(bands):
            acc = (i + 1) * 0xC2B2AE3D27D4EB4F & M64
            for j in range(rows):
                salt = (j + 1) * 0x9E3779B97F4A7C15 & M64
                acc = mix(acc ^ ((int(sigs[d, i * rows + j]) + salt) & M64))
            out[d, i] = acc
    return out


def test_band_keys_equal_the_reference_in_any_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.dedup import lsh

    rng = np.random.default_rng(8)
    sigs = rng.integers(0, 2**32, size=(23, 128), dtype=np.uint32)
    sigs[5] = 2**32 - 1
    for band_hash, mix in ((lsh.BAND_HASH, splitmix64), (lsh.LEGACY_BAND_HASH, fmix64)):
        ref = _band_keys_reference(sigs, 37, 3, mix)
        for chunk in (1, 4, 1 << 16):
            monkeypatch.setattr(lsh, "_KEY_CHUNK", chunk)
            assert np.array_equal(lsh.band_keys(sigs, 37, 3, band_hash), ref)
    assert np.array_equal(lsh.band_keys(sigs, 37, 3), _band_keys_reference(sigs, 37, 3, splitmix64))
    assert lsh.band_keys(sigs[:0], 37, 3).shape == (0, 37)
    with pytest.raises(ValueError, match="band_hash"):
        lsh.band_keys(sigs, 37, 3, "md5")


def test_keys_made_one_band_at_a_time_find_the_same_pairs() -> None:
    """Clustering makes one band's keys at a time (LazyBandKeys): the same keys,
    column by column, and the same candidate pairs as the whole matrix."""
    from newsclean.dedup import lsh

    rng = np.random.default_rng(9)
    sigs = rng.integers(0, 50, size=(400, 128), dtype=np.uint32)  # a small alphabet: collisions
    sigs[200:260] = sigs[0]  # and reprints
    ref = _band_keys_reference(sigs, 37, 3, splitmix64)
    lazy = lsh.LazyBandKeys(sigs, 37, 3)
    assert lazy.shape == (400, 37)
    for band in (0, 1, 17, 36):
        assert np.array_equal(lazy.column(band), ref[:, band])
        assert np.array_equal(lsh.band_keys(sigs, 2, 3, first=band)[:, 0], ref[:, band])
    active = np.ones(400, dtype=bool)
    active[7] = False
    whole = lsh.candidate_pairs(lsh.band_keys(sigs, 37, 3), active=active)
    assert whole[0].size > 60  # the reprints are there
    for got, want in zip(lsh.candidate_pairs(lazy, active=active), whole, strict=True):
        assert np.array_equal(got, want)


def test_grouped_order_is_the_stable_argsort() -> None:
    from newsclean.dedup import lsh

    rng = np.random.default_rng(9)
    cols = [
        rng.integers(0, 2**63, size=5000).astype(np.uint64),
        rng.integers(0, 40, size=5000).astype(np.uint64),  # long runs of one key
        np.zeros(300, dtype=np.uint64),
        np.array([3, 1, 3, 1, 2, 3], dtype=np.uint64),
        np.zeros(0, dtype=np.uint64),
    ]
    for col in cols:
        assert np.array_equal(lsh._grouped_order(col), np.argsort(col, kind="stable"))


def test_a_lone_surrogate_separates_tokens_instead_of_raising(always_compiled: None) -> None:
    # Text decoded with errors="surrogateescape" carries lone surrogates.
    texts = ["ab\ud800cd ef gh", "复工\udcff复产企业", "\udc80"]
    for text in texts:
        ref = [shingles.hashfunc(s) for s in shingles.shingle_strings(text, 5, 3)]
        assert shingles.shingle_hashes(text, 5, 3).tolist() == ref
    hv, offsets = shingles.hash_batch(texts, 5, 3)
    assert hv.tolist() == shingles.hash_batch(texts, 5, 3, compiled=False)[0].tolist()
    assert offsets[-1] - offsets[-2] == 0
    assert shingles.tokens("ab\ud800cd") == ["ab", "cd"]


def test_once_the_kernels_are_loaded_a_single_text_uses_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert minhash.preload() and _kernels.loaded()
    calls: list[str] = []
    for name in ("legacy_kernel", "shingle_kernel", "unique_kernel"):
        real = getattr(_kernels, name)()

        def counted(*args: object, real: object = real, name: str = name) -> object:
            calls.append(name)
            return real(*args)  # type: ignore[operator]

        monkeypatch.setattr(_kernels, name, lambda counted=counted: counted)
    text = seed_bodies()[2]
    params = minhash.Params.from_config(Config())
    sigs, sizes = minhash.sketch_batch([text], params)
    assert sorted(calls) == ["legacy_kernel", "shingle_kernel", "unique_kernel"]
    hv, offsets = shingles.hash_batch([text], 5, 3, compiled=False)
    assert np.array_equal(sigs, minhash.minhash_packed(hv, offsets, params, compiled=False))
    assert sizes.tolist() == [np.unique(hv).size]


# --- shingles per script segment ------------------------------------------------

JA = "東京都は二十六日、新型コロナウイルスの感染拡大を受けて、都内の大規模なイベントの中止や延期を要請した。"
EN = "The governor said on Wednesday that large events in the capital should be cancelled or postponed."


def test_a_long_passage_in_another_script_is_shingled_in_its_own_mode(
    always_compiled: None,
) -> None:
    text = f"{EN} {JA} {EN}"
    got = shingles.shingle_strings(text, 5, 3)
    words = [s for s in got if all(len(t) > 1 for t in s.split(" "))]
    chars = [s for s in got if all(len(t) == 1 for t in s.split(" "))]
    # Both halves keep their own n-gram mode: word 3-grams and character 5-grams.
    assert "the governor said" in words and len(words) == 2 * (len(EN.split()) - 2)
    assert "東 京 都 は 二" in chars and all(len(s.split(" ")) == 5 for s in chars)
    # The whole-document rule (run_min=0) turned this text wholly into char 5-grams of words.
    assert all(len(s.split(" ")) == 5 for s in shingles.shingle_strings(text, 5, 3, run_min=0))
    texts = [text, f"{JA}{EN}", EN + "，".join([JA] * 3), "2020年2月26日 14:51:00 " + JA]
    for run_min in (0, 1, 3, shingles.RUN_MIN):
        hv, offsets = shingles.hash_batch(texts, 5, 3, run_min=run_min)
        slow = shingles.hash_batch(texts, 5, 3, compiled=False, run_min=run_min)
        assert np.array_equal(hv, slow[0]) and np.array_equal(offsets, slow[1])
        for k, t in enumerate(texts):
            ref = [shingles.hashfunc(s) for s in shingles.shingle_strings(t, 5, 3, run_min)]
            assert hv[offsets[k] : offsets[k + 1]].tolist() == ref, (run_min, t)


def test_numbers_and_short_runs_stay_in_the_segment_around_them() -> None:
    # A date, a time and an English name inside Chinese text are no script switch:
    # single-script texts shingle exactly as with one segment per document.
    zh = "新华社北京2020年2月26日电 14 51 00 2020 02 26 97 6 记者从有关部门获悉 Donald Trump 表示全市累计开复工企业一千余家"
    en = "Tokyo 東京 reported 2020 02 26 14 51 new cases on Wednesday, officials said in a statement."
    for text in (zh, en, *seed_bodies(), *english_bodies(3)):
        assert shingles.shingle_strings(text, 5, 3) == shingles.shingle_strings(text, 5, 3, 0)
    tokens = np.array([1, 2, 2, 0, 0, 2, 1, 1], dtype=np.uint8)
    # Numbers take the kind of the token before them (the first after, at the start).
    assert shingles.script_kinds(tokens, np.array([0, 3])).tolist() == [
        True, True, True, False, False, False, True, True
    ]  # fmt: skip


# --- scheme="oph" ------------------------------------------------------------------


def test_oph_signatures_agree_on_both_paths_and_keep_empty_texts_empty(
    always_compiled: None,
) -> None:
    texts = ["", *corpus(), "x", ""]
    params = minhash.Params.from_config(Config(scheme="oph"))
    hv, offsets = shingles.hash_batch(texts, 5, 3)
    fast = minhash.oph_packed(hv, offsets, params, compiled=True)
    slow = minhash.oph_packed(hv, offsets, params, compiled=False)
    assert fast.dtype == np.uint32 and np.array_equal(fast, slow)
    assert np.array_equal(minhash.minhash_packed(hv, offsets, params), fast)
    assert (fast[0] == 2**32 - 1).all() and (fast[-1] == 2**32 - 1).all()
    # "x" has one shingle: densification copies its one bin everywhere.
    assert len(set(fast[-2].tolist())) == 1 and fast[-2, 0] != 2**32 - 1
    # Another seed, other signatures; the default scheme is untouched.
    other = minhash.oph_packed(
        hv, offsets, minhash.Params.from_config(Config(scheme="oph", seed=2))
    )
    assert not np.array_equal(other[1:-2], fast[1:-2])
    assert not np.array_equal(
        minhash.minhash_packed(hv, offsets, minhash.Params(128, 1, 5, 3)), fast
    )


def test_oph_estimates_jaccard_without_bias() -> None:
    rng = np.random.default_rng(12)
    params = minhash.Params.from_config(Config(scheme="oph"))
    errors = []
    for size in (12, 60, 400, 3000):  # densification matters most for the short sets
        for _ in range(60):
            a = rng.integers(0, 2**32, size=size, dtype=np.uint64)
            shared = int(rng.integers(1, size))
            b = np.concatenate(
                [a[:shared], rng.integers(0, 2**32, size=size - shared, dtype=np.uint64)]
            )
            true = shared / (2 * size - shared)
            sig = minhash.minhash_rows([a, b], params)
            errors.append(float((sig[0] == sig[1]).mean()) - true)
    # 240 estimates with standard error about 0.04 each: the mean is within 0.01.
    assert abs(np.mean(errors)) < 0.01 and np.std(errors) < 0.06


def test_an_unknown_scheme_is_refused_eagerly() -> None:
    with pytest.raises(ValueError, match=r"scheme='bbit'.*'datasketch', 'oph'"):
        Config(scheme="bbit")


def test_without_numba_installed_the_signatures_are_the_same(tmp_path: Path) -> None:
    # numba is a dependency only where it has wheels: elsewhere the numpy path
    # signs, in a process where importing numba fails.
    import subprocess
    import sys

    texts = [*seed_bodies(), *english_bodies(3), *EDGE_TEXTS] * 8  # 64+ texts: a "batch"
    src = tmp_path / "texts.json"
    src.write_text(json.dumps(texts), encoding="utf-8")
    code = (
        "import json, sys\n"
        "sys.modules['numba'] = None  # import numba -> ImportError\n"
        "import numpy as np\n"
        "from newsclean import Config, signatures\n"
        "from newsclean.dedup import _kernels\n"
        f"texts = json.loads(open({str(src)!r}, encoding='utf-8').read())\n"
        "out = [signatures(texts, Config(scheme=s)).tolist() for s in ('datasketch', 'oph')]\n"
        "assert not _kernels.loaded() and _kernels.legacy_kernel() is None\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    legacy, oph = json.loads(done.stdout)
    assert minhash.preload()  # this process: the compiled kernels
    assert np.array_equal(np.array(legacy, dtype=np.uint64), minhash.signatures(texts, Config()))
    oph_here = minhash.signatures(texts, Config(scheme="oph"))
    assert np.array_equal(np.array(oph, dtype=np.uint64), oph_here)


def _run_texts(n: int, seed: int) -> list[str]:
    """Texts made of runs of CJK characters, English words and numbers, 1-14 tokens each."""
    rng = random.Random(seed)
    cjk = "复工产业企新华社记者报道東京都はイベント"
    words = ["the", "governor", "said", "über", "café", "x", "covid19", "ß"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 6)):
            kind, size = rng.choice("cwn"), rng.randint(1, 14)
            if kind == "c":
                parts.append("".join(rng.choice(cjk) for _ in range(size)))
            elif kind == "w":
                parts.append(" ".join(rng.choice(words) for _ in range(size)))
            else:
                parts.append(" ".join(str(rng.randint(0, 2030)) for _ in range(size)))
        out.append(rng.choice(["", " ", "，"]).join(parts))
    return out


def test_segments_agree_on_all_paths_for_random_runs_of_scripts(always_compiled: None) -> None:
    texts = _run_texts(300, 21)
    # 59 of these texts have more than one segment at run_min=8, 98 at 2.
    split = [
        t
        for t in texts
        if shingles.shingle_strings(t, 5, 3) != shingles.shingle_strings(t, 5, 3, 0)
    ]
    assert len(split) > 30
    for run_min in (2, 5, shingles.RUN_MIN):
        hv, offsets = shingles.hash_batch(texts, 5, 3, run_min=run_min)
        slow = shingles.hash_batch(texts, 5, 3, compiled=False, run_min=run_min)
        assert np.array_equal(hv, slow[0]) and np.array_equal(offsets, slow[1])
        for k, text in enumerate(texts):
            ref = [shingles.hashfunc(s) for s in shingles.shingle_strings(text, 5, 3, run_min)]
            assert hv[offsets[k] : offsets[k + 1]].tolist() == ref, (run_min, text)


@pytest.mark.parametrize(
    ("expected", "loads"), [(1, False), (999, False), (1000, True), (None, True)]
)
def test_run_loads_the_kernels_only_for_a_job_that_pays_for_them(
    expected: int | None, loads: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsclean.batch.work import warm_up

    calls: list[object] = []
    monkeypatch.setattr(minhash, "preload", lambda config=None: calls.append(config) or True)
    warm_up(Config(), "dedup", expected)
    assert bool(calls) is loads
    calls.clear()
    warm_up(Config(), "clean", None)  # cleaning alone never signs
    assert not calls


def test_a_one_file_run_does_not_load_numba(tmp_path: Path) -> None:
    import subprocess
    import sys

    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / seed.name).write_bytes(seed.read_bytes())
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['newsclean', 'run', {str(tmp_path / 'in')!r}, '-o', {str(tmp_path / 'out')!r}]\n"
        "try:\n    runpy.run_module('newsclean', run_name='__main__')\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        "print('numba' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stderr.strip().splitlines()[-1] == "False 0", done.stderr
    assert (tmp_path / "out").is_dir()


# --- the character tables -----------------------------------------------------------


def test_character_tables_equal_a_per_code_point_reading_of_unicodedata() -> None:
    """The tables are built with array operations; this is the definition they
    must equal, read one code point at a time (every code point they cover)."""
    import unicodedata

    table = shingles.char_classes()
    fold, complex_ = shingles._fold_tables()
    for cp in range(0x40000):
        major = unicodedata.category(chr(cp))[0]
        want = {"L": shingles.WORD, "M": shingles.WORD, "N": shingles.DIGIT}.get(major, 0)
        if want and any(lo <= cp <= hi for lo, hi in shingles._SINGLE_RANGES):
            want = shingles.SINGLE
        assert table[cp] == want, hex(cp)
    jamo = (
        (0x1100, 0x11FF),
        (0x3130, 0x318F),
        (0xA960, 0xA97F),
        (0xD7B0, 0xD7FF),
        (0xFFA0, 0xFFDC),
    )
    for cp in range(0x30000):
        if 0xD800 <= cp <= 0xDFFF or any(lo <= cp <= hi for lo, hi in jamo):
            assert complex_[cp], hex(cp)
            continue
        if cp == 0x0A:
            continue
        f = shingles.comparison_form(chr(cp))
        if f and all(unicodedata.category(c)[0] not in "LNM" for c in f):
            assert (fold[cp], complex_[cp]) == (0x20, False), hex(cp)
        elif len(f) != 1 or unicodedata.category(f)[0] == "M":
            assert complex_[cp], hex(cp)
        else:
            assert (fold[cp], complex_[cp]) == (ord(f), False), hex(cp)
