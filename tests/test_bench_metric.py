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


def test_gold_dates_compare_on_the_precision_the_gold_has() -> None:
    assert ex.gold_date("2005-5-7 21:23:57") == (2005, 5, 7)
    assert ex.gold_date("1998-3") == (1998, 3)
    assert ex.gold_date("UNKNOWN") == ()
    assert ex.gold_date("刘涛") is None  # a misfiled author: no usable gold
    assert ex.gold_date("") is None
    assert ex.date_right((2005, 5, 7), "2005-05-07T21:23:00")
    assert not ex.date_right((2005, 5, 7), "2005-05-08")
    assert ex.date_right((1998, 3), "1998-03-01")
    assert not ex.date_right((1998, 3), None)
    assert ex.date_right((), None) and not ex.date_right((), "2020-01-01")


def test_authors_match_whatever_separates_the_names() -> None:
    assert ex.author_right("王建宏 张文攀", "王建宏、张文攀")
    assert not ex.author_right("王建宏 张文攀", "王建宏")
    assert ex.author_right("UNKNWON", None) and not ex.author_right("UNKNOWN", "某人")


def test_authors_match_in_any_order_but_every_name_counts() -> None:
    assert ex.author_right("王建宏 张文攀", "张文攀、王建宏")
    assert ex.author_right("王建宏 张文攀", "王建宏张文攀")
    assert ex.author_right("伊琳  李清芬", "伊琳 李清芬")
    assert not ex.author_right("王建宏 张文攀", "王建宏、张文攀、李四")
    assert not ex.author_right("王建宏", None)


def test_a_page_whose_gold_has_no_date_counts_and_needs_no_date() -> None:
    page = ex.Page("p", "", "", None, 0, date="UNKNOWN", author="UNKNOWN")
    dated = ex.Page("q", "", "", None, 0, date="2005-5-7", author="茉莉")
    unusable = ex.Page("r", "", "", None, 0, date="刘涛", author="")
    pages = [page, dated, unusable]
    meta = {"p": ("2020-01-01", None), "q": ("2005-05-07", "茉莉"), "r": ("2020-01-01", "x")}
    assert ex.metadata_accuracy(pages, meta) == ("0.50 (1/2)", "1.00 (2/2)")
    meta["p"] = (None, "某人")
    assert ex.metadata_accuracy(pages, meta) == ("1.00 (2/2)", "0.50 (1/2)")


def test_failure_classes_are_counted_per_page() -> None:
    body = "one two three four five six seven eight nine ten eleven twelve"
    page = ex.Page("p", "", body, None, 0)
    wrong = ex.failures([page], {"p": "alpha beta gamma delta epsilon zeta"})
    assert (wrong.wrong_block, wrong.body_cut, wrong.markup) == (1, 0, 0)
    assert ex.failures([page], {"p": "one two three four five"}).body_cut == 1
    assert ex.failures([page], {"p": body + "\n<td><img src=x>"}).markup == 1
    thread = body + "\nalice says: nice post\nbob says: agreed, reply here"
    assert ex.failures([page], {"p": thread}).comments_kept == 1
    assert ex.failures([page], {"p": body}) == ex.Failures()


def test_worst_lists_the_lowest_f1_pages_with_their_peers() -> None:
    truth = "one two three four five six seven eight"
    pages = [ex.Page(f"page{i}", "", truth, None, 0) for i in range(3)]
    mine = {"page0": truth, "page1": "", "page2": "one two three four"}
    peer = {p.id: truth for p in pages}
    results = [ex.Result("html", "trafilatura", peer), ex.Result("html", "newsclean html", mine)]
    lines = ex.worst(pages, results, 2).splitlines()
    assert lines[1] == "[newsclean html] the 2 worst pages (F1 P/R):"
    # worst first: the empty output, then the half; the peer's score beside each
    assert lines[2].split()[:7] == [
        "page1", "trafilatura", "1.000", "1.00/1.00", "newsclean", "html", "0.000",
    ]  # fmt: skip
    assert lines[3].split()[0] == "page2" and len(lines) == 4


def test_the_gap_listing_puts_the_page_text_mode_loses_most_first() -> None:
    body = "one two three four five six seven eight nine ten eleven twelve"
    pages = [ex.Page(pid, "", body, f"https://x/{pid}", 0) for pid in ("a", "b", "c")]
    html = ex.Result("html", "newsclean html", {"a": body, "b": body, "c": body})
    text = ex.Result(
        "text", "newsclean text", {"a": body, "b": "one two three four five six seven", "c": ""}
    )
    out = ex.gap(pages, [html, text], 2).splitlines()
    assert out[2].split()[:2] == ["c", "+1.000"]
    assert out[3].split()[0] == "b"
    assert len(out) == 4  # the header and two pages
    assert "needs both modes" in ex.gap(pages, [html], 2)
