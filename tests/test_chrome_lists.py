"""A list or a table that the article's prose introduces is the article's (issue 12).

Listicles and deals posts end their prose on a colon and go on with "1) ...",
"2) ...", often with a link or a price under each item; results pages go on
with a table, which a flattened page has one cell per line.  Those are short
lines, so text mode took them for a menu and cut most of the article.
"""

from __future__ import annotations

import pytest

import newsclean

INTRO_EN = [
    "The city council published its list of road works for the coming year on Monday, after a long debate about which streets should come first.",
    "Officials said the work would start in the spring and that most of the money would go to the eastern districts, where the roads are in the worst state.",
    "Here are the streets that will be repaired first:",
]
ITEMS_EN = [
    "1) Harbour Road, between the ferry terminal and the market",
    "2) Station Street and the bridge over the canal",
    "3) Hill Lane, from the school to the hospital",
    "4) The ring road's northern section",
]
INTRO_ZH = [
    "记者从市交通局获悉,今年全市将对一批道路进行维修改造,总投资约三亿元,预计年底前全部完工。",
    "市交通局有关负责人表示,维修工程将优先安排在交通压力较大、路面破损严重的路段。",
    "首批维修的道路包括：",
]
ITEMS_ZH = ["1、滨海路（轮渡码头至市场段）", "2、车站街及运河大桥", "3、山前路（学校至医院段）"]
CHROME = ["Share on Facebook", "Copyright 2024 Example News. All rights reserved."]


def _page(intro: list[str], items: list[str], under: str | None = None) -> str:
    lines = ["Home", "News", "Sport", "", *[f"{p}\n" for p in intro]]
    for item in items:
        lines.append(item)
        if under is not None:
            lines.append(under)
        lines.append("")
    return "\n".join([*lines, *CHROME])


@pytest.mark.parametrize(
    ("intro", "items"), [(INTRO_EN, ITEMS_EN), (INTRO_ZH, ITEMS_ZH)], ids=["en", "zh"]
)
@pytest.mark.parametrize("under", [None, "http://example.com/offer"], ids=["bare", "link-under"])
def test_an_introduced_numbered_list_stays_with_the_article(
    intro: list[str], items: list[str], under: str | None
) -> None:
    art = newsclean.clean(_page(intro, items, under), kind="text")
    for item in items:
        assert item in art.text
    if under is not None:
        # the line under the last item too: every item had one
        assert art.text.count(under) == len(items)
    assert all(c not in art.text for c in CHROME)
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


@pytest.mark.parametrize(
    ("intro", "items", "close"),
    [
        (INTRO_EN, ITEMS_EN, "The council will review the list again next autumn."),
        (INTRO_ZH, ITEMS_ZH, "其余路段将在明年陆续安排。"),
    ],
    ids=["en", "zh"],
)
def test_a_short_close_after_an_introduced_list_stays(
    intro: list[str], items: list[str], close: str
) -> None:
    # The body's end was carried over the list, but not over the short
    # sentence under it: that was cut as navigation.
    page = _page(intro, [*items[:-1], f"{items[-1]}\n\n{close}"])
    art = newsclean.clean(page, kind="text")
    assert art.text.endswith(close)
    assert all(item in art.text for item in items)
    assert all(c not in art.text for c in CHROME)
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


def test_short_lines_that_go_on_after_an_introduced_list_are_no_close() -> None:
    # a run of short lines that goes on into more text is a menu, not a close
    menu = ["Sign in.", "Our apps.", "Contact us.", "Newsletters", "Jobs", "Events"]
    page = _page(INTRO_EN, [*ITEMS_EN[:-1], "\n".join([ITEMS_EN[-1], *menu])])
    art = newsclean.clean(page, kind="text")
    assert all(item in art.text for item in ITEMS_EN)
    assert all(m not in art.text for m in menu)


