"""The lexicon's shortcuts change no verdict.

``Lexicon.match`` skips a rule's unanchored regex when none of its needles is in
the lowered line, and tries only the anchored (head) patterns that can start
with the line's first character.  These tests check that neither skip is ever
wrong: against the same code with both shortcuts off, on every line of the
fixtures and on generated lines made of pattern parts.
"""

from __future__ import annotations

import re
from importlib import resources
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.chrome.lexicon import (
    FOLD_RISK,
    LANGUAGE_FILES,
    Lexicon,
    case_keys,
    first_chars,
    gate_text,
    load_lexicon,
    needles,
)
from tests.helpers import fixture_lines


def _visual(text: str) -> tuple[int, int]:
    dense = len(
        re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]", text)
    )
    return len("".join(text.split())) + 2 * dense, dense


def _full_head_match(lex: Lexicon, skip: str, text: str) -> int:
    head = lex.full_head(skip)
    m = head.match(text) if head is not None else None
    return int(m.lastgroup[1:]) if m is not None and m.lastgroup else -1


def _matches(lex: Lexicon, texts: list[str]) -> list[tuple[object, bool]]:
    out = []
    for text in texts:
        vlen, dense = _visual(text)
        rule, anchored = lex.match(text, vlen, dense)
        out.append((rule, anchored))
    return out


def _agree(lex: Lexicon, texts: list[str]) -> bool:
    """The matches are what the same code gives with every shortcut off."""
    fast = _matches(lex, texts)
    with (
        mock.patch("newsclean.chrome.lexicon.gate_text", return_value=None),
        mock.patch.object(Lexicon, "head_match", _full_head_match),
    ):
        slow = _matches(lex, texts)
    return all(f[0] is s[0] and f[1] == s[1] for f, s in zip(fast, slow, strict=True))


def _every_code_point() -> str:
    codes = np.arange(0x110000, dtype="<u4")
    return codes[(codes < 0xD800) | (codes > 0xDFFF)].tobytes().decode("utf-32-le")


def test_fold_risk_lists_every_non_ascii_char_ignorecase_folds_to_ascii() -> None:
    every = _every_code_point()
    folded = {c for c in re.findall("[a-z]", every, re.IGNORECASE) if not c.isascii()}
    assert folded <= set(FOLD_RISK)
    # str.lower maps every other character to one character (the dispatch key)
    assert {c for c in every if len(c.lower()) != 1} <= set(FOLD_RISK)


def _lexicon_letters() -> set[str]:
    """Every cased non-ASCII letter the lexicon files hold, and the few that
    ``re`` pairs with a letter of another case (ᲀ ~ в, µ ~ μ, ς ~ σ)."""
    folder = resources.files("newsclean.lexicons")
    text = "".join(f.read_text("utf-8") for f in folder.iterdir() if f.name.endswith(".json"))
    extra = "чüéвÀ\u1c80\u00b5\u03bc\u03c2\u03c3\u1e9e\u00df\u2126\u212b"
    return {c for c in text + extra if not c.isascii() and c.lower() != c.upper()}


def test_case_keys_are_the_lower_cases_of_every_character_ignorecase_matches() -> None:
    """The first-character dispatch and the needles key a cased non-ASCII letter
    by :func:`case_keys`: checked against ``re`` itself over every code point."""
    every = _every_code_point()
    letters = _lexicon_letters()
    for ch in sorted(letters):
        keys = case_keys(ch)
        assert keys is not None, ch
        matched = re.findall(re.escape(ch), every, re.IGNORECASE)
        assert keys == {c.lower() for c in matched}, ch
    assert case_keys("в") == {"в", "\u1c80"}  # re matches ᲀ (rounded ve) to в
    assert case_keys("\u0130") is None  # İ lowers to two characters


