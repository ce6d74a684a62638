"""Unit and property tests of the chrome detector (golden pages: test_chrome_golden.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.chrome import REASONS, detect, explain
from newsclean.chrome.lexicon import load_lexicon
from newsclean.chrome.metadata import find_date, parse_meta_line
from newsclean.config import Config

CFG = Config()

BODY_ZH = [
    "　　记者从市统计局获悉,今年前三季度全市地区生产总值同比增长百分之六点五,经济运行总体平稳、稳中有进,主要指标好于预期。",
    "　　分产业看,第一产业增加值增长百分之三,第二产业增加值增长百分之七,第三产业增加值增长百分之六,服务业对经济增长的贡献率继续提高。",
    "　　市统计局有关负责人表示,下一步将继续加强经济运行监测分析,为市委市政府科学决策提供统计支撑。",
]
BODY_EN = [
    "The city council voted on Monday to extend the late-night bus service for another year, after a trial showed that ridership had doubled since the spring.",
    "Officials said the extra buses had cost less than expected because fuel prices fell, and that the savings would pay for two more routes in the eastern districts.",
    "Residents who spoke at the meeting said the service had made it easier to get home from work, and several asked for buses to run later on weekends.",
]


def _reasons(text: str, **kw: object) -> dict[str, str | None]:
    return {v.text.strip(): v.reason for v in detect(text, CFG, **kw).lines if v.text.strip()}  # type: ignore[arg-type]


# --- metadata lines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (
            "2020-02-26 14:51:00 来源: 大众网·海报新闻 作者:",
            {"date": "2020-02-26T14:51:00", "source": "大众网·海报新闻"},
        ),
        (
            "20-03-19 09:04 来源:甘肃经济日报 编辑:沈文刚",
            {"date": "2020-03-19T09:04:00", "source": "甘肃经济日报", "editor": "沈文刚"},
        ),
        ("大众日报记者 段婷婷", {"author": "段婷婷"}),
        ("稿源:(人民日报)", {"source": "人民日报"}),
        ("By Jane Doe", {"author": "Jane Doe"}),
        ("Source: Reuters", {"source": "Reuters"}),
        # a name or an outlet of capitalised words is all of them
        ("Source: Associated Press", {"source": "Associated Press"}),
        ("Author: Anna Smith", {"author": "Anna Smith"}),
        ("November 19, 2019", {"date": "2019-11-19"}),
        ("19 November 2019, 09:01 AM", {"date": "2019-11-19T09:01:00"}),
        ("作者:", {}),
        (
            "发布时间：2020-02-26 14:51:00  来源：烟台日报  作者：王五  浏览次数：123",
            {"date": "2020-02-26T14:51:00", "source": "烟台日报", "author": "王五"},
        ),
        ("日期：2020-02-26 字号：[大 中 小] 打印本页 关闭窗口", {"date": "2020-02-26"}),
        ("2020年05月20日 18:32　新华网", {"date": "2020-05-20T18:32:00", "source": "新华网"}),
        ("作者：张三 李四", {"author": "张三、李四"}),
        ("□ 本报记者 葛灵丹", {"author": "葛灵丹"}),
        ("整合 新华日报·交汇点记者 徐睿翔", {"author": "徐睿翔"}),
        ("本报记者罗科苏盈发自北京", {"author": "罗科苏盈"}),
        ("发布日期： 9/17/2004 5:54:13 PM", {"date": "2004-09-17T17:54:13"}),
        ("17/9/2004", {"date": "2004-09-17"}),
    ],
)
def test_metadata_lines(line: str, fields: dict[str, str]) -> None:
    found, only = parse_meta_line(line)
    assert only, line
    assert {k: v for k, v in found.items() if v} == fields


@pytest.mark.parametrize(
    "sentence",
    [
        "据烟台市工信局的统计显示,截至2月25日,烟台累计开复工规模以上工业企业1867家。",
        "By the end of the year the council expects to have spent less than planned.",
        "来源于群众的意见建议,市政府都认真研究、逐条答复,并在网站上公开办理结果。",
        "2020-02-25 会议召开",
        "（图片来源：视觉中国）",
        "据了解，本报记者 王明",
    ],
)
def test_body_sentences_are_not_metadata(sentence: str) -> None:
    assert parse_meta_line(sentence)[1] is False


def test_dates_are_validated() -> None:
    assert find_date("2020-13-45")[0] is None
    assert find_date("02-26 13-02大众网")[0] is None  # month-day and a time: no year
    assert find_date("发布时间:2019年12月3日 08:00")[0] == "2019-12-03T08:00:00"


def test_empty_fields_are_none_not_empty_strings() -> None:
    page = "标题在这里的一条新闻\n\n来源: 作者:\n\n" + "\n\n".join(BODY_ZH)
    art = detect(page, CFG).to_article()
    assert art.author is None and art.source is None


# --- structure ----------------------------------------------------------------


def test_every_line_gets_exactly_one_verdict() -> None:
    page = "Home\n\nNews\n\n" + "\n\n".join(BODY_EN) + "\n\n© 2020 Example\n"
    det = detect(page, CFG)
    assert [v.line for v in det.lines] == list(range(1, page.count("\n") + 2))
    assert all(v.reason is None or v.reason in REASONS for v in det.lines)


def test_short_subheading_between_paragraphs_stays() -> None:
    page = "\n\n".join([BODY_ZH[0], "统筹推进重点工作", BODY_ZH[1], BODY_ZH[2]])
    assert _reasons(page)["统筹推进重点工作"] is None


def test_strong_end_marker_ends_the_body() -> None:
    teaser = "　　这是一条相关新闻的摘要,介绍了另一篇文章的主要内容,文字较长,看起来也像正文的一个段落,但它不属于本文。"
    page = "\n\n".join([*BODY_ZH, "相关新闻", teaser])
    reasons = _reasons(page)
    assert reasons["相关新闻"] == "related-list"
    assert reasons[teaser.strip()] == "related-list"


@pytest.mark.parametrize(
    ("headline", "paragraphs", "close"),
    [
        (
            "Baker Opens Third Shop In Old Town",
            [
                "The baker who started with a single oven in a rented garage opened his third "
                "shop on Saturday, in the old town square, after two years of searching.",
                "Customers queued from seven in the morning, and the first batch of bread sold "
                "out within an hour, staff said.",
            ],
            "He thanked his staff.",
        ),
        (
            "老街面馆开了第三家分店",
            [
                "这位从一间租来的车库起步的面馆老板，周六在老城广场开了他的第三家分店，此前他花了两年时间寻找合适的门面。",
                "顾客从早上七点就开始排队，第一锅面不到一个小时就卖完了，店员说。",
            ],
            "他只想把面做好。",
        ),
    ],
)
def test_a_short_closing_sentence_is_the_articles_own(
    headline: str, paragraphs: list[str], close: str
) -> None:
    # The headline is chrome evidence, so the text is judged; its short last
    # sentence used to fall outside the body as "navigation".
    page = "\n\n".join([headline, *paragraphs, close])
    assert _reasons(page)[close] is None
    # Followed by chrome, it is still the article's last sentence.
    assert _reasons(page + "\n\n© 2020 Example. All rights reserved.")[close] is None


def test_closing_sentences_full_of_names_are_the_articles_own() -> None:
    # Long enough not to be SHORT, too few function words to be prose by the
    # features (2 of 11 words): such a sentence was cut as "navigation".
    closes = [
        "Wichita West senior David Garcia finished second in the 50 yard freestyle.",
        "Wichita East's Hugh McPherson won first place in the 100 yard freestyle.",
    ]
    page = "\n\n".join(["Swimmers Win State Titles", *BODY_EN, *closes, "Previous", "Next"])
    reasons = _reasons(page)
    assert [reasons[c] for c in closes] == [None, None]
    # the same lines going on into more text are a list, not the close
    more = "\n\n".join(
        ["Swimmers Win State Titles", *BODY_EN, *closes, "Opening hours and prices for every pool"]
    )
    assert {_reasons(more)[c] for c in closes} != {None}


def test_short_lines_after_the_body_that_go_on_are_not_a_close() -> None:
    # A run of short full sentences that goes on into more text is a list
    # (teasers, a menu), and a question is a prompt, not the article's close.
    items = ["Read our guide.", "Visit the shop.", "Meet the team."]
    more = "Opening hours and prices for every shop"
    footer = "© 2020 Example. All rights reserved."
    page = "\n\n".join(["Baker Opens Third Shop", *BODY_EN, *items, more, footer])
    assert {_reasons(page)[i] for i in items} != {None}
    asked = "\n\n".join(["Baker Opens Third Shop", *BODY_EN, "Like this article?"])
    assert _reasons(asked)["Like this article?"] is not None


@pytest.mark.parametrize(
    "qa",
    [
        ["Q: Why not sell?", "A: Because this street needs a bakery.",
         "Q: What comes next?", "A: More bread."],
        ["问：为什么不卖？", "答：这条街需要一家面馆。", "问：接下来呢？", "答：再开一家。"],
    ],
)  # fmt: skip
def test_an_interviews_questions_and_answers_close_the_article(qa: list[str]) -> None:
    """Short Q/A lines after the body were cut as navigation: a question is no
    close on its own (a prompt, a headline may ask), but a question followed
    by its answer, a full sentence, is the article's."""
    body = BODY_ZH if qa[0].startswith("问") else BODY_EN
    footer = "© 2020 Example. All rights reserved."
    reasons = _reasons("\n\n".join(["Baker Refuses To Sell", *body, *qa, footer]))
    assert [reasons[line] for line in qa] == [None] * len(qa)
    # a question with no answer after it is still not the article's
    asked = "\n\n".join(["Baker Refuses To Sell", *body, qa[0], footer])
    assert _reasons(asked)[qa[0]] is not None


