"""A news agency alone after a byline word is the article's writer.

"By AP" credits the agency as the author (one capitalised word follows the
English byline word).  The other languages' byline words want a full name
("Von Experten" is a subhead), so "Par AFP" and "Von dpa" stayed body lines
and took the headline with them.  An acronym in capitals (2-5 letters) after
any byline word that the language files' agencies lists name ("AFP", "dpa",
which the German press prints in lower case) is now an agency's credit; another
acronym (a party, an institution: "Von SPD", "Por UE") is not.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.chrome.metadata import parse_meta_line
from tests.test_meta_coauthors import ARTICLES as STORIES

# The co-author tests' articles, with an agency's byline instead of two names.
AGENCY_BYLINES = {"de": "Von dpa", "es": "Por EFE", "fr": "Par AFP", "it": "Di ANSA"}
ARTICLES = {
    lang: (STORIES[lang][0], byline, STORIES[lang][2]) for lang, byline in AGENCY_BYLINES.items()
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_an_agency_after_the_byline_word_is_the_author(lang: str) -> None:
    headline, byline, body = ARTICLES[lang]
    a = newsclean.clean(f"{headline}\n\n{byline}\n\n{body}", kind="text")
    assert a.author == byline.split()[1]
    assert a.title == headline
    assert a.text == body


def test_the_english_agency_byline_reads_the_same() -> None:
    body = (
        "The city council approved a new transport plan on Tuesday night after "
        "months of often heated debate.\n\n"
        "The plan adds cycle lanes and more frequent buses in the outer districts, "
        "the deputy mayor told reporters after the vote."
    )
    a = newsclean.clean(f"City council approves transport plan\n\nBy AP\n\n{body}", kind="text")
    assert (a.author, a.title, a.text) == ("AP", "City council approves transport plan", body)


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("Von dpa/AFP", {"author": "dpa/AFP"}),
        ("Von dpa | 6. März 2021", {"author": "dpa", "date": "2021-03-06"}),
        ("Par AFP, publié le 6 mars 2021", {"author": "AFP", "date": "2021-03-06"}),
        ("Von Anna Schmidt und dpa", {"author": "Anna Schmidt und dpa"}),
        ("By AP Staff", {"author": "AP Staff"}),
    ],
)
def test_agency_bylines(line: str, fields: dict[str, str]) -> None:
    assert parse_meta_line(line) == (fields, True)


@pytest.mark.parametrize(
    "line",
    [
        "Von EU-Geldern profitiert vor allem der Süden.",
        "Von Experten",
        "Par Avion",
        "Von NATO-Truppen",
    ],
)
def test_no_agency_in_a_subhead(line: str) -> None:
    assert parse_meta_line(line) == ({}, False)


@pytest.mark.parametrize(
    "line",
    [
        "Von SPD",
        "Von ARD und ZDF",
        "Par SMS",
        "Par ONU et OTAN",
        "Por UE",
        "Por PP y Vox",
        "Di PD e M5S",
    ],
)
def test_a_party_or_institution_after_a_byline_word_is_no_byline(line: str) -> None:
    # A hostile test: read as an agency's credit, such a line in the middle of
    # an article cost the headline and the paragraphs above it.
    head, body = (
        "Bundestag streitet über Haushalt",
        [
            "Der Bundestag hat am Donnerstag über den Haushalt für das kommende Jahr gestritten, "
            "die Debatte dauerte bis in die Nacht.",
            "Die Koalition verteidigte den Entwurf und verwies auf die schwierige Lage der Wirtschaft.",
            line,
            "Die Opposition kündigte Änderungsanträge an und kritisierte die geplanten Kürzungen.",
        ],
    )
    fields, only = parse_meta_line(line)
    assert not (only and fields.get("author"))
    art = newsclean.clean("\n\n".join([head, *body]), kind="text", language="de")
    assert art.title == head
    assert body[0] in art.text and body[1] in art.text and body[3] in art.text
