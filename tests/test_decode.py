"""decode_bytes: encodings built in the test, binary and oversized input refused."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from newsclean import Config, InputError
from newsclean.decode import decode_bytes

# Long enough for a detector to be sure; short strings of CJK are ambiguous.
ZH = (
    "烟台累计开复工规上工业企业1867家，开复工率达97.6%。"
    "连日来，烟台各个领域的工业企业陆续复工复产，为抗“疫”和保持经济平稳运行不懈努力。"
    "在推动企业安全有序复工复产的同时，烟台先后印发了《烟台市工业企业复工指南》等文件。\n"
)
ZH_TW = (
    "經濟日報記者報導，臺灣企業陸續復工復產，今年第一季出口成長百分之五。"
    "政府表示將持續協助中小企業度過難關，並加強防疫物資的調度與管理。\n"
)
JA = (
    "東京都は二十六日、新型コロナウイルスの感染拡大を受けて、"
    "企業に対してテレワークの推進と時差出勤を要請した。\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "expected_codec"),
    [
        (ZH, "utf-8", "utf-8"),
        (ZH, "gbk", "gb18030"),
        (ZH, "gb18030", "gb18030"),
        (ZH_TW, "big5", "big5hkscs"),
        (JA, "shift_jis", "cp932"),
    ],
)
def test_detects_encoding_without_declaration(
    text: str, encoding: str, expected_codec: str
) -> None:
    got = decode_bytes((text * 3).encode(encoding))
    assert got.text == text * 3
    assert got.encoding == expected_codec


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    ],
)
def test_bom_wins_and_is_stripped(bom: bytes, codec: str, name: str) -> None:
    got = decode_bytes(bom + ZH.encode(codec))
    assert got.text == ZH
    assert got.encoding == name


def test_declared_gb2312_but_really_utf8() -> None:
    page = f'<html><head><meta charset="gb2312"></head><body><p>{ZH}</p></body></html>'
    got = decode_bytes(page.encode("utf-8"))
    assert got.text == page
    assert got.encoding == "utf-8"


def test_meta_charset_is_used_and_upgraded_to_superset() -> None:
    # "镕" is outside GB2312 but inside GBK/GB18030: the label gb2312 must not lose it.
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">朱镕基{ZH}'
    got = decode_bytes(page.encode("gb18030"))
    assert got.text == page
    assert got.encoding == "gb18030"


def test_declared_header_charset_for_short_text() -> None:
    short = "企業復工"  # too short to guess: the header decides
    assert decode_bytes(short.encode("big5"), declared="big5").text == short
    assert decode_bytes(short.encode("gbk"), declared="GBK").text == short
    header = 'text/html; charset="Big5"'
    assert decode_bytes(short.encode("big5"), declared=header).text == short


def test_wrong_declared_charset_is_not_believed() -> None:
    got = decode_bytes((ZH * 3).encode("gbk"), declared="shift_jis")
    assert got.text == ZH * 3


def test_truncated_utf8_tail_is_dropped() -> None:
    data = ZH.encode("utf-8") + "企".encode()[:2]
    got = decode_bytes(data)
    assert got.encoding == "utf-8"
    assert got.text == ZH


def test_latin1_page() -> None:
    text = "Café crème brûlée, déjà vu à la française; naïve façade. " * 5
    got = decode_bytes(text.encode("latin-1"), declared="iso-8859-1")
    assert got.text == text
    assert got.encoding == "cp1252"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"JFIF" * 10, "JPEG"),
        (b"GIF89a" + b"\x01" * 20, "GIF"),
        (gzip.compress(ZH.encode()), "gzip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        # NUL bytes that do not read as UTF-16 (a NUL unit is no text)
        (b"ab\x00\x00" * 40, "NUL"),
        (bytes(range(256)) * 4, "control bytes"),  # random-like data, no magic
        (bytes(range(1, 32)) * 10, "control"),
    ],
)
def test_binary_is_refused_with_reason(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, path="in/page.bin")
    assert info.value.reason == "binary"
    assert words in str(info.value)
    assert "in/page.bin" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "hello world, good morning",
        # no ASCII, few NUL bytes: refused as 21 control bytes, or as undecodable
        "记者从市住房和城乡建设局获悉，我市首套住房购房补贴于本周一起开始受理申请，"
        "符合条件的家庭最高可获得５万元补贴，预计将有上万户家庭受益。",
        "Москва — столица России, город федерального значения и административный центр.",
        "日本語のテキストです。東京の天気は晴れ、気温は二十度でした。" * 2,
    ],
)
@pytest.mark.parametrize(("codec", "order"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")])
def test_utf16_without_a_bom_is_refused_naming_the_byte_order_and_the_fix(
    text: str, codec: str, order: str
) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(text.encode(codec), path="in/page.txt")
    assert info.value.reason == "undecodable"
    message = str(info.value)
    assert "in/page.txt" in message
    assert f"{order} text without a byte-order mark" in message
    assert f"iconv -f {order} -t UTF-8" in message
    # with its BOM the same text is read
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le")).text == text


def test_empty_and_too_large() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"", path="x.txt")
    assert info.value.reason == "empty"
    assert "x.txt" in str(info.value)
    with pytest.raises(InputError) as info:
        decode_bytes(b"a" * 101, path="big.txt", config=Config(max_input_bytes=100))
    assert info.value.reason == "too-large"
    assert "max_input_bytes" in str(info.value)
    assert decode_bytes(b"a" * 100, config=Config(max_input_bytes=100)).text == "a" * 100


def test_undecodable() -> None:
    # Valid in no common charset and too short to guess: every byte is a lone lead byte.
    with pytest.raises(InputError) as info:
        decode_bytes(b"\x81\xfe\x81\xfe\xff\x81", path="odd.txt")
    assert info.value.reason == "undecodable"


def test_ascii_is_utf8() -> None:
    assert decode_bytes(b"plain text\r\n") == decode_bytes(b"plain text\r\n")
    assert decode_bytes(b"plain text\r\n").encoding == "utf-8"


def test_declared_utf8_but_really_gbk() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{ZH * 3}</p></body></html>'
    got = decode_bytes(page.encode("gbk"))
    assert got.text == page
    assert got.encoding == "gb18030"


def test_xml_declaration_is_read() -> None:
    page = f'<?xml version="1.0" encoding="Big5"?><rss><item>{ZH_TW[:8]}</item></rss>'
    assert decode_bytes(page.encode("big5")).text == page


# A newswire story as it comes off an IPTC 7901 / ANPA feed: SOH, STX, ETX,
# EOT and SYN framing codes around ordinary text (16 control bytes in all).
WIRE = (
    b"\x01\x16\x16ZCZC\x02BC-Harbour-Storm 0412\r\n"
    + b"HAMBURG (Reuters) - The port reopened on Tuesday after a storm closed the "
    b"container terminals for two days, the harbour authority said.\r\n"
    * 8
    + b"\x03\x04\x1e\x1f\x01\x16\x03\x04\x1e\x1f\x03\x04"
)


def test_a_handful_of_control_bytes_is_text_and_the_controls_are_stripped() -> None:
    assert len([b for b in WIRE if b < 0x20 and b not in b"\t\r\n"]) == 16
    got = decode_bytes(WIRE)
    assert got.text.startswith("ZCZCBC-Harbour-Storm 0412\r\nHAMBURG (Reuters) - The port")
    assert not any(ch < " " and ch not in "\t\r\n" for ch in got.text)
    assert got.text.count("the harbour authority said.") == 8


def test_vertical_tab_and_form_feed_break_lines() -> None:
    assert decode_bytes(b"page one\x0cpage two\x0bend\x7f").text == "page one\npage two\nend"


def test_control_bytes_in_a_large_share_are_binary() -> None:
    noise = bytes(b % 32 for b in range(4000))  # every byte a control or whitespace
    with pytest.raises(InputError) as info:
        decode_bytes(b"Some text first. " + noise)
    assert info.value.reason == "binary"


GBK_PAGE = (
    "<html><head><meta charset={label}><title>烟台复工</title></head><body>"
    "<p>烟台累计开复工规上工业企业1867家，开复工率达97.6%。</p></body></html>"
)


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252"])
def test_declared_single_byte_charset_that_is_really_gbk(label: str) -> None:
    page = GBK_PAGE.format(label=label)
    data = page.encode("gbk")
    data.decode("cp1252")  # the wrong label decodes without an error: mojibake, not a failure
    got = decode_bytes(data)
    assert got.text == page
    assert got.encoding == "gb18030"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        ("<meta charset=windows-1251><p>Москва — столица России, крупнейший город.</p>",
         "cp1251", "cp1251"),
        ("<meta charset=iso-8859-7><p>Η Ελλάδα είναι χώρα της νοτιοανατολικής Ευρώπης.</p>",
         "iso8859-7", "iso8859-7"),
        ("<meta charset=iso-8859-1><p>Größe, Straße, über: naïve café façade.</p>",
         "cp1252", "cp1252"),
    ],
)  # fmt: skip
def test_a_plausible_single_byte_label_is_believed(text: str, codec: str, expected: str) -> None:
    got = decode_bytes(text.encode(codec))
    assert got.text == text
    assert got.encoding == expected


@pytest.mark.parametrize("text", ["naïve", "A naïve café", "Il était une fois un garçon naïf."])
def test_short_unlabelled_cp1252_is_not_read_as_baltic(text: str) -> None:
    got = decode_bytes(text.encode("cp1252"))
    assert got.text == text
    assert got.encoding == "cp1252"


_ZH = "新华社北京电 记者从国家统计局获悉，今年前三季度全国规模以上工业增加值同比增长，经济运行总体平稳。"


def test_gbk_with_a_corrupt_byte_pair_is_not_read_as_a_single_byte_charset() -> None:
    # charset-normalizer only guesses codecs that decode every byte; one broken
    # GBK pair (a lead byte before ".") left it with a Cyrillic charset or nothing.
    page = "<html><head><title>新闻</title></head><body>" + "<p>" + _ZH + "</p>" * 8
    data = page.encode("gbk")
    i = data.index("经济".encode("gbk"))
    data = data[:i] + b"\xc7." + data[i:]
    got = decode_bytes(data)
    assert got.encoding == "gb18030"
    assert _ZH[:20] in got.text and got.text.count("\ufffd") == 1


def test_real_cyrillic_text_is_not_read_as_gbk() -> None:
    text = "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 5
    got = decode_bytes(text.encode("cp1251"))
    assert got.encoding == "cp1251" and got.text == text


def test_unicode_line_separators_split_lines_in_clean_as_in_normalize() -> None:
    # Text scraped from JSON or JavaScript carries U+2028/U+2029 where the
    # writer broke the line; normalize() splits there, so clean() must too.
    import newsclean

    first = "The city council voted on Tuesday to expand the bus network, adding four routes."
    second = "Officials said the plan would cost about $42 million over five years."
    for sep in ("\u2028", "\u2029"):
        text = f"{first}{sep}{second}\n"
        assert newsclean.normalize(text).split("\n") == [first, second]
        assert newsclean.clean(text, kind="text").text == f"{first}\n\n{second}"
        raw = text.encode("utf-8")
        assert newsclean.clean(raw, kind="text").text == f"{first}\n\n{second}"


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        # real Japanese with half-width katakana, as old mobile sites wrote it
        (
            "ｻｯｶｰ日本代表、W杯出場決定。ｱｼﾞｱ最終予選でｵｰｽﾄﾗﾘｱに勝利し、7大会連続の出場を決めた。",
            "shift_jis",
        ),
        ("スポーツニュース", "euc_jp"),  # its long-vowel mark is a GB18030 bracket
        ("ห้อง๕ชั้น๓", "cp874"),  # Thai writes its digits inside words
    ],
)
def test_short_japanese_and_thai_decode_to_themselves(text: str, charset: str) -> None:
    # A hostile test of a rule that read short ambiguous bytes as Chinese: each
    # of these came out as GB18030 or Korean garbage.
    assert decode_bytes(text.encode(charset)).text == text


def test_an_encoding_guessed_among_tied_readings_is_flagged() -> None:
    # Too short for charset-normalizer's language scores: Shift_JIS, GBK and
    # EUC-KR readings of these bytes score the same.
    got = decode_bytes("我们的城市 , 你好 。".encode("gbk"))
    assert got.alternatives and got.encoding not in got.alternatives
    assert decode_bytes((ZH * 3).encode("gbk")).alternatives == ()
    assert decode_bytes("我们的城市".encode()).alternatives == ()


def test_a_tie_naming_a_subset_of_the_chosen_charset_is_no_alternative() -> None:
    # charset-normalizer names such a page gb2312, a tie of the gb18030 reading,
    # and reads its "——" as U+2015: the page was flagged as read in gb18030
    # "as well as gb18030" (7 of the 69 Chinese benchmark pages), and check
    # refused to fix it.
    text = ZH * 2 + "美军F—15E战斗机——据报道。" + ZH
    got = decode_bytes(text.encode("gb18030"))
    assert (got.text, got.encoding, got.alternatives) == (text, "gb18030", ())


def test_check_fix_never_rewrites_a_file_whose_encoding_is_a_tie(tmp_path: Path) -> None:
    # It had rewritten a short GBK file in its half-width katakana misreading.
    from newsclean.cli import main

    page = tmp_path / "b.txt"
    raw = "我们的城市 , 你好 。\n".encode("gbk")
    page.write_bytes(raw)
    assert main(["check", "--fix", str(tmp_path)]) == 1
    assert page.read_bytes() == raw