def test_a_teasers_question_and_standfirst_after_the_body_are_not_an_interview() -> None:
    """Without speakers' labels, a question and a sentence after the body are a
    teaser's headline and standfirst (hostile test: they joined the body)."""
    teaser = ["Who is the new Bank of England governor?", "Meet the economist who will run it."]
    footer = "© 2020 Example. All rights reserved."
    reasons = _reasons("\n\n".join(["Baker Refuses To Sell", *BODY_EN, *teaser, footer]))
    assert None not in {reasons[line] for line in teaser}


def test_a_contributed_reporting_credit_is_an_editor_line() -> None:
    credit = "Keith Bradsher contributed reporting from Hong Kong."
    assert _reasons("\n\n".join([*BODY_EN, credit]))[credit] == "editor-line"


def test_duplicated_headlines_after_the_body_are_a_related_list() -> None:
    head = "另一篇文章的标题在这里"
    page = "\n\n".join([*BODY_ZH, head, head, "齐鲁网 2020-02-22"])
    reasons = _reasons(page)
    assert reasons[head] == "related-list"


def test_trailing_ellipsis_inside_prose_is_a_doubt_not_a_cut() -> None:
    middle = "He paused for a long moment before he answered the question from the back of the room, and then he said..."
    page = "\n\n".join([BODY_EN[0], middle, BODY_EN[1], BODY_EN[2]])
    det = detect(page, CFG)
    verdict = next(v for v in det.lines if v.text == middle)
    assert verdict.reason is None and verdict.doubt == "related-list"
    assert middle in det.to_article().text
    assert det.to_article().doubts[0].text == middle


CUT_OFF = (
    "Council members said they would return to the question next spring, once the "
    "transport office has counted riders on the new routes and the budget for the year is...."
)


@pytest.mark.parametrize("mode", ["text", "html"])
def test_a_paywall_cut_last_paragraph_stays_in_the_body(mode: str) -> None:
    # A preview page stops mid-paragraph on "....": the last paragraph is the
    # article's, kept with the doubt, in both modes.
    det = detect("\n\n".join([*BODY_EN, CUT_OFF]), CFG, mode=mode)
    verdict = next(v for v in det.lines if v.text == CUT_OFF)
    assert verdict.reason is None and verdict.doubt == "related-list"


def test_teasers_that_each_end_on_an_ellipsis_stay_a_related_list() -> None:
    # The same line is a teaser when the page repeats the ellipsis on other
    # lines (a teaser list), or when a headline, not prose, sits above it.
    other = (
        "Parents at the school said the new timetable left too little time for lunch, "
        "and the head teacher promised to look at it again before the..."
    )
    listed = _reasons("\n\n".join([*BODY_EN, CUT_OFF, other]))
    assert listed[CUT_OFF] == listed[other] == "related-list"
    headed = _reasons("\n\n".join([*BODY_EN, "More from the city desk", CUT_OFF]))
    assert headed[CUT_OFF] == "related-list"


@pytest.mark.parametrize(
    "sentence",
    [
        "Readers can share the map with friends, and the related data set is free to download for anyone who wants it.",
        "The editor said the paper would publish every comment it received, including the critical ones, in a special section.",
    ],
)
def test_english_hard_negatives_stay(sentence: str) -> None:
    page = "\n\n".join([BODY_EN[0], sentence, BODY_EN[1]])
    assert _reasons(page)[sentence] is None


def test_link_fragments_are_glued_into_one_paragraph() -> None:
    page = "\n\n".join(
        [
            BODY_EN[0],
            "The report was published by the\nNational Transit Institute\n, which studies bus services in twenty cities across the country and abroad.",
            BODY_EN[1],
        ]
    )
    paras = detect(page, CFG).paragraphs()
    assert paras[1].startswith("The report was published by the National Transit Institute,")


def test_no_body_is_flagged_never_truncated_silently() -> None:
    for page in ["", "Home\nNews\nSport\nContact us", "首页\n新闻\n体育"]:
        art = detect(page, CFG).to_article()
        assert art.text == "" and "no-body" in art.flags


def test_min_body_chars_comes_from_the_config() -> None:
    page = "\n\n".join(BODY_EN)
    assert detect(page, CFG).to_article().text
    art = detect(page, Config(min_body_chars=10_000)).to_article()
    assert art.text == "" and art.flags == ("no-body",)
    assert {b.reason for b in art.removed} == {"no-body"}


