"""normalize_lines (the chrome detector's one-pass normalization of a page's
paragraphs) gives exactly what normalize_line gives line by line."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsclean import Config
from newsclean.normalize import normalize_line, normalize_lines

CJK = "复工企业记者苑菲菲烟台防控不松加快のカ"
LATIN = "abcXYZ éÃâ©€™"
PUNCT = ",.!?:;()[]&#%@/-'\"“”…，。！？：；（）、《》"
JUNK = "\x00\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff"
SPACE = " \t\r\u00a0\u3000\u2002\u2028\u2029"
PIECES = ["http://a.cn/x?a=1,b", "14:51", "1,867", "&amp;", "&amp;amp;", "&nbsp;", "Ã©", "â€œ"]

chars = st.sampled_from(list(CJK + LATIN + "0123456789" + PUNCT + JUNK + SPACE) + PIECES)
lines = st.lists(st.lists(chars, max_size=30).map("".join), max_size=8)
configs = st.builds(
    Config,
    punctuation=st.sampled_from(["fullwidth", "keep", "halfwidth"]),
    fix_mojibake=st.booleans(),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, configs)
@example(["Ã\u200b©", "企业 , 复工 。"], Config())
@example(["  a  ", "", "\u200dx", "复 工 复 产", "&amp;amp;lt;"], Config(punctuation="halfwidth"))
@example(["line with\na break", "x"], Config())
def test_normalize_lines_equals_normalize_line(paras: list[str], cfg: Config) -> None:
    assert normalize_lines(paras, cfg) == [normalize_line(p, cfg) for p in paras]
