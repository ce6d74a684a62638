"""A date no calendar has is no article date.

"2021-02-30", "31 April 2020" and "2021年13月5日" have a date's shape, and
text mode took the first two as ``Article.date``.  The ISO string is built in
one place (metadata._iso), which now refuses them, so every reader of dates
(a dateline, a URL, a forum's post line) refuses them too.  The line itself is
still read as a dateline: the byline beside the bad date, and the headline
above it, stay what they were.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.chrome.metadata import find_date, parse_meta_line, url_date

EN_BODY = (
    "The city council voted on Tuesday night to approve a new budget for the coming "
    "year, ending months of debate over how to pay for repairs to roads and schools.\n\n"
    "The plan raises spending on maintenance by eight percent while keeping property "
    "taxes flat, the finance director told reporters after the vote.\n\n"
    "Critics on the council argued that the budget relies on optimistic revenue "
    "forecasts that may not hold if the local economy slows next year."
)
ZH_BODY = (
    "记者从市交通运输局获悉，今年我市将新建和改造城市道路一百二十公里，重点缓解老城区早晚高峰的拥堵问题。\n\n"
    "市交通运输局负责人介绍，新建道路将优先连接地铁站点和大型居住区，同时增设公交专用道和非机动车道。\n\n"
    "据了解，相关工程将在年内陆续开工，部分项目预计明年上半年建成通车，市民出行将更加便捷。"
)


@pytest.mark.parametrize(
    "text",
    ["2021-02-30", "31 April 2020", "2021年13月5日", "February 29, 2019", "30/02/2021"],
)
def test_an_impossible_date_is_no_date(text: str) -> None:
    assert find_date(text) == (None, None)


def test_real_dates_next_to_the_impossible_ones_still_parse() -> None:
    assert find_date("2020-02-29")[0] == "2020-02-29"  # a leap year
    assert find_date("30 April 2020")[0] == "2020-04-30"
    assert url_date("https://example.com/2021/02/30/story.html") is None
    assert url_date("https://example.com/2021/02/28/story.html") == "2021-02-28"


def test_a_dateline_with_an_impossible_date_is_still_a_dateline() -> None:
    fields, only = parse_meta_line("By Jane Doe | 31 April 2020")
    assert only
    assert fields == {"author": "Jane Doe"}


@pytest.mark.parametrize("dateline", ["By Jane Doe | 31 April 2020", "Published 2021-02-30"])
def test_an_english_article_with_an_impossible_date_has_no_date(dateline: str) -> None:
    text = f"City council approves new budget after months of debate\n\n{dateline}\n\n{EN_BODY}"
    a = newsclean.clean(text, kind="text")
    assert a.date is None
    assert a.title == "City council approves new budget after months of debate"
    assert a.text.startswith("The city council voted on Tuesday night")
    assert dateline not in a.text


def test_a_chinese_article_with_an_impossible_date_has_no_date() -> None:
    text = f"我市今年将新建改造城市道路一百二十公里\n\n2021年2月30日 10:20　来源：本市日报\n\n{ZH_BODY}"
    a = newsclean.clean(text, kind="text")
    assert a.date is None
    assert a.source == "本市日报"
    assert a.title == "我市今年将新建改造城市道路一百二十公里"
    assert a.text.startswith("记者从市交通运输局获悉")


def test_a_dateline_of_month_13_is_read_as_one_and_keeps_the_headline() -> None:
    text = f"我市今年将新建改造城市道路一百二十公里\n\n2021年13月5日\n\n{ZH_BODY}"
    a = newsclean.clean(text, kind="text")
    assert a.date is None
    assert a.title == "我市今年将新建改造城市道路一百二十公里"
    assert "2021年13月5日" not in a.text
