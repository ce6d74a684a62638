"""clean(): decoding, kind detection and dispatch to the text or HTML engine."""

from __future__ import annotations

import pytest

import newsclean.html
from newsclean.article import Article
from newsclean.chrome import Detection, detect
from newsclean.clean import clean, detect_kind
from newsclean.config import Config

BODY = (
    "The city council voted on Monday to extend the late-night bus service for another year, "
    "after a trial showed that ridership had doubled since the spring.\n\n"
    "Officials said the extra buses had cost less than expected because fuel prices fell, and that "
    "the savings would pay for two more routes in the eastern districts.\n"
)
ZH = (
    "市政府召开常务会议\n\n来源:某某日报\n\n"
    "　　记者从市统计局获悉,今年前三季度全市地区生产总值同比增长百分之六点五,经济运行总体平稳、稳中有进。\n\n"
    "责任编辑:张三\n"
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("<html lang='zh'><head><title>t</title></head>", "html"),
        ("<div><p>a</p><p>b</p><p>c</p><span>d</span><a href=x>e</a></div>", "html"),
        (BODY, "text"),
        ("He wrote that <html> tags were confusing.\n" + BODY, "text"),
        (ZH, "text"),
        # No doctype: head elements first, then kilobytes of CSS before <body>.
        ('<meta charset="utf-8"><title>t</title><style>' + "a{color:red}\n" * 400, "html"),
        # A crawl dump's record tag wrapped around the page.
        ('<text id="http://x.test/1" title="t">\n<html>\n<head><title>t</title>', "html"),
        ('<doc url="http://x.test/1">\n<body>\n<p>x</p>', "html"),
        # Prose that starts with a tag is still prose unless a page follows.
        ("<b>Editor's note</b>\n" + BODY, "text"),
        ("Put <head> before <body> in every page.\n" + BODY, "text"),
    ],
)
def test_detect_kind(text: str, kind: str) -> None:
    assert detect_kind(text) == kind


def test_text_kind_runs_the_detector() -> None:
    art = clean(ZH, kind="text")
    assert art.title == "市政府召开常务会议"
    assert art.source == "某某日报" and art.editor == "张三"
    assert art.text.startswith("记者从市统计局获悉")
    assert [b.reason for b in art.removed] == ["title", "metadata", "editor-line"]


def test_bytes_are_decoded_first() -> None:
    art = clean(ZH.encode("gb18030"), kind="auto")
    assert art.source == "某某日报"
    assert clean(ZH.encode("utf-8")).text == clean(ZH).text


FROM_HTML = "This paragraph came from the HTML engine, not from the text-mode detector."


def test_auto_html_goes_to_the_html_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake(html: str, url: str | None, config: Config, **_: object) -> tuple[Article, Detection]:
        seen.append(html)
        return Article(text=FROM_HTML, url=url), detect(FROM_HTML, config)

    monkeypatch.setattr(newsclean.html, "explain_html", fake)
    page = "<!doctype html><html><body><p>hello</p></body></html>"
    assert clean(page, url="http://x").text == FROM_HTML
    assert clean(BODY, kind="auto").text != FROM_HTML
    assert seen == [page]


def test_overrides_reach_the_detector() -> None:
    assert clean(BODY, kind="text").text
    art = clean(BODY, kind="text", min_body_chars=100_000)
    assert art.text == "" and "no-body" in art.flags


def test_bad_arguments_raise_early() -> None:
    with pytest.raises(ValueError, match="kind"):
        clean(BODY, kind="pdf")
    with pytest.raises(ValueError, match="unknown newsclean option"):
        clean(BODY, min_body_char=3)


def test_url_is_carried() -> None:
    assert clean(BODY, url="https://example.com/a", kind="text").url == "https://example.com/a"
