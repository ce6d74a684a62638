"""The extraction metric of docs/contracts.md §4, checked on cases computed by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load_bench_module():  # bench/ is scripts, not a package
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH / "extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


ex = _load_bench_module()


def test_tokens_cjk_ideographs_are_single_tokens_words_are_runs() -> None:
    assert ex.tokenize("复工复产 ok, it's 2020年!") == [
        "复", "工", "复", "产", "ok", "it", "s", "2020", "年",
    ]  # fmt: skip


def test_short_text_is_one_shingle_and_empty_text_none() -> None:
    # As in the published evaluate.py: fewer than n tokens -> one short shingle.
    assert ex.shingles("a b") == {("a", "b"): 1}
    assert ex.shingles("  ,. ") == {}


def test_identical_texts_are_perfect() -> None:
    assert ex.match("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)


def test_counts_are_multisets_normalized_per_document() -> None:
    # truth 4-grams: (a b c d), (b c d e); prediction repeats the first one and adds nothing else.
    tp, fp, fn = ex.match("a b c d e", "a b c d a b c d")
    # pred shingles: abcd, bcda, cdab, dabc, abcd -> abcd x2, bcda, cdab, dabc
    # tp = min(1, 2) = 1; fp = 1 (second abcd) + 3 = 4; fn = 1 (bcde); sum 6
    assert (tp, fp, fn) == pytest.approx((1 / 6, 4 / 6, 1 / 6))


def test_empty_prediction_scores_precision_zero_but_published_variant_skips_it() -> None:
    perfect = ex.match("w x y z v", "w x y z v")
    empty = ex.match("w x y z v", "")
    assert empty == (0.0, 0.0, 1.0)
    s = ex.score([perfect, empty], [False, False])
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(0.5)
    assert s.empty == 1
    # published: precision mean over the non-empty prediction only = 1.0
    assert s.f1_published == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_f1_is_harmonic_mean_of_the_means_not_mean_of_f1s() -> None:
    a = (0.5, 0.5, 0.0)  # P 0.5, R 1
    b = (0.5, 0.0, 0.5)  # P 1, R 0.5
    s = ex.score([a, b], [False, False])
    assert s.precision == pytest.approx(0.75) and s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(0.75)  # a mean of per-doc F1s would give 2/3