def test_unknown_language_degrades_to_structure() -> None:
    body = [
        "Le conseil municipal a voté lundi soir la prolongation du service de bus de nuit pour une année supplémentaire, après un essai concluant.",
        "Les responsables ont indiqué que les bus supplémentaires avaient coûté moins cher que prévu, grâce à la baisse des prix du carburant.",
    ]
    page = "\n\n".join(["Accueil", "Politique", "Sport", *body, "Mentions légales", "Contact"])
    art = detect(page, CFG).to_article()
    assert art.text.split("\n\n") == body
    assert {b.text for b in art.removed} >= {"Accueil", "Politique", "Mentions légales"}


def test_html_mode_keeps_short_lines_trafilatura_chose() -> None:
    page = "\n".join([BODY_EN[0], "Bus lines", BODY_EN[1], "Share this article", BODY_EN[2]])
    html = _reasons(page, mode="html")
    assert html["Bus lines"] is None
    assert html["Share this article"] == "share-widget"


def test_mode_is_validated() -> None:
    with pytest.raises(ValueError, match="mode"):
        detect("x", CFG, mode="pdf")


def test_hints_fill_metadata() -> None:
    det = detect("\n\n".join(BODY_EN), CFG, hints={"title": "Buses", "date": None})
    assert det.metadata["title"] == "Buses"


def test_explain_lists_every_line() -> None:
    page = "Home\n\n" + "\n\n".join(BODY_EN)
    assert len(explain(page, CFG)) == page.count("\n") + 1


def test_language_is_detected() -> None:
    assert detect("\n\n".join(BODY_ZH), CFG).language == "zh"
    assert detect("\n\n".join(BODY_EN), CFG).language == "en"
    assert detect("\n\n".join(BODY_EN), Config(language="en")).language == "en"


def test_lexicon_is_loaded_once_and_is_data() -> None:
    lex = load_lexicon()
    assert lex is load_lexicon()
    reasons = {r.reason for r in (*lex.rules, *lex.prefix_rules, *lex.suffix_rules)}
    assert {"related-list", "editor-line", "copyright", "share-widget", "continue-link"} <= reasons
    assert reasons <= set(REASONS)
    assert "en" in lex.stopwords


def test_deterministic() -> None:
    page = "Home\n\n" + "\n\n".join(BODY_EN + BODY_ZH) + "\n\n相关新闻\n\n© 2020 X"
    first = detect(page, CFG).to_article()
    assert all(detect(page, CFG).to_article() == first for _ in range(3))


# --- properties -----------------------------------------------------------------

