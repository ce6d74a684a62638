"""Date, author and decoding on vendored pages of the Chinese development set
(fixtures/meta/zh, see fixtures/meta/README): the failure classes issue 12
listed, each on a real page, in both modes where the evidence is in the text."""

from __future__ import annotations

import gzip
import json

from newsclean.decode import decode_bytes
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