def test_needles_read_from_patterns() -> None:
    assert needles(r"(?:next|newer)\s*(?:»|›|>|→)$") == ("newer", "next")
    assert needles(r"\bsign up (?:for|to) (?:our|the)\b.{0,40}newsletter") == ("newsletter",)
    assert needles(r"all rights reserved|\bICP\s*\d") == ("all rights reserved", "icp")
    # an alternative without a literal leaves the rule ungated
    assert needles(r"版权所有|\d{4}-\d{2}") is None
    assert needles(r"[a-z]+\s*\d") is None
    assert needles(r"[a-z]+\s*»") == ("»",)  # one rare character is a gate
    # a cased letter outside ASCII is a literal when str.lower finds all its matches
    assert needles(r"\bschließen\b") == ("schließen",)
    assert needles(r"(?<=\W)tous droits réservés") == ("tous droits réservés",)
    # ... not в (re matches ᲀ to it, which lowers to itself): the literal stops there
    assert needles(r"\bвсе права защищены\b") == ("а защищены",)


def test_first_chars_read_from_patterns() -> None:
    assert first_chars(r"^(?:Share|Follow us)\s*:?$") == frozenset("sf")
    # optional brackets and spaces before the word: both can start the line
    assert first_chars(r"^[(（]?\s*(?:记者|通讯员)") == frozenset("(（记通")
    # digits and spaces are left out: such lines try every rule
    assert first_chars(r"^\d+\s*shares?$|^likes?$") == frozenset("l")
    assert first_chars(r"^\S{1,8}\s*>") is None
    assert first_chars(r"^(?:x)?$") is None  # matches an empty line
    # cased letters outside ASCII: the lower cases of what IGNORECASE matches
    assert first_chars(r"^(?:À lire aussi|Über uns|Читайте также)") == frozenset("àüч")
    assert first_chars(r"^все права") == frozenset("в\u1c80")


def test_head_dispatch_tries_few_rules_and_finds_the_first() -> None:
    lex = load_lexicon()
    by_char, _ = lex.head_first["cjk"]
    full = lex.full_head("cjk")
    assert full is not None
    assert len(by_char["©"]) < len(full.groupindex) / 3
    # a line that starts with a digit ("2 comments", "2020-02-26 来源") too
    assert len(lex.head_digit["cjk"]) < len(full.groupindex) / 3
    assert lex.rules[lex.head_match("", "12 comments")].reason == "comments"
    assert lex.rules[lex.head_match("cjk", "Share this article")].reason == "share-widget"
    assert lex.head_match("cjk", "The city said on Tuesday") == -1
    assert lex.rules[lex.head_match("", "相关新闻")].reason == "related-list"


def test_every_gated_pattern_still_finds_its_matches_in_the_fixtures() -> None:
    lex = load_lexicon()
    gated = [r for r in lex.rules if r.anywhere is not None and r.needles is not None]
    assert len(gated) >= 8  # the gates are in use
    for text in fixture_lines():
        low = gate_text(text)
        for r in gated:
            if r.anywhere is not None and r.anywhere.search(text):
                assert r.may_search(low), (r.reason, text)


def test_match_equals_the_ungated_reference_onfixture_lines() -> None:
    lex = load_lexicon()
    assert _agree(lex, fixture_lines())
    for language in LANGUAGE_FILES:
        assert _agree(load_lexicon(language), fixture_lines()), language


def test_language_files_add_no_rule_that_every_line_pays_for() -> None:
    """Every head of fr/es/de/pt/it/ru.json is dispatched by its first character
    and every unanchored pattern has a needle: their rules cost a line that
    cannot match nothing but a set lookup or a substring test."""
    base = load_lexicon()
    for language in ("fr", "es", "de", "pt", "it", "ru"):
        lex = load_lexicon(language)
        own = [r for r in lex.rules if r not in base.rules]
        assert own, language
        for skip in ("", "cjk"):
            assert len(lex.head_first[skip][1]) == len(base.head_first[skip][1]), language
        assert all(r.needles is not None for r in own if r.anywhere is not None), language


