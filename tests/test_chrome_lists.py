"""A numbered list that the article's last sentence introduces is the article's (issue 12).

Listicles and deals posts end their prose on a colon and go on with "1) ...",
"2) ...", often with a link or a price under each item.  Those are short lines,
so text mode took them for a menu and cut most of the article.
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
