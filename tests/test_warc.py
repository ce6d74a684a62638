"""WARC input under hostile conditions: every file and every record gets a manifest line.

The archives are written with warcio (real records, real gzip members) and
then damaged the way crawls get damaged: cut mid-record, garbage between
records, a response without HTTP headers, a short payload.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main
from newsclean.errors import MissingExtraError
from newsclean.io import discover, read_documents

pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def _page(i: int) -> bytes:
    body = "".join(
        f"<p>Paragraph {j} of story {i}: the council met on Tuesday to discuss the harbour "
        f"budget, and {i * 7 + j} residents came to speak about the plans.</p>"
        for j in range(4)
    )
    return f"<html><head><title>Story {i}</title></head><body>{body}</body></html>".encode()


def _record(i: int, gz: bool, *, http_length: int | None = None, ctype: str = "text/html") -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    body = _page(i)
    fields = [("Content-Type", ctype)]
    if http_length is not None:
        fields.append(("Content-Length", str(http_length)))
    headers = StatusAndHeaders("200 OK", fields, protocol="HTTP/1.1")
    rec = w.create_warc_record(
        f"https://news.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
    )
    w.write_record(rec)
    return buf.getvalue()


def _docs(path: Path) -> list[Any]:
    (src,) = discover([path])
    return list(read_documents(src))


def _outcome(docs: list[Any]) -> list[tuple[int | None, str]]:
    return [(d.record, d.error.reason if d.error else "ok") for d in docs]


def test_a_file_that_is_not_warc_at_all_gets_one_error(tmp_path: Path) -> None:
    (tmp_path / "x.warc").write_text("just some plain text\nthat someone named .warc\n")
    (d,) = _docs(tmp_path / "x.warc")
    assert d.key == "x.warc" and d.error is not None
    assert d.error.reason == "not-warc"
    assert "x.warc" in str(d.error)


def test_lines_of_text_named_warc_are_one_not_warc_error_and_print_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # warcio read each few lines as a record: one no-http-headers error per
    # record, and its "Record not followed by newline" warning on stderr.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.warc").write_text("hello this is not a warc file at all\n" * 5)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "-o", str(out), "-q", "-j", "1"]) == 1
    (line,) = (json.loads(x) for x in (out / "manifest.jsonl").read_text("utf-8").splitlines())
    assert (line["path"], line["status"], line["reason"]) == (
        str(tmp_path / "in" / "x.warc"),
        "error",
        "not-warc",
    )
    assert capfd.readouterr() == ("", "")


def test_a_gzipped_file_that_is_not_warc_is_not_warc_rather_than_truncated(
    tmp_path: Path,
) -> None:
    # A real gzip stream of plain text: it was reported as a record cut short.
    (tmp_path / "y.warc.gz").write_bytes(gzip.compress(b"plain text\nthat was gzipped\n"))
    (d,) = _docs(tmp_path / "y.warc.gz")
    assert d.error is not None and d.error.reason == "not-warc"
    # A real gzipped WARC cut inside its first record is still truncated.
    whole = _record(1, True)
    (tmp_path / "cut.warc.gz").write_bytes(whole[: len(whole) // 2])
    (d,) = _docs(tmp_path / "cut.warc.gz")
    assert d.error is not None and d.error.reason == "truncated"


@pytest.mark.parametrize("gz", [False, True])
def test_a_file_cut_mid_record_keeps_the_whole_records_and_flags_the_cut_one(
    tmp_path: Path, gz: bool
) -> None:
    first, second = _record(1, gz), _record(2, gz)
    name = "cut.warc.gz" if gz else "cut.warc"
    (tmp_path / name).write_bytes(first + second[: len(second) * 2 // 3])
    docs = _docs(tmp_path / name)
    assert _outcome(docs) == [(1, "ok"), (2, "truncated")]
    assert isinstance(docs[0].raw, bytes) and b"story 1" in docs[0].raw
    assert docs[1].url == "https://news.example/2"


def test_a_payload_shorter_than_its_http_content_length_is_truncated(tmp_path: Path) -> None:
    full = len(_page(3))
    (tmp_path / "short.warc").write_bytes(_record(3, False, http_length=full + 5000))
    (d,) = _docs(tmp_path / "short.warc")
    assert d.error is not None and d.error.reason == "truncated"
    assert "5000 bytes short" in d.error.detail


def test_a_warc_truncated_header_is_truncated(tmp_path: Path) -> None:
    data = _record(4, False).replace(
        b"WARC-Type: response\r\n", b"WARC-Type: response\r\nWARC-Truncated: length\r\n"
    )
    (tmp_path / "t.warc").write_bytes(data)
    (d,) = _docs(tmp_path / "t.warc")
    assert d.error is not None and d.error.reason == "truncated"
    assert "WARC-Truncated: length" in d.error.detail


@pytest.mark.parametrize("gz", [False, True])
def test_an_unparseable_record_is_an_error_and_reading_resumes_after_it(
    tmp_path: Path, gz: bool
) -> None:
    junk = b"GARBAGE that is no WARC header\r\nat all\r\n\r\n"
    if gz:
        junk = gzip.compress(junk)
    name = "mid.warc.gz" if gz else "mid.warc"
    (tmp_path / name).write_bytes(_record(1, gz) + junk + _record(2, gz) + _record(3, gz))
    docs = _docs(tmp_path / name)
    assert _outcome(docs) == [(1, "ok"), (2, "malformed-warc"), (3, "ok"), (4, "ok")]
    assert [d.url for d in docs if d.error is None] == [
        f"https://news.example/{i}" for i in (1, 2, 3)
    ]
    assert len({d.key for d in docs}) == 4


def test_warcios_warning_about_a_short_content_length_is_not_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    first = _record(1, False)
    block = first.index(b"\r\n\r\n") + 4  # after the WARC headers
    length = len(first) - 4 - block  # the block, without the two closing CRLFs
    short = first.replace(
        b"Content-Length: %d\r\n" % length, b"Content-Length: %d\r\n" % (length - 7)
    )
    assert short != first
    (tmp_path / "cl.warc").write_bytes(short + _record(2, False))
    docs = _docs(tmp_path / "cl.warc")
    assert [d.url for d in docs] == ["https://news.example/1", "https://news.example/2"]
    # warcio wrote "WARNING: Record not followed by newline" to stderr, past -q.
    assert capfd.readouterr().err == ""


def test_a_response_record_without_http_headers_is_an_error(tmp_path: Path) -> None:
    block = _page(5)
    bare = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:0000-bare>\r\n"
        b"WARC-Target-URI: https://news.example/bare\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % len(block) + block + b"\r\n\r\n"
    )
    (tmp_path / "bare.warc").write_bytes(bare + _record(6, False))
    docs = _docs(tmp_path / "bare.warc")
    assert _outcome(docs) == [(1, "no-http-headers"), (2, "ok")]
    assert docs[0].url == "https://news.example/bare"


def test_a_warc_without_any_html_page_is_not_silent(tmp_path: Path) -> None:
    (tmp_path / "img.warc").write_bytes(_record(7, False, ctype="image/png"))
    (d,) = _docs(tmp_path / "img.warc")
    assert d.error is not None and d.error.reason == "no-documents"
    assert "1 records" in d.error.detail


def test_run_lists_every_record_and_file_in_the_manifest(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.warc.gz").write_bytes(_record(1, True) + _record(2, True))
    whole = _record(3, False)
    (src / "cut.warc").write_bytes(_record(4, False) + whole[: len(whole) // 2])
    (src / "plain.warc").write_text("not a warc\n")
    code = main(["run", str(src), "-o", str(tmp_path / "out"), "-q", "-j", "1"])
    lines = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    got = {(Path(rec["path"]).name, rec["status"], rec.get("reason")) for rec in lines}
    assert code == 1
    assert ("plain.warc", "error", "not-warc") in got
    assert ("cut.warc:2", "error", "truncated") in got
    assert {n for n, s, _ in got if s == "ok"} >= {"good.warc.gz:1", "good.warc.gz:2", "cut.warc:1"}
    assert len(lines) == 5


def test_missing_warcio_is_one_upfront_error_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"c{i}.warc").write_bytes(_record(i, False) + _record(i + 10, False))
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)  # import fails
    with pytest.raises(MissingExtraError, match=r"pip install 'newsclean\[warc\]'"):
        _docs(src / "c0.warc")
    code = main(["run", str(src), "-o", str(tmp_path / "out"), "-q", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("pip install 'newsclean[warc]'") == 1
    assert "Traceback" not in err