UNMARKED = {
    # a flattened <ul>: no numbers, no bullets; items lower case, or short sentences
    "en": (
        "The council also voted to:",
        [
            "raise parking fees by 10 percent",
            "cut opening hours at the pools",
            "delay the new fire station",
        ],
        "The measures take effect on January 1.",
    ),
    "en-steps": (
        "The plan has three steps:",
        [
            "Close the branch in December.",
            "Sell the building in the spring.",
            "Expand the main branch.",
        ],
        "The plan was first proposed in March.",
    ),
    "zh": (
        "申请需要准备以下材料：",
        ["身份证", "户口本", "购房合同", "收入证明"],
        "工作人员表示，大部分申请将在六周内完成审核。",
    ),
    "ru": (
        "В саду также можно увидеть:",
        ["тюльпаны", "нарциссы", "гиацинты"],
        "Сад открыт для посетителей ежедневно с девяти утра до восьми вечера.",
    ),
}


@pytest.mark.parametrize("case", sorted(UNMARKED))
def test_an_introduced_unmarked_list_and_its_close_stay(case: str) -> None:
    # Intro, items and close were all cut as navigation: the items are short
    # lines with nothing to tell them from a menu, but the article's own
    # sentence under them closes the list it announced.
    intro, items, close = UNMARKED[case]
    body = INTRO_ZH[:2] if case == "zh" else INTRO_EN[:2]
    page = "\n".join(
        ["Home", "News", "", *[f"{p}\n" for p in body], intro, *items, "", close, "", *CHROME]
    )
    art = newsclean.clean(page, kind="text")
    for line in [intro, *items, close]:
        assert line in art.text
    assert all(c not in art.text for c in CHROME)
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


def test_an_unmarked_list_is_kept_in_doubt() -> None:
    # A hostile test: a site's "Our other titles:" over its names, with its
    # blurb under them, reads like the article's list and close: kept, but
    # with the doubt recorded.
    intro, items, close = UNMARKED["en"]
    page = "\n".join([*[f"{p}\n" for p in INTRO_EN[:2]], intro, *items, "", close, "", *CHROME])
    art = newsclean.clean(page, kind="text")
    doubts = {b.text: b.reason for b in art.doubts}
    assert all(doubts[line] == "navigation" for line in [intro, *items])
    assert doubts[close] in ("navigation", "outside-body")


def test_a_menu_after_the_article_s_colon_stays_out() -> None:
    # no sentence of the article's under the short lines: a menu, not a list
    menu = ["Newsletters", "Podcasts", "Jobs", "Events"]
    page = "\n".join([*[f"{p}\n" for p in INTRO_EN], *menu, "", *CHROME])
    art = newsclean.clean(page, kind="text")
    assert all(m not in art.text for m in menu)


def test_a_numbered_list_after_a_full_stop_is_not_carried_into_the_article() -> None:
    # a "most read" list under an article that ended its sentence: not introduced
    intro = [*INTRO_EN[:2]]
    art = newsclean.clean(_page(intro, ITEMS_EN), kind="text")
    assert all(item not in art.text for item in ITEMS_EN)


@pytest.mark.parametrize(
    "items",
    [
        ITEMS_EN[:2],  # two items are no list
        [ITEMS_EN[1], ITEMS_EN[0], ITEMS_EN[2]],  # not numbered from 1 in sequence
        [i.replace(")", "", 1) for i in ITEMS_EN],  # "1 Harbour Road": no ordinal mark
    ],
    ids=["too-short", "out-of-order", "no-mark"],
)
def test_only_a_list_numbered_1_2_3_counts(items: list[str]) -> None:
    art = newsclean.clean(_page(INTRO_EN, items), kind="text")
    assert all(item not in art.text for item in items)


def test_the_list_stops_where_its_numbering_stops() -> None:
    other = ["1) Most read: the mayor's speech", "2) Most read: the new ferry"]
    art = newsclean.clean(_page(INTRO_EN, [*ITEMS_EN, *other]), kind="text")
    assert all(item in art.text for item in ITEMS_EN)
    assert all(item not in art.text for item in other)


def test_a_line_of_chrome_ends_the_list() -> None:
    items = [*ITEMS_EN[:3], "Share on Facebook", ITEMS_EN[3]]
    art = newsclean.clean(_page(INTRO_EN, items), kind="text")
    assert all(item in art.text for item in ITEMS_EN[:3])
    assert ITEMS_EN[3] not in art.text and "Share on Facebook" not in art.text


