"""Co-authors joined by a conjunction, in every byline language.

"By Jane Doe and John Roe" credited both writers, but the byline pattern
knew only the English "and": "Par Marie Dupont et Jean Martin" stayed a body
line, and the headline above it went with it.  The conjunctions are now each
language file's data (``metadata.conjunctions``), joined into the same
pattern, and the author reads as the English one does: the names as printed.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.chrome.metadata import parse_meta_line

ARTICLES = {
    "en": (
        "City council approves new transport plan",
        "By Jane Doe and John Roe",
        "The city council approved a new transport plan on Tuesday night after "
        "months of often heated debate.\n\n"
        "The plan adds cycle lanes and more frequent buses in the outer districts, "
        "the deputy mayor told reporters after the vote.\n\n"
        "The opposition criticised the timetable as too long and the costs as poorly controlled.",
    ),
    "fr": (
        "Le conseil municipal adopte le nouveau plan de circulation",
        "Par Marie Dupont et Jean Martin",
        "Le conseil municipal a adopté mardi soir le nouveau plan de circulation, "
        "après plusieurs mois de débats parfois houleux.\n\n"
        "Le projet prévoit la création de pistes cyclables et un renforcement des "
        "transports en commun dans les quartiers périphériques, a précisé l'adjoint au maire.\n\n"
        "L'opposition a dénoncé un calendrier trop long et un coût mal maîtrisé.",
    ),
    "de": (
        "Stadtrat beschließt neuen Verkehrsplan",
        "Von Anna Schmidt und Max Weber",
        "Der Stadtrat hat am Dienstagabend den neuen Verkehrsplan beschlossen, "
        "nach monatelangen und teils hitzigen Diskussionen.\n\n"
        "Der Plan sieht neue Radwege und einen Ausbau des öffentlichen Nahverkehrs "
        "in den Außenbezirken vor, erklärte der zuständige Dezernent.\n\n"
        "Die Opposition kritisierte den langen Zeitplan und die hohen Kosten des Vorhabens.",
    ),
    "es": (
        "El ayuntamiento aprueba el nuevo plan de movilidad",
        "Por Ana García y Luis Pérez",
        "El pleno del ayuntamiento aprobó el martes por la noche el nuevo plan de "
        "movilidad, tras varios meses de debates a menudo tensos.\n\n"
        "El proyecto prevé nuevos carriles bici y más autobuses en los barrios de la "
        "periferia, explicó el concejal de Urbanismo.\n\n"
        "La oposición criticó unos plazos demasiado largos y un coste poco controlado.",
    ),
    "pt": (
        "Câmara aprova novo plano de mobilidade urbana",
        "Por Ana Souza e João Lima",
        "A câmara municipal aprovou na terça-feira à noite o novo plano de mobilidade "
        "urbana, depois de meses de debates muitas vezes acesos.\n\n"
        "O projeto prevê novas ciclovias e mais autocarros nos bairros da periferia, "
        "explicou o vereador responsável pelas obras.\n\n"
        "A oposição criticou os prazos demasiado longos e os custos mal controlados.",
    ),
    "it": (
        "Approvato il nuovo piano per la mobilità urbana",
        "Di Mario Rossi e Luca Bianchi",
        "Il consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità "
        "urbana, dopo mesi di discussioni e tre rinvii in commissione.\n\n"
        "Il progetto prevede nuove piste ciclabili e un potenziamento del trasporto "
        "pubblico nelle periferie, ha spiegato l'assessore ai lavori pubblici.\n\n"
        "Le opposizioni hanno criticato i tempi di realizzazione, giudicati troppo lunghi.",
    ),
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_co_authors_joined_by_the_languages_conjunction(lang: str) -> None:
    headline, byline, body = ARTICLES[lang]
    a = newsclean.clean(f"{headline}\n\n{byline}\n\n{body}", kind="text")
    assert a.author == byline.split(None, 1)[1]
    assert a.title == headline
    assert a.text == body


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Di Mario Rossi ed Elena Bianchi | 3 giugno 2020", "Mario Rossi ed Elena Bianchi"),
        ("Por Ana García e Inés Pérez", "Ana García e Inés Pérez"),
        ("By Jane Doe, John Roe, and Al Smith", "Jane Doe, John Roe, and Al Smith"),
    ],
)
def test_conjunction_forms(line: str, author: str) -> None:
    fields, only = parse_meta_line(line)
    assert only
    assert fields["author"] == author


@pytest.mark.parametrize(
    "sentence",
    ["Di Maio e Salvini hanno firmato l'accordo.", "Von Bund und Ländern kam kein Geld."],
)
def test_a_sentence_with_a_conjunction_is_no_byline(sentence: str) -> None:
    assert parse_meta_line(sentence) == ({}, False)
