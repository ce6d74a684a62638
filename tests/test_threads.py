"""Comment threads recognized by structure (newsclean/chrome/threads.py).

Every page here has a short article followed by a thread whose comments are
longer than it: without the structural rule the thread's prose wins the body run.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.chrome import detect
from newsclean.chrome.lexicon import load_lexicon
from newsclean.chrome.threads import FLOOR, REPLY, SAYS, STAMP, mark_signs, thread_headers
from newsclean.config import Config

CFG = Config()

BODY = {
    "en": [
        "The city council voted on Monday to extend the late-night bus service for another year, after a trial showed that ridership had doubled.",
        "Officials said the extra buses had cost less than expected, and that the savings would pay for two more routes in the eastern districts.",
    ],
    "fr": [
        "Le conseil municipal a voté lundi la prolongation du service de bus de nuit pour une année supplémentaire, après un essai concluant.",
        "Selon les responsables, les bus supplémentaires ont coûté moins cher que prévu et les économies financeront deux nouvelles lignes.",
    ],
    "de": [
        "Der Stadtrat hat am Montag beschlossen, den Nachtbusverkehr um ein weiteres Jahr zu verlängern, nachdem sich die Fahrgastzahl verdoppelt hatte.",
        "Nach Angaben der Verwaltung waren die zusätzlichen Busse billiger als erwartet, und mit den Einsparungen werden zwei neue Linien bezahlt.",
    ],
    "es": [
        "El ayuntamiento votó el lunes prorrogar el servicio de autobuses nocturnos durante un año más, después de que el número de viajeros se duplicara.",
        "Según los responsables, los autobuses adicionales costaron menos de lo previsto y el ahorro pagará dos nuevas líneas en los distritos del este.",
    ],
}

COMMENT = {
    "en": "I have been taking the night bus for years and I can tell you that the service was never reliable before this trial started. "
    "Buses were late, drivers were tired and the routes made no sense at all for anyone working in the eastern districts of the city.",
    "fr": "Je prends le bus de nuit depuis des années et je peux vous dire que le service n'a jamais été fiable avant cet essai. "
    "Les bus étaient en retard, les chauffeurs fatigués et les lignes n'avaient aucun sens pour ceux qui travaillent dans l'est de la ville.",
    "de": "Ich fahre seit Jahren mit dem Nachtbus und kann Ihnen sagen, dass der Dienst vor diesem Versuch nie zuverlässig war. "
    "Die Busse kamen zu spät, die Fahrer waren müde und die Linien ergaben für alle, die im Osten der Stadt arbeiten, keinen Sinn.",
    "es": "Llevo años tomando el autobús nocturno y puedo decir que el servicio nunca fue fiable antes de esta prueba. "
    "Los autobuses llegaban tarde, los conductores estaban cansados y las rutas no tenían sentido para quien trabaja en el este de la ciudad.",
}

#: One comment header per language and comment system: (lines before the
#: comment, lines after it); {n} is the comment's number.
HEADERS = {
    # WordPress: name / on / date at time / said:
    "wordpress-en": ("en", ["Alex{n}", "on", "September 1{n}, 2018 at 6:3{n} am", "said:"], []),
    # Disqus-like: name • relative time ... Reply • Share ›
    "disqus-en": ("en", ["Jo{n} • {n} years ago"], ["Reply • Share ›"]),
    "wordpress-fr": ("fr", ["Claire{n} a écrit :", "1{n} mars 2019 à 10:4{n}"], ["Répondre"]),
    "forum-de": ("de", ["#{n}", "Max{n} schrieb:", "vor {n} Stunden"], ["Antworten", "👍 1{n}"]),
    "blog-es": ("es", ["Lucía{n} dice:", "hace {n} días"], ["Responder"]),
}


def _comment(lang: str, n: int) -> str:
    return f"{COMMENT[lang]} ({n})"  # distinct: a repeated line is a related list


def _page(lang: str, before: list[str], after: list[str], comments: int = 3) -> str:
    lines = ["Home", "News", "Night buses stay for another year", ""]
    for p in BODY[lang]:
        lines += [p, ""]
    lines += ["Comments", ""]
    for n in range(1, comments + 1):
        lines += [h.format(n=n) for h in before]
        lines += [_comment(lang, n), ""]
        lines += [h.format(n=n) for h in after]
        lines.append("")
    lines += ["© 2020 The Daily Example"]
    return "\n".join(lines)


@pytest.mark.parametrize("system", sorted(HEADERS))
def test_thread_after_the_body_never_joins_it(system: str) -> None:
    lang, before, after = HEADERS[system]
    art = newsclean.clean(_page(lang, before, after), kind="text")
    assert art.text == "\n\n".join(BODY[lang])
    removed = {b.text.strip(): b.reason for b in art.removed}
    assert all(removed[_comment(lang, n)] == "comments" for n in (1, 2, 3))


def test_thread_without_a_comments_heading() -> None:
    """The structure alone decides: no "Comments" line, no lexicon hit on the headers."""
    page = _page("en", ["Alex{n}", "on", "September 1{n}, 2018 at 6:3{n} am", "said:"], [])
    art = newsclean.clean(page.replace("\nComments\n", "\n"), kind="text")
    assert art.text == "\n\n".join(BODY["en"])


def test_chinese_forum_floors() -> None:
    body = [
        "　　记者从市统计局获悉，今年前三季度全市地区生产总值同比增长百分之六点五，经济运行总体平稳、稳中有进，主要指标好于预期。",
        "　　分产业看，第一产业增加值增长百分之三，第二产业增加值增长百分之七，第三产业增加值增长百分之六。",
    ]
    reply = "我觉得这个数据还是比较可信的，去年我们这边的工厂基本都恢复生产了，订单也比往年多了不少，大家的收入都有所提高，希望明年继续保持这样的势头，不要再出现停工的情况了。"
    lines = ["首页", "新闻中心", "", *body, ""]
    for n in range(1, 4):
        lines += [f"{n}楼", f"网友{n}", f"发表于 2020-10-2{n} 15:3{n}", reply, f"支持({n})", ""]
    art = newsclean.clean("\n".join(lines), kind="text")
    assert art.text == "\n\n".join(b.strip() for b in body)  # normalize drops the indent
    assert reply not in art.text


def test_japanese_relative_times() -> None:
    body = "市議会は月曜日、夜間バスの運行をさらに一年延長することを決めた。試験運行で利用者が倍増したためで、追加の費用は予想を下回ったという。"
    reply = "毎晩このバスを使っていますが、試験運行の前は遅れてばかりで本当に困っていました。運転手さんも疲れていたようですし、路線も分かりにくかったので、延長は本当にうれしいです。"
    lines = ["ホーム", "", body, ""]
    for n in range(1, 4):
        lines += [f"ユーザー{n}さん", f"{n}時間前", reply + "。" * n, "返信", ""]
    art = newsclean.clean("\n".join(lines), kind="text")
    assert art.text == body


@pytest.mark.parametrize(
    "lines",
    [
        # a live blog: a time stamp before every update is one kind of sign only
        ["10:3{n} BST", "{c}"],
        # a listicle numbered #1, #2 ...
        ["#{n}", "Reason number {n}", "{c}"],
        # an interview transcript: "X said:" before each quote
        ["The mayor said:", "{c}"],
    ],
)
def test_hard_negatives_keep_the_article(lines: list[str]) -> None:
    text = []
    for n in range(1, 5):
        text += [ln.format(n=n, c=COMMENT["en"].replace("I ", f"We{n} ")) for ln in lines] + [""]
    page = "\n".join(text)
    assert (
        thread_headers(
            mark_signs(
                [ln for ln in page.split("\n") if ln],
                [len(ln) for ln in page.split("\n") if ln],
                load_lexicon().thread,
            )
        )
        == []
    )
    art = newsclean.clean(page, kind="text")
    assert art.text.count("reliable") == 4


def test_signs_by_kind() -> None:
    signs = load_lexicon().thread
    assert signs.kinds("said:") == SAYS
    assert signs.kinds("Alex on September 17, 2018 at 6:34 am said:") == SAYS | STAMP
    assert signs.kinds("3楼") == FLOOR
    assert signs.kinds("赞(3)") == REPLY
    assert signs.kinds("👍 12") == REPLY
    assert signs.kinds("vor 3 Stunden") == STAMP
    assert signs.kinds("The council met on Monday.") == 0


def test_verdicts_name_the_thread() -> None:
    lang, before, after = HEADERS["wordpress-en"]
    det = detect(_page(lang, before, after), CFG)
    reasons = {v.text.strip(): v.reason for v in det.lines if v.text.strip()}
    assert reasons["said:"] == "comments"
    assert reasons["Alex2"] == "comments"
    assert all(reasons[p] is None for p in BODY["en"])


LIVE_BLOG = [
    "Polls have now closed across the state and officials have begun counting ballots in all forty counties, with turnout expected to break records.",
    "10:32 pm",
    "The governor said:",
    "{o}We are confident the people have chosen a path of stability and growth for the next four years, and we thank every volunteer.{c}",
    "10:45 pm",
    "The challenger said:",
    "{o}It is far too early to call this race, and we will wait until every single vote in every county has been counted properly.{c}",
    "10:58 pm",
    "The state's election director says:",
    "{o}Every ballot that arrived by the deadline will be counted, and we expect the first full results from the cities shortly after midnight.{c}",
    "11:02 pm",
    "Election officials reported that early returns from the northern counties show a narrow lead for the incumbent, with roughly a third of precincts reporting.",
]
VOTER = (
    "I stood in line for two hours at my polling place this evening and the volunteers were wonderful, "
    "but the county really needs more machines before the next election."
)


def _live_blog(quotes: tuple[str, str], comments: int = 0) -> tuple[str, list[str]]:
    body = [ln.format(o=quotes[0], c=quotes[1]) for ln in LIVE_BLOG]
    lines = ["Election night live: results as they come in", *body]
    for n in range(1, comments + 1):
        # WordPress: name / date at time / says: / comment / Reply
        lines += [f"Mark{n}", f"March {n}, 2024 at 10:3{n} pm", "says:", f"{VOTER} ({n})", "Reply"]
    return "\n\n".join(lines), body


@pytest.mark.parametrize(
    "quotes", [('"', '"'), ("“", "”"), ("« ", " »")], ids=["ascii", "curly", "guillemets"]
)
def test_a_live_blog_quoting_speakers_is_no_thread(quotes: tuple[str, str]) -> None:
    # a time stamp and "The governor said:" before each update are two kinds
    # of sign, as in a WordPress header; but the line after the says-line is a
    # quotation, reported speech, and no commenter's own words
    page, body = _live_blog(quotes)
    art = newsclean.clean(page, kind="text")
    assert art.text.split("\n\n") == body


def test_a_thread_after_a_live_blog_is_still_removed() -> None:
    page, body = _live_blog(("“", "”"), comments=3)
    art = newsclean.clean(page, kind="text")
    assert art.text.split("\n\n") == body
    removed = {b.text.strip(): b.reason for b in art.removed}
    assert all(removed[f"{VOTER} ({n})"] == "comments" for n in (1, 2, 3))
    assert removed["says:"] == "comments"


def test_a_live_blog_whose_quotes_go_on_into_a_reporting_clause_is_no_thread() -> None:
    # A hostile test: "The mayor said:" then "“Please stay at home,” she told
    # reporters, ..." was a comment header and its text (only a line that is
    # one quotation and nothing else was read as reported speech).
    updates = [
        (
            "10:14 am",
            "The governor said:",
            "“We are confident that the shelters have enough room for everyone who needs one tonight.”",
        ),
        (
            "10:32 am",
            "The mayor said:",
            "“Please stay at home,” she told reporters, adding that the roads were flooded in several places.",
        ),
        (
            "11:05 am",
            "The fire chief said:",
            "“Do not drive through flood water.” He said two people had been rescued from cars overnight.",
        ),
    ]
    lead = (
        "The storm made landfall early on Tuesday, bringing winds of more than 100 miles per "
        "hour to the coast, forecasters said."
    )
    lines = ["Storm live: governor declares emergency", lead]
    for update in updates:
        lines.extend(update)
    art = newsclean.clean("\n\n".join(lines), kind="text", language="en")
    for _, said, quote in updates:
        assert said in art.text and quote in art.text
    assert not [b for b in art.removed if b.reason == "comments"]