_lines = st.lists(
    st.one_of(
        st.sampled_from(["", "Home", "相关新闻", "责任编辑:张三", "© 2020 X", "Share", "阅读(15)"]),
        st.sampled_from(BODY_EN + BODY_ZH),
        st.text(max_size=60),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines)
def test_any_page_every_line_judged_and_body_from_input(lines: list[str]) -> None:
    page = "\n".join(lines)
    det = detect(page, CFG)
    assert len(det.lines) == len(page.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    art = det.to_article()
    for v in det.lines:
        assert v.reason is None or v.reason in REASONS
    if art.text:
        assert "no-body" not in art.flags
    else:
        assert "no-body" in art.flags


def test_inline_related_box_is_cut_and_the_article_resumes() -> None:
    box = [
        "DON'T MISS",
        "Council row over bus lanes deepens [INSIGHT]",
        "Mayor rejects fare rise [VIDEO]",
    ]
    after = [
        "The service will now run until two in the morning on Fridays and Saturdays, and until midnight on other days of the week.",
        "Drivers' unions said they had agreed to the new shifts after the council promised to hire twenty more drivers before the summer.",
    ]
    page = "\n".join([*BODY_EN, *box, *after])
    for mode in ("text", "html"):
        det = detect(page, CFG, mode=mode)
        reasons = {v.text: v.reason for v in det.lines}
        assert all(reasons[line] == "related-list" for line in box), mode
        assert all(reasons[line] is None for line in BODY_EN + after), mode


_BOX = [
    "Read more:",
    "Ten houseplants that survive a dark flat",
    "Why your orchid refuses to bloom",
]


@pytest.mark.parametrize("mode", ["text", "html"])
@pytest.mark.parametrize(
    "close",
    [
        # a short last sentence: less prose than the box needed to be crossed
        ["Services will run as normal."],
        # the steps a line ending in a colon announces, and the closing paragraph
        [
            "Start with these steps:",
            "Water the fern a day before.",
            "Loosen the root ball gently.",
            "Trim any brown roots.",
            "Give the plant a week in indirect light before moving it back to its place.",
        ],
    ],
)
def test_the_article_s_short_close_after_an_inline_box_stays_in_doubt(
    mode: str, close: list[str]
) -> None:
    # The body used to stop at the box: the close, worth less than two
    # paragraphs of prose, was cut with it as related-list.
    det = detect("\n".join([*BODY_EN, *_BOX, *close]), CFG, mode=mode)
    verdicts = {v.text: v for v in det.lines}
    assert all(verdicts[line].reason == "related-list" for line in _BOX), mode
    assert all(verdicts[line].reason is None for line in BODY_EN + close), mode
    assert all(verdicts[line].doubt == "related-list" for line in close), mode


@pytest.mark.parametrize("mode", ["text", "html"])
def test_full_sentence_headlines_of_boxes_in_a_row_stay_chrome_and_the_body_resumes(
    mode: str,
) -> None:
    # A hostile test of the short-close rule: a headline ending on a full stop
    # ended the box, and the body after two boxes in a row was cut; with one
    # box, the full-stop headlines were kept as body.
    boxes = [
        "Read more:",
        "Police arrest two men after city centre stabbing.",
        "Night bus trial: what we know",
        "Related:",
        "Ten years of the ring road",
        "Mayor resigns after a week of protests.",
    ]
    page = "\n".join([*BODY_EN[:2], *boxes, BODY_EN[2], BODY_EN[0].replace("Monday", "Friday")])
    reasons = _reasons(page, mode=mode)
    assert all(reasons[line] == "related-list" for line in boxes), mode
    assert all(reasons[line] is None for line in BODY_EN), mode


@pytest.mark.parametrize("mode", ["text", "html"])
def test_the_last_teaser_of_a_headline_and_teaser_box_is_no_close(mode: str) -> None:
    tail = [
        "Read more:",
        "Tram line closed for repairs",
        "Work on the northern line will last until the end of June.",
        "Cycle lanes to be extended",
        "Twelve kilometres of new lanes are planned in the centre.",
    ]
    reasons = _reasons("\n".join([*BODY_EN, *tail]), mode=mode)
    assert all(reasons[line] == "related-list" for line in tail), mode


@pytest.mark.parametrize(
    ("heading", "paragraph"),
    [
        ("What happens next", "The building will be put up for sale in the spring."),
        ("下一步安排", "该楼将于明年春天挂牌出售，所得款项用于修缮主馆。"),
    ],
)
def test_the_last_section_s_heading_and_short_paragraph_stay(heading: str, paragraph: str) -> None:
    # A hostile test: a subheading and one short paragraph at the end of the
    # article were cut as navigation, with nothing after them.  A site's box
    # ("Support local journalism" / one line) reads the same: kept, in doubt.
    page = "\n\n".join(["Home", "News", *BODY_EN, heading, paragraph])
    verdicts = {v.text: v for v in detect(page, CFG).lines}
    assert verdicts[heading].reason is None and verdicts[paragraph].reason is None
    if paragraph.isascii():  # the Chinese paragraph is prose: in the body run already
        assert verdicts[heading].doubt == verdicts[paragraph].doubt == "outside-body"


def test_short_numbered_sentences_after_the_body_still_close_it() -> None:
    # A hostile test: "most read" lines numbered again were no close after an
    # introduced list, and that rule first cut any numbered close.
    close = [
        "1. The council will vote again in May.",
        "2. The mayor wants a referendum.",
        "3. The port opposes the plan.",
    ]
    reasons = _reasons("\n\n".join([*BODY_EN, *close]))
    assert all(reasons[line] is None for line in close)


@pytest.mark.parametrize("mode", ["text", "html"])
def test_a_teaser_list_after_the_article_is_still_cut_whole(mode: str) -> None:
    # Headlines between the sentences: a teaser list, not the article's close.
    tail = [
        "Read more:",
        "Commuters face a week of disruption",
        "Unions warned of further action this month.",
        "Who runs the railways?",
        "A look at the companies behind the trains.",
        "© 2024 Daily News. All rights reserved.",
    ]
    reasons = _reasons("\n".join([*BODY_EN, *tail]), mode=mode)
    assert all(reasons[line] is not None for line in tail)
    assert all(reasons[line] is None for line in BODY_EN)


@pytest.mark.parametrize("mode", ["text", "html"])
@pytest.mark.parametrize(
    "link",
    [
        "Read more: Council approves new bike lanes for the city centre",
        "SEE ALSO: Why the night bus costs less than the tram",
        "More:",
    ],
)
def test_a_labelled_link_between_paragraphs_is_a_related_link(mode: str, link: str) -> None:
    page = "\n".join([BODY_EN[0], link, BODY_EN[1], BODY_EN[2]])
    reasons = _reasons(page, mode=mode)
    assert reasons[link] == "related-list"
    assert all(reasons[line] is None for line in BODY_EN)


def test_a_labelled_sentence_between_paragraphs_stays_a_doubt() -> None:
    # The rest of the line ends like a sentence: the writer's, not a headline.
    line = "More: the council said it would publish the figures for every route next month."
    det = detect("\n".join([BODY_EN[0], line, BODY_EN[1]]), CFG, mode="html")
    verdict = next(v for v in det.lines if v.text == line)
    assert verdict.reason is None and verdict.doubt == "related-list"


def test_a_related_link_after_an_inline_box_does_not_end_the_article() -> None:
    # The body resumes after a "DON'T MISS" box; a labelled link further down
    # is crossed like any inline widget, and the article's end is kept.
    box = ["DON'T MISS", "Council row over bus lanes deepens", "Mayor rejects fare rise"]
    after = [
        "The service will now run until two in the morning on Fridays and Saturdays, and until midnight on other days of the week.",
        "Drivers' unions said they had agreed to the new shifts after the council promised to hire twenty more drivers before the summer.",
    ]
    link = "See more: Ten routes that changed how the city travels"
    end = "A review of the trial will be published in the autumn, and the council will then decide whether the service becomes permanent."
    page = "\n".join([*BODY_EN, *box, *after, link, end])
    for mode in ("text", "html"):
        reasons = _reasons(page, mode=mode)
        assert reasons[link] == "related-list", mode
        assert all(reasons[line] is None for line in [*BODY_EN, *after, end]), mode


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Tags: buses, night service, city council", "related-list"),
        ("Tags night bus, city council, transport budget, fares", "related-list"),
        ("Filed under: Transport |", "related-list"),
        ("Follow City News on Facebook, Twitter and Instagram.", "share-widget"),
        ("Have a tip? Our transport desk may be reached at desk@citynews.example.", "hotline"),
        ("Email Jane Doe at jdoe@citynews.example or follow her on Twitter.", "hotline"),
        (
            "If you enjoyed this article, we have an offer for you: join our members' club.",
            "newsletter",
        ),
        (
            "Get the City Weekly delivered to your door every week. 12 issues for £9.99. "
            "Click here for more information.",
            "newsletter",
        ),
        (
            "Subscribe to City News Premium for as little as $1 a week for the first year.",
            "newsletter",
        ),
        ("The new night bus at the depot, photos © City News, 2021", "photo-credit"),
    ],
)
@pytest.mark.parametrize("where", ["between", "after"])
def test_tag_promo_contact_follow_and_credit_lines_are_chrome(
    line: str, reason: str, where: str
) -> None:
    parts = [BODY_EN[0], line, BODY_EN[1], BODY_EN[2]] if where == "between" else [*BODY_EN, line]
    for mode in ("text", "html"):
        reasons = _reasons("\n".join(parts), mode=mode)
        assert reasons[line] == reason, mode
        assert all(reasons[body] is None for body in BODY_EN), mode


@pytest.mark.parametrize(
    "sentence",
    [
        "Tags are small labels that shops attach to clothes, and the council wants them recycled.",
        "Like many people on Facebook, she shared the timetable with her neighbours.",
        "Tickets for the first concert are on sale for as little as ten pounds.",
        "Reach for the stars, the mayor told pupils at the opening of the new school.",
        "The museum shows photos © the artist's estate, 2018, and more of the collection.",
    ],
)
def test_sentences_that_open_like_those_lines_stay(sentence: str) -> None:
    page = "\n".join([BODY_EN[0], sentence, BODY_EN[1]])
    assert _reasons(page)[sentence] is None


@pytest.mark.parametrize("heading", ["More Great City News Stories", "More Local News"])
def test_a_more_stories_heading_after_the_article_starts_a_related_list(heading: str) -> None:
    items = [
        "The strange life of the city's oldest tram driver",
        "How the council learned to love the night bus",
        "What the new budget means for your commute",
    ]
    for mode in ("text", "html"):
        reasons = _reasons("\n".join([*BODY_EN, heading, *items]), mode=mode)
        assert reasons[heading] == "related-list", mode
        assert all(reasons[item] is not None for item in items), mode
        assert all(reasons[body] is None for body in BODY_EN), mode


def test_a_subheading_about_more_of_the_stories_stays() -> None:
    sub = "More of the old stories"
    page = "\n".join([BODY_EN[0], sub, BODY_EN[1], BODY_EN[2]])
    assert _reasons(page, mode="html")[sub] is None


DATED_ITEMS = [
    "Mayor: both parties are to blame for the lack of a new deal on the trams",
    "11/20/2019 01:14 PM",
    "Harbour bridge to close for repairs in the spring",
    "11/20/2019 10:08 AM",
    "School meals to get cheaper for families in the north",
    "11/20/2019 09:39 AM",
]


@pytest.mark.parametrize("mode", ["text", "html"])
def test_the_first_headline_of_a_dated_list_is_not_the_articles_last_line(mode: str) -> None:
    reasons = _reasons("\n".join([*BODY_EN, *DATED_ITEMS]), mode=mode)
    assert reasons[DATED_ITEMS[0]] is not None
    assert all(reasons[body] is None for body in BODY_EN)


