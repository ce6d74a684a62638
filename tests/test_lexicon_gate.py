"""The literal gates in front of the lexicon's unanchored patterns change no verdict.

``Lexicon.match`` skips a rule's regex when none of its needles is in the lowered
line; these tests check that the skip is never wrong: against the slow reference
path, on every line of the fixtures and on generated lines made of pattern parts.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.chrome.lexicon import FOLD_RISK, Lexicon, gate_text, load_lexicon, needles

ROOT = Path(__file__).resolve().parent.parent


def _fixture_lines() -> list[str]:
    lines: set[str] = set()
    for folder in ("fixtures/chrome", "fixtures/normalize", "seeds"):
        for p in sorted((ROOT / folder).glob("*.txt")):
            lines.update(x.strip() for x in p.read_text("utf-8").split("\n") if x.strip())
    return sorted(lines)


def _visual(text: str) -> tuple[int, int]:
    dense = len(
        re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]", text)
    )
    return len("".join(text.split())) + 2 * dense, dense


def _agrees(lex: Lexicon, text: str) -> bool:
    """The gated match gives what the same code gives with every gate open."""
    vlen, dense = _visual(text)
    fast = lex.match(text, vlen, dense)
    with mock.patch("newsclean.chrome.lexicon.gate_text", return_value=None):
        slow = lex.match(text, vlen, dense)
    return fast[0] is slow[0] and fast[1] == slow[1]


def test_fold_risk_lists_every_non_ascii_char_ignorecase_folds_to_ascii() -> None:
    codes = np.arange(0x110000, dtype="<u4")
    every = codes[(codes < 0xD800) | (codes > 0xDFFF)].tobytes().decode("utf-32-le")
    folded = {c for c in re.findall("[a-z]", every, re.IGNORECASE) if not c.isascii()}
    assert folded <= set(FOLD_RISK)


def test_needles_read_from_patterns() -> None:
    assert needles(r"(?:next|newer)\s*(?:»|›|>|→)$") == ("newer", "next")
    assert needles(r"\bsign up (?:for|to) (?:our|the)\b.{0,40}newsletter") == ("newsletter",)
    assert needles(r"all rights reserved|\bICP\s*\d") == ("all rights reserved", "icp")
    # an alternative without a literal leaves the rule ungated
    assert needles(r"版权所有|\d{4}-\d{2}") is None
    assert needles(r"[a-z]+\s*\d") is None
    assert needles(r"[a-z]+\s*»") == ("»",)  # one rare character is a gate


def test_every_gated_pattern_still_finds_its_matches_in_the_fixtures() -> None:
    lex = load_lexicon()
    gated = [r for r in lex.rules if r.anywhere is not None and r.needles is not None]
    assert len(gated) >= 8  # the gates are in use
    for text in _fixture_lines():
        low = gate_text(text)
        for r in gated:
            if r.anywhere is not None and r.anywhere.search(text):
                assert r.may_search(low), (r.reason, text)


def test_match_equals_the_ungated_reference_on_fixture_lines() -> None:
    lex = load_lexicon()
    assert all(_agrees(lex, t) for t in _fixture_lines())
    assert all(_agrees(load_lexicon("ja"), t) for t in _fixture_lines())


def test_fold_risk_lines_skip_the_gate() -> None:
    assert gate_text("All rIghts reserved") == "all rights reserved"
    assert gate_text("All r\u0131ghts reserved") is None  # dotless i: IGNORECASE matches it
    lex = load_lexicon()
    for text in ("\u00a9 2020 ALL R\u0130GHTS RESERVED.", "Website u\u017fes cookies here"):
        assert _agrees(lex, text)


_PARTS = st.sampled_from(
    [
        "All Rights Reserved", "cookie", "Cookies", "we use cookies", "accept all cookies",
        "newsletter", "inbox", "sign up for our", "subscribe to the", "版权所有", "转载请注明",
        "未经授权不得转载", "ICP备", "icp 123", "许可证编号: 1", "新闻热线", "下载客户端", "微信",
        "阅读全文", "[详细]", "» 正文", "next »", "...", "…", "read more", "© ", "2001-2020",
        "The city said", "记者从有关部门获悉", " ", ", ", "\u0131", "\u017f", "\u0130", "K",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PARTS, st.text(max_size=8)), min_size=1, max_size=8))
def test_match_equals_the_ungated_reference_on_generated_lines(parts: list[str]) -> None:
    text = "".join(parts).strip()
    assert _agrees(load_lexicon(), text)
