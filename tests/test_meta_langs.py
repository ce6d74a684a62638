"""Bylines and dates in the languages of the lexicon files (fr, es, de, pt, it, ru).

A byline with a date in the page's language ("Par Marie Dupont | 12 mars 2021")
was not read as metadata: the line stayed a headline candidate and took the
title, and the real headline above it went as navigation.  The month names
come from the language files (dateparser's CLDR data), the byline words too.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.chrome.metadata import find_date, parse_meta_line

DATES = [
    ("12 mars 2021", "2021-03-12"),
    ("1er août 2020", "2020-08-01"),
    ("1º de enero de 2020", "2020-01-01"),
    ("12. März 2021", "2021-03-12"),
    ("3. Dezember 2019", "2019-12-03"),
    ("12 de marzo de 2021", "2021-03-12"),
    ("5 de setembro de 2018", "2018-09-05"),
    ("3 giugno 2020, 14:30", "2020-06-03T14:30:00"),
    ("12 марта 2021 г.", "2021-03-12"),
    ("Publié le 9 févr. 2022", "2022-02-09"),
    # English keeps its own patterns
    ("12 August 2021", "2021-08-12"),
]


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_dates_with_the_languages_month_names(text: str, iso: str | None) -> None:
    assert find_date(text)[0] == iso


@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("Par Marie Dupont | 12 mars 2021", "Marie Dupont", "2021-03-12"),
        ("Von Max Mustermann | 12. März 2021", "Max Mustermann", "2021-03-12"),
        ("Por Juan Pérez | 12 de marzo de 2021", "Juan Pérez", "2021-03-12"),
        ("Por Ana Souza, 5 de setembro de 2018", "Ana Souza", "2018-09-05"),
        ("di Marco Rossi | 3 giugno 2020", "Marco Rossi", "2020-06-03"),
    ],
)
def test_a_byline_in_the_pages_language_is_metadata(line: str, author: str, date: str) -> None:
    fields, only = parse_meta_line(line)
    assert only
    assert fields == {"author": author, "date": date}


@pytest.mark.parametrize(
    "sentence",
    [
        "Par ailleurs, le maire a annoncé une hausse du budget de 12 % en 2021.",
        "Von den 500 Teilnehmern kamen 120 aus dem Ausland.",
        "Di Maio ha detto che il governo andrà avanti.",
        "Por primera vez desde 2019, el consejo aprobó el presupuesto.",
    ],
)
def test_a_sentence_that_opens_with_a_byline_word_is_no_metadata(sentence: str) -> None:
    assert not parse_meta_line(sentence)[1]


PAGES = {
    "fr": (
        "La mairie de Lyon lance un plan vélo",
        "Par Marie Dupont | 12 mars 2021",
        "La mairie de Lyon a présenté jeudi un plan ambitieux pour développer l'usage du vélo "
        "dans la ville d'ici à 2026, avec de nouvelles pistes cyclables sécurisées.",
        "Selon l'adjoint chargé des mobilités, le budget atteindra cent millions d'euros sur "
        "cinq ans. Les associations de cyclistes ont salué cette annonce.",
    ),
    "de": (
        "Stadt München baut neue Radwege",
        "Von Max Mustermann | 12. März 2021",
        "Die Stadt München hat am Donnerstag einen Plan vorgestellt, mit dem bis 2026 viele neue "
        "und sichere Radwege in allen Stadtteilen entstehen sollen.",
        "Nach Angaben des Verkehrsreferats wird das Budget in fünf Jahren hundert Millionen Euro "
        "erreichen. Die Verbände der Radfahrer begrüßten die Ankündigung.",
    ),
    "es": (
        "Madrid presenta un plan para la bicicleta",
        "Por Juan Pérez | 12 de marzo de 2021",
        "El ayuntamiento de Madrid presentó el jueves un plan ambicioso para desarrollar el uso "
        "de la bicicleta en la ciudad de aquí a 2026, con nuevos carriles seguros.",
        "Según el concejal de movilidad, el presupuesto alcanzará cien millones de euros en cinco "
        "años. Las asociaciones de ciclistas celebraron el anuncio.",
    ),
}


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_the_headline_stays_the_title_over_a_byline(lang: str) -> None:
    headline, byline, *body = PAGES[lang]
    menu = "Accueil | Politique | Économie | Sport"
    ex = newsclean.explain("\n".join([menu, headline, byline, *body]), kind="text")
    reasons = {line.text: line.reason for line in ex.lines}
    assert reasons[headline] == "title"
    assert reasons[byline] == "metadata"
    assert ex.article.title == headline
    assert ex.article.date == find_date(byline)[0]
    assert ex.article.author == parse_meta_line(byline)[0]["author"]
    assert ex.article.text.split("\n\n") == body


def test_a_byline_under_a_headline_ending_on_a_function_word_is_its_own_line() -> None:
    """A German headline ending on "hat" read as going on into the next line,
    and the byline under it became one paragraph of the body with it."""
    headline = "Nachtbusse fahren ein weiteres Jahr, nachdem sich die Fahrgastzahl verdoppelt hat"
    byline = "Von Anna Schmidt | 12. März 2021, 10:42"
    body = [
        "Der Stadtrat hat am Montag beschlossen, den Nachtbusverkehr um ein weiteres Jahr zu "
        "verlängern, nachdem sich die Zahl der Fahrgäste seit dem Start verdoppelt hat.",
        "Nach Angaben der Verwaltung waren die zusätzlichen Busse billiger als erwartet, weil "
        "die Tickets und die Werbung auf den Bussen mehr eingebracht haben als geplant.",
    ]
    menu = ["Startseite", "Welt", "Wirtschaft", "Sport"]
    ex = newsclean.explain("\n".join([*menu, "", headline, byline, "", *body]), kind="text")
    assert ex.article.text.split("\n\n") == body
    assert ex.article.title == headline
    assert ex.article.author == "Anna Schmidt"
    assert ex.article.date == "2021-03-12T10:42:00"
    # a sentence cut at a link before "von ..." still reads on into it
    split = ["Der Preis wurde in diesem Jahr an die Autorin", "von Anna Schmidt", "verliehen."]
    assert newsclean.explain("\n".join([*body, *split]), kind="text").article.text.endswith(
        "an die Autorin von Anna Schmidt verliehen."
    )


@pytest.mark.parametrize(
    "line", ["Von Experten", "Von Anfang an", "Par Avion", "Par Amour", "Di Maio", "Di Maio."]
)
def test_a_byline_word_before_one_capitalised_word_is_no_byline(line: str) -> None:
    """German capitalises its nouns and Di starts Italian surnames: these
    languages' byline words need a full name after them (hostile test: a
    subhead "Von Experten" after the lead cut the lead as the title)."""
    assert parse_meta_line(line) == ({}, False)


def test_a_subhead_that_opens_like_a_byline_costs_no_paragraph() -> None:
    headline, (lead, second, third) = (
        "Rentenreform im Bundestag",
        (
            "Die Regierung hat am Mittwoch eine umfassende Reform der Rente vorgestellt, die "
            "bereits scharfe Kritik der Gewerkschaften hervorruft.",
            "Die Beratungen sollen in der kommenden Woche im Bundestag fortgesetzt werden, sagte "
            "ein Sprecher der Regierung am Abend in Berlin.",
            "Viele Rentner fürchten nun um ihre Ersparnisse und fordern eine klare Antwort der "
            "Regierung bis zum Ende des Jahres.",
        ),
    )
    art = newsclean.clean("\n\n".join([headline, lead, "Von Experten", second, third]), kind="text")
    assert art.text.split("\n\n")[0] == lead
    assert art.author is None


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("Mercredi 12 mars 2021", {"date": "2021-03-12"}),
        ("Lunedì 12 maggio 2021", {"date": "2021-05-12"}),
        ("Aktualisiert am 12. März 2021", {"date": "2021-03-12"}),
        ("Publicado el 12 de marzo de 2021", {"date": "2021-03-12"}),
        ("segunda-feira, 22 de janeiro de 2018", {"date": "2018-01-22"}),
        ("Опубликовано 12 марта 2021", {"date": "2021-03-12"}),
        (
            "Von Anna Schmidt | 12. März 2021, 10:30 Uhr",
            {"author": "Anna Schmidt", "date": "2021-03-12T10:30:00"},
        ),
    ],
)
def test_weekdays_and_dateline_labels_leave_no_outlet(line: str, fields: dict[str, str]) -> None:
    """A weekday, a publish label or German "Uhr" left over next to a date
    was taken for the outlet that prints it ("Mercredi", "Uhr")."""
    assert parse_meta_line(line) == (fields, True)


# --- headline, then byline and date on lines of their own -------------------------

_BUS = {
    "de": [
        "Der Stadtrat hat am Montag beschlossen, den Nachtbusverkehr um ein weiteres Jahr zu "
        "verlängern, nachdem sich die Zahl der Fahrgäste seit dem Start verdoppelt hat.",
        "Nach Angaben der Verwaltung waren die zusätzlichen Busse billiger als erwartet, weil "
        "die Tickets und die Werbung auf den Bussen mehr eingebracht haben als geplant.",
    ],
    "fr": [
        "Le conseil municipal a voté lundi la prolongation du service de bus de nuit pour une "
        "année supplémentaire, après un essai de six mois qui a vu doubler la fréquentation.",
        "Selon les responsables, les bus supplémentaires ont coûté moins cher que prévu grâce à "
        "la baisse du prix du carburant, et les économies financeront deux nouvelles lignes.",
    ],
    "en": [
        "The city council voted on Monday to extend the late-night bus service for another "
        "year, after a six-month trial showed that the number of passengers had doubled.",
        "Officials said the extra buses had cost less than expected because fuel prices fell, "
        "and the savings will pay for two new routes in the eastern districts.",
    ],
}


def test_a_dateline_split_at_a_link_stays_one_metadata_line() -> None:
    """A date line starts a unit of its own, but not when it ends the line above
    it: "Posted by Jane Doe on" / "November 19, 2019" is one dateline."""
    header = ["Night buses stay", "", "Posted by Jane Doe on", "November 19, 2019, 6:21 AM EST"]
    page = "\n".join([*header, "", "\n\n".join(_BUS["en"])])
    ex = newsclean.explain(page, kind="text")
    reasons = {line.text.strip(): line.reason for line in ex.lines if line.text.strip()}
    assert reasons["Posted by Jane Doe on"] == reasons["November 19, 2019, 6:21 AM EST"]
    assert ex.article.text.split("\n\n") == _BUS["en"]


def test_a_sentence_that_ends_on_a_date_is_not_cut_before_it() -> None:
    """A paragraph split before a date that ends its sentence (at a link, a
    hard wrap) stays one paragraph: a date line starts a unit of its own only
    when it ends no sentence."""
    lines = [
        "The council said the new timetable would be published before the vote, which is",
        "12 March 2021.",
    ]
    art = newsclean.clean("\n\n".join(["\n".join(lines), *_BUS["en"]]), kind="text")
    assert art.text.split("\n\n")[0] == " ".join(lines)


# --- Russian ---------------------------------------------------------------------

_RU_BODY = [
    "Городской совет в понедельник проголосовал за продление ночного автобусного сообщения "
    "ещё на год, после того как пробный период показал, что число пассажиров выросло вдвое.",
    "По словам чиновников, дополнительные автобусы обошлись дешевле, чем ожидалось, потому "
    "что топливо подешевело, а сэкономленные средства пойдут на два новых маршрута.",
]


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("Автор: Иван Петров", {"author": "Иван Петров"}),
        ("Текст: Иван Петров", {"author": "Иван Петров"}),
        ("Авторы: Иван Петров, Анна Смирнова", {"author": "Иван Петров、Анна Смирнова"}),
        ("Источник: РИА Новости", {"source": "РИА Новости"}),
        ("Редактор: Мария Иванова", {"editor": "Мария Иванова"}),
        ("3 мая 2023, 10:12", {"date": "2023-05-03T10:12:00"}),
    ],
)
def test_russian_bylines_and_datelines_are_metadata(line: str, fields: dict[str, str]) -> None:
    """Russian bylines name the writer after a label, with no byline word:
    none of them was read, nor a source of two words."""
    assert parse_meta_line(line) == (fields, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Источник в правительстве сообщил ТАСС, что решение уже принято.",
        "Источник: в правительстве говорят, что решение принято.",
        "Текст законопроекта опубликован на сайте Госдумы.",
        "Автор проекта Иван Петров рассказал, что работы начнутся в мае.",
        "Редактор: это слово он произносит с гордостью, рассказал наш собеседник.",
        "Иван Петров, корреспондент которого вчера задержали, рассказал о деле подробно.",
    ],
)
def test_a_russian_sentence_that_opens_with_a_label_word_is_no_metadata(sentence: str) -> None:
    assert not parse_meta_line(sentence)[1]


@pytest.mark.parametrize(
    ("lines", "fields"),
    [
        (
            ["Автор: Иван Петров", "3 мая 2023, 10:12"],
            {"author": "Иван Петров", "date": "2023-05-03T10:12:00"},
        ),
        (["3 мая 2023", "Текст: Иван Петров"], {"author": "Иван Петров", "date": "2023-05-03"}),
        (
            ["Источник: РИА Новости", "3 мая 2023, 10:12"],
            {"source": "РИА Новости", "date": "2023-05-03T10:12:00"},
        ),
    ],
)
def test_a_russian_header_gives_the_title_and_its_fields(
    lines: list[str], fields: dict[str, str]
) -> None:
    headline = "Ночные автобусы будут ходить ещё год"
    art = newsclean.clean("\n".join([headline, *lines, "", "\n\n".join(_RU_BODY)]), kind="text")
    assert art.title == headline
    assert art.text.split("\n\n") == _RU_BODY
    assert {k: getattr(art, k) for k in fields} == fields


_LEADS = [
    (
        "The city council voted on Monday to extend the late-night bus service for another "
        "year, after a six-month trial.",
        ["By Anna Smith", "12 March 2021"],
        _BUS["en"],
        {"author": "Anna Smith", "date": "2021-03-12"},
    ),
    (
        "本报讯 市议会周一投票决定将夜间公交服务再延长一年。",
        ["作者：张三", "来源：新华社", "2023-05-03 10:12"],
        [
            "官员表示，由于燃油价格下降，新增公交车的成本低于预期，节省下来的资金将用于在东部地区"
            "开通两条新线路，那里住着许多医院和工厂的工人。",
            "在会上发言的居民表示，这项服务让他们在夜班后回家方便了许多，他们还希望周末也能开通夜班车。",
        ],
        {"author": "张三", "source": "新华社", "date": "2023-05-03T10:12:00"},
    ),
]


@pytest.mark.parametrize(("lead", "header", "body", "fields"), _LEADS)
@pytest.mark.parametrize("headline", [None, "Night buses stay", "Will night buses stay?"])
def test_a_lead_sentence_above_the_byline_is_never_the_title(
    lead: str, header: list[str], body: list[str], fields: dict[str, str], headline: str | None
) -> None:
    """A lead or a standfirst printed above the byline and the date was
    lifted as the title, over the real headline (being longer).  A headline
    ends on no full stop (a question mark is a headline's): prose that ends
    on one is never the title."""
    page = "\n\n".join([*([headline] if headline else []), lead, *header, *body])
    art = newsclean.clean(page, kind="text")
    assert art.title == headline
    assert art.text.split("\n\n")[-len(body) :] == body
    assert {k: getattr(art, k) for k in fields} == fields


@pytest.mark.parametrize(
    "items",
    [
        # a list of speakers: a name, then a role, like a byline that follows the name
        ["Анна Смирнова, обозреватель", "Олег Кузнецов, журналист", "Мария Иванова, редактор"],
        # a tour's dates after dots, each with its city
        ["19.03.2021 Hamburg", "21.03.2021 Berlin", "24.03.2021 München"],
    ],
)
def test_a_list_in_the_body_that_looks_like_bylines_or_datelines_stays(items: list[str]) -> None:
    # The last hostile test: a name-then-role byline pattern and dotted dates
    # made these lists of an article metadata lines, cut from the body.
    intro = "В дискуссии выступили:" if items[0][0] == "А" else "Die Termine im Überblick:"
    page = "\n\n".join([*_RU_BODY, intro, *items, _RU_BODY[0]])
    art = newsclean.clean(page, kind="text")
    for item in items:
        assert item in art.text


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "en",
            [
                "The company told passengers the night buses would stop running after",
                "June 1, 2023",
                "without any notice.",
            ],
        ),
        (
            "de",
            [
                "Die Firma teilte mit, dass die Nachtbusse ab dem",
                "1. Juni 2023",
                "nicht mehr fahren würden.",
            ],
        ),
    ],
)
def test_a_date_inside_a_hard_wrapped_sentence_stays_in_it(lang: str, lines: list[str]) -> None:
    # The last hostile test: a date line under a line ending on a function
    # word was cut out of its sentence as a metadata line (f9f094d, reverted).
    art = newsclean.clean("\n".join(["\n".join(lines), "", *_BUS[lang]]), kind="text")
    assert all(line in art.text for line in lines)


def test_a_headline_ending_on_an_abbreviation_is_still_the_title() -> None:
    # The last hostile test: "… rise in the U.S." ends on a point, and the rule
    # that a prose line ending on a full stop is no title left the page with none.
    headline = "Trade talks between China and the U.S. stall again as tariffs rise in the U.S."
    page = "\n\n".join([headline, "By Jane Doe", *_BUS["en"]])
    assert newsclean.clean(page, kind="text").title == headline
