"""A sentence of prose that starts with a chrome word, and chrome inside a body.

"版权所有者对此表示不满。" starts with the copyright rule's word and "All rights
reserved, the company insisted, ..." with the footer's phrase; both are the
writer's sentences.  And a chrome line between two paragraphs (a stray "首页")
is removed, but must not end the body: the paragraph after it is the article's.
``check`` asks the same predicate as ``clean``.
"""

from __future__ import annotations

import re

import pytest

import newsclean
from newsclean.check import check_text
from newsclean.chrome.features import line_features
from newsclean.chrome.lexicon import ChromeRule, load_lexicon, prefix_in_prose

A_ZH = "记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成以上，其中规模以上工业企业全部复工。"
C_ZH = "市长表示，下一步将继续加大对中小企业的支持力度，帮助企业解决用工和原料问题。"
A_EN = (
    "The city said on Monday that more than a thousand companies had resumed work, "
    "and that the rate of return was above ninety percent in most of the districts."
)
C_EN = (
    "The mayor said the government would keep supporting small businesses and would "
    "help them find workers and raw materials over the coming months."
)

PROSE_ZH = [
    "分享到朋友圈的信息被大量转发。",
    "版权所有者对此表示不满。",
    "上一篇报道引起了争议。",
    "联系电话被公开后，他接到了很多骚扰电话。",
]
PROSE_EN = [
    "All rights reserved, the company insisted, belonged to the original authors.",
    # short, but its clause goes on past a comma: a quote, not a widget
    "Share this moment, the mayor told the crowd.",
]
CHROME_ZH = [
    "首页",
    "分享到：微信 微博 QQ空间",
    "上一篇：某某标题",
    "联系电话：010-12345678",
    "版权所有 © 2020 某某网",
    "版权所有 © 2020 某某网 保留所有权利。",
]
CHROME_EN = [
    "All rights reserved.",
    "Share this article",
    # a widget's prompt is one clause, however it ends
    "Share this article with your friends on Facebook.",
]


def _page(a: str, line: str, c: str) -> str:
    return f"{a}\n\n{line}\n\n{c}"


@pytest.mark.parametrize(
    ("a", "line", "c"),
    [(A_ZH, p, C_ZH) for p in PROSE_ZH] + [(A_EN, p, C_EN) for p in PROSE_EN],
)
def test_a_sentence_starting_with_a_chrome_word_is_kept_with_a_doubt(
    a: str, line: str, c: str
) -> None:
    art = newsclean.clean(_page(a, line, c), kind="text")
    assert art.text.split("\n\n") == [a, line, c]
    assert [d.text for d in art.doubts] == [line]  # kept, but the doubt is on record


@pytest.mark.parametrize(
    ("a", "line", "c"),
    [(A_ZH, p, C_ZH) for p in CHROME_ZH] + [(A_EN, p, C_EN) for p in CHROME_EN],
)
def test_chrome_inside_a_body_is_removed_and_the_body_goes_on(a: str, line: str, c: str) -> None:
    art = newsclean.clean(_page(a, line, c), kind="text")
    assert art.text.split("\n\n") == [a, c]
    assert [b.text for b in art.removed] == [line]


@pytest.mark.parametrize("line", CHROME_ZH[1:] + CHROME_EN)
def test_chrome_after_the_body_still_ends_it(line: str) -> None:
    """Without prose after it, the line is chrome at the body's end, as before."""
    art = newsclean.clean(f"{A_ZH}\n\n{C_ZH}\n\n{line}", kind="text")
    assert line not in art.text
    assert C_ZH in art.text


SHARE_BARS = [
    ["Share on Facebook", "Share on Twitter"],
    ["分享到微信", "分享到微博"],
    # a short line without a rule may sit among the buttons
    ["Share on Facebook", "Tweet", "Share on LinkedIn"],
]


@pytest.mark.parametrize("bar", SHARE_BARS)
def test_a_share_bar_under_the_lead_does_not_cost_the_lead(bar: list[str]) -> None:
    """Two or three buttons under the lead paragraph weigh more than the lead
    alone: the body used to start after them, and the lead went as the headline."""
    a, c = (A_ZH, C_ZH) if bar[0].startswith("分") else (A_EN, C_EN)
    art = newsclean.clean("\n\n".join([a, *bar, c, c.replace("months", "weeks")]), kind="text")
    assert art.text.split("\n\n")[0] == a
    assert art.title is None
    assert not any(line in art.text.split("\n\n") for line in bar)


