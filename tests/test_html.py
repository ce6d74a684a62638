"""HTML mode: golden pages in fixtures/html/, the flattening, the fallback."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

import pytest

import newsclean
from newsclean.config import Config
from newsclean.html import _CLOSE_ROOT, _flatten_tree, clean_html, flatten_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
CASES = sorted(p.name.removesuffix(".html") for p in FIXTURES.glob("*.html"))
FIELDS = ("title", "date", "source", "author", "editor", "flags")
# Pages whose expected output is right but not reached yet, with the module that
# owes it.  strict: the test fails once the gap closes, so the mark gets removed.
KNOWN_GAPS: dict[str, str] = {}


def _expected(name: str) -> tuple[dict[str, str], str]:
    """``NAME.expected.txt``: ``field: value`` lines, a blank line, the body."""
    head, _, body = (
        (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").partition("\n\n")
    )
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    assert set(fields) == set(FIELDS), f"{name}.expected.txt must list exactly {FIELDS}"
    return fields, body.rstrip("\n")


def test_every_fixture_page_has_an_expected_output() -> None:
    assert len(CASES) >= 6
    for name in CASES:
        assert (FIXTURES / f"{name}.expected.txt").is_file(), name


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=True))
        if n in KNOWN_GAPS
        else n
        for n in CASES
    ],
)
def test_golden_page(name: str) -> None:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    fields, body = _expected(name)
    art = newsclean.clean(html, kind="html")
    got = {f: getattr(art, f) or "" for f in FIELDS if f != "flags"}
    got["flags"] = " ".join(art.flags)
    assert got == fields
    if art.text != body:
        diff = "\n".join(difflib.unified_diff(body.split("\n"), art.text.split("\n"), lineterm=""))
        pytest.fail(f"{name}: body differs from the fixture\n{diff}")


def test_inline_chrome_is_removed_with_its_reason() -> None:
    html = (FIXTURES / "zh_inline_chrome.html").read_text(encoding="utf-8")
    art = newsclean.clean(html, kind="html")
    reasons = {b.reason for b in art.removed}
    assert {"editor-line", "share-widget", "copyright"} <= reasons
    assert all("孙丽" not in p for p in art.text.split("\n\n"))


def test_lines_repeated_inside_the_body_are_not_taken_for_a_related_list() -> None:
    # The detector's duplicate-headline evidence is second-guessed in HTML mode;
    # the explicit "Related:" line after the body still goes.
    html = (FIXTURES / "en_repeated_lines.html").read_text(encoding="utf-8")
    art = newsclean.clean(html, kind="html")
    paras = art.text.split("\n\n")
    assert paras.count("Eat every 2–3 hours") >= 2
    assert not any(p.startswith("Related:") for p in paras)
    assert [b.reason for b in art.removed if b.text.startswith("Related:")] == ["related-list"]


def test_related_teasers_left_by_trafilatura_are_removed_and_not_read_as_bylines() -> None:
    html = (FIXTURES / "zh_related_teasers.html").read_text(encoding="utf-8")
    art = newsclean.clean(html, kind="html")
    assert art.text.split("\n\n")[-1].startswith("家住和平里小区的李阿姨说")
    teasers = [b for b in art.removed if b.reason == "related-list"]
    assert [b.text for b in teasers][:2] == ["相关新闻", "我市发布老旧小区改造三年行动计划"]
    assert art.source is None  # "来源：城市在线" there credits the teasers, not the article
    assert art.date is None  # and "2021-03-02" dates a teaser (htmldate would take it)


def test_a_teaser_date_that_the_markup_confirms_is_kept() -> None:
    html = (FIXTURES / "zh_related_teasers.html").read_text(encoding="utf-8")
    meta = '<meta property="article:published_time" content="2021-03-02T08:00:00+08:00">'
    art = newsclean.clean(html.replace("</head>", meta + "</head>"), kind="html")
    assert art.date is not None and art.date.startswith("2021-03-02")


def test_bytes_input_and_auto_kind() -> None:
    raw = (FIXTURES / "en_share.html").read_bytes()
    art = newsclean.clean(raw)
    assert art.text.startswith("The Riverside city council voted 7-2")
    assert "Share on Facebook" not in art.text


def test_page_without_body_is_flagged_not_crashed() -> None:
    html = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"
    art = clean_html(html, None, Config())
    assert art.text == ""
    assert "no-body" in art.flags


def test_fragment_that_lxml_rejects_falls_back_to_text_mode() -> None:
    # trafilatura refuses a lone block element as "not a document".
    para = "The bridge will close for repairs from Monday, the county said in a notice. " * 3
    art = clean_html(f"<p>{para}</p>", "https://example.org/a", Config())
    assert "html-fallback" in art.flags
    assert art.text == para.strip()
    assert art.url == "https://example.org/a"


def test_a_page_rooted_outside_html_is_flattened_as_beautifulsoup_would() -> None:
    # trafilatura's loader rejects a crawl dump rooted in <text> around one
    # element; lxml still builds it, and its flattening must be flatten_html's
    # text exactly.
    para = "The county board met on Tuesday and approved the new bridge budget in full."
    html = (
        '<text id="http://example.org/a" title="Bridge">\n<form><div id="nav"><a href="/">Home'
        f"</a></div>\n<div><p>{para}</p><script>var x = 1;</script><p>{para} Again.</p>"
        "<!-- a comment --></div></form>\n</text>"
    )
    from newsclean.html import _flatten_any

    assert _flatten_any(html) == flatten_html(html)
    art = clean_html(html, None, Config())
    assert "html-fallback" in art.flags
    assert para in art.text and "var x" not in art.text


def test_flatten_html_follows_design_section_4() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style><script>var x=1</script></head>"
        "<body><p>first  </p>\n\n\n\n<div>second<noscript>enable js</noscript></div>"
        "<template><p>hidden</p></template> \n \n<p>third\u00a0</p></body></html>"
    )
    assert flatten_html(html) == "T\nfirst\n\nsecond\n\nthird"


@pytest.mark.parametrize("name", CASES)
def test_tree_flattening_matches_the_beautifulsoup_one(name: str) -> None:
    # The fallback flattens trafilatura's parse tree instead of re-parsing with
    # BeautifulSoup; on pages without HTML comments the two must agree exactly.
    from trafilatura.utils import load_html

    # (clean_html drops </html> and </body> first: libxml2 stops at a stray one.)
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    assert _flatten_tree(load_html(_CLOSE_ROOT.sub("", html))) == flatten_html(html)


BODY = "".join(
    f"<p>Paragraph {i} of the story says something new about the harbour works and the city.</p>"
    for i in range(4)
)


def test_title_drops_the_site_segment_of_the_title_element() -> None:
    html = (
        "<html><head><title>Harbour works begin | Coastal Times</title>"
        '<meta property="og:site_name" content="Coastal Times"></head>'
        f"<body><article>{BODY}</article></body></html>"
    )
    art = clean_html(html, None, Config())
    assert art.title == "Harbour works begin"
    assert art.source == "Coastal Times"


def test_visible_headline_becomes_the_title() -> None:
    html = (
        "<html><head><title>Opinion | Harbour works begin</title></head>"
        f"<body><article><h1>Harbour works begin</h1>{BODY}</article></body></html>"
    )
    art = clean_html(html, None, Config())
    assert art.title == "Harbour works begin"
    assert art.text.startswith("Paragraph 0 of the story")
    assert [b.reason for b in art.removed if b.text == "Harbour works begin"] == ["title"]


def test_fallback_needs_text_mode_to_contain_what_trafilatura_kept() -> None:
    from newsclean.html import _covers

    kept = [
        "The council approved the budget on Tuesday after a debate that ran past midnight.",
        "The new budget raises spending on roads and schools and takes effect in May.",
        "Opponents said the plan leaves too little in reserve for a bad winter.",
    ]
    n = sum(map(len, kept))
    assert n >= 200  # more than "almost nothing"
    elsewhere = ["Great article, thanks!", "I disagree with the council on everything."] * 20
    assert not _covers(elsewhere, kept, n)  # text mode found a comment thread instead
    assert _covers(["An intro paragraph that only text mode found.", *kept, "More."], kept, n)
    assert _covers(elsewhere, ["Menu"], 4)  # trafilatura kept almost nothing: any body beats it


_ROAD_WORKS = [
    "本报讯 昨天上午，市政府召开新闻发布会，介绍今年城市道路改造工程的进展情况。",
    "据介绍，今年全市共安排道路改造项目四十二个，目前已经完工二十八个，其余项目将在年底前全部完成。",
    "市交通局负责人表示，改造完成后，中心城区的通行效率预计将提高百分之十五以上，市民出行将更加便利。",
    "发布会上，有关部门还回答了记者关于施工期间交通组织、噪声控制和安全管理等方面的提问。",
]


def _layout_table_page() -> str:
    """An old portal: menu, hot-news list and article as cells of layout tables."""
    menu = "".join(f'<a href="/c{i}">栏目{i}</a> | ' for i in range(12))
    hot = "".join(
        f'<tr><td>·<a href="/n{i}">热点新闻标题第{i}条内容摘要</a></td></tr>' for i in range(8)
    )
    return (
        "<html><head><title>道路改造工程进展顺利</title></head><body>"
        f"<table width=760><tr><td>{menu}</td></tr></table>"
        f"<table width=760><tr><td width=180><table>{hot}</table></td>"
        f"<td width=580><b>道路改造工程进展顺利</b><br>{'<br>'.join(_ROAD_WORKS)}</td></tr>"
        '<tr><td colspan=2><a href="/about">关于我们</a> | <a href="/contact">联系方式</a>'
        " | 版权所有 某某网</td></tr></table></body></html>"
    )


def test_a_layout_table_dump_gives_way_to_the_article_cell() -> None:
    # trafilatura returns the tables whole (menu, article cell, hot list);
    # the line detector on the page agrees on the article, and the rest of
    # the tables is link text, so its body is taken.
    art = clean_html(_layout_table_page(), None, Config())
    assert art.text == "\n\n".join(_ROAD_WORKS)
    assert "html-fallback" in art.flags
    assert "|" not in art.text and "热点新闻" not in art.text


def _no_trafilatura(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """trafilatura's extraction replaced by a spy that records each call."""
    import trafilatura

    calls: list[str] = []
    real = trafilatura.bare_extraction

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("bare_extraction")
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    return calls