def test_a_short_last_line_with_one_date_under_it_stays() -> None:
    # One dated line is the article's own footer, not a list.
    last = "The council will meet again on Tuesday to discuss the timetable for the eastern routes"
    # (html mode: text mode drops a last line without a full stop anyway)
    page = "\n".join([*BODY_EN, last, DATED_ITEMS[1], "© 2019 City News"])
    reasons = _reasons(page, mode="html")
    assert reasons[last] is None


def test_inline_box_with_two_headings_and_prose_like_links_is_carried_over() -> None:
    # Two "Related" headings with two links each; the links read like prose
    # (stop words, a quoted title at the end) but do not end like a sentence.
    box = [
        "Related",
        "The Night Bus Drivers: Working Through the City's 'Longest Shift'",
        "Council Talks Bus Lanes, Fares and the Future of the Northern Tram",
        "Related",
        "Ten Routes That Changed How the City Travels",
        "Mayor on Making the Budget Work for 'Everyone'",
    ]
    after = [
        "The service will now run until two in the morning on Fridays and Saturdays, and until midnight on other days of the week.",
        "Drivers' unions said they had agreed to the new shifts after the council promised to hire twenty more drivers before the summer.",
    ]
    page = "\n".join([*BODY_EN, *box, *after, "© 2021 City News. All rights reserved."])
    for mode in ("text", "html"):
        det = detect(page, CFG, mode=mode)
        reasons = {v.text: v.reason for v in det.lines}
        assert all(reasons[line] == "related-list" for line in box), mode
        assert all(reasons[line] is None for line in BODY_EN + after), mode


def test_a_list_of_dated_items_after_the_article_is_a_related_list() -> None:
    # Sentence-case headline, author, date, then a teaser as long as the
    # article's own paragraphs: the date between headline and teaser makes the
    # item a list item (a subheading carries none), and the items repeat.
    items = [
        (
            "Tram line closed for repairs until the end of June",
            "Anna Smith",
            "Tuesday November 19, 2019",
        ),
        (
            "Why the new park in the old harbour took ten years",
            "Mark Jones",
            "Monday November 18, 2019",
        ),
        (
            "Council approves the budget for three primary schools",
            "Julia Brown",
            "Monday November 18, 2019",
        ),
    ]
    teaser = (
        "Work on the northern line will last until the end of June, the operator said on Monday, "
        "and passengers will have to take replacement buses between the two terminals."
    )
    lines = ["Night buses will run for another year", "By Anna Smith", "November 20, 2019", ""]
    lines += [*BODY_EN, "", "More from City News"]
    for head, author, date in items:
        lines += [head, author, date, teaser.replace("northern", head.split()[0])]
    lines += ["", "© 2019 City News. All rights reserved."]
    reasons = _reasons("\n".join(lines))
    assert all(reasons[p] is None for p in BODY_EN)
    assert all(reasons[head] == "related-list" for head, _, _ in items)
    assert all(
        reasons[teaser.replace("northern", h.split()[0])] == "related-list" for h, _, _ in items
    )


def test_a_long_related_box_before_the_longer_half_of_the_article_is_carried_over() -> None:
    # The run takes the longer half after the box; the half before it is the
    # same article (the mirror of the box the run stops at).
    before = BODY_EN[:2]
    box = [
        "More from City News",
        "Tram line closed for repairs until the end of June",
        "New park opens in the old harbour after ten years of planning",
        "Council approves the budget for three primary schools",
        "Bike lanes to be extended across the centre next year",
        "Hospital staff welcome the longer opening hours of the canteen",
        "Fire crews called to a warehouse in the eastern districts",
    ]
    after = [
        *BODY_EN[2:],
        "The service will now run until two in the morning on Fridays and Saturdays, and until midnight on other days of the week.",
        "Drivers' unions said they had agreed to the new shifts after the council promised to hire twenty more drivers before the summer.",
        "The opposition criticised the decision, arguing that the money would be better spent on repairing roads in the outer districts.",
    ]
    page = "\n".join([*before, *box, *after, "© 2021 City News. All rights reserved."])
    for mode in ("text", "html"):
        reasons = {v.text: v.reason for v in detect(page, CFG, mode=mode).lines}
        assert all(reasons[line] == "related-list" for line in box), mode
        assert all(reasons[line] is None for line in before + after), mode


def test_a_data_table_between_paragraphs_stays_in_the_article() -> None:
    # A results table splits the article: its cells hold digits; the body runs
    # on across it to the paragraphs after it, in text mode as in HTML mode.
    table = ["Pos", "Team", "Points", "1", "North End", "34", "2", "Harbour FC", "31"]
    table += ["3", "City United", "29", "4", "Eastside Rovers", "25"]
    after = [
        "The service will now run until two in the morning on Fridays and Saturdays, and until midnight on other days of the week, the council said.",
        "Drivers' unions said they had agreed to the new shifts after the council promised to hire twenty more drivers before the summer.",
    ]
    page = "\n".join(["Home", "News", "Sport", "", *BODY_EN, *table, *after, "© 2021 City News"])
    kept = detect(page, CFG, mode="text").to_article().text
    assert all(p in kept for p in BODY_EN + after)
    assert "Harbour FC" in kept


def test_related_heading_followed_by_headlines_only_ends_the_body() -> None:
    page = "\n".join(
        [*BODY_EN, "Related", "Council row over bus lanes deepens", "Mayor rejects fare rise"]
    )
    reasons = {v.text: v.reason for v in detect(page, CFG).lines}
    assert reasons["Mayor rejects fare rise"] == "related-list"


def test_a_refrain_between_paragraphs_is_not_a_duplicated_headline() -> None:
    refrain = "Eat every 2-3 hours"
    paras = [p for pair in zip(BODY_EN, [refrain] * 3, strict=True) for p in pair]
    for mode in ("text", "html"):
        det = detect("\n\n".join([*paras, BODY_EN[0]]), CFG, mode=mode)
        kept = [v.text for v in det.lines if v.reason is None and v.text]
        assert kept.count(refrain) == 3, mode


def test_long_comments_after_a_comment_heading_never_become_the_body() -> None:
    comment = (
        "I have been riding these buses for years and I can tell you that the service was never as "
        "reliable as the council claims, and the drivers deserve far more credit than they get. "
    ) * 4
    # damping starts once an article's worth of prose (DAMP_AFTER) has been read
    body = [
        *BODY_EN,
        "The council will review the service again next autumn, when the contract comes up for renewal.",
    ]
    page = "\n\n".join([*body, "12 Comments", "jsmith", comment, "Reply", "abrown", comment + "!"])
    art = detect(page, CFG).to_article()
    assert art.text.split("\n\n") == body
    assert {b.reason for b in art.removed if b.text.startswith("I have been")} == {"comments"}


def test_cookie_notice_after_the_article_is_removed() -> None:
    notice = (
        "This website uses cookies to improve your experience while you navigate through the "
        "website. Out of these cookies, the cookies that are categorized as necessary are stored "
        "on your browser as they are essential for the working of basic functionalities."
    )
    page = "\n\n".join([*BODY_EN, "© 2020 Example Media", notice, notice.replace("This", "Our")])
    art = detect(page, CFG).to_article()
    assert art.text.split("\n\n") == BODY_EN