def test_loading_a_language_compiles_no_combined_head() -> None:
    """The combined head regex (most of a language's load time) is compiled
    only for a line that needs it: one starting with a FOLD_RISK character."""
    lex = load_lexicon.__wrapped__("fr")  # a fresh one, not the shared cached one
    _matches(lex, [line for line in fixture_lines() if line[:1] not in FOLD_RISK])
    _matches(lex, ["2 commentaires", "2020 © Le Monde", "١٢ تعليقا"])
    assert not lex._full_heads
    _matches(lex, ["\u212a\u212a news"])  # KELVIN SIGN: IGNORECASE folds it to k
    assert lex._full_heads


def test_fold_risk_lines_skip_the_gate() -> None:
    assert gate_text("All rIghts reserved") == "all rights reserved"
    assert gate_text("All r\u0131ghts reserved") is None  # dotless i: IGNORECASE matches it
    lex = load_lexicon()
    assert _agree(lex, ["\u00a9 2020 ALL R\u0130GHTS RESERVED.", "Website u\u017fes cookies here"])


_PARTS = st.sampled_from(
    [
        "All Rights Reserved", "cookie", "Cookies", "we use cookies", "accept all cookies",
        "newsletter", "inbox", "sign up for our", "subscribe to the", "版权所有", "转载请注明",
        "未经授权不得转载", "ICP备", "icp 123", "许可证编号: 1", "新闻热线", "下载客户端", "微信",
        "阅读全文", "[详细]", "» 正文", "next »", "...", "…", "read more", "© ", "2001-2020",
        "The city said", "记者从有关部门获悉", " ", ", ", "\u0131", "\u017f", "\u0130", "K",
        "Share", "SHARE", "share on Facebook", "(", "（记者 张三 摄）", "Related:", "责任编辑:王一",
        "相关新闻", "12 comments", "Advertisement", "更多>>", "【", "© 2020 X", "A+", "Ａ", "ａ",
        "3", "２", "٣", "2020年", "1.", "10 shares",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PARTS, st.text(max_size=8)), min_size=1, max_size=8))
def test_match_equals_the_ungated_reference_on_generated_lines(parts: list[str]) -> None:
    text = "".join(parts).strip()
    assert _agree(load_lexicon(), [text])


_LANGUAGE_PARTS = st.sampled_from(
    [
        "Partager", "PARTAGER sur Facebook", "Lire aussi :", "À LIRE AUSSI", "à lire", "Publicité",
        "Tous droits réservés", "TOUS DROITS RÉSERVÉS", "Commentaires", "Lesen Sie auch:",
        "Über uns", "ÜBER UNS", "Anzeige", "Alle Rechte vorbehalten", "Schließen", "Kommentare",
        "Leer más", "Publicidad", "Todos los derechos reservados", "Leia também", "Publicidade",
        "Leggi anche", "Pubblicità", "Tutti i diritti riservati", "Читайте также", "ЧИТАЙТЕ",
        "Реклама", "Все права защищены", "ВСЕ ПРАВА ЗАЩИЩЕНЫ", "Поделиться", "Фото: ТАСС",
        "\u1c80се права защищены", "ᲀ", "ᲂ", "ᲃ", "Ω", "µ", "ς", "ẞ", "İ", "ı", "ſ", "K",
        "© 2021", ": ", " ", ", ", "»", "…", "cookies", "Le maire a dit", "Der Rat",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["fr", "es", "de", "pt", "it", "ru"]),
    st.lists(st.one_of(_LANGUAGE_PARTS, st.text(max_size=6)), min_size=1, max_size=6),
)
def test_language_lexicons_equal_the_ungated_reference_on_generated_lines(
    language: str, parts: list[str]
) -> None:
    text = "".join(parts).strip()
    assert _agree(load_lexicon(language), [text])
