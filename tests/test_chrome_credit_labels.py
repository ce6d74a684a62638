"""A credit's label before a sentence: a speaker, not a credit.

"编辑：", "EDITOR:" label an editor credit when names follow them
("责任编辑：张三", "Editor: Jane Smith"); an interview labels its interviewer's
questions with the same word ("编辑：下一步有什么打算？", "EDITOR: Is that
enough?").  A credit's value is names; a speaker's is a sentence.  The
questions used to go as ``editor-line`` (and, in English, the end of the
interview after the last one), in both modes.
"""

from __future__ import annotations

import html

import pytest

import newsclean
from newsclean.check import check_text
from newsclean.chrome.features import line_features, reads_as_sentence
from newsclean.chrome.lexicon import load_lexicon, prefix_in_prose
from tests.test_chrome_prose_prefix import A_EN, A_ZH, C_EN, C_ZH

INTERVIEW_EN = [
    "The energy minister spoke to our political editor on Sunday about rising bills and "
    "the government's plans for the winter. This is an edited transcript of the conversation.",
    "EDITOR: Minister, bills are going up again in October. What do you say to families who "
    "cannot pay?",
    "MINISTER: I understand how hard this is. That is why we are extending the support scheme "
    "for another six months, and why we have asked suppliers to offer payment holidays.",
    "EDITOR: Is that enough?",
    "MINISTER: No single measure is enough. But together with the insulation programme, it "
    "will take the average bill down by about 300 pounds.",
    "Editor: Will you rule out a windfall tax?",
    "MINISTER: I will not rule anything in or out today.",
    "The full interview will be broadcast at 9 am on Monday.",
]
INTERVIEW_ZH = [
    "近日，本报记者专访了烟台市市长张伟，就企业复工复产、稳就业等热点问题进行了深入交流。",
    "编辑：目前全市企业复工情况如何？",
    "张伟：截至2月25日，全市累计开复工规上工业企业1867家，开复工率达97.6%，重点项目复工率超过九成。",
    "编辑：企业复工面临哪些困难？",
    "张伟：主要是用工、原材料供应和物流运输三个方面。我们成立了工作专班，一企一策帮助企业解决问题。",
    "编辑：下一步有什么打算？",
    "张伟：我们将继续优化营商环境，推动企业尽快达产满产，确保全年经济目标任务顺利完成。",
]
TITLE_EN = "Transcript: the minister on the energy crisis"
TITLE_ZH = "专访市长：企业的困难就是政府的任务"


def _html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>\n{body}</article>"
        "<footer>Contact us</footer></body></html>"
    )


def _page(kind: str, title: str, paragraphs: list[str]) -> str:
    return _html(title, paragraphs) if kind == "html" else "\n\n".join([title, *paragraphs])


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize(
    ("title", "paragraphs"), [(TITLE_EN, INTERVIEW_EN), (TITLE_ZH, INTERVIEW_ZH)]
)
def test_an_interview_with_editor_labels_keeps_every_line(
    kind: str, title: str, paragraphs: list[str]
) -> None:
    art = newsclean.clean(_page(kind, title, paragraphs), kind=kind)
    assert art.text.split("\n\n") == paragraphs
    assert art.editor is None  # a question names no editor
    assert not any(b.reason == "editor-line" for b in art.removed)


