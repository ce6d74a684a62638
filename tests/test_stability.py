"""Cleaning is stable on its own output (black's assert_stable, for news pages).

``clean(clean(x).text, kind="text").text == clean(x).text`` for 20 vendored
pages of each benchmark set in both modes (the HTML page with kind="html"; the
page flattened with ``flatten_html`` with kind="text") and for every seed.
``bench/stability.py`` runs the same over all 250 pages.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsclean import check_text, clean, explain
from newsclean.decode import decode_bytes
from newsclean.html import flatten_html
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "bench").glob("*/html/*.html.gz"))


def _id(p: Path) -> str:
    return f"{p.parent.parent.name}-{p.name[:8]}"


def assert_stable(x: str | bytes, kind: str) -> None:
    first = clean(x, kind=kind).text
    if first:  # an empty result (no-body) is no input: clean("") raises InputError(empty)
        assert clean(first, kind="text").text == first


def test_the_vendored_pages_are_there() -> None:
    assert len(PAGES) == 40


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_stable_in_both_modes(page: Path) -> None:
    raw = gzip.decompress(page.read_bytes())
    assert_stable(raw, "html")
    assert_stable(flatten_html(decode_bytes(raw).text), "text")


def test_stable_on_the_seeds(seed_paths: list[Path]) -> None:
    for seed in seed_paths:
        assert_stable(seed.read_bytes(), "text")


def test_clean_text_is_kept_whole() -> None:
    # no line is chrome by its content: text mode keeps everything, short
    # edge lines and a headline-like first line included
    text = (
        "Bus lines\n\n"
        "The city council voted on Monday to extend the late-night bus service for another "
        "year, after a trial showed that ridership had doubled since the spring.\n\n"
        "More routes\n\n"
        "Officials said the savings would pay for two more routes in the eastern districts.\n\n"
        "Photos by the author"
    )
    assert clean(text, kind="text").text == text


def test_stabilizing_strips_only_evidence_lines_and_says_why() -> None:
    body = (
        "The city council voted on Monday to extend the late-night bus service for another "
        "year, after a trial showed that ridership had doubled since the spring."
    )
    ex = explain(body + "\n\nShare this article\n\nTransit", kind="text")
    assert clean(ex.article.text, kind="text").text == ex.article.text
    assert "Share this article" not in ex.article.text
    assert any(v.reason == "share-widget" for v in ex.lines)


@pytest.mark.parametrize("gap", ["\n\n\n", "\n \n\n", "\n\n\n\n"])
@pytest.mark.parametrize("after", ["", "\n\nShare on Facebook"])
def test_a_sentence_broken_across_blank_lines_is_never_doubled(gap: str, after: str) -> None:
    # Two blank lines kept the halves apart in the first pass; the clean text has
    # one, so the stabilizing pass read them as one paragraph, and it used to keep
    # that paragraph *and* its second half (the body printed twice).
    first = (
        "The council voted on Tuesday to approve the new harbour budget after a long "
        "debate that lasted well into the night, according to the"
    )
    second = (
        "minutes published by the clerk on Wednesday morning, which show that eleven "
        "members voted in favour and four against the plan."
    )
    last = (
        "The mayor said the money would be spent on dredging the channel and repairing "
        "the old sea wall, which was damaged in last winter's storms."
    )
    text = clean(first + gap + second + "\n\n" + last + after, kind="text").text
    assert text.count("minutes published") == 1
    assert text.split("\n\n")[-1] == last
    assert clean(text, kind="text").text == text


def test_a_joiner_before_a_combining_mark_leaves_text_that_check_accepts() -> None:
    # The joiner kept "e" and U+0301 apart through NFC; removed after it, the
    # text was not NFC, so `newsclean check` on the cleaned text said not-normalized.
    body = (
        "Le Cafe\u200d\u0301 au lait du quartier a rouvert ses portes lundi apres trois mois "
        "de travaux, a annonce la mairie dans un communique.\n\n"
        "Les habitants se sont rejouis de la nouvelle et sont venus nombreux a l'ouverture."
    )
    first = clean(body, kind="text").text
    assert first.startswith("Le Caf\u00e9 au lait")
    assert check_text(first).findings == ()
    assert clean(first, kind="text").text == first
