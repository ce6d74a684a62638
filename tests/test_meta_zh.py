"""Date, author and decoding on vendored pages of the Chinese development set
(fixtures/meta/zh, see fixtures/meta/README): the failure classes issue 12
listed, each on a real page, in both modes where the evidence is in the text."""

from __future__ import annotations

import gzip
import json

import pytest

import newsclean
from newsclean.decode import decode_bytes
from newsclean.html import flatten_html
from tests.helpers import FIXTURES

ZH = FIXTURES / "meta" / "zh"
GOLD = json.loads((ZH / "ground-truth.json").read_text("utf-8"))


def _raw(prefix: str) -> bytes:
    (path,) = ZH.glob(f"html/{prefix}*.html.gz")
    return gzip.decompress(path.read_bytes())


def _html(prefix: str) -> str:
    return decode_bytes(_raw(prefix)).text


def test_gbk_page_with_a_broken_pair_is_not_read_as_ptcp154() -> None:
    got = decode_bytes(_raw("6dc2d508"))
    assert got.encoding == "gb18030"
    assert "中关村在线论坛" in got.text


def _both(prefix: str) -> tuple[newsclean.Article, newsclean.Article]:
    html = _html(prefix)
    return newsclean.clean(html, kind="html"), newsclean.clean(flatten_html(html), kind="text")


def test_the_byline_nearest_the_body_with_spaces_between_the_names() -> None:
    # "新华网黑龙江频道  记者  伊琳  李清芬" (no-break spaces, as the page prints
    # them) just above the body; the breadcrumb "新华社记者看东北" higher up is a
    # column's name, not a credit
    _, art = _both("a0cb0242")
    assert art.author == "伊琳、李清芬"
    kept = art.text.splitlines()
    # an interviewer's question ("记者：你们的…？") is body, not an author line
    assert "记者：你们的农机大市场市场场址在哪？" in kept


def test_a_writer_credited_as_执笔人_is_the_author_in_both_modes() -> None:
    for art in _both("c3f7d079"):
        assert art.author == "闵乐夫、赵兰波、刘韬、刘晋芳、胡玉顺"


def test_a_blog_posts_own_posted_line_dates_it_when_nothing_above_does() -> None:
    # "[点击此处收藏本文]  发表于2005年09月07日 11:57 AM" under the post; the
    # enclosing element adds a button, the text node alone is the metadata
    art, _ = _both("b828b656")
    assert art.date == "2005-09-07T11:57:00"


def test_a_page_without_the_label_keeps_no_author() -> None:
    # 来源 and 编辑 credit the outlet and the editor, never the author
    for art in _both("500b350d"):
        assert art.author is None
        assert art.source == "巴彦淖尔日报" and art.editor == "苏亮"


def _text(lines: list[str]) -> newsclean.Article:
    return newsclean.clean("\n\n".join(lines), kind="text")


_POST = [
    "今天去了趟图书馆，借了三本关于城市规划的书，读到很晚才回家，路上下起了小雨，心情却很好。",
    "城市的每一条街道都有自己的故事，老房子拆了又建，住在里面的人换了一拨又一拨，可街道的名字还在。",
    "明天打算把读书笔记整理出来，顺便把上个月拍的照片也挑一挑，挑出几张好的放到这里和大家分享。",
]


def test_a_label_and_its_value_on_separate_lines_are_one_metadata_line() -> None:
    art = _text(["城市笔记", "作者：", "芊草凡凡", "时间：", "2005-08-22 19:13:18", *_POST])
    assert (art.author, art.date) == ("芊草凡凡", "2005-08-22T19:13:18")
    assert art.text.splitlines()[0] == _POST[0]
    # a value that is markup or a sentence is not read as one
    art = _text(["城市笔记", "作者：", 'size="20"', *_POST])
    assert art.author is None


def test_a_posted_date_outranks_another_date_under_the_post() -> None:
    art = _text(
        [*_POST, "建立于:2004年10月6日", "ggjjzhzz", " 发表于 2005-9-15 11:46:00", "发表评论"]
    )
    assert art.date == "2005-09-15T11:46:00"


@pytest.mark.parametrize(
    ("ending", "author"),
    [
        ("。（常书香 马丹阳 ）", "常书香、马丹阳"),
        ("。\n\n（袁源）", "袁源"),
        ("。（王建中）", "王建中"),
        ("。（完）", None),
        ("。（待续）", None),
        ("。（新华社）", None),
        ("。（编辑 张三）", None),
    ],
)
def test_the_writers_in_brackets_at_the_end_are_the_author(ending: str, author: str | None) -> None:
    art = _text([*_POST[:2], _POST[2].rstrip("。") + ending])
    assert art.author == author


def test_a_markup_author_that_names_the_generator_or_the_site_is_none() -> None:
    body = "".join(f"<p>{p}</p>" for p in _POST * 3)
    page = (
        '<html><head><meta name="generator" content="Discuz! X3.4">'
        '<meta name="author" content="Discuz! Team and Comsenz UI Team">'
        f"<title>城市笔记</title></head><body><article>{body}</article></body></html>"
    )
    assert newsclean.clean(page, kind="html").author is None
    site = page.replace("Discuz! Team and Comsenz UI Team", "www.example.cn,云南网").replace(
        "Discuz! X3.4", "WordPress 6.0"
    )
    assert newsclean.clean(site, kind="html").author is None
    cited = site.replace("<title>", '<meta name="citation_author" content="赵 培"><title>')
    assert newsclean.clean(cited, kind="html").author == "赵 培"
    person = page.replace("Discuz! Team and Comsenz UI Team", "Jane Doe")
    assert newsclean.clean(person, kind="html").author == "Jane Doe"


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("胡平", "胡平"),
        ("张三 李四", "张三、李四"),
        ("欧阳修", "欧阳修"),
        ("关闭", None),  # a button that starts with a surname
        ("前言", None),  # no surname
        ("高山流水", None),  # too long for a name with a one-character surname
    ],
)
def test_a_line_of_bare_names_under_the_headline_is_the_byline(
    byline: str, author: str | None
) -> None:
    art = _text(["城市笔记", byline, *_POST])
    assert art.author == author
    # the same line in the middle of the article is no byline
    assert _text(["城市笔记", *_POST[:2], byline, _POST[2]]).author is None


def test_a_posts_own_line_credits_the_user_name_above_it() -> None:
    art = _text([*_POST, "ggjjzhzz", " 发表于 2005-9-15 11:46:00", "发表评论"])
    assert (art.author, art.date) == ("ggjjzhzz", "2005-09-15T11:46:00")
    # a headline above a news page's "发布时间" line is no user name
    art = _text(["预计4年为纳税人减负", "发布时间：2022-02-11 08:52", *_POST])
    assert art.author is None and art.date == "2022-02-11T08:52:00"
