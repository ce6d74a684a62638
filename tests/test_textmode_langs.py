"""Text mode in languages other than English and Chinese (issue 12).

The pages are built from bench/data/textmode_langs.json: one story written in
each language, with its menu, dateline, related list and comment thread.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsclean
from newsclean.chrome.features import line_features
from newsclean.chrome.language import guess_language
from newsclean.chrome.lexicon import (
    JUSTEXT_STOPLISTS,
    STOPLIST_SIZE,
    justext_stopwords,
    load_lexicon,
)

DATA = json.loads(
    (Path(__file__).resolve().parents[1] / "bench" / "data" / "textmode_langs.json").read_text(
        "utf-8"
    )
)
LANGS = sorted(k for k in DATA if not k.startswith("_"))
#: The most frequent function word of each language, which its list must hold.
FUNCTION_WORD = {"fr": "de", "es": "que", "de": "der", "pt": "que", "it": "di", "ru": "и"}


def _page(lang: str, n_body: int = 2, comments: bool = True) -> tuple[str, list[str]]:
    d = DATA[lang]
    body = d["body"][:n_body]
    lines = [*d["menu"], "", d["headline"], d["dateline"], ""]
    for p in body:
        lines += [p, ""]
    lines.append(d["related_heading"])
    for head, teaser in d["related"]:
        lines += [head, teaser]
    lines.append("")
    if comments:
        lines.append(d["comments_heading"])
        for name, when, text in d["comments"]:
            lines += [name, when, "", text, "", d["reply"]]
    lines += ["", *d["footer"]]
    return "\n".join(lines), body


@pytest.mark.parametrize("lang", sorted(JUSTEXT_STOPLISTS))
def test_stop_words_come_from_justext(lang: str) -> None:
    words = justext_stopwords(lang)
    assert words is not None and len(words) == STOPLIST_SIZE
    assert all(w.isalpha() and w == w.lower() for w in words)
    assert FUNCTION_WORD[lang] in words
    assert load_lexicon().stopwords[lang] == words


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_is_guessed(lang: str) -> None:
    page, _ = _page(lang)
    assert guess_language(page, load_lexicon().stopwords) == lang


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "it", "ru", "ja", "ko"])
@pytest.mark.parametrize("n_body", [1, 2, 4])
@pytest.mark.parametrize("comments", [True, False])
def test_body_without_related_list_or_thread(lang: str, n_body: int, comments: bool) -> None:
    """Sentence-case related headlines with teasers, then a comment thread."""
    page, body = _page(lang, n_body, comments)
    art = newsclean.clean(page, kind="text")
    assert art.text == "\n\n".join(body)
    reasons = {b.text: b.reason for b in art.removed}
    teasers = {reasons[t] for _, t in DATA[lang]["related"]}  # KeyError: one was kept
    assert teasers == {"related-list"}
    if comments:
        assert {reasons[c[2]] for c in DATA[lang]["comments"]} == {"comments"}
    # stable on its own output
    assert newsclean.clean(art.text, kind="text").text == art.text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n_body", [1, 2])
def test_a_related_list_above_the_body_goes_whole(lang: str, n_body: int) -> None:
    """Headlines with one-sentence teasers between the header and the body.
    Without a stop-word list (Russian) only length made prose, and a teaser of
    ten Russian words was too short to pair with its headline: the list was
    not read, and its last teaser opened the body."""
    d = DATA[lang]
    body = d["body"][:n_body]
    lines = [*d["menu"], "", d["headline"], d["dateline"], "", d["related_heading"]]
    for head, teaser in d["related"]:
        lines += [head, teaser]
    lines.append("")
    for p in body:
        lines += [p, ""]
    art = newsclean.clean("\n".join([*lines, *d["footer"]]), kind="text")
    assert art.text == "\n\n".join(body)


@pytest.mark.parametrize("lang", LANGS)
def test_subheaded_article_is_not_a_related_list(lang: str) -> None:
    """Subheading, paragraph, subheading, paragraph: as long as any other
    paragraph of the page, so no teaser list (the related headlines serve as
    subheadings here)."""
    d = DATA[lang]
    lines: list[str] = []
    for (head, _), p in zip(d["related"], d["body"], strict=True):
        lines += [head, p, ""]
    art = newsclean.clean("\n".join(lines), kind="text")
    for p in d["body"]:
        assert p in art.text


@pytest.mark.parametrize("lang", LANGS)
def test_subheadings_between_paragraphs_stay_in_the_article(lang: str) -> None:
    """Short headings over one short paragraph each, with the article's prose
    right before and right after them: part of the article, not a related list
    (which starts or ends the body).  CJK headings count as headlines too."""
    d = DATA[lang]
    lines = [*d["menu"], "", d["headline"], d["dateline"], "", d["body"][0], ""]
    for head, teaser in d["related"][:3]:
        lines += [head, teaser, ""]
    lines += [d["body"][1], "", *d["footer"]]
    art = newsclean.clean("\n".join(lines), kind="text")
    for head, teaser in d["related"][:3]:
        assert head in art.text and teaser in art.text


# --- chrome lexicons (newsclean/lexicons/{fr,es,de,pt,it,ru}.json) -------------------

#: Every language with a jusText stop list has a chrome lexicon, and chrome data here.
CHROME_LANGS = sorted(JUSTEXT_STOPLISTS)


def _chrome_page(lang: str) -> tuple[str, list[str]]:
    """The article's paragraphs with chrome between them and after them, and
    with sentences that start with the chrome's words between them too."""
    d, c = DATA[lang], DATA[lang]["chrome"]
    body, prose = d["body"], c["prose"]
    blocks = [
        body[0],
        c["share"],
        prose[0],
        c["read_also"],
        body[1],
        c["advert"],
        prose[1],
        c["credit"],
        body[2],
        prose[2],
        body[3],
        prose[3],
        c["newsletter"],
        c["copyright"],
    ]
    kept = [body[0], prose[0], body[1], prose[1], body[2], prose[2], body[3], prose[3]]
    return "\n\n".join(blocks), kept


