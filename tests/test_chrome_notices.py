"""A writer's sentence that goes on from a comment-form or cookie notice is kept.

The notices are end markers ("Comments are closed", "Your email address will
not be published", "Nous utilisons des cookies"): after the article they cut
everything below them.  A news sentence that opens with the same words and goes
on ("Les commentaires sont fermés depuis que…, explique l'adjointe.") cut the
rest of the article with it (found by a hostile test of the language lexicons).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsclean

DATA = json.loads(
    (Path(__file__).resolve().parents[1] / "bench" / "data" / "textmode_langs.json").read_text(
        "utf-8"
    )
)

SENTENCES = {
    "en": [
        "Your email address will not be published, the platform promises, and no data is sold to anyone.",
        "Comments are closed on the council's page since a harassment campaign began in the spring, the deputy mayor explained.",
    ],
    "fr": [
        "Les commentaires sont fermés depuis que la page de la mairie a été visée par une campagne de harcèlement, explique l'adjointe.",
        "Nous utilisons des cookies nécessaires, reconnaît le rectorat, mais aucune donnée n'est revendue à des tiers.",
    ],
    "es": [
        "Los comentarios están cerrados en la web municipal desde que empezó la campaña de acoso, explicó la concejala.",
    ],
    "de": [
        "Ihre E-Mail-Adresse wird nicht veröffentlicht, verspricht die Plattform, und die Daten werden nach einem Jahr gelöscht.",
    ],
    "it": [
        "I commenti sono chiusi sulla pagina del comune da quando è iniziata la campagna di insulti, ha spiegato l'assessora.",
    ],
    "pt": [
        "Os comentários estão fechados na página da prefeitura desde que começou a campanha de ataques, explicou a secretária.",
    ],
    "ru": [
        "Ваш e-mail не будет опубликован, обещает платформа, а все данные удаляются через год после регистрации.",
    ],
}
CASES = [(lang, s) for lang, sentences in SENTENCES.items() for s in sentences]


def _assert_kept_between_paragraphs(lang: str, sentence: str) -> None:
    """``sentence`` amid the language's article, with its headline and footer:
    the whole article stays, and cleaning is stable on it."""
    body = DATA[lang]["body"]
    paragraphs = [body[0], body[1], sentence, body[2], body[3]]
    page = "\n\n".join([DATA[lang]["headline"], *paragraphs, *DATA[lang]["footer"]])
    art = newsclean.clean(page, kind="text")
    # (a German headline that reads like a sentence may stay above: known, open)
    assert art.text.endswith("\n\n".join(paragraphs))
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


@pytest.mark.parametrize(("lang", "sentence"), CASES)
def test_a_sentence_going_on_from_a_notice_keeps_the_article(lang: str, sentence: str) -> None:
    _assert_kept_between_paragraphs(lang, sentence)


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "Your email address will not be published. Required fields are marked *"),
        (
            "fr",
            "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        ),
    ],
)
def test_the_notice_itself_after_the_article_still_goes(lang: str, notice: str) -> None:
    body = DATA[lang]["body"]
    page = "\n\n".join([DATA[lang]["headline"], *body, notice, *DATA[lang]["footer"]])
    art = newsclean.clean(page, kind="text")
    assert art.text == "\n\n".join(body)
    assert {b.reason for b in art.removed if b.text == notice} == {"comments"}


# Any notice (a follow prompt, a newsletter prompt) that the writer's sentence
# goes on from into a clause of its own after a comma: a reported sentence.
REPORTED = {
    "fr": "Suivez les comptes officiels sur Telegram plutôt que les rumeurs, conseille la préfecture aux habitants.",
    "pt": "Acompanhe o julgamento pelo YouTube do tribunal, orientou o juiz aos jornalistas presentes.",
    "de": "Folgen Sie dem Geld bei Instagram, rät der Ermittler allen, die den Fall verstehen wollen.",
    "ru": "Подпишитесь на наш канал, призывали родители в чате, и в итоге собрали больше тысячи подписчиков.",
}


@pytest.mark.parametrize(("lang", "sentence"), sorted(REPORTED.items()))
def test_a_reported_sentence_that_opens_like_a_prompt_is_kept(lang: str, sentence: str) -> None:
    _assert_kept_between_paragraphs(lang, sentence)


@pytest.mark.parametrize(
    "prompt",
    [
        "Email Jane Doe at jdoe@citynews.example or follow her on Twitter.",
        "If you enjoyed this article, we have an offer for you: join our members' club.",
    ],
)
def test_a_prompt_of_one_clause_between_paragraphs_is_still_chrome(prompt: str) -> None:
    body = DATA["en"]["body"]
    page = "\n\n".join([body[0], prompt, body[1], body[2]])
    art = newsclean.clean(page, kind="text")
    assert prompt not in art.text and all(p in art.text for p in body[:3])