# --- tables -------------------------------------------------------------------------

HEADER = ["Pos.", "Team", "Points", "Wins"]
ROWS = [
    ["1", "Harbour Rovers", "42", "13"],
    ["2", "Station United", "38", "11"],
    ["3", "Hill Lane Athletic", "35", "10"],
    ["4", "Canal Town", "31", "9"],
]
TABLE_INTRO = [
    "The harbour league finished its season on Saturday, with the Rovers winning the title on the last day after a draw in the derby.",
    "The coach said the team had been lucky to stay clear of injuries, and that most of the players had signed for another year.",
    "The final standings after 22 rounds:",
]


def _table_page(intro: list[str], rows: list[list[str]], header: bool = True) -> str:
    # a flattened table: one cell per line, cells one blank line apart
    cells = [*(HEADER if header else []), *(c for row in rows for c in row)]
    lines = ["Home", "News", "Sport", "", *[f"{p}\n" for p in intro]]
    lines += [f"{c}\n" for c in cells]
    return "\n".join([*lines, *CHROME])


@pytest.mark.parametrize("header", [True, False], ids=["header", "no-header"])
def test_an_introduced_table_stays_with_the_article(header: bool) -> None:
    art = newsclean.clean(_table_page(TABLE_INTRO, ROWS, header), kind="text")
    paragraphs = art.text.split("\n\n")
    cells = [*(HEADER if header else []), *(c for row in ROWS for c in row)]
    assert paragraphs[-len(cells) :] == cells  # every cell, number cells too
    assert all(c not in art.text for c in CHROME)
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


NUMBER_HEADER = ["Year", "Visitors", "Loans"]
NUMBER_ROWS = [
    ["2019", "41,200", "90,000"],
    ["2020", "12,800", "30,500"],
    ["2021", "25,300", "61,000"],
]
CLOSE = [
    "Librarians will be moved to the main branch downtown, and the collection of books will be divided between the remaining branches.",
    "The mayor said she would ask the state for an emergency grant to keep the library open for at least another year.",
]


@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_table_of_numbers_under_its_header_row_keeps_its_cells(where: str) -> None:
    # Rows of numbers only (a year and two counts) under a header row of
    # names: every number cell was cut as a counter, in the middle of the
    # article too, where the body run crosses the table.
    intro = [*TABLE_INTRO[:2], "Visitors per year:"]
    cells = [*NUMBER_HEADER, *(c for row in NUMBER_ROWS for c in row)]
    lines = ["Home", "News", "", *[f"{p}\n" for p in intro], *[f"{c}\n" for c in cells]]
    if where == "middle":
        lines += [f"{p}\n" for p in CLOSE]
    art = newsclean.clean("\n".join([*lines, *CHROME]), kind="text")
    paragraphs = art.text.split("\n\n")
    start = paragraphs.index(intro[-1]) + 1
    assert paragraphs[start : start + len(cells)] == cells
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


def test_lone_numbers_without_a_header_row_are_still_counters() -> None:
    # a widget's counts after a colon ("Shares:" / 12 / 3,400 ...): no names
    # over them, so no table
    counts = ["12", "3,400", "56", "7", "1,024", "88", "9", "310", "45"]
    lines = [*[f"{p}\n" for p in TABLE_INTRO[:2]], "Shares:", *counts, *[f"{p}\n" for p in CLOSE]]
    art = newsclean.clean("\n".join([*lines, *CHROME]), kind="text")
    assert not set(counts) & set(art.text.split("\n\n"))


@pytest.mark.parametrize(
    ("intro", "rows"),
    [
        (TABLE_INTRO[:2], ROWS),  # no introduction: a list of scores after the article
        (TABLE_INTRO, ROWS[:2]),  # two rows are no table
        (TABLE_INTRO, [[c for c in row if not c.isdigit()] for row in ROWS]),  # no number column
    ],
    ids=["not-introduced", "two-rows", "text-only"],
)
def test_what_is_not_an_introduced_table_stays_out(intro: list[str], rows: list[list[str]]) -> None:
    art = newsclean.clean(_table_page(intro, rows), kind="text")
    assert all(row[1] not in art.text for row in rows if len(row) > 1)


