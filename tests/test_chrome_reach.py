"""Text mode carries the body across the data tables that split it, in linear work.

``_ProseReach`` answers, for a unit ``k`` and a direction, where the running
sum of the weights from ``k`` peaks first before the next end marker.  It
replaced a scan to the end marker per question, which made a results page
(a paragraph, a table, a paragraph, ...) quadratic: ``_across_tables`` asks
once per table.  The scan and its loop are kept here as the oracle.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclean.chrome.detector as detector
from newsclean.chrome import detect
from newsclean.chrome.detector import (
    END_PENALTY,
    RULE_PENALTY,
    Unit,
    _across_tables,
    _ProseReach,
    _table_far_side,
    _weight,
)
from newsclean.chrome.features import BAD, GOOD, NEAR, SHORT, LineFeatures
from newsclean.chrome.lexicon import ChromeRule
from newsclean.config import Config

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scan_reach(weights: list[Any], k: int, step: int, zero: Any = 0.0) -> int | None:
    """The scan _ProseReach replaced, verbatim but for its ``zero``: ``0.0``
    starts the float sum it kept, ``Fraction(0)`` an exact one."""
    acc, best, reach = zero, zero, None
    while 0 <= k < len(weights) and weights[k] > -END_PENALTY:
        acc += weights[k]
        if acc > best:
            best, reach = acc, k
        k += step
    return reach


def _scan_across_tables(units: list[Unit], weights: list[float], a: int, b: int) -> tuple[int, int]:
    """_across_tables as it was: one scan to the end marker per table."""
    for step in (1, -1):
        while True:
            edge = b if step == 1 else a - 1
            far = _table_far_side(units, weights, edge, step)
            end = _scan_reach(weights, far, step) if far is not None else None
            if end is None:
                break
            if step == 1:
                b = end + 1
            else:
                a = end
    return a, b


def _questions(weights: list[float], order: random.Random) -> list[tuple[int, int]]:
    """Every question (a start, a direction), off both ends too, in a random
    order: one _ProseReach answers them all, from the stretches it summed."""
    questions = [(k, step) for k in range(-1, len(weights) + 1) for step in (1, -1)]
    order.shuffle(questions)
    return questions


# Multiples of 1/2, as a page's weights are but for a teaser's and a damped
# one: the float scan's sums never round, and the few values make ties common.
# End markers: the penalty itself, a longer rule line's (-(150 + vlen)) and
# -599.5, which is just not one.
_exact_weight = st.one_of(
    st.integers(-12, 12).map(lambda x: x * 5.0),
    st.integers(-40, 40).map(lambda x: x / 2),
    st.sampled_from([-END_PENALTY, -(RULE_PENALTY + 480), -(END_PENALTY - 0.5), 0.0]),
)


@FAST
@given(st.lists(_exact_weight, max_size=40), st.randoms(use_true_random=False))
def test_prose_reach_answers_as_the_scan_did(weights: list[float], order: random.Random) -> None:
    reach = _ProseReach(weights)
    for k, step in _questions(weights, order):
        assert reach(k, step) == _scan_reach(weights, k, step), (k, step)


# A teaser weighs -10 - 0.3 * its length, a weight after an end marker is
# damped to 0.2 of itself: binary fractions whose float sums round.
_any_weight = st.one_of(
    _exact_weight,
    st.integers(1, 400).map(lambda v: -10 - 0.3 * v),
    st.integers(1, 400).map(lambda v: 0.2 * v),
    st.floats(-300, 300, allow_nan=False),
)


@FAST
@given(st.lists(_any_weight, max_size=40), st.randoms(use_true_random=False))
def test_prose_reach_decides_by_the_exact_sums(weights: list[float], order: random.Random) -> None:
    exact = [Fraction(w) for w in weights]
    reach = _ProseReach(weights)
    for k, step in _questions(weights, order):
        assert reach(k, step) == _scan_reach(exact, k, step, Fraction(0)), (k, step)


def test_a_tie_the_float_scan_rounded_is_decided_by_the_true_sums() -> None:
    # 0.7 - 0.3 + 0.1 + 0.2 rounds to 0.7 in floats, a tie the first peak won;
    # the floats' exact sum is a little more, so the run goes on to the last
    weights = [0.7, -0.3, 0.1, 0.2]
    assert _scan_reach(weights, 0, 1) == 0
    assert sum(map(Fraction, weights)) > Fraction(0.7)
    assert _ProseReach(weights)(0, 1) == 3


# --- _across_tables on units -----------------------------------------------------

_COPYRIGHT = ChromeRule(
    reason="copyright", head=None, anywhere=None, max_len=200, end=True, strip=False
)
_AD_LABEL = ChromeRule(
    reason="advertisement",
    head=None,
    anywhere=None,
    max_len=40,
    end=False,
    strip=False,
    inline=True,
)
_PROSE = "The council said on Monday that the results were confirmed after the game."


def _unit(kind: str, size: int) -> Unit:
    """A unit of one kind: a paragraph (GOOD or NEAR, ``size`` long), a table
    cell (a number, a word, a long BAD one), an end marker or an ad label."""

    def feats(vlen: int, quality: str) -> LineFeatures:
        return LineFeatures(vlen, 0, vlen // 5, 0.3, 1, True, quality)

    if kind == "good":
        return Unit([0], _PROSE, feats(size, GOOD))
    if kind == "near":
        return Unit([0], _PROSE, feats(size, NEAR))
    if kind == "number":
        return Unit([0], str(size), feats(len(str(size)), SHORT))
    if kind == "word":
        return Unit([0], "North End", feats(9, SHORT))
    if kind == "bad":
        return Unit([0], "North End " * 6, feats(size, BAD))
    if kind == "end":
        return Unit([0], "© 2024 City News", feats(14, SHORT), rule=_COPYRIGHT)
    return Unit([0], "Advertisement", feats(13, SHORT), rule=_AD_LABEL)


# Lengths from a few values, so that a paragraph often weighs just what a
# table of 4 to 8 cells costs (ties); a page is paragraphs and tables (cells,
# mostly numbers, with a word, a long cell or an ad label among them), most
# often a paragraph then a table, with an end marker or a stray cell between
# them now and then.
_SIZES = st.sampled_from([40, 60, 80, 120, 160])
_paragraph = st.tuples(st.sampled_from(["good", "near"]), _SIZES).map(lambda u: [u])
_table = st.lists(
    st.tuples(st.sampled_from(["number"] * 5 + ["word", "bad", "ad"]), _SIZES),
    min_size=3,
    max_size=9,
)
_stray = st.tuples(st.sampled_from(["end", "word", "number", "ad"]), _SIZES).map(lambda u: [u])
_section = st.tuples(_paragraph, _table).map(lambda pt: pt[0] + pt[1])
_units = st.lists(st.one_of(_section, _section, _paragraph, _table, _stray), max_size=16).map(
    lambda blocks: [_unit(kind, size) for block in blocks for kind, size in block]
)


@FAST
@given(_units, st.data())
def test_across_tables_carries_the_body_as_the_scans_did(units: list[Unit], data: Any) -> None:
    weights = [_weight(u, "text") for u in units]
    n = len(units)
    # the body's edges: most often at a paragraph, where a table may follow
    edges = [i for i, u in enumerate(units) if u.rule is None and u.feats.quality in (GOOD, NEAR)]
    a = data.draw(st.one_of(st.sampled_from(edges), st.integers(0, n)) if edges else st.just(0))
    b = data.draw(
        st.one_of(st.sampled_from([e + 1 for e in edges if e >= a] or [a]), st.integers(a, n))
    )
    assert _across_tables(units, weights, a, b) == _scan_across_tables(units, weights, a, b)


# --- a results page of any length --------------------------------------------------


def _results_page(rounds: int) -> tuple[str, list[str]]:
    """A paragraph, a table of 16 cells (-160) heavier than the paragraph, and
    so on: the body is carried across one table per step of _across_tables."""
    rng = random.Random(rounds)
    lines, paras = ["Home", "News", "Sport", "Share on Facebook", ""], []
    for k in range(1, rounds + 1):
        para = f"The league said on Monday that the results of round {k} were confirmed after the game."
        paras.append(para)
        lines += [para, ""]
        for pos in range(1, 5):
            lines += [str(pos), "North End", str(rng.randrange(90)), f"{rng.randrange(6)}-1"]
        lines.append("")
    lines += ["Share on Facebook", "© 2024 City News. All rights reserved."]
    return "\n".join(lines), paras


class _CountedWeights(list[float]):
    """The weights, counting every weight read (one per index, a slice's
    length, a whole pass for an iteration)."""

    reads = 0

    def __getitem__(self, i: Any) -> Any:
        self.reads += len(range(*i.indices(len(self)))) if isinstance(i, slice) else 1
        return super().__getitem__(i)

    def __iter__(self) -> Any:
        self.reads += len(self)
        return super().__iter__()


def test_a_results_page_is_judged_in_work_linear_in_its_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 300 rounds (5,106 units): the detector's passes over the weights read
    # each about 5 times; when each step of _across_tables summed the rest of
    # the page, 168 times (and the more rounds, the more)
    seen: list[_CountedWeights] = []
    damped = detector._damped

    def counted(weights: list[float], units: list[Unit]) -> list[float]:
        out = _CountedWeights(damped(weights, units))
        seen.append(out)
        return out

    monkeypatch.setattr(detector, "_damped", counted)
    page, paras = _results_page(300)
    det = detect(page, Config(), mode="text")
    (weights,) = seen
    assert weights.reads <= 20 * len(weights)
    # and every paragraph is the article's, from the first to the last
    kept = {v.text for v in det.lines if v.reason is None}
    assert all(p in kept for p in paras)