def test_a_share_bar_after_the_article_still_ends_it() -> None:
    """Only under the lead is a bar of buttons crossed: after more of the
    article it often ends it, and the next story follows (hostile test: the
    next story's headline and paragraphs joined the body)."""
    other = (
        "A man was arrested on Monday after a stolen car crashed into a shop window in the "
        "old town, police said in a statement."
    )
    bar = ["Share on Facebook", "Share on Twitter"]
    page = "\n\n".join([A_EN, C_EN, *bar, "Man arrested after stolen car crash", other])
    assert other not in newsclean.clean(page, kind="text").text
    single = "\n\n".join([A_EN, C_EN, "Share this article", other])
    assert newsclean.clean(single, kind="text").text.split("\n\n") == [A_EN, C_EN, other]


def test_a_long_run_of_chrome_still_ends_the_body() -> None:
    """More than AMID_RUN chrome lines are a page's furniture, not a bar inside
    the article: the longer side wins, as before."""
    bar = ["Share on Facebook", "Share on Twitter", "Share on LinkedIn", "Share by email"]
    art = newsclean.clean(
        "\n\n".join([A_EN, *bar, C_EN, C_EN.replace("months", "weeks")]), kind="text"
    )
    assert A_EN not in art.text.split("\n\n")


def test_a_comment_heading_in_a_run_still_ends_the_body() -> None:
    comment = "我觉得这个政策非常好，希望能够早日落实到位，让更多的中小企业真正受益，大家一起加油。"
    art = newsclean.clean(f"{A_ZH}\n\n{C_ZH}\n\n分享到微信\n\n网友评论\n\n{comment}", kind="text")
    assert comment not in art.text


def test_a_comment_heading_still_ends_the_body_before_prose() -> None:
    """Comments are prose under their heading: the heading still ends the body."""
    comment = "我觉得这个政策非常好，希望能够早日落实到位，让更多的中小企业真正受益，大家一起加油。"
    art = newsclean.clean(f"{A_ZH}\n\n{C_ZH}\n\n网友评论\n\n{comment}", kind="text")
    assert comment not in art.text


@pytest.mark.parametrize(
    ("line", "prose"),
    [(p, True) for p in PROSE_ZH + PROSE_EN] + [(c, False) for c in CHROME_ZH + CHROME_EN],
)
def test_the_predicate(line: str, prose: bool) -> None:
    lex = load_lexicon()
    stop = lex.stopwords.get("en") if line.isascii() else None
    feats = line_features(line, stop)
    rule, _ = lex.match(line, feats.vlen, feats.dense)
    assert rule is not None  # every line starts with a word some rule claims
    assert prefix_in_prose(rule, line, feats) is prose


@pytest.mark.parametrize(
    ("language", "label", "line", "prose"),
    [
        # the clause goes on with a lower-case word outside ASCII: über, à, закона
        (
            "de",
            "nächster artikel",
            "Nächster Artikel über die Reform folgt am Montag, kündigte die Redaktion an.",
            True,
        ),
        (
            "fr",
            "article suivant",
            "Article suivant à la loi de 1905, le texte a été adopté mardi par les députés.",
            True,
        ),
        (
            "ru",
            "следующая статья",
            "Следующая статья закона вводит новые штрафы для водителей, которые превышают скорость.",
            True,
        ),
        # a capital (a headline follows) or a separator after the label: the widget's
        (
            "de",
            "nächster artikel",
            "Nächster Artikel: Über die Reform wird am Montag entschieden.",
            False,
        ),
        (
            "ru",
            "следующая статья",
            "Следующая статья Новые штрафы для водителей, которые превышают скорость в городе.",
            False,
        ),
    ],
)
def test_the_predicate_reads_any_cased_script(
    language: str, label: str, line: str, prose: bool
) -> None:
    """The word glued on may start with a letter outside ASCII; what counts is
    that it is lower case, in Latin and Cyrillic alike."""
    rule = ChromeRule(
        reason="prev-next",
        head=re.compile(f"^{label}\\b", re.IGNORECASE),
        anywhere=None,
        max_len=200,
        end=False,
        strip=False,
    )
    stop = load_lexicon().stopwords.get(language) if language != "ru" else None
    feats = line_features(line, stop)
    assert prefix_in_prose(rule, line, feats) is prose


@pytest.mark.parametrize(
    ("a", "line", "c"),
    [(A_ZH, p, C_ZH) for p in PROSE_ZH] + [(A_EN, p, C_EN) for p in PROSE_EN],
)
def test_check_does_not_report_such_a_sentence(a: str, line: str, c: str) -> None:
    text = _page(a, line, c) + "\n"
    res = check_text(text, unsafe_fixes=True)
    assert [f for f in res.findings if f.line == 3] == []
    assert line in res.fixed