# A truncated reprint: the first paragraphs, a continue link, then other stories'
# headlines long enough to pass for prose (the dedup benchmark's misses).
RELATED_EN = [
    "- Three people have died during protests in the capital against the",
    "- The house where the composer was born will become a police station",
    "- The latest wave of financial startups have found a new kind of customer",
]
RELATED_ZH = [
    "· 多部门联合发布通知要求进一步加强安全生产管理工作确保平稳",
    "· 专家解读最新出台的政策对当地房地产市场可能产生的影响",
    "· 全国多地迎来大幅降温天气交通部门提醒市民出行注意安全",
]


@pytest.mark.parametrize(
    ("body", "marker", "heading", "related"),
    [
        (BODY_EN[:1], "Read more >>", "Related stories", RELATED_EN),
        (BODY_EN[:2], "… Continue reading", "", RELATED_EN),
        (BODY_ZH[:1], "……阅读全文", "相关新闻", RELATED_ZH),
        (BODY_ZH[:2], "[详细]", "", RELATED_ZH),
    ],
)
def test_continue_link_ends_a_truncated_body(
    body: list[str], marker: str, heading: str, related: list[str]
) -> None:
    page = "\n\n".join([*body, marker, *([heading] if heading else []), *related])
    det = detect(page, CFG)
    reasons = {v.text.strip(): v.reason for v in det.lines if v.text.strip()}
    assert reasons[marker] == "continue-link"
    for line in related:
        assert reasons[line] is not None, line
    assert all(reasons[p.strip()] is None for p in body)


@pytest.mark.parametrize(
    "sentence",
    [
        "Read more about the plan in the council's report, which runs to two hundred pages and was published on Friday.",
        "She said she would continue reading the letters aloud at every meeting until the council answered them.",
        "　　不少市民表示,他们已经阅读了全文,认为这份报告对交通问题的分析详细而中肯,希望尽快落实。",
    ],
)
def test_continue_words_inside_body_sentences_stay(sentence: str) -> None:
    body = BODY_ZH if "\u3000" in sentence else BODY_EN
    page = "\n\n".join([body[0], sentence, body[1], body[2]])
    assert _reasons(page)[sentence.strip()] is None


@pytest.mark.parametrize(
    ("body", "marker", "related"),
    [
        (BODY_ZH[:2], "阅读全文", RELATED_ZH),
        (BODY_ZH[:1], "点击阅读全文>>", ["相关新闻", *RELATED_ZH]),
        (BODY_EN[:2], " Read more >>", RELATED_EN),
        (BODY_EN[:1], " Continue reading »", ["Related stories", *RELATED_EN]),
    ],
)
def test_a_continue_marker_glued_onto_the_last_sentence_is_cut_off(
    body: list[str], marker: str, related: list[str]
) -> None:
    # "……最后一句。阅读全文": the sentence is body, the marker is not, and the body
    # ends there (the whole line used to be removed as a related-list teaser)
    last = body[-1] + marker
    page = "\n\n".join([*body[:-1], last, *related])
    det = detect(page, CFG)
    art = det.to_article()
    assert art.text.split("\n\n") == [
        p.strip() for p in detect("\n\n".join(body), CFG).paragraphs()
    ]
    assert [v.reason for v in det.lines if v.text == last] == [None]
    line = next(v.line for v in det.lines if v.text == last)
    assert [(b.text, b.reason, b.line) for b in det.cuts] == [
        (marker.strip(), "continue-link", line)
    ]
    assert ("continue-link", marker.strip()) in {(b.reason, b.text) for b in art.removed}
    for item in related:  # the related list after it stays out
        assert _reasons(page)[item] is not None, item


def test_a_continue_marker_cut_off_a_joined_paragraph_keeps_it_once() -> None:
    # link fragments glued into one paragraph: the kept text is not repeated
    last = "Officials said the extra buses were paid for by the\nNational Transit Fund\n, which also pays for two more routes in the eastern districts. Read more >>"
    page = "\n\n".join([BODY_EN[0], last, *RELATED_EN])
    det = detect(page, CFG)
    assert det.to_article().text.split("\n\n") == [
        BODY_EN[0],
        "Officials said the extra buses were paid for by the National Transit Fund, which also pays for two more routes in the eastern districts.",
    ]
    assert [(b.text, b.line) for b in det.cuts] == [("Read more >>", 5)]


def test_an_injected_prefix_cut_off_a_joined_paragraph_keeps_it_once() -> None:
    first = "近日小编了解到,记者从市统计局获悉,今年前三季度全市地区生产总值同比增长百分之六点五"
    rest = ",经济运行总体平稳、稳中有进,主要指标好于预期,服务业对经济增长的贡献率继续提高。"
    det = detect("\n\n".join([BODY_ZH[0], first + "\n" + rest, BODY_ZH[2]]), CFG)
    paras = det.to_article().text.split("\n\n")
    assert paras[1].startswith("记者从市统计局获悉")
    assert paras[1].count("经济运行总体平稳") == 1
    assert [(b.reason, b.line) for b in det.cuts] == [("injection", 3)]


TEASERS_ZH = [
    "多部门联合发布通知。通知要求进一步加强安全生产管理工作,确保节日期间全市安全形势平稳有序。",
    "专家解读最新政策。专家认为,新出台的政策对当地房地产市场的影响将在明年上半年逐步显现出来。",
    "全国多地迎来降温。交通部门提醒市民出行注意安全,合理安排出行时间,避开早晚高峰时段的拥堵路段。",
]


@pytest.mark.parametrize("marker", ["[详细]", "阅读全文"])
def test_teasers_that_each_end_in_a_continue_marker_stay_a_related_list(marker: str) -> None:
    # A portal's teaser list ends every teaser in "。[详细]" or "。阅读全文": the
    # marker repeats, so no teaser is taken for a truncated body's last sentence.
    teasers = [t + marker for t in TEASERS_ZH]
    page = "\n\n".join([*BODY_ZH, *teasers])
    det = detect(page, CFG)
    reasons = {v.text.strip(): v.reason for v in det.lines if v.text.strip()}
    assert all(reasons[p.strip()] is None for p in BODY_ZH)
    assert [reasons[t] for t in teasers] == ["related-list"] * len(teasers)
    assert det.cuts == ()


def test_a_continue_marker_after_a_short_sentence_keeps_it_with_a_doubt() -> None:
    # a short closing sentence or a teaser's headline: kept, with the doubt recorded
    line = "专家解读最新政策。阅读全文"
    art = detect("\n\n".join([*BODY_ZH, line]), CFG).to_article()
    assert art.text.endswith("\n\n专家解读最新政策。")
    assert [(b.text, b.reason) for b in art.doubts] == [(line, "related-list")]
    assert ("阅读全文", "continue-link") in {(b.text, b.reason) for b in art.removed}


def test_a_continue_marker_after_a_fragment_removes_the_line() -> None:
    # "更多内容。" is not prose: the whole line is a list item, as before
    reasons = _reasons("\n\n".join([*BODY_ZH, "更多内容。阅读全文"]))
    assert reasons["更多内容。阅读全文"] == "related-list"