def test_a_page_laid_out_in_tables_is_decided_without_trafilatura(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every visible character is in the tables and text mode's body refines
    # them: trafilatura could only return those tables, and would lose to it.
    calls = _no_trafilatura(monkeypatch)
    art = clean_html(_layout_table_page(), None, Config())
    assert art.text == "\n\n".join(_ROAD_WORKS)
    assert "html-fallback" in art.flags
    assert calls == []


def test_an_article_container_in_a_layout_table_is_left_to_trafilatura(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same page with the article cell marked as trafilatura's kind of
    # container: trafilatura would extract the container, so it is asked.
    calls = _no_trafilatura(monkeypatch)
    page = _layout_table_page().replace(
        "<td width=580>", '<td width=580><div class="article-content">'
    )
    page = page.replace("</td></tr><tr><td colspan=2>", "</div></td></tr><tr><td colspan=2>")
    art = clean_html(page, None, Config())
    assert calls == ["bare_extraction"]
    assert art.text == "\n\n".join(_ROAD_WORKS)


def test_a_page_mostly_outside_tables_is_left_to_trafilatura(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _no_trafilatura(monkeypatch)
    prose = "".join(f"<p>{p}</p>" for p in _ROAD_WORKS)
    page = _layout_table_page().replace("</body>", f"<div>{prose}{prose}</div></body>")
    clean_html(page, None, Config())
    assert calls == ["bare_extraction"]


def test_a_layout_page_with_a_data_table_is_left_to_trafilatura(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The article is one sentence over a league table, all in layout tables:
    # text mode's body is the sentence (short number cells read as chrome),
    # and the table is the article's, which trafilatura keeps (with fewer rows,
    # under a short article's length, text mode's sentence still wins: the
    # closing note lists it).
    calls = _no_trafilatura(monkeypatch)
    teams = [f"{town} United" for town in ("Ashford", "Barton", "Carlow", "Dunmore", "Easton")]
    teams += [f"{town} City" for town in ("Fenwick", "Garston", "Harlow", "Ilkley", "Jarrow")]
    teams += [f"{town} Rovers" for town in ("Kendal", "Ludlow", "Marlow", "Newark", "Oakham")]
    teams += [f"{town} Town" for town in ("Penrith", "Quorn", "Ripon", "Selby", "Thirsk")]
    rows = "".join(
        f"<tr><td>{i}</td><td>{t}</td><td>38</td><td>{30 - i}</td><td>{4 + i % 5}</td>"
        f"<td>{i % 7 + 3}</td><td>{90 - 4 * i}</td></tr>"
        for i, t in enumerate(teams, 1)
    )
    page = (
        "<html><head><title>Final standings</title></head><body><table>"
        + "<tr><td>"
        + " | ".join(f'<a href="/{i}">Section {i}</a>' for i in range(8))
        + "</td></tr><tr><td><p>The final standings of the season, after the last round of"
        " matches on Sunday afternoon.</p><table><tr><th>Pos</th><th>Team</th><th>P</th>"
        f"<th>W</th><th>D</th><th>L</th><th>Pts</th></tr>{rows}</table></td></tr></table></body></html>"
    )
    art = clean_html(page, None, Config())
    assert calls == ["bare_extraction"]
    assert all(team in art.text for team in teams)


@pytest.mark.parametrize(
    ("title", "above", "expected"),
    [
        # the <title>'s main part, its start or its end before a separator
        ("道路改造工程进展顺利_新闻中心_某某网", ["道路改造工程进展顺利"], "道路改造工程进展顺利"),
        ("道路改造工程进展顺利（图）-某某新闻", ["道路改造工程进展顺利"], "道路改造工程进展顺利"),
        ("新闻中心-道路改造工程进展顺利", ["道路改造工程进展顺利"], "道路改造工程进展顺利"),
        (
            "Council vote - Local Politics News",
            ["Local Politics News", "Council vote"],
            "Council vote",
        ),
        # found above a menu, past its bars
        (
            "Harbour plan approved - Politics",
            ["Harbour plan approved", "Home", " |", "News"],
            "Harbour plan approved",
        ),
        # a two-line headline, a subtitle after a dash, a kicker: the title stays whole
        (
            "Obama wins Iowa caucus in record turnout_Site",
            ["Obama wins Iowa caucus", "in record turnout"],
            None,
        ),
        (
            "道路改造工程进展顺利——市政府召开发布会_某某网",
            ["道路改造工程进展顺利", "——市政府召开发布会"],
            None,
        ),
        ("Senate stays red_Site", ["Election 2004", "Senate"], None),
        # nothing to take off, or the whole <title> printed: it stays
        ("Harbour plan approved", ["Harbour plan"], None),
        (
            "Harbour plan approved - Politics",
            ["Harbour plan approved", "Harbour plan approved - Politics"],
            None,
        ),
    ],
)
def test_the_headline_above_the_body_is_the_title_s_main_part(
    title: str, above: list[str], expected: str | None
) -> None:
    from newsclean.chrome import detect
    from newsclean.html import _title_from

    body = "本报讯 昨天上午，市政府召开新闻发布会，介绍今年城市道路改造工程的进展情况，全市共安排项目四十二个。"
    # a dateline between the headline and the body, as on a page
    det = detect("\n".join([*above, "2024-05-01 10:00", body]), Config(), mode="text")
    meta: dict[str, str | None] = {"title": title}
    _title_from(det, meta)
    assert meta["title"] == (expected or title)


def test_a_huge_layout_page_is_left_to_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    # Weighing a page's tables grows with the square of its text: a catalogue
    # of 20,000 rows spent 18 s there and ran past the default timeout.
    import newsclean.html

    monkeypatch.setattr(newsclean.html, "_EARLY_MAX_CHARS", 200)
    calls = _no_trafilatura(monkeypatch)
    art = clean_html(_layout_table_page(), None, Config())
    assert calls == ["bare_extraction"]
    assert art.text == "\n\n".join(_ROAD_WORKS)


def test_a_data_table_is_rows_of_names_and_numbers() -> None:
    from lxml.html import fromstring

    from newsclean.html import _Flattened

    def rows(*tables: str) -> list[str]:
        return _Flattened(fromstring(f"<html><body>{''.join(tables)}</body></html>")).data_rows

    def table(*trs: str) -> str:
        return "<table>" + "".join(f"<tr>{tr}</tr>" for tr in trs) + "</table>"

    league = table("<td>1</td><td>Ashford</td><td>52</td>", "<td>2</td><td>Barton</td><td>48</td>")
    assert rows(league) == ["| 1 | Ashford | 52 |", "| 2 | Barton | 48 |"]
    # a calendar (numbers only), a lone pager row, a row of links: widgets
    calendar = table(
        "".join(f"<td>{d}</td>" for d in range(1, 8)),
        "".join(f"<td>{d}</td>" for d in range(8, 15)),
    )
    pager = table("<td>共有帖子1个</td><td>1</td><td>下一页</td>")
    links = table(
        '<td><a href="/a">Ashford</a></td><td><a href="/a1">52</a></td>',
        '<td><a href="/b">Barton</a></td><td><a href="/b1">48</a></td>',
    )
    assert rows(calendar, pager, links) == []
    # a row that holds a table is layout: only the inner rows count
    assert rows(f"<table><tr><td>Standings</td><td>{league}</td></tr></table>") == [
        "| 1 | Ashford | 52 |",
        "| 2 | Barton | 48 |",
    ]


def _dated_layout_page(junk: str) -> str:
    """A portal's layout table: a menu row, then a column of section links
    beside the article's cell, where the dateline sits above a second menu and
    the headline, and ``junk`` between the headline and the body."""
    menu = " | ".join(f'<a href="/c{i}">栏目{i}</a>' for i in range(10))
    sections = "<br>".join(f'<a href="/s{i}">频道{i}</a>' for i in range(6))
    return (
        "<html><head><title>道路改造工程进展顺利_某某新闻网</title></head><body>"
        f"<table width=760><tr><td colspan=2>{menu}</td></tr>"
        f"<tr><td width=150>{sections}</td><td>"
        f"<table><tr><td>2008年08月01日</td></tr></table><table><tr><td>{menu}</td></tr></table>"
        f"<b>道路改造工程进展顺利</b>{junk}<p>{'</p><p>'.join(_ROAD_WORKS)}</p></td></tr>"
        "</table></body></html>"
    )


@pytest.mark.parametrize("tag", ["script", "style"])
def test_a_script_between_dateline_and_body_is_no_line_of_the_page(tag: str) -> None:
    # The dateline search above the body stops at the first long text; a
    # script's source is none of the page's text (it is flattened away).
    junk = f"<{tag}>var slot = {{'zone': 'news_article_top', 'size': [468, 60]}};{' ' * 10}"
    junk += "/* " + "x" * 150 + f" */</{tag}>"
    art = clean_html(_dated_layout_page(junk), None, Config())
    assert art.text == "\n\n".join(_ROAD_WORKS)
    assert (art.date or "").startswith("2008-08-01")


def test_a_layout_page_decided_early_takes_the_visible_headline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The <title> adds the site's name; the headline printed above the body
    # is the title, as trafilatura's first line gives it on other pages.
    calls = _no_trafilatura(monkeypatch)
    art = clean_html(_dated_layout_page(""), None, Config())
    assert calls == []
    assert art.title == "道路改造工程进展顺利"


@pytest.mark.parametrize(
    "page_id",
    sorted(p.name.split(".")[0] for p in (FIXTURES.parent / "bench" / "zh" / "html").iterdir()),
)
def test_deciding_a_layout_page_early_changes_no_vendored_page(
    page_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The early decision stands in for trafilatura's table dump, and must
    # reach the verdict the dump reaches: the same Article with it and without.
    import newsclean.html

    html, _ = _vendored("zh", page_id)
    early = clean_html(html, None, Config())
    monkeypatch.setattr(newsclean.html, "_laid_out_in_tables", lambda tree: False)
    assert clean_html(html, None, Config()) == early


def _evidence(tree: Any) -> Any:
    """The arbitration's view of a parsed page (default config, no deadline)."""
    from newsclean.html import _Evidence
    from newsclean.limits import Deadline

    return _Evidence(tree, Config(), Deadline(None))


def test_a_table_that_adds_non_link_text_keeps_trafilatura_s_body() -> None:
    from lxml.html import fromstring

    from newsclean.html import _refines

    tree = _evidence(fromstring("<html><body><a href='/x'>首页</a></body></html>"))
    table = [f"| {p} |" for p in _ROAD_WORKS]
    # the table only adds a link text: text mode's body is the refinement
    assert _refines(_ROAD_WORKS, [*table, "| 首页 |"], tree)
    # a data table of the article (no links) is text that text mode cut
    rows = [f"| 项目{i} | 长度{i}公里 | 投资{i}亿元 | 年底完工 |" for i in range(10)]
    assert not _refines(_ROAD_WORKS, [*table, *rows], tree)
    # text mode chose text that trafilatura's table does not hold
    assert not _refines(["完全不同的一段文字，讲的是另外一件事情。"], table, tree)
    assert not _refines([], table, tree)


def test_the_date_comes_from_the_info_bar_above_the_body() -> None:
    # trafilatura drops the info bar; htmldate finds only a teaser's date in
    # the markup, which the page does not state in meta tags or the URL.
    paras = "".join(f"<p>{p}</p>" for p in _ROAD_WORKS)
    html = (
        "<html><head><title>道路改造工程进展顺利</title></head><body>"
        "<div class=nav><a href='/'>首页</a> <a href='/n'>新闻</a></div>"
        "<h1>道路改造工程进展顺利</h1>"
        "<div class=info><span>2005年03月21日 11:21</span> <span>某某网</span></div>"
        f"<div class=content>{paras}</div>"
        "<div class=more><a href='/old'>去年的道路工程回顾</a> 2004-12-01</div>"
        "</body></html>"
    )
    art = clean_html(html, None, Config())
    assert art.text == "\n\n".join(_ROAD_WORKS)
    assert art.date == "2005-03-21T11:21:00"


_BIKE_LANES = [
    "The city council voted 7-2 on Tuesday night to approve a network of protected bike lanes "
    "across the downtown core, ending a debate that had stretched over nearly two years.",
    "The plan adds about 12 miles of lanes separated from traffic by concrete curbs and "
    "planters, and construction is expected to begin in the spring.",
    "The project is expected to cost $18 million, most of it covered by a federal grant "
    "awarded last year, according to the transportation department.",
]


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Jane Doe | June 10, 2023", "Jane Doe"),
        ("Par Marie Dupont | 10 juin 2023", "Marie Dupont"),
    ],
)
def test_html_mode_reads_the_byline_trafilatura_drops(byline: str, author: str) -> None:
    """The byline paragraph above the body is dropped by the extraction; text
    mode read it from the flattened page, so HTML mode must too (one pipeline)."""
    paras = "".join(f"<p>{p}</p>" for p in _BIKE_LANES)
    html = (
        "<html><head><title>Council approves bike lanes | Example Times</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
        f"<h1>Council approves bike lanes</h1><p class='byline'>{byline}</p>{paras}"
        "</article><footer>© 2023 Example Times. All rights reserved.</footer></body></html>"
    )
    art = clean_html(html, None, Config())
    assert art.text == "\n\n".join(_BIKE_LANES)
    assert art.author == author
    assert art.author == newsclean.clean(flatten_html(html), kind="text").author
    # a byline above the headline is a teaser's or a sidebar's, one in a
    # caption the photo's; a kicker or a section name is no byline at all
    teaser_above = html.replace(
        "<article>",
        "<aside><h4>Zoo welcomes baby giraffe</h4><span>By Tom Miller</span></aside><article>",
    ).replace(f"<p class='byline'>{byline}</p>", "")
    assert clean_html(teaser_above, None, Config()).author is None
    for between in (
        "<figure><img src='x.jpg'><figcaption>By Reuters</figcaption></figure>",
        "<div class='kicker'>Von Anfang an</div>",
    ):
        page = html.replace(f"<p class='byline'>{byline}</p>", between)
        assert clean_html(page, None, Config()).author is None
    # a teaser's byline further up, above a long text, is another article's
    teaser = (
        "<p>The school board met on Monday to discuss the budget for next year, and several "
        "parents asked the board to keep the music program that the district plans to cut.</p>"
    )
    other = html.replace("<article>", f"<div><p>By John Roe</p>{teaser}</div><article>")
    other = other.replace(f"<p class='byline'>{byline}</p>", "")
    assert clean_html(other, None, Config()).author is None


def test_a_menu_link_is_not_read_as_a_byline() -> None:
    paras = "".join(f"<p>{p}</p>" for p in _ROAD_WORKS)
    html = (
        "<html><head><title>道路改造工程进展顺利</title></head><body>"
        "<div class=nav><a href='/blog'>记者博客</a> <a href='/survey'>记者调查</a></div>"
        f"<h1>道路改造工程进展顺利</h1><div class=content>{paras}</div></body></html>"
    )
    assert clean_html(html, None, Config()).author is None  # not "博客"


def test_markup_shown_as_text_never_reaches_the_body() -> None:
    paras = [
        "The council approved the budget on Tuesday after a debate that ran past midnight.",
        "The new budget raises spending on roads and schools and takes effect in May.",
        "Use the &lt;b&gt; tag for bold text in your own pages, the clerk told the council.",
    ]
    snippet = "&lt;td&gt;&lt;img src='http://ads.example.com/x.gif' width=1&gt;&lt;/td&gt;"
    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
        f"<p>{paras[0]}</p><p>{snippet}</p><p>{paras[1]}</p><p>{paras[2]}</p>"
        "</article></body></html>"
    )
    art = clean_html(html, None, Config())
    assert "<td>" not in art.text and "<img" not in art.text
    assert [b.reason for b in art.removed if "<img" in b.text] == ["markup"]
    assert "Use the <b> tag" in art.text  # prose that quotes a tag stays


def test_a_frameset_page_s_noframes_article_is_read_as_html() -> None:
    # libxml2 keeps what <noframes> holds as raw text: the article came out as
    # one line of its own markup.
    paras = "".join(f"<p>{p}</p>" for p in _ROAD_WORKS)
    html = (
        "<html><head><title>道路改造工程进展顺利</title></head><frameset cols='20%,80%'>"
        "<frame src='a.html'><frame src='b.html'><noframes><body><table><tr><td>"
        f"<h1>道路改造工程进展顺利</h1>{paras}</td></tr></table></body></noframes></frameset></html>"
    )
    art = clean_html(html, None, Config())
    assert "\n\n".join(_ROAD_WORKS) in art.text
    assert "<" not in art.text


def test_a_title_in_angle_brackets_is_not_markup() -> None:
    paras = [
        "<Parasite>",
        "The film won the top prize on Sunday, the first for a South Korean director.",
        "Critics said the win would change how the academy looks at films in translation.",
    ]
    html = "<html><body><article>" + "".join(
        f"<p>{p.replace('<', '&lt;').replace('>', '&gt;')}</p>" for p in paras
    )
    art = clean_html(html + "</article></body></html>", None, Config())
    assert "<Parasite>" in art.text
    assert not [b for b in art.removed if b.reason == "markup"]


def _vendored(set_name: str, page_id: str) -> tuple[str, str]:
    """A vendored benchmark page (fixtures/bench), decoded, and its gold body."""
    import gzip
    import json

    from newsclean.decode import decode_bytes

    root = FIXTURES.parent / "bench" / set_name
    raw = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
    gold = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))[page_id]
    return decode_bytes(raw).text, gold["articleBody"]


