"""``no-body`` means ``text == ""`` (docs/contracts.md, README "no-body"), in every mode.

HTML mode second-guesses the detector's related-list verdicts after it ran:
a diary in dated sections (a date heading, a paragraph, the next date) was a
teaser list to the detector, hence no body, and its lines were kept back
without the flag being taken again: ``run`` wrote status ``ok`` with
``removed: {"no-body": ...}`` and ``show`` printed no ``# no body`` line.
"""

from __future__ import annotations

import gzip
import html

import pytest

import newsclean
from newsclean.decode import decode_bytes
from newsclean.html import flatten_html
from tests.helpers import FIXTURES, SEEDS

DIARY = [
    (
        "Monday, March 3",
        "We arrived at the factory gate at six in the morning. It was still dark "
        "and bitterly cold, and there were only eleven of us, but by nine there were more than a "
        "hundred, and someone had brought a brazier and a flask of soup.",
    ),
    (
        "Tuesday, March 4",
        "The company sent a letter to every worker's home saying the strike was "
        "illegal. Nobody believed it, but some of the younger ones were frightened, and two of them "
        "went back in through the side entrance at lunchtime.",
    ),
    (
        "Wednesday, March 5",
        "A delivery driver refused to cross the line and turned his lorry "
        "around. We cheered him until he was out of sight.",
    ),
    (
        "Thursday, March 6",
        "Talks resumed at the conciliation service in the city centre. We stood "
        "outside in the rain and waited for news that did not come until nearly midnight.",
    ),
]
TITLE = "A week on the picket line"


def _diary_html() -> str:
    sections = "".join(f"<h3>{d}</h3><p>{html.escape(p)}</p>" for d, p in DIARY)
    return (
        f"<html><head><title>{TITLE}</title></head><body>"
        f"<nav>Home | World | Business | Sport | Opinion | Culture | {TITLE}</nav>"
        f"<article><h1>{TITLE}</h1>{sections}</article>"
        "<aside><h4>Related stories</h4><ul>"
        "<li><a href=/x>City council approves new budget</a></li>"
        "<li><a href=/y>Mayor opens new bridge downtown</a></li>"
        "<li><a href=/z>Schools prepare for winter break</a></li></ul></aside>"
        "<footer>© 2024 Example Media. All rights reserved.</footer></body></html>"
    )


def test_a_diary_in_dated_sections_keeps_its_body_without_the_flag() -> None:
    art = newsclean.clean(_diary_html(), kind="html")
    assert "no-body" not in art.flags
    assert art.text.split("\n\n") == [x for pair in DIARY for x in pair]
    assert art.title == TITLE


def test_a_diary_shorter_than_min_body_chars_is_no_body_and_empty() -> None:
    """The detector's own rule, taken again on the lines kept back: too little
    text is still no body, and those lines go too."""
    art = newsclean.clean(_diary_html(), kind="html", min_body_chars=5000)
    assert art.flags[:1] == ("no-body",)
    assert art.text == ""
    ex = newsclean.explain(_diary_html(), kind="html", min_body_chars=5000)
    assert not any(line.kept and line.text.strip() for line in ex.lines)


def _inputs() -> list[tuple[str, str, str]]:
    """(id, kind, text): the vendored benchmark pages in both modes (the
    flattening is text mode's input, docs/contracts.md §4), the HTML and
    chrome fixtures, the seeds, and the diary."""
    out = []
    for page in sorted((FIXTURES / "bench").glob("*/html/*.html.gz")):
        raw = decode_bytes(gzip.decompress(page.read_bytes())).text
        name = f"{page.parent.parent.name}-{page.name[:8]}"
        out += [(name, "html", raw), (name, "text", flatten_html(raw))]
    for p in sorted((FIXTURES / "html").glob("*.html")):
        raw = p.read_text("utf-8")
        out += [(p.stem, "html", raw), (p.stem, "text", flatten_html(raw))]
    for p in sorted([*(FIXTURES / "chrome").glob("*.txt"), *SEEDS.glob("*.txt")]):
        out.append((p.stem, "text", p.read_text("utf-8")))
    out += [("diary", "html", _diary_html()), ("diary", "text", flatten_html(_diary_html()))]
    return out


INPUTS = _inputs()


@pytest.mark.parametrize(("name", "kind", "text"), INPUTS, ids=[f"{n}-{k}" for n, k, _ in INPUTS])
def test_no_body_iff_empty_text(name: str, kind: str, text: str) -> None:
    for min_body in (40, 400, 100_000):  # the default, a strict one, more than any page
        art = newsclean.clean(text, kind=kind, min_body_chars=min_body)
        assert ("no-body" in art.flags) == (art.text == ""), (name, kind, min_body)


def test_the_inputs_are_there() -> None:
    """The invariant is checked on real pages, not on an empty list."""
    assert len({n for n, k, _ in INPUTS if k == "html"}) >= 40
