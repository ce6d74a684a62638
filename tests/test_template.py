"""Site templates on a generated batch: one site, different bodies, the same chrome."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from newsclean.article import Article
from newsclean.template import REASON, SiteTemplates, line_key, line_keys

SHARE = "分享到：微信 微博 QQ空间"
FOOTERS = [  # two variants of the site's footer, with changing years
    ["关于我们 | 联系我们 | 广告服务", "Copyright © {year} 东方资讯网 版权所有"],
    ["关于我们 | 联系我们 | 招聘信息", "Copyright © {year} 东方资讯网 版权所有"],
]
SUBHEAD = "记者观察"  # a subheading this site uses inside many bodies
WORDS = [
    "港口",
    "集装箱",
    "航线",
    "企业",
    "工厂",
    "医院",
    "学校",
    "农村",
    "城市",
    "项目",
    "投资",
    "道路",
    "铁路",
    "机场",
    "公园",
    "社区",
]


def _sentence(rng: random.Random, n: int = 14) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n)) + "。"


def _page(i: int, *, subhead: bool) -> Article:
    rng = random.Random(i)  # deterministic, different per page
    body = [_sentence(rng) for _ in range(4)]
    if subhead:
        body.insert(2, SUBHEAD)
    footer = [line.format(year=2018 + i) for line in FOOTERS[i % 2]]
    return Article(text="\n\n".join([SHARE, *body, *footer]))


@pytest.fixture(scope="module")
def batch() -> list[tuple[str, Article]]:
    return [("east.example", _page(i, subhead=i < 5)) for i in range(8)]


def _paras(a: Article) -> list[str]:
    return a.text.split("\n\n")


def test_edges_removed_with_reason_bodies_intact(batch: list[tuple[str, Article]]) -> None:
    st = SiteTemplates.learn(batch)
    for group, art in batch:
        out = st.apply(group, art)
        body = [p for p in _paras(art) if p != SHARE and "关于我们" not in p and "©" not in p]
        assert _paras(out) == body
        assert all(b.reason == REASON for b in out.removed)
        assert {b.text for b in out.removed} >= {SHARE}
        assert len(out.removed) == 3  # share bar, menu line, copyright line


def test_footer_variants_with_changing_years_count_as_one_line() -> None:
    assert line_key("Copyright © 2018 东方资讯网 版权所有") == line_key(
        "Copyright © 2024 东方资讯网 版权所有"
    )
    assert line_key("关于我们 | 联系我们 | 广告服务") != line_key("关于我们 | 联系我们 | 招聘信息")


def test_variant_below_min_share_is_not_template(batch: list[tuple[str, Article]]) -> None:
    # Each menu variant is on 4 of 8 pages: template at share 0.5, not at 0.6.
    st = SiteTemplates.learn(batch, template_min_share=0.6)
    out = st.apply(*batch[0])
    assert "关于我们 | 联系我们 | 广告服务" in _paras(out)
    assert SHARE not in _paras(out)  # on every page


def test_recurring_subheading_between_paragraphs_survives_as_doubt(
    batch: list[tuple[str, Article]],
) -> None:
    st = SiteTemplates.learn(batch)
    assert line_key(SUBHEAD) in st.templates["east.example"]  # it *is* frequent ...
    out = st.apply(*batch[0])
    assert SUBHEAD in _paras(out)  # ... but sits inside the body
    assert [b.text for b in out.doubts] == [SUBHEAD]


def test_phrase_repeated_inside_one_article_is_not_template(
    batch: list[tuple[str, Article]],
) -> None:
    quote = "“我们还要继续干。”"
    docs = [(g, a) for g, a in batch]
    g, a = docs[0]
    docs[0] = (
        g,
        Article(text="\n\n".join([*_paras(a)[:-2], quote, quote, quote, *_paras(a)[-2:]])),
    )
    st = SiteTemplates.learn(docs)
    assert line_key(quote) not in st.templates["east.example"]


def test_too_few_documents_learn_nothing(batch: list[tuple[str, Article]]) -> None:
    st = SiteTemplates.learn(batch[:2])  # template_min_docs defaults to 3
    assert st.template_count("east.example") == 0
    assert st.apply(*batch[0]) == batch[0][1]


def test_groups_do_not_share_templates(batch: list[tuple[str, Article]]) -> None:
    other = ("west.example", _page(99, subhead=False))
    st = SiteTemplates.learn([*batch, other])
    assert st.apply(*other) == other[1]
    assert st.apply("never.seen", batch[0][1]) == batch[0][1]


def test_reprints_in_the_batch_are_not_gutted(batch: list[tuple[str, Article]]) -> None:
    # The same article three times among four pages: its body lines are
    # "frequent", but cutting them would empty the reprints.
    reprint = ("east.example", _page(50, subhead=False))
    docs = [batch[0], reprint, reprint, reprint]
    st = SiteTemplates.learn(docs)
    out = st.apply(*reprint)
    assert out.text == reprint[1].text
    assert out.removed == ()
    assert out.doubts  # the doubt is recorded


def test_a_page_whose_only_content_is_a_template_line_keeps_it(
    batch: list[tuple[str, Article]],
) -> None:
    lone = ("east.example", Article(text=SHARE))
    st = SiteTemplates.learn([*batch, lone])
    out = st.apply(*lone)
    assert out.text == SHARE
    assert [b.text for b in out.doubts] == [SHARE]


def test_learn_takes_a_generator_and_is_deterministic(batch: list[tuple[str, Article]]) -> None:
    a = SiteTemplates.learn(x for x in batch)
    b = SiteTemplates.learn(list(reversed(batch)))
    assert a.templates == b.templates
    assert a.documents == {"east.example": 8}


def test_unknown_override_is_an_eager_error() -> None:
    with pytest.raises(ValueError, match="template_min_share"):
        SiteTemplates.learn([], template_min_shar=0.5)


def test_large_group_counts_survive_compaction() -> None:
    # More documents than the learner keeps as separate arrays.
    docs = [("east.example", _page(i, subhead=False)) for i in range(600)]
    st = SiteTemplates.learn(docs)
    assert st.documents == {"east.example": 600}
    expected = {line_key(SHARE), line_key(FOOTERS[0][1].format(year=2000))}
    expected |= {line_key(FOOTERS[0][0]), line_key(FOOTERS[1][0])}  # each on half the pages
    assert st.templates["east.example"] == expected


HEAVY_HEAD = (
    "热点推荐：春季出游指南 | 家电以旧换新 | 本周天气早知道 | 楼市最新动态 | 健康养生小常识"
)
HEAVY_FOOT = "排行榜：1. 十个睡个好觉的小窍门 2. 一文读懂房贷新政 3. 新个税规定对你意味着什么 4. 城市议会选举内幕"


def _short(i: int) -> Article:
    """A short article (one sentence) between two long template lines."""
    return Article(
        text="\n\n".join([HEAVY_HEAD, _sentence(random.Random(1000 + i), 8), HEAVY_FOOT])
    )


def test_short_articles_in_a_heavy_template_lose_it() -> None:
    # The template is most of each page, but the pages around it differ: it is
    # the site's, and left in place it makes every short article of the site
    # look like every other one.
    docs = [("briefs.example", _short(i)) for i in range(6)]
    st = SiteTemplates.learn(docs)
    assert st.confirmed["briefs.example"] == {line_key(HEAVY_HEAD), line_key(HEAVY_FOOT)}
    for group, art in docs:
        out = st.apply(group, art)
        assert out.text == _paras(art)[1]
        assert [b.text for b in out.removed] == [HEAVY_HEAD, HEAVY_FOOT]
        assert all(b.reason == REASON for b in out.removed)


def test_copies_of_one_short_article_still_count_as_one_body() -> None:
    # Three renderings of one short article (a view counter differs only in
    # digits) are one body: the lines they share are not confirmed by them.
    page = "\n\n".join([HEAVY_HEAD, _sentence(random.Random(7), 8), "阅读 {n} 次", HEAVY_FOOT])
    copies = [("briefs.example", Article(text=page.format(n=n))) for n in (12, 345, 6789)]
    st = SiteTemplates.learn(copies)
    assert "briefs.example" not in st.confirmed
    out = st.apply(*copies[0])
    assert out.text == copies[0][1].text  # nothing confirmed: the guard keeps everything
    # Among different short articles, the template is confirmed and the copies
    # keep their body and lose only the template.
    st = SiteTemplates.learn([*copies, *(("briefs.example", _short(i)) for i in range(3))])
    out = st.apply(*copies[0])
    assert _paras(out) == _paras(copies[0][1])[1:3]


def test_a_confirmed_template_is_still_kept_when_it_is_all_a_page_has() -> None:
    docs = [("briefs.example", _short(i)) for i in range(4)]
    bare = ("briefs.example", Article(text=f"{HEAVY_HEAD}\n\n{HEAVY_FOOT}"))
    st = SiteTemplates.learn([*docs, bare])
    out = st.apply(*bare)
    assert out.text == bare[1].text
    assert [b.text for b in out.doubts] == [HEAVY_HEAD, HEAVY_FOOT]


def test_a_reprint_of_a_batch_page_keeps_its_body_between_confirmed_lines() -> None:
    # Four copies of one article among short articles: its body lines are
    # frequent, but only confirmed template lines at the edges are cut.
    rng = random.Random(3)
    body = [_sentence(rng) for _ in range(3)]
    reprint = Article(text="\n\n".join([HEAVY_HEAD, *body, HEAVY_FOOT]))
    docs = [*(("briefs.example", _short(i)) for i in range(4)), *[("briefs.example", reprint)] * 4]
    st = SiteTemplates.learn(docs)
    assert line_key(body[0]) in st.templates["briefs.example"]
    assert line_key(body[0]) not in st.confirmed["briefs.example"]
    out = st.apply("briefs.example", reprint)
    assert _paras(out) == body
    assert {b.text for b in out.doubts} == set(body)


def test_counters_with_more_digits_are_the_same_line() -> None:
    assert line_key("阅读 99 次") == line_key("阅读 100 次")
    assert line_key("阅读 99 次") != line_key("评论 99 条")


def test_successive_versions_of_an_updated_article_keep_their_body() -> None:
    # An article crawled four times while it was being updated, each version a
    # paragraph longer, among two other short articles of the site: the shared
    # paragraphs are frequent, but only the last version has a line of its own,
    # so they are never confirmed; the template around them is.
    rng = random.Random(11)
    paras = [_sentence(rng) for _ in range(6)]
    versions = [
        Article(text="\n\n".join([HEAVY_HEAD, *paras[: 3 + k], HEAVY_FOOT])) for k in range(4)
    ]
    docs = [
        *(("briefs.example", _short(i)) for i in range(2)),
        *(("briefs.example", v) for v in versions),
    ]
    st = SiteTemplates.learn(docs)
    assert st.confirmed["briefs.example"] == {line_key(HEAVY_HEAD), line_key(HEAVY_FOOT)}
    for k, version in enumerate(versions):
        out = st.apply("briefs.example", version)
        assert _paras(out) == paras[: 3 + k]


_LINE_PIECES = [*"aZ09_ -|©，。：Σσςİı\u0307\t\r", "ΟΔΟΣ", "Σ.", "阅读 99 次", "———", "ǅ", "ß"]


@settings(max_examples=300, deadline=None)
@given(hst.lists(hst.lists(hst.sampled_from(_LINE_PIECES), max_size=10).map("".join), max_size=8))
def test_line_keys_equal_line_key_per_line(lines: list[str]) -> None:
    # Batched normalization must not leak across line boundaries (final sigma, digit runs).
    assert line_keys(lines) == [line_key(s) for s in lines]


def test_a_lead_that_versions_of_one_story_share_is_not_cut_as_template() -> None:
    # Three updates of one story in a small batch share their first sentences;
    # those lines are frequent but confirmed by no other article, and they are
    # prose: the lead stays, in doubt, instead of going as a site template.
    s = [
        "The city council voted on Tuesday to expand the bus network, adding four routes "
        "that will connect the eastern suburbs with the downtown business district.",
        "Officials said the plan would cost about $42 million over five years, most of it "
        "covered by a federal transportation grant approved last spring.",
        "The transit agency expects the first of the new routes to begin running in "
        "September, with the remaining three following by the end of next year.",
        "Critics argued that the council should have spent the money on repairing existing "
        "roads, many of which have not been resurfaced in over a decade.",
        "The mayor called the vote a turning point for the region's economy and thanked "
        "the residents who had campaigned for the new routes.",
    ]
    versions = [[0, 1], [0, 1, 2], [0, 1, 2, 3, 4]]
    docs = [("city.example", Article(text="\n\n".join(s[i] for i in v))) for v in versions]
    st = SiteTemplates.learn(docs)
    assert st.template_count("city.example") == 2  # the shared lead is frequent
    for group, art in docs:
        out = st.apply(group, art)
        assert out.text == art.text
        assert out.removed == ()
    longest = st.apply(*docs[2])
    assert {b.text for b in longest.doubts} == {s[0], s[1]}


def test_the_shortest_version_of_a_story_keeps_every_line() -> None:
    # A hostile test: with the lead kept as prose, the short line after it
    # fell outside the body and was cut from the shortest version.
    lead = "Police closed the main bridge on Monday after engineers found cracks in one of its supports."
    versions = [
        [lead, "No one was hurt."],
        [lead, "No one was hurt.", "Engineers said repairs could take several weeks."],
        [
            lead,
            "No one was hurt.",
            "Engineers said repairs could take several weeks.",
            "The mayor apologised to commuters and promised free buses.",
        ],
    ]
    docs = [("site", Article(text="\n\n".join(v))) for v in versions]
    st = SiteTemplates.learn(docs)
    for group, art in docs:
        out = st.apply(group, art)
        assert out.text == art.text
        assert out.removed == ()


def test_reprints_that_each_end_on_their_own_credit_keep_their_body() -> None:
    # A hostile test: each copy's own credit line made the copies "different
    # articles" that confirmed each other's paragraphs, and run kept only
    # the credit lines.
    story = [
        "Flooding forced the evacuation of hundreds of homes along the Elm River on Sunday, "
        "emergency officials said.",
        "Rescue crews used boats to reach residents stranded on rooftops in the lower town, "
        "and shelters opened in two schools.",
        "The governor declared a state of emergency and requested federal assistance late on "
        "Sunday night.",
    ]
    credits = [
        "This story was first published by the Elm Valley Times.",
        "Reprinted with permission from the River County Courier.",
        "Originally published by the Northern Daily.",
    ]
    reprints = [("site", Article(text="\n\n".join([*story, c]))) for c in credits]
    others = [("site", _page(i, subhead=False)) for i in range(3)]
    st = SiteTemplates.learn([*reprints, *others])
    for group, art in reprints:
        out = st.apply(group, art)
        assert all(p in out.text for p in story)


EARTHQUAKE_LEAD = (
    "A magnitude 6.8 earthquake struck off the coast of northern Japan on Tuesday evening, "
    "triggering a tsunami warning for the Pacific coast, the meteorological agency said."
)
UPDATES = [
    [
        "The tsunami warning was lifted shortly before midnight after waves of about 40 "
        "centimetres were recorded at the port of Miyako, officials said.",
        "The regional utility said there were no abnormalities at the nuclear plant, which has "
        "been offline since 2011.",
    ],
    [
        "The prime minister told reporters the government had set up a task force, urging "
        "residents to stay away from the coast until the tsunami had passed.",
        "More than 20,000 homes lost power in two prefectures, though most supply had been "
        "restored by morning.",
    ],
    [
        "Seismologists said the quake was centred about 60 kilometres below the seabed and "
        "warned that aftershocks were possible.",
        "The agency recorded more than a dozen aftershocks in the first three hours, the "
        "strongest of them magnitude 5.1.",
    ],
]


def test_a_lead_that_updates_with_paragraphs_of_their_own_confirm_stays_in_doubt() -> None:
    # A hostile test: updates of one story, each with paragraphs of its own,
    # confirmed their shared lead as a site template, and run cut it from all
    # of them.  The lead speaks of what each update speaks of (two content
    # words in common at least: one is a coincidence).
    docs = [("site", Article(text="\n\n".join([EARTHQUAKE_LEAD, *own]))) for own in UPDATES]
    st = SiteTemplates.learn(docs)
    assert line_key(EARTHQUAKE_LEAD) in st.confirmed["site"]
    for group, art in docs:
        out = st.apply(group, art)
        assert out.text == art.text
        assert [b.text for b in out.doubts] == [EARTHQUAKE_LEAD]


def test_a_site_blurb_that_shares_no_word_with_its_stories_is_still_cut() -> None:
    blurb = "The Valley Gazette has been owned by its readers since 1921 and prints every weekday."
    docs = [("site", Article(text="\n\n".join([blurb, *own]))) for own in UPDATES]
    st = SiteTemplates.learn(docs)
    for group, art in docs:
        out = st.apply(group, art)
        assert blurb not in out.text
        assert [b.reason for b in out.removed] == [REASON]