def _squash(text: str) -> str:
    return "".join(text.split())


def test_the_density_candidate_settles_a_table_dump_with_unlinked_prose() -> None:
    # A blog page laid out in tables: trafilatura returns the tables whole
    # (menus, the post, the blog's other posts: unlinked prose, so _refines
    # keeps the dump).  Text mode and the detector's body of the page's
    # densest block are the same text, and it starts where the table's prose
    # starts: the post alone is taken.
    html, gold = _vendored("zh", "59562291-5657-476d-9902-ad76b53ef82b")
    art = clean_html(html, None, Config())
    assert "html-fallback" in art.flags
    assert _squash(gold)[:40] in _squash(art.text)
    assert len(art.text) < 2 * len(gold)  # not the other posts


def test_a_later_story_chosen_by_text_mode_does_not_replace_the_dump() -> None:
    # The same blog's page whose first post is the article: text mode and the
    # densest block agree on a longer, later post, with the first post's
    # prose above it (_leads): trafilatura's dump, which holds the article, stays.
    html, gold = _vendored("zh", "8f1cdd94-6326-49be-bfd0-f3681cc7e89d")
    art = clean_html(html, None, Config())
    assert "html-fallback" not in art.flags
    assert _squash(gold)[:40] in _squash(art.text)


def test_the_density_candidate_must_agree_with_text_mode() -> None:
    from lxml.html import fromstring

    from newsclean.html import _densest_agrees

    args = (_evidence(fromstring(_layout_table_page())), None)
    assert _densest_agrees(_ROAD_WORKS, *args)
    assert not _densest_agrees(_ROAD_WORKS[:1], *args)  # it holds much more than text mode
    assert not _densest_agrees(["完全不同的一段文字，讲的是另外一件事情。"], *args)
    assert not _densest_agrees([], *args)


