"""The metadata and language shortcuts change no result.

``find_date`` returns early without two digits in a row (or, for the month-name
forms, without a four-digit year); ``parse_meta_line`` skips its label patterns
on a line without the colon (or bar) that each of them needs after its label
word; ``guess_language`` counts scripts and letters without deleting them;
``line_counts`` counts a whole page's characters per line in one pass.
These tests check each shortcut against the slow way, on every line of the
fixtures and on generated lines made of the patterns' parts.  The label
patterns are built from the lexicon files, so a new label word that made a gate
wrong fails here.
"""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.chrome import language, metadata
from newsclean.chrome.features import _lower_words, line_counts, line_features
from newsclean.chrome.metadata import _labels, find_date, parse_meta_line
from tests.helpers import fixture_lines

_ALWAYS = re.compile("")


def _ungated_find_date(s: str) -> tuple[str | None, tuple[int, int] | None]:
    with (
        mock.patch.object(metadata, "_TWO_DIGITS", _ALWAYS),
        mock.patch.object(metadata, "_YEAR", _ALWAYS),
    ):
        return find_date(s)


# digits of several scripts (\d is Unicode: fullwidth dates parse), month names,
# the separators of the numeric form and words around them
_DATE_PARTS = st.sampled_from(
    [
        "2020", "1999", "20", "19", "05", "5", "31", "12", "0", "９", "２０２０", "０５", "٢٠",
        "年", "月", "日", "-", "/", ".", " ", ", ", "T", ":", "时", "分",
        "March", "mar.", "Sept", "may", "December", "1st", "22nd", "pm", "a.m.", "新华网", "on",
    ]
)  # fmt: skip
_LINES = st.lists(_DATE_PARTS, max_size=12).map("".join)


# dates the fixtures lack: fullwidth and Arabic-Indic digits, month names, two-digit years
_MORE_DATES = [
    "２０年０５月２０日 １８:３２",
    "٢٠-٠٥-٢٠",
    "Posted March 3rd, 2021 9:15 pm",
    "20.5.31",
    "3 Sept 1999",
]


def test_find_date_gates_onfixture_lines() -> None:
    lines = fixture_lines() + _MORE_DATES
    assert all(find_date(x)[0] for x in _MORE_DATES)
    found = 0
    for line in lines:
        got = find_date(line)
        assert got == _ungated_find_date(line), line
        found += got[0] is not None
    assert found > 5  # the fixtures do carry dates: the comparison is not vacuous


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_find_date_gates_on_generated_lines(s: str) -> None:
    assert find_date(s) == _ungated_find_date(s)


def _label_words(pattern: re.Pattern[str]) -> list[str]:
    """The plain words of the alternation that opens a label pattern."""
    head = re.match(r"(?:\(\?<!.*?\))*\(\?:(.*?)\)\\s\*", pattern.pattern)
    assert head, pattern.pattern
    return [w for w in head[1].split("|") if re.fullmatch(r"[\w ]+", w)]


_SEPARATORS = (":", "：", "|", "丨", " ", "  ", "\t", "-", "／", "·")
_NAMES = ("新华社", "张三 李四", "Reuters", "人民日报客户端", "王五、赵六")


def _all_label_words() -> list[str]:
    rx = _labels()
    return _label_words(rx.source) + _label_words(rx.author) + _label_words(rx.editor)


def _label_lines() -> list[str]:
    return [f"{w}{sep}{n}" for w in _all_label_words() for sep in _SEPARATORS for n in _NAMES]


def _check_label_gates(line: str) -> tuple[bool, bool, bool]:
    """Each label pattern that matches ``line`` finds the character its gate needs."""
    rx = _labels()
    colon = ":" in line or "：" in line
    source, editor, author = (p.search(line) for p in (rx.source, rx.editor, rx.author))
    if source or editor:
        assert colon, line
    if author:
        assert colon or "|" in line or "丨" in line, line
    return bool(source), bool(editor), bool(author)