def test_a_data_table_in_html_keeps_its_rows() -> None:
    # trafilatura renders a data table as "| cell | cell |" rows: the article's
    # table, which text mode (one cell per line) must not replace
    prose = "".join(f"<p>{p}</p>" for p in TABLE_INTRO)
    table = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in [HEADER, *ROWS] * 3
    )
    html = (
        "<html><head><title>Rovers win the league</title></head><body><nav><a href='/'>Home</a>"
        f"<a href='/news'>News</a></nav><article><h1>Rovers win the league</h1>{prose}"
        f"<table>{table}</table></article><footer>{CHROME[1]}</footer></body></html>"
    )
    art = newsclean.clean(html, kind="html")
    assert "html-fallback" not in art.flags
    assert "| 1 | Harbour Rovers | 42 | 13 |" in art.text


# --- series: items that all start alike ----------------------------------------------

DATES_EN = [
    "June 9 -- Harbour Arena, Port Town",
    "June 12 -- Station Hall, Riverside",
    "July 3 -- Hill Lane Theatre, Upton",
    "Aug. 14 -- Canal Park, Oldbridge",
]
DATES_ZH = ["6月9日——海港体育馆（港城）", "6月12日——车站礼堂（河畔）", "7月3日——山前剧场（上镇）"]
TOUR_EN = [*INTRO_EN[:2], "The tour dates:"]
TOUR_ZH = [*INTRO_ZH[:2], "巡演日程如下："]


@pytest.mark.parametrize(
    ("intro", "items"), [(TOUR_EN, DATES_EN), (TOUR_ZH, DATES_ZH)], ids=["en", "zh"]
)
def test_an_introduced_series_stays_with_the_article(intro: list[str], items: list[str]) -> None:
    page = "\n".join(["Home", "News", "", *[f"{p}\n" for p in intro], *items, "", *CHROME])
    art = newsclean.clean(page, kind="text")
    assert art.text.split("\n\n")[-len(items) :] == items
    assert all(c not in art.text for c in CHROME)
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


@pytest.mark.parametrize(
    ("intro", "items"),
    [
        (INTRO_EN[:2], DATES_EN),  # no introduction
        (TOUR_EN, DATES_EN[:2]),  # two lines are no series
        (TOUR_EN, [d.split(" -- ")[1] for d in DATES_EN]),  # words first: headlines, a menu
    ],
    ids=["not-introduced", "two-items", "no-number-or-mark"],
)
def test_what_is_not_an_introduced_series_stays_out(intro: list[str], items: list[str]) -> None:
    page = "\n".join(["Home", "News", "", *[f"{p}\n" for p in intro], *items, "", *CHROME])
    art = newsclean.clean(page, kind="text")
    assert all(item not in art.text for item in items)


# --- a data table at the end of an HTML article ------------------------------------

STANDINGS = [("Kyle Busch", 5040), ("Joey Logano", 5035), ("Denny Hamlin", 5022)]


@pytest.mark.parametrize("intro", ["<p>Final standings after 36 races:</p>", ""])
def test_a_data_table_ending_an_html_article_keeps_its_rows(intro: str) -> None:
    # trafilatura renders it as "| cell |" rows under a header and a |---| rule;
    # the rows are short lines after the body, and were cut as navigation
    rows = "".join(
        f"<tr><td>{i}</td><td>{name}</td><td>{points}</td></tr>"
        for i, (name, points) in enumerate(STANDINGS, 1)
    )
    prose = "".join(f"<p>{p}</p>" for p in TABLE_INTRO[:2])
    html = (
        f"<html><body><article>{prose}{intro}<table><tr><th>Pos.</th><th>Driver</th>"
        f"<th>Points</th></tr>{rows}</table></article></body></html>"
    )
    art = newsclean.clean(html, kind="html")
    for i, (name, points) in enumerate(STANDINGS, 1):
        assert f"| {i} | {name} | {points} |" in art.text
    assert "|---|" not in art.text
    assert newsclean.clean(art.text, kind="text").text == art.text  # stable