HEADLINE_EN = "Thousands of companies back at work, city says"
HEADLINE_ZH = "全市企业复工率超过九成"


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize(
    ("a", "c", "credit", "editor"),
    [
        (A_ZH, C_ZH, "责任编辑：张三", "张三"),
        (A_ZH, C_ZH, "编辑：李四 王五", "李四 王五"),
        (A_ZH, C_ZH, "责任编辑：张三。", "张三"),
        (A_ZH, C_ZH, "（编辑：李四）", "李四"),
        (A_EN, C_EN, "Edited by Jane Smith", "Jane Smith"),
        (A_EN, C_EN, "Editor: Jane Smith", None),
        (A_EN, C_EN, "Editors: Jane Smith and John Doe.", None),
    ],
)
def test_a_credit_line_is_still_removed_and_names_the_editor(
    kind: str, a: str, c: str, credit: str, editor: str | None
) -> None:
    art = newsclean.clean(_page(kind, HEADLINE_EN, [a, c, credit]), kind=kind)
    assert art.text.split("\n\n") == [a, c]
    assert [b.reason for b in art.removed if b.text == credit] == ["editor-line"]
    if editor is not None:
        assert art.editor == editor


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        ("Is that enough?", True),
        ("目前全市企业复工情况如何？", True),
        ("谢谢您接受我们的采访。", True),
        ("in the mural belongs to the artist's estate.", True),
        ("Minister, bills are going up again. What do you say to families who cannot pay?", True),
        ("张三", False),
        ("张三。", False),
        ("李四 王五", False),
        ("李四、王五。", False),
        ("Jane Smith", False),
        ("Jane Smith.", False),
        ("Jane Smith and John Doe.", False),
        ("Jean de la Fontaine.", False),
        ("Getty Images", False),
        ("picture alliance / dpa", False),
    ],
)
def test_reads_as_sentence(value: str, sentence: bool) -> None:
    assert reads_as_sentence(value) is sentence


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("编辑：下一步有什么打算？", True),
        ("EDITOR: Is that enough?", True),
        ("责任编辑：张三", False),
        ("Editor: Jane Smith", False),
    ],
)
def test_the_predicate_and_check_agree(line: str, kept: bool) -> None:
    """``check`` asks the same predicate as ``clean``: a corpus of interviews
    keeps its questions."""
    lex = load_lexicon()
    feats = line_features(line, lex.stopwords.get("en") if line.isascii() else None)
    rule, _ = lex.match(line, feats.vlen, feats.dense)
    assert rule is not None and rule.reason == "editor-line"
    assert prefix_in_prose(rule, line, feats) is kept
    a, c = (A_EN, C_EN) if line.isascii() else (A_ZH, C_ZH)
    claimed = [f.reason for f in check_text(f"{a}\n\n{line}\n\n{c}").findings]
    assert ("editor-line" in claimed) is not kept


# --- "Copyright" / "©" before a sentence ---------------------------------------------
#
# A photo credit or a footer starts with "Copyright" or "©", then names or a year;
# the writer's sentence may start with the same word and goes on as a clause.

COPYRIGHT_SENTENCES = [
    "Copyright in the mural belongs to the artist's estate.",
    "Copyright lawyers say the family has a strong case.",
    "© is printed on every page…, the librarian joked.",
    "© is printed on every page of the catalogue, the librarian joked.",
]
COPYRIGHT_LINES = [
    "Copyright © 2024 Example News. All rights reserved.",
    "Copyright 2019 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "© 2024 Example News",
    "© Getty Images",
    "Copyright Getty Images",
    "© picture alliance / dpa",
    "(c) Example Media 2024",
    # a site's domain after ©, lower case (the last hostile test: kept as body
    # once the letter after © had to be a capital)
    "© theguardian.com 2023. Reproduction of this article without permission is prohibited.",
    "© spiegel.de GmbH & Co. KG, Hamburg. Vervielfältigung nur mit Genehmigung.",
]


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize("line", COPYRIGHT_SENTENCES)
def test_a_sentence_starting_with_copyright_is_the_writers(kind: str, line: str) -> None:
    art = newsclean.clean(_page(kind, HEADLINE_EN, [A_EN, line, C_EN]), kind=kind)
    assert art.text.split("\n\n") == [A_EN, line, C_EN]


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize("line", COPYRIGHT_LINES)
def test_a_copyright_footer_or_credit_is_still_removed(kind: str, line: str) -> None:
    for paragraphs in ([A_EN, C_EN, line], [A_EN, line, C_EN]):
        art = newsclean.clean(_page(kind, HEADLINE_EN, paragraphs), kind=kind)
        assert art.text.split("\n\n") == [A_EN, C_EN]
        assert [b.reason for b in art.removed if b.text == line] == ["copyright"]


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_chinese_copyright_footer_is_still_removed(kind: str) -> None:
    line = "版权所有 © 2024 某某网 保留所有权利。"
    art = newsclean.clean(_page(kind, HEADLINE_ZH, [A_ZH, C_ZH, line]), kind=kind)
    assert art.text.split("\n\n") == [A_ZH, C_ZH]