def test_text_mode_must_start_where_the_table_s_prose_starts() -> None:
    from lxml.html import fromstring

    from newsclean.html import _leads

    tree = _evidence(
        fromstring("<html><body><a href='/x'>首页</a><a href='/y'>博客目录</a></body></html>")
    )
    table = [f"| {p} |" for p in _ROAD_WORKS]
    earlier = (
        "| 另一篇文章：今天我们去了海边，天气很好，沙滩上有很多人在游泳和晒太阳，孩子们在堆沙堡。|"
    )
    # links and a short dateline above the body are the page's header
    assert _leads(_ROAD_WORKS, ["| 首页 | 博客目录 |", "| 2005-06-14 |", *table], tree)
    # a story above it that text mode skipped: it chose a later one
    assert not _leads(_ROAD_WORKS, ["| 首页 |", earlier * 3, *table], tree)
    assert not _leads(["完全不同的一段文字，讲的是另外一件事情。"], table, tree)


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>T</title></head><body><p>One.</p><form><input name=q></form></body></html>",
        '<?xml version="1.0" encoding="gbk"?><html><body><p>声明了编码的文本</p></body></html>',
        "<!DOCTYPE html>\n<html/>\n<body><div>self-closing html</div><p>x</p></body>",
        "<p>a bare fragment</p>",  # neither names html nor parses to two children
        "<div>one</div><div>two</div>",
        "\x00\x01<html><body><select><option>a</option></select>text</body></html>",
    ],
)
def test_the_parse_must_be_trafilatura_s_load_html(page: str) -> None:
    from lxml import etree
    from lxml.html import HtmlElement
    from trafilatura.utils import load_html

    from newsclean.html import _load_tree

    ours, theirs = _load_tree(page), load_html(page)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert etree.tostring(ours, encoding="unicode") == etree.tostring(
            theirs, encoding="unicode"
        )
        # every element keeps lxml.html's methods, in the tree and in its copies
        assert all(isinstance(e, HtmlElement) for e in ours.iter())
        assert all(isinstance(e, HtmlElement) for e in copy.deepcopy(ours).iter())