def test_rows_without_numbers_after_an_html_article_stay_out() -> None:
    # a layout table of links under the article (a menu): no number in its rows
    prose = "".join(f"<p>{p}</p>" for p in TABLE_INTRO[:2])
    menu = "".join(
        f"<tr><td><a href='/{w}'>{w}</a></td><td><a href='/{w}/more'>More {w}</a></td></tr>"
        for w in ("Politics", "Business", "Sport", "Culture")
    )
    html = f"<html><body><article>{prose}<table>{menu}</table></article></body></html>"
    art = newsclean.clean(html, kind="html")
    assert "More Politics" not in art.text and "More Sport" not in art.text


# --- a listicle's items, each a headline over its paragraph ---------------------------

LISTICLE_INTRO = [
    "Travelling by rail has never been more popular, and operators across the continent are adding new routes and sleeper services for the summer season.",
    "Here are our favourite routes:",
]
LISTICLE_ITEMS = [
    "{n}Bernina Express",
    "The panoramic train climbs from Chur to Tirano over the Alps, crossing 196 bridges and passing glaciers along the way.",
    "{n}Glacier Express",
    "Often called the slowest express train in the world, it takes about eight hours to travel between Zermatt and St. Moritz.",
    "{n}Nightjet Vienna to Paris",
    "The sleeper leaves Vienna in the evening and arrives in Paris the next morning, saving a night in a hotel.",
]
LISTICLE_END = "Prices start at about 60 euros for a seat, and booking early is strongly recommended in July and August."


def _listicle(mark: str) -> list[str]:
    items, n = [], 0
    for line in LISTICLE_ITEMS:
        if line.startswith("{n}"):
            n += 1
        items.append(line.format(n=mark.format(n)))
    return [*LISTICLE_INTRO, *items, LISTICLE_END]


@pytest.mark.parametrize(
    "header",
    [
        ["By Jane Doe | May 3, 2024"],
        ["By Jane Doe", "May 3, 2024"],
        ["Home", "Travel", "By Jane Doe"],
    ],
    ids=["byline-date", "two-lines", "menu-byline"],
)
@pytest.mark.parametrize("mark", ["{}. ", "{}) ", "#{} "], ids=["dot", "paren", "hash"])
def test_a_listicle_the_prose_announces_is_kept_whatever_sits_above_it(
    header: list[str], mark: str
) -> None:
    # Title Case headline + paragraph, three times, reads like a related list;
    # but the article's prose announced it on a colon and it is numbered 1, 2,
    # 3.  Without a metadata line above, nothing was evidence and the text was
    # kept whole; a byline made the list (and the paragraph after it) chrome.
    body = _listicle(mark)
    art = newsclean.clean("\n\n".join([*header, *body]), kind="text")
    assert art.text.split("\n\n") == body


def test_numbered_teasers_after_a_full_stop_stay_a_related_list() -> None:
    # the same items, but the article ended on a full stop and a heading of
    # their own announces them: a related list, not the article's
    body = [LISTICLE_INTRO[0], LISTICLE_END]
    page = ["By Jane Doe | May 3, 2024", *body, "Related stories", *_listicle("{}. ")[2:-1]]
    art = newsclean.clean("\n\n".join(page), kind="text")
    assert art.text.split("\n\n") == body


def test_numbered_pairs_under_an_unknown_colon_heading_stay_in_doubt() -> None:
    # "Also on our site:" is no lexicon heading: the numbered headline +
    # teaser pairs under it look like a listicle the prose announces, so they
    # stay; but a related list looks the same, and the doubt is recorded.
    items = [
        "1. Storm Knocks Out Power to Thousands",
        "Crews worked through the night to restore electricity after high winds toppled lines.",
        "2. Local Bakery Wins National Award",
        "The family-run shop was praised for its sourdough and its work training apprentices.",
        "3. School District Names New Superintendent",
        "The board chose a former principal who has led schools in the area for two decades.",
    ]
    page = ["By Jane Doe | May 3, 2024", LISTICLE_INTRO[0], "Also on our site:", *items]
    art = newsclean.clean("\n\n".join(page), kind="text")
    doubted = {d.text: d.reason for d in art.doubts}
    for item in items:
        assert item in art.text
        assert doubted.get(item) == "related-list"