@pytest.mark.parametrize("lang", CHROME_LANGS)
def test_chrome_between_paragraphs_goes_and_sentences_with_its_words_stay(lang: str) -> None:
    """Structure cannot tell a share prompt or a "read also" link between two
    paragraphs from a short paragraph: the language's lexicon does.  Sentences
    that start with the same words ("Partager ses trajets ...", "Tous droits
    réservés, a rappelé l'avocat ...") are the article's."""
    page, kept = _chrome_page(lang)
    art = newsclean.clean(page, kind="text")
    assert art.language == lang
    assert art.text == "\n\n".join(kept)
    c = DATA[lang]["chrome"]
    reasons = {b.text: b.reason for b in art.removed}
    assert {k: reasons.get(c[k]) for k in REASON} == REASON
    # stable on its own output
    assert newsclean.clean(art.text, kind="text").text == art.text


#: The reason each chrome line of the data goes with.
REASON = {
    "share": "share-widget",
    "read_also": "related-list",
    "advert": "advert",
    "credit": "photo-credit",
    "newsletter": "newsletter",
    "copyright": "copyright",
}


@pytest.mark.parametrize("lang", CHROME_LANGS)
def test_chrome_words_inside_sentences_claim_nothing(lang: str) -> None:
    """No rule of the language's lexicon claims a sentence that merely starts
    with its words (not even as a doubt: the patterns are anchored to the label)."""
    lex = load_lexicon(lang)
    stop = lex.stopwords.get(lang)
    for line in DATA[lang]["chrome"]["prose"]:
        feats = line_features(line, stop)
        rule, _ = lex.match(line, feats.vlen, feats.dense)
        assert rule is None, (line, rule)
    for key, reason in REASON.items():
        line = DATA[lang]["chrome"][key]
        feats = line_features(line, stop)
        rule, _ = lex.match(line, feats.vlen, feats.dense)
        assert rule is not None and rule.reason == reason, (line, rule)


@pytest.mark.parametrize("lang", CHROME_LANGS)
def test_the_language_lexicon_is_loaded_for_its_pages_only(lang: str) -> None:
    """An English or Chinese page never runs these patterns: the file loads for
    pages guessed (or configured) as its language."""
    label = DATA[lang]["chrome"]["share"]
    assert load_lexicon().match(label, len(label), 0)[0] is None
    assert load_lexicon(lang).match(label, len(label), 0)[0] is not None
    en = DATA["en"]["body"]
    art = newsclean.clean("\n\n".join([en[0], label, en[1]]), kind="text")
    assert art.language == "en" and label in art.text


@pytest.mark.parametrize(
    "heading", ["Unsere Empfehlung", "Unsere Empfehlungen", "Unsere Empfehlung:"]
)
def test_a_german_recommendation_heading_in_either_number_is_a_related_list(heading: str) -> None:
    lex = load_lexicon("de")
    rule, _ = lex.match(heading, len(heading), 0)
    assert rule is not None and rule.reason == "related-list"