def _dated_page(head: str, dateline: str = "") -> str:
    para = "The county board met on Tuesday and approved the new bridge budget in full. "
    return (
        f"<html><head><title>Bridge budget approved</title>{head}</head><body>"
        f"<article><h1>Bridge budget approved</h1><p>{dateline}</p>"
        f"<p>{para * 3}</p><p>{para * 2}</p></article></body></html>"
    )


def test_a_short_page_that_falls_back_still_reads_the_date_its_json_ld_states() -> None:
    # The text-mode fallback flattens the parse, scripts dropped in place;
    # htmldate, asked after it, must still see the JSON-LD.
    ld = '<script type="application/ld+json">{"datePublished": "2021-05-06T08:00:00Z"}</script>'
    art = clean_html(_dated_page(ld), None, Config())
    assert art.date is not None and art.date.startswith("2021-05-06")


def test_a_dateline_wins_over_a_guess_but_not_over_the_day_the_markup_states() -> None:
    dateline = "May 4, 2021"
    plain = clean_html(_dated_page("", dateline), None, Config())
    assert plain.date is not None and plain.date.startswith("2021-05-04")
    meta = '<meta property="article:published_time" content="2021-05-06T08:00:00+00:00">'
    stated = clean_html(_dated_page(meta, dateline), None, Config())
    assert stated.date is not None and stated.date.startswith("2021-05-06")