@pytest.mark.parametrize("heading", ["相关阅读：", "推荐阅读：", "Read more:"])
def test_a_numbered_related_list_with_teasers_is_removed_whole(heading: str) -> None:
    # A hostile test: under a related heading, only item 1 went; the body was
    # carried over the "box" into the teaser sentences and items 2 and 3.
    body = [
        "记者从市工信局获悉，截至2月25日，全市累计开复工规上工业企业1867家，开复工率达到97.6%，复工人数超过二十万人。",
        "市工信局有关负责人表示，下一步将继续帮助企业解决用工、原材料和物流等方面的困难，推动企业尽快达产达效。",
        "据介绍，全市还将出台一系列扶持政策，对受疫情影响较大的中小企业给予减税降费和融资支持。",
    ]
    items = [
        "1. 青岛地铁新线路正式开通运营",
        "新线路全长三十公里，设站二十座，将大大方便沿线市民出行。",
        "2. 济南发布新一轮人才引进政策",
        "政策提出对高层次人才给予最高五百万元的安家补贴和科研经费支持。",
        "3. 威海海滨公园改造工程完工",
        "改造后的公园新增绿地面积五万平方米，并建设了多条健身步道。",
    ]
    page = ["烟台累计开复工规上工业企业1867家", *body, heading, *items]
    art = newsclean.clean("\n\n".join(page), kind="text", language="zh")
    assert art.text.split("\n\n") == body


@pytest.mark.parametrize(
    "box", [["Metro line opens in Qingdao"], ["1. Metro line opens in Qingdao"]]
)
def test_an_articles_own_numbered_sections_after_an_inline_box_stay(box: list[str]) -> None:
    # A hostile test of the rule above: the box's scan took the article's
    # "1. Subsidies" heading as an item, "2." followed, and everything after
    # the box was cut.  Only a box numbered 1, 2, ... from its first item,
    # followed by the next number, is a list that goes on.
    head = [
        "Officials said on Tuesday that 1,867 factories across the city had reopened, with a "
        "reopening rate of 97.6 percent and more than 200,000 workers back.",
        "The head of the bureau said the city would keep helping companies with staff, raw "
        "materials and logistics so they could return to full production.",
    ]
    sections = [
        "Small firms hit hard by the epidemic will receive a subsidy of part of last year's "
        "social insurance payments, up to 500,000 yuan.",
        "2. Cheaper loans",
        "Banks are encouraged to cut interest rates for small firms, and the city will pay "
        "half of the interest for up to a year.",
        "3. Rent relief",
        "Small firms renting state-owned premises will pay no rent for three months and half "
        "rent for the following three.",
        "The measures take effect immediately and run until the end of the year, officials said.",
    ]
    page = [
        "City unveils relief package for small firms",
        *head,
        "Read more:",
        *box,
        "1. Subsidies",
        *sections,
    ]
    art = newsclean.clean("\n\n".join(page), kind="text", language="en")
    assert all(p in art.text for p in head + sections)


def test_an_articles_list_that_began_above_an_inline_box_goes_on_after_it() -> None:
    # A hostile test: the article's "1." sat above a one-item numbered box;
    # its "2." after the box read as the box's list going on, and the rest of
    # the article was cut.
    intro = (
        "Officials said on Tuesday that 1,867 factories across the city had reopened, with a "
        "reopening rate of 97.6 percent and more than 200,000 workers back."
    )
    own = [
        "1. Small firms hit hard by the epidemic will receive a subsidy of part of last year's "
        "social insurance payments, up to 500,000 yuan.",
        "2. Banks are encouraged to cut interest rates for small firms, and the city will pay "
        "half of the interest for up to a year.",
        "3. Small firms renting state-owned premises will pay no rent for three months and half "
        "rent for the following three.",
        "The measures take effect immediately and run until the end of the year, officials said.",
    ]
    page = [
        "Relief package",
        intro,
        own[0],
        "Read more:",
        "1. Metro line opens in Qingdao",
        *own[1:],
    ]
    art = newsclean.clean("\n\n".join(page), kind="text", language="en")
    assert all(p in art.text for p in [intro, *own])