def _ungated_parse(s: str) -> tuple[dict[str, str | None], bool]:
    with mock.patch.object(metadata, "_separators", lambda _: (True, True)):
        return parse_meta_line(s)


def test_label_patterns_need_their_gate_characters() -> None:
    lines = _label_lines() + fixture_lines()
    hits = [_check_label_gates(x) for x in lines]
    # every pattern does match somewhere: the gates are tested, not skipped
    assert all(any(h[i] for h in hits) for i in range(3))
    for line in lines:
        assert parse_meta_line(line) == _ungated_parse(line), line


_LABEL_PARTS = st.sampled_from(
    _all_label_words()
    + list(_SEPARATORS)
    + list(_NAMES)
    + ["(", ")", "（", "）", "By", "2020-05-20", "责任编辑"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LABEL_PARTS, max_size=8).map("".join))
def test_label_gates_on_generated_lines(s: str) -> None:
    _check_label_gates(s)
    assert parse_meta_line(s) == _ungated_parse(s)


def _script_counts_by_regex(s: str) -> tuple[int, int, int, int]:
    ranges = (r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", r"[\u3040-\u30ff]", r"[\uac00-\ud7af]")
    han, kana, hangul = (len(re.findall(r, s)) for r in ranges)
    return han, kana, hangul, len(re.findall(r"[^\x00-\x7f]", s))


# the range edges of each script, letters that fold to ASCII, other letters and
# digits, and a lone surrogate (surrogateescape-decoded input)
_CHARS = st.sampled_from(
    list(
        "aZ09_ -\u00e9\u0131\u0130\u017f\u212a\u00b2\u00bd\u0660\u0416\u2160\u00aa\u0301\uff21\ud800"
    )
    + ["the", "Word", "?", "don't", "naïve"]
    + [chr(c) for c in (0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4E00, 0x9FFF, 0xA000, 0xF8FF, 0xF900)]
    + [chr(c) for c in (0xFAFF, 0xFB00, 0x303F, 0x3040, 0x30FF, 0x3100, 0xABFF, 0xAC00, 0xD7AF)]
    + [chr(c) for c in (0xD7B0, 0x1F600, 0x20000, 0x1D400)]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join))
def test_language_counts_equal_the_regex_counts(s: str) -> None:
    counts = language._script_counts(s)
    assert counts == _script_counts_by_regex(s)
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", s)]
    assert language._latin_words(s) == words
    latin = sum(map(len, words))
    letters = len(re.findall(r"[^\W\d_]", s))
    assert language._latin_minority(s, latin, counts[3]) == (2 * latin < letters)
    assert language._latin_minority(s, None, counts[3]) == (letters > 0)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(_CHARS | st.sampled_from(list("，。.!?：; \t\u3000")), max_size=12).map("".join),
        max_size=8,
    )
)
def test_line_counts_equal_the_per_line_scans(lines: list[str]) -> None:
    counts = line_counts(lines)
    assert len(counts) == len(lines)
    for line, (dense, nonspace, punct) in zip(lines, counts, strict=True):
        s = line.strip()  # line_features strips; the page-wide count does not need to
        slow = line_features(s, None)
        assert (dense, punct) == (slow.dense, slow.punct)
        assert nonspace == len("".join(line.split()))


def test_clean_keeps_a_text_with_a_lone_surrogate() -> None:
    from newsclean.clean import clean

    text = (
        "The council met on Tuesday to discuss the new budget for the schools of the city.\n"
        "Members said the plan\udcff would raise the money that the district needs for teachers.\n"
        "The vote is expected next month, after a public hearing that is open to everyone.\n"
    )
    art = clean(text, kind="text")
    # (normalization replaces the surrogate; line_counts used to raise on it)
    assert "Members said the plan\ufffd would raise" in art.text


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        _CHARS | st.sampled_from(["’", "“", "—", "…", "\u00a0", "\u2009", "«", "é"]), max_size=30
    ).map("".join)
)
def test_lower_words_equal_the_regex_words(s: str) -> None:
    assert _lower_words(s) == [w.lower() for w in re.findall(r"[^\W\d_]+", s)]