def test_a_suffix_class_must_match_at_the_end_of_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.chrome import lexicon

    read = lexicon._read

    def bad(name: str) -> dict:
        data = read(name)
        if name == "en":
            data["classes"]["continue-suffix"]["patterns"] = ["read more"]
        return data

    monkeypatch.setattr(lexicon, "_read", bad)
    with pytest.raises(ValueError, match=r"continue-suffix.*end with"):
        lexicon.load_lexicon.__wrapped__()  # uncached: the cached lexicon stays as it is


@pytest.mark.parametrize(
    ("pattern", "last"),
    [
        (r"abc$", {"c"}),
        (r"(?<=[.!?])\s*Read more\s*(?:>>|»)*$", {"e", ">", "»"}),
        (r"(?:点击)?(?:阅读全文|继续阅读)[>》]?$", {"文", "读", ">", "》"}),
        (r"\d$", None),  # a digit ends it: no gate
        (r"x*$", None),  # it matches an empty end
        (r".$", None),
    ],
)
def test_last_chars_of_a_suffix_pattern(pattern: str, last: set[str] | None) -> None:
    from newsclean.chrome.lexicon import last_chars

    assert last_chars(pattern) == (None if last is None else frozenset(last))


_SUFFIX_PIECES = [
    "。",
    ".",
    "!",
    " ",
    "阅读全文",
    "全文",
    "Read more",
    "READ MORE",
    "continue reading",
]
_SUFFIX_PIECES += [">>", ">", "»", "→", "文", "读", "e", "\u212a", "\u0131", "word", "的", "1"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SUFFIX_PIECES), max_size=12).map("".join))
def test_suffix_match_gate_agrees_with_the_patterns(text: str) -> None:
    from newsclean.chrome.lexicon import SUFFIX_TAIL

    lex = load_lexicon()
    text = text.strip()
    found = lex.suffix_match(text)
    pos = max(0, len(text) - SUFFIX_TAIL)
    hits = [(r, m) for r in lex.suffix_rules if r.anywhere and (m := r.anywhere.search(text, pos))]
    want = (hits[0][0], hits[0][1].span()) if hits else None
    assert (found and (found[0], found[1].span())) == want


def test_bulleted_headlines_under_a_related_heading_are_not_resumed_prose() -> None:
    # the first headline carries its teaser: long enough to pass for a paragraph
    long_head = "- Council approves the new harbour plan after a long night of debate, and the ferry operators say they will appeal the decision in court"
    long_head2 = "- Two schools in the northern districts will close early for the summer, the education board said, because their roofs need urgent repair"
    related = [long_head, long_head2, *RELATED_EN]
    page = "\n\n".join([*BODY_EN, "Related stories", *related, "Comments"])
    reasons = {v.text.strip(): v.reason for v in detect(page, CFG).lines if v.text.strip()}
    assert all(reasons[p] is None for p in BODY_EN)
    for line in related:
        assert reasons[line] == "related-list", line


@pytest.mark.parametrize("heading", ["Related stories", ""])
def test_bulleted_headlines_cut_off_on_a_function_word_are_not_glued_into_prose(
    heading: str,
) -> None:
    # one headline per line, no blank line between, each cut off on "the"/"are":
    # glued as link fragments they made one long paragraph that beat the body
    related = [
        *RELATED_EN,
        "- A new study of city parks finds that children who play outside are",
        "- The mayor will meet with union leaders next week to discuss the",
        "- Why the price of coffee keeps going up, and what you can do about it in the",
    ]
    page = BODY_EN[0] + "\n\n" + "\n".join([*([heading] if heading else []), *related])
    det = detect(page, CFG)
    assert not any(v.joined for v in det.lines)
    if not heading:
        # no line is chrome by its content (no heading, no menu): the text is
        # kept whole, one paragraph per headline (see _mark_evidence)
        assert det.to_article().text.split("\n\n") == [BODY_EN[0], *related]
        return
    assert det.to_article().text == BODY_EN[0]
    assert all(v.reason is not None for v in det.lines if v.text.startswith("- "))


@pytest.mark.parametrize(
    ("body", "bars"),
    [
        (
            BODY_EN,
            [
                "Trending now: The best laptops of the year | How to save on groceries | Ten places to visit this spring",
                "Most read: 1. Ten tips for a better sleep 2. The housing market explained 3. What the new tax rules mean for you",
            ],
        ),
        (
            BODY_ZH,
            [
                "热点推荐：春季出游指南 | 家电以旧换新 | 本周天气早知道 | 楼市最新动态",
                "排行榜：1. 十个睡个好觉的小窍门 2. 一文读懂房贷新政 3. 新个税规定对你意味着什么",
            ],
        ),
    ],
)
def test_a_list_heading_with_its_items_on_one_line_is_a_related_list(
    body: list[str], bars: list[str]
) -> None:
    # Above the article, inside it (an injected box) and below it.
    page = "\n\n".join([bars[0], body[0], bars[1], *body[1:], bars[0]])
    det = detect(page, CFG)
    assert [v.reason for v in det.lines if v.text.strip() in bars] == ["related-list"] * 3
    reasons = {v.text.strip(): v.reason for v in det.lines if v.text.strip()}
    assert all(reasons[p.strip()] is None for p in body)


@pytest.mark.parametrize(
    "sentence",
    [
        "Breaking: the council said on Monday that the bridge would stay closed until the engineers had finished their checks.",
        "Most read: that is what the paper called the letter, which was shared thousands of times before the council replied to it.",
        "　　热点推荐：这是市民最常提到的一句话，他们希望公交公司在周末增加夜班车的班次，方便下班晚的上班族回家。",
    ],
)
def test_a_list_heading_before_a_sentence_is_not_a_list(sentence: str) -> None:
    body = BODY_ZH if "\u3000" in sentence else BODY_EN
    page = "\n\n".join([body[0], sentence, body[1], body[2]])
    assert _reasons(page)[sentence.strip()] is None


LEGAL_EN = [
    "The information provided on this website (including the blogs and community pages) was originally intended for a US audience. Regulations in your country may vary.",
    "*These statements have not been evaluated by the Food and Drug Administration. These products are not intended to diagnose, treat, cure, or prevent any disease.",
]


def test_legal_disclaimers_after_the_article_are_chrome() -> None:
    reasons = _reasons("\n\n".join([*BODY_EN, *LEGAL_EN]))
    assert all(reasons[p] is None for p in BODY_EN)
    assert [reasons[p] for p in LEGAL_EN] == ["copyright"] * len(LEGAL_EN)


def test_a_sentence_quoting_a_disclaimer_inside_the_article_stays() -> None:
    sentence = "The label says these statements have not been evaluated by the Food and Drug Administration, which the regulators called misleading."
    page = "\n\n".join([BODY_EN[0], BODY_EN[1], sentence, BODY_EN[2]])
    assert _reasons(page)[sentence] is None


def _metadata_words(language: str, key: str) -> list[str]:
    import json
    from importlib import resources

    text = resources.files("newsclean.lexicons").joinpath(f"{language}.json").read_text("utf-8")
    words: list[str] = json.loads(text)["metadata"][key]
    return words


