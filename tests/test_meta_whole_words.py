"""A dateline's label words are whole words, and a name has two letters.

"Won 6 set 2019" gave the article the source "W": the dateline's label words
("on", "at", "by", Italian "ore", German "Uhr") and the info bar's widget words
("print", "share") were cut out of the middle of other words, and the leftover
letter passed for an outlet.  "Bore" (a town near Parma) became "B", "Ruhr"
became "R", "Montefiore" lost its line to the body and the page its headline.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.chrome.metadata import Meta, parse_meta_line

IT_HEADLINE = "Approvato il piano per la mobilità urbana"
IT_BODY = (
    "Il consiglio comunale ha approvato ieri sera il nuovo piano per la mobilità "
    "urbana, dopo mesi di discussioni e tre rinvii in commissione.\n\n"
    "Il progetto prevede nuove piste ciclabili e un potenziamento del trasporto "
    "pubblico nelle frazioni, ha spiegato l'assessore ai lavori pubblici.\n\n"
    "Le opposizioni hanno criticato i tempi di realizzazione, giudicati troppo "
    "lunghi, e chiesto una verifica dei costi entro la fine dell'anno."
)
DE_BODY = (
    "Der Regionalverband hat am Dienstag einen neuen Plan für den Nahverkehr "
    "vorgestellt, der bis 2025 zwanzig neue Buslinien vorsieht.\n\n"
    "Die Kosten sollen sich Land und Kommunen teilen, sagte die Verbandsdirektorin "
    "bei der Vorstellung in Essen.\n\n"
    "Kritiker bemängeln, dass der Plan die ländlichen Randgebiete kaum berücksichtige."
)


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Won 6 set 2019", "Won"),
        ("Bore 6 set 2019", "Bore"),
        ("Montefiore 6 set 2019", "Montefiore"),
        ("Ruhr 6. März 2021", "Ruhr"),
        ("Sprint 6 set 2019 120 views", "Sprint"),
    ],
)
def test_a_label_word_inside_a_name_leaves_the_name_whole(line: str, source: str) -> None:
    fields, only = parse_meta_line(line)
    assert only
    assert fields["source"] == source


@pytest.mark.parametrize("dateline", ["Won 6 set 2019", "Bore 6 set 2019", "Montefiore 6 set 2019"])
def test_an_italian_dateline_gives_no_one_letter_source(dateline: str) -> None:
    a = newsclean.clean(f"{IT_HEADLINE}\n\n{dateline}\n\n{IT_BODY}", kind="text")
    assert a.source == dateline.split()[0]
    assert a.date == "2019-09-06"
    assert a.title == IT_HEADLINE
    assert a.text.startswith("Il consiglio comunale ha approvato")


def test_a_german_dateline_gives_no_one_letter_source() -> None:
    text = f"Neuer Nahverkehrsplan für das Ruhrgebiet\n\nRuhr 6. März 2021\n\n{DE_BODY}"
    a = newsclean.clean(text, kind="text")
    assert a.source == "Ruhr"
    assert a.date == "2021-03-06"


@pytest.mark.parametrize("field", ["source", "author", "editor"])
@pytest.mark.parametrize("value", ["W", "W.", "7", "新"])
def test_a_name_of_one_letter_never_lands(field: str, value: str) -> None:
    meta = Meta()
    meta.fill(**{field: value})
    assert getattr(meta, field) is None
    meta.fill(**{field: "Reuters"})
    assert getattr(meta, field) == "Reuters"


def test_chinese_labels_still_match_inside_a_line() -> None:
    fields, only = parse_meta_line("发布时间：2021-03-05 10:20　来源：新华网　作者：张三")
    assert only
    assert fields == {"date": "2021-03-05T10:20:00", "source": "新华网", "author": "张三"}
