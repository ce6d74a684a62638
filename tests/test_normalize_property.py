"""Properties of normalize() over random mixes of scripts, punctuation and junk.

The alphabet leans on the characters the rules treat specially (ASCII and
full-width punctuation, spaces of every kind, zero-width joiners, controls,
Latin-1 letters that look like mojibake, entities), so hypothesis reaches the
corners instead of drawing random planes of Unicode.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsclean import Config
from newsclean.normalize import normalize, normalize_line, normalize_lines

CJK = "复工企业记者苑菲菲烟台防控不松加快のカ"
LATIN = "abcXYZ éÃâ©€™"
DIGITS = "0123456789"
PUNCT = ",.!?:;()[]&#%@/-'\"“”…，。！？：；（）、《》"
EMOJI = ["😀", "👨\u200d👩\u200d👧", "\u2764\ufe0f"]
CONTROL = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\u00ad\u200b\u200c\u200d\u200e\u2060\ufeff"
SPACE = " \t\n\r\u00a0\u3000\u2002\u2028\u2029"
PIECES = [
    "http://a.cn/x?a=1,b",
    "a@b.com",
    "14:51",
    "1,867",
    "97.6%",
    "&amp;",
    "&amp;amp;",
    "&nbsp;",
]

chars = st.sampled_from(list(CJK + LATIN + DIGITS + PUNCT + CONTROL + SPACE) + EMOJI + PIECES)
texts = st.lists(chars, max_size=60).map("".join)
policies = st.sampled_from(["fullwidth", "keep", "halfwidth"])
LINE_BREAK = re.compile("\r\n|[\n\r\v\f\u2028\u2029]")
INVISIBLE = {"\u200b", "\u2060", "\ufeff", "\u00ad", "\u200e"}

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts, policies)
@example("Ã\u200b©", "fullwidth")
@example("企业 , 复工 。", "halfwidth")
@example("&amp;amp;lt;", "fullwidth")
def test_idempotent(text: str, policy: str) -> None:
    cfg = Config(punctuation=policy)
    once = normalize(text, cfg)
    assert normalize(once, cfg) == once


@FAST
@given(texts)
def test_no_controls_or_invisible_junk(text: str) -> None:
    out = normalize(text)
    for ch in out:
        assert ch == "\n" or unicodedata.category(ch) != "Cc", repr(ch)
        assert ch not in INVISIBLE, repr(ch)


@FAST
@given(texts, policies)
def test_lines_neither_merged_nor_split(text: str, policy: str) -> None:
    cfg = Config(punctuation=policy)
    expected = [normalize_line(line, cfg) for line in LINE_BREAK.split(text)]
    got = normalize(text, cfg).split("\n")
    assert [line for line in got if line] == [line for line in expected if line]


@FAST
@given(texts)
def test_layout(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "\n\n\n" not in out
    for line in out.split("\n"):
        assert line == line.strip(" ")
        assert "  " not in line


@FAST
@given(texts, policies)
def test_normalize_line_is_one_idempotent_line(text: str, policy: str) -> None:
    cfg = Config(punctuation=policy)
    line = normalize_line(text, cfg)
    assert not LINE_BREAK.search(line)
    assert normalize_line(line, cfg) == line


# Letters that compose with a following mark (e + U+0301 is é), the marks of
# U+0300-U+036F, the zero-width characters scrapers leave between them, CJK
# and punctuation: removing a joiner between a letter and its mark must leave
# NFC text, or the next run composes it.
MARKED = st.lists(
    st.sampled_from(
        [
            *"aeouAEOUnczCyw",
            *map(chr, range(0x300, 0x370)),
            *"\u200b\u200c\u200d",
            *"复工企业のカ",
            *" ,.!?，。（）",
            "\u212a",  # KELVIN SIGN: NFC makes it ASCII K
            "\u037e",  # GREEK QUESTION MARK: NFC makes it ASCII ;
        ]
    ),
    max_size=40,
).map("".join)


@FAST
@given(MARKED, policies)
@example("Cafe\u200d\u0301 au lait", "keep")
@example("Cafe\u200c\u0301 au lait", "keep")
@example("A\u200d\u030a", "keep")
def test_idempotent_and_nfc_with_joiners_before_combining_marks(text: str, policy: str) -> None:
    cfg = Config(punctuation=policy)
    once = normalize(text, cfg)
    assert unicodedata.is_normalized("NFC", once)
    assert normalize(once, cfg) == once
    line = normalize_line(text, cfg)
    assert unicodedata.is_normalized("NFC", line)
    assert normalize_line(line, cfg) == line
    lines = normalize_lines(text.split("\n"), cfg)
    assert lines == [normalize_line(x, cfg) for x in text.split("\n")]
    assert normalize_lines(lines, cfg) == lines


@pytest.mark.parametrize("policy", ["fullwidth", "keep", "halfwidth"])
def test_ascii_english_is_left_alone(policy: str) -> None:
    text = "Hello, world! Is it 14:51? (Yes; see http://a.com/x?a=1,b.)"
    assert normalize(text, punctuation=policy) == text


MOJIBAKE_SOURCE = st.lists(
    st.sampled_from([*"复工企业烟台 ,.!?éü“”’—…&;\u00a0\u200b\u3000\x85\x9d\xad", "&amp;"]),
    max_size=12,
).map("".join)
ENCODINGS = st.sampled_from(["none", "latin-1", "cp1252", "twice"])


def _garble(text: str, how: str) -> str:
    def once(s: str, enc: str) -> str:
        return s.encode("utf-8").decode(enc, errors="replace")

    if how == "none":
        return text
    if how == "twice":
        return once(once(text, "cp1252"), "cp1252")
    return once(text, how)


@FAST
@given(st.lists(st.tuples(MOJIBAKE_SOURCE, ENCODINGS), max_size=6), policies)
def test_idempotent_on_mixed_mojibake(parts: list[tuple[str, str]], policy: str) -> None:
    # Repair is not idempotent by itself (ftfy may fix more on a second look);
    # normalize must still be.
    text = "".join(_garble(s, how) for s, how in parts)
    cfg = Config(punctuation=policy)
    once = normalize(text, cfg)
    assert normalize(once, cfg) == once