@pytest.mark.parametrize("language", ["zh", "en"])
def test_metadata_labels_come_from_the_lexicon_files(language: str) -> None:
    # Every source label of a language's file makes a source line, and every
    # author label an author line: the words are data, not code.
    for word in _metadata_words(language, "source"):
        assert parse_meta_line(f"{word}：人民日报") == ({"source": "人民日报"}, True), word
    for word in _metadata_words(language, "author"):
        fields, _ = parse_meta_line(f"{word}：张三")
        assert fields.get("author") == "张三", word


def test_legal_links_of_an_inline_signup_box_do_not_end_the_article() -> None:
    # A newsletter box inside the article ends with its captcha notice and that
    # notice's links; "Privacy Policy" alone is a link, not the page's footer.
    box = ["This site is protected by reCAPTCHA", "Privacy Policy", "|", "Terms of Service"]
    more = [
        "The council will publish the full timetable next week, and the operators said the first night buses would run before the end of the month.",
        "Several residents said they would still prefer a train link, but that the buses were a good start for the districts that have no station.",
    ]
    page = "\n\n".join([*BODY_EN, *box, *more, "Privacy Policy", "© 2020 City News"])
    reasons = _reasons(page)
    assert all(reasons[p] is None for p in [*BODY_EN, *more])  # the article resumes
    assert [reasons[b] for b in box if b != "|"] == ["newsletter", "copyright", "copyright"]
    assert reasons["© 2020 City News"] == "copyright"


BODY_RU = [
    "Городской совет в понедельник проголосовал за продление ночного автобусного сообщения ещё на год, после того как пробный период показал рост числа пассажиров.",
    "Чиновники заявили, что дополнительные автобусы обошлись дешевле, чем ожидалось, а сэкономленные средства пойдут на два новых маршрута в восточных районах.",
]


def test_non_latin_prose_under_english_chrome_is_not_guessed_english() -> None:
    from newsclean.chrome.language import guess_language

    stop = load_lexicon().stopwords
    menu = "Home | World | Business | Sign in to read more of the stories that are in the news"
    assert guess_language("\n".join([menu, *BODY_EN]), stop) == "en"
    # English stop words in the menu would score the menu as prose and the body as
    # noise: the Russian words are scored, against jusText's Russian list
    assert guess_language("\n".join([menu, *BODY_RU, menu]), stop) == "ru"
    assert guess_language("\n".join([menu, *BODY_RU, menu]), {"en": stop["en"]}) is None
    kept = [ln for ln, r in _reasons("\n".join([menu, *BODY_RU])).items() if r is None]
    assert all(p in kept for p in BODY_RU)


def test_a_one_sentence_article_hard_wrapped_across_a_blank_line_is_kept() -> None:
    page = "\n".join(
        [
            "Home",
            "News",
            "",
            "The council said on Monday that the night bus service would run for another year after a trial in which",
            "",
            "the number of passengers doubled since the spring.",
            "",
            "© 2021 Example",
        ]
    )
    art = detect(page, CFG).to_article()
    assert art.flags == ()
    assert art.text == (
        "The council said on Monday that the night bus service would run for another year"
        " after a trial in which the number of passengers doubled since the spring."
    )
    # a new paragraph after a complete sentence is not glued on
    for two in (
        page.replace("in which\n\nthe number", "in which it ran.\n\nthe number"),
        page.replace("in which\n\nthe number", "in which\n\nThe number"),
    ):
        assert not any(v.joined for v in detect(two, CFG).lines)


def test_a_hard_wrapped_chinese_sentence_is_kept() -> None:
    page = "首页\n\n市统计局今天发布数据显示，今年前三季度全市地区生产总值同比增长\n\n百分之六点五，经济运行总体平稳。\n\n版权所有"
    art = detect(page, CFG).to_article()
    assert "同比增长" in art.text and "百分之六点五" in art.text


@pytest.mark.parametrize(
    "line", ["《播客热潮迅速蔓延》已有1件评论", "共 11 篇评论", "已有 3 条回复"]
)
def test_a_chinese_comment_count_ends_the_article(line: str) -> None:
    comment = (
        "　　"
        + "我觉得这个数据还是比较可信的，去年我们这边的工厂基本都恢复生产了，订单也比往年多了不少。"
        * 4
    )
    page = "\n\n".join([*BODY_ZH, line, "网友甲", comment])
    reasons = _reasons(page)
    assert reasons[line] == "comments"
    assert reasons[comment.strip()] == "comments"
    assert all(reasons[p.strip()] is None for p in BODY_ZH)


def test_a_shared_line_memo_must_not_change_any_verdict() -> None:
    """One memo across every fixture page, in both modes and in a shuffled order:
    each detection equals the one made without a memo."""
    from pathlib import Path

    from newsclean.chrome.detector import LineMemo

    root = Path(__file__).resolve().parent.parent / "fixtures" / "chrome"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
    assert len(texts) >= 5
    memo = LineMemo()
    for text in [*texts, *reversed(texts)]:
        for mode in ("text", "html"):
            shared = detect(text, mode=mode, memo=memo)
            alone = detect(text, mode=mode)
            assert shared.lines == alone.lines
            assert (shared.metadata, shared.cuts, shared.flags) == (
                alone.metadata,
                alone.cuts,
                alone.flags,
            )


def test_the_memo_hands_out_fields_the_caller_may_edit() -> None:
    from newsclean.chrome.detector import LineMemo

    memo = LineMemo()
    line = "作者：张三 来源：新华社"
    first = memo.meta(line)
    assert first is not None and first[0] == parse_meta_line(line)[0]
    first[0]["author"] = "edited"
    again = memo.meta(line)
    assert again is not None and again[0] == parse_meta_line(line)[0]
    assert memo.meta("The council approved the harbour budget on Monday night.") is None


def test_markup_shown_as_text_is_removed_in_text_mode_too() -> None:
    # A flattened page whose ad slot was escaped source: text mode, like HTML
    # mode, never keeps it (issue 12, "never output markup"), and it is chrome
    # by what it is, so cleaning the result again changes nothing.
    ad = '<SCRIPT LANGUAGE="JavaScript1.1" SRC="http://ads.example.com/show?site=x"></SCRIPT>'
    img = "<A HREF='http://ads.example.com/click'><IMG SRC='http://ads.example.com/x.gif'></a>"
    quoted = "The clerk told the council to use the <b> tag for bold text on the new site."
    text = "\n\n".join([BODY_EN[0], ad, img, BODY_EN[1], quoted, BODY_EN[2]])
    det = detect(text, CFG)
    verdicts = {v.text: v for v in det.lines if v.text}
    assert verdicts[ad].reason == verdicts[img].reason == "markup"
    assert verdicts[ad].evidence and verdicts[img].evidence
    assert det.paragraphs() == [BODY_EN[0], BODY_EN[1], quoted, BODY_EN[2]]
    # stable on its own output: nothing else goes
    again = detect("\n\n".join(det.paragraphs()), CFG)
    assert again.paragraphs() == det.paragraphs()


def test_a_body_of_nothing_but_markup_is_no_body() -> None:
    snippet = "<div class='ad'><img src='http://ads.example.com/a-long-banner-name.gif'></div>"
    det = detect("\n\n".join([snippet] * 3), CFG)
    assert det.paragraphs() == []
    assert "no-body" in det.flags