@pytest.mark.parametrize(
    ("a", "line", "c"),
    [(A_ZH, p, C_ZH) for p in CHROME_ZH[1:]] + [(A_EN, p, C_EN) for p in CHROME_EN],
)
def test_check_still_reports_the_chrome_lines(a: str, line: str, c: str) -> None:
    text = _page(a, line, c) + "\n"
    res = check_text(text, unsafe_fixes=True)
    assert [f.line for f in res.findings if f.reason != "not-normalized"] == [3]
    assert line not in res.fixed


def test_an_outline_heading_over_the_first_paragraph_is_the_body_s() -> None:
    """ "一、培养目标：" opens a section of the text's own outline: not the
    page's headline, and not a menu item above the body."""
    head = "一、培养目标："
    art = newsclean.clean(f"{head}\n{A_ZH}\n\n联系电话：010-12345678\n\n{C_ZH}", kind="text")
    assert art.text.startswith(head)
    assert C_ZH in art.text
    assert art.title is None


def test_a_headline_above_the_body_is_still_the_title() -> None:
    head = "全市企业复工率超过九成"
    art = newsclean.clean(f"{head}\n\n{A_ZH}\n\n联系电话：010-12345678\n\n{C_ZH}", kind="text")
    assert art.title == head
    assert not art.text.startswith(head)


def test_the_items_of_a_related_box_the_body_crosses_are_the_box_s() -> None:
    """Enough prose on both sides carries the body run over a related box's
    heading; its headline items are still the box's, not the article's."""
    para = [A_EN, C_EN, A_EN.replace("Monday", "Tuesday"), C_EN.replace("mayor", "governor")]
    items = [
        "Council weighs new bus routes for the eastern districts, officials say",
        "Fuel prices fall for the third month in a row as demand slows",
    ]
    # eight paragraphs on each side: the run's sum crosses the heading's penalty
    text = "\n\n".join([*para, *para, "Related news", *items, *para, *para])
    art = newsclean.clean(text, kind="text")
    assert {b.text: b.reason for b in art.removed} == {
        "Related news": "related-list",
        **dict.fromkeys(items, "related-list"),
    }
    assert art.text.count(A_EN) == art.text.count(C_EN) == 4


# --- a chrome phrase inside a one-sentence paragraph ---------------------------------

# News paragraphs are often one sentence, shorter than the GOOD quality needs: a
# copyright or cookie phrase in the middle of one used to count as a footer,
# which ended the body there (and the lead above it went as the title).
COOKIE_STORY = [
    "European regulators on Thursday fined a popular children's gaming site four million "
    "euros for tracking young users without their parents' permission.",
    "The investigation found that the website uses cookies to follow children across "
    "other sites and sells the data to advertisers.",
    "The EU's cookie consent rules require sites to ask before placing such trackers, "
    "and the regulator said the company ignored repeated warnings.",
    "Reporting from several countries suggests that similar practices are widespread "
    "among free games aimed at children.",
    "The company said it would appeal the decision and that it had already changed its "
    "data practices in most markets.",
]
RIGHTS_STORY_ZH = [
    "近日，一家自媒体平台因大量抄袭传统媒体原创稿件被法院判赔五十万元。",
    "法院审理查明，该平台发布的稿件多数未经授权、未注明来源。",
    "该平台首页底部写着“版权所有，转载请注明出处”，讽刺的是它自己从不注明。",
    "业内专家表示，平台应当建立完善的版权审核机制，从源头上减少侵权行为。",
    "据了解，该平台已表示将提起上诉，案件仍在进一步审理之中。",
]


@pytest.mark.parametrize("story", [COOKIE_STORY, RIGHTS_STORY_ZH], ids=["en", "zh"])
def test_a_chrome_phrase_inside_one_sentence_paragraphs_keeps_the_body(story: list[str]) -> None:
    text = "\n\n".join(story)
    art = newsclean.clean(text, kind="text")
    assert art.text == text
    assert art.doubts  # kept, and the doubt recorded
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in story) + "</body></html>"
    assert newsclean.clean(page, kind="html").text == text
    assert not check_text(text).findings


def test_a_copyright_footer_after_the_body_still_goes() -> None:
    text = "\n\n".join(
        [
            *COOKIE_STORY,
            "This website uses cookies. Copyright 2024 Example News, all rights reserved.",
        ]
    )
    art = newsclean.clean(text, kind="text")
    assert art.text == "\n\n".join(COOKIE_STORY)
