"""An input whose charset was a guess among ties is flagged, by every entry point alike.

A few GBK characters read as well in Shift_JIS and EUC-KR: the text is the
likeliest reading, and the Article says that it is a guess (the flag
``ambiguous-encoding`` and :class:`~newsclean.article.EncodingDoubt`), from
the API, ``clean``, ``show``, ``run``'s manifest and report, and ``dedup``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean import clean
from newsclean.article import Article
from newsclean.cli import main
from newsclean.decode import decode_bytes
from newsclean.explain import explain
from newsclean.io.journal import article_from_json, article_to_json

# Too short for charset-normalizer's language scores: its Shift_JIS, GBK and
# EUC-KR readings score the same (tests/test_decode.py).
AMBIGUOUS = "我们的城市 , 你好 。".encode("gbk")
ZH = (
    "烟台累计开复工规上工业企业1867家，开复工率达97.6%。"
    "连日来，烟台各个领域的工业企业陆续复工复产，为抗“疫”和保持经济平稳运行不懈努力。"
    "在推动企业安全有序复工复产的同时，烟台先后印发了《烟台市工业企业复工指南》等文件。\n"
)
SURE = {
    "utf8": ZH.encode(),
    "long-gbk": (ZH * 3).encode("gbk"),
    # charset-normalizer ties it with gb2312, which reads its dashes otherwise
    "gbk-dashes": (ZH * 2 + "美军F—15E战斗机——据报道。" + ZH).encode("gbk"),
}


def _expected_doubt() -> dict[str, object]:
    """The doubt about AMBIGUOUS as the record writes it: what decode_bytes found."""
    decoded = decode_bytes(AMBIGUOUS)
    assert decoded.alternatives, "the example must stay a tie"
    return {"chosen": decoded.encoding, "alternatives": list(decoded.alternatives)}


def test_the_api_flags_bytes_whose_charset_was_a_tie() -> None:
    doubt = _expected_doubt()
    art = clean(AMBIGUOUS)
    assert "ambiguous-encoding" in art.flags
    assert art.encoding_doubt is not None and art.encoding_doubt.to_json() == doubt
    nc = art.to_record()["metadata"]["newsclean"]
    assert "ambiguous-encoding" in nc["flags"]
    assert nc["encoding_doubt"] == doubt
    # explain() is the pipeline clean() runs: the same article, so show says it too
    assert explain(AMBIGUOUS).article == art
    # bytes a caller decoded already (a declared charset) keep their doubt
    assert clean(decode_bytes(AMBIGUOUS)) == art
    assert clean(bytearray(AMBIGUOUS)) == art


def test_only_the_metadata_gains_the_doubt() -> None:
    # the text is the likeliest reading, as before: byte for byte what its str gives
    art = clean(AMBIGUOUS)
    same = clean(decode_bytes(AMBIGUOUS).text)
    assert (art.text, art.removed) == (same.text, same.removed)
    assert same.encoding_doubt is None and "ambiguous-encoding" not in same.flags


@pytest.mark.parametrize("name", sorted(SURE))
def test_a_sure_charset_is_not_flagged(name: str) -> None:
    art = clean(SURE[name])
    assert art.text and "ambiguous-encoding" not in art.flags
    assert art.encoding_doubt is None
    assert art.to_record()["metadata"]["newsclean"]["encoding_doubt"] is None


def test_the_resume_journal_keeps_the_doubt() -> None:
    # a resumed run rebuilds the article from its journal line
    art = clean(AMBIGUOUS)
    back = article_from_json(json.loads(json.dumps(article_to_json(art))))
    assert back == art and back.encoding_doubt == art.encoding_doubt
    # a journal line written before the field existed still reads
    old = article_to_json(Article("x"))
    del old["encoding_doubt"]
    assert article_from_json(old).encoding_doubt is None


def test_clean_json_records_the_doubt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "amb.txt").write_bytes(AMBIGUOUS)
    (tmp_path / "sure.txt").write_bytes(SURE["long-gbk"])
    main(["clean", "--format", "json", str(tmp_path / "amb.txt"), str(tmp_path / "sure.txt")])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    doubt = _expected_doubt()
    amb, sure = (r["metadata"]["newsclean"] for r in records)
    assert "ambiguous-encoding" in amb["flags"]
    assert amb["encoding_doubt"] == doubt
    assert "ambiguous-encoding" not in sure["flags"] and sure["encoding_doubt"] is None


def test_show_json_flags_the_doubt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "amb.txt").write_bytes(AMBIGUOUS)
    main(["show", "--format", "json", str(tmp_path / "amb.txt")])
    assert "ambiguous-encoding" in json.loads(capsys.readouterr().out)["flags"]


def _corpus(src: Path) -> None:
    src.mkdir()
    (src / "amb.txt").write_bytes(AMBIGUOUS)
    for name, data in SURE.items():
        (src / f"{name}.txt").write_bytes(data)


def test_run_manifest_and_report_record_the_doubt(tmp_path: Path) -> None:
    from newsclean.batch import RunOptions, run_batch

    src, out = tmp_path / "in", tmp_path / "out"
    _corpus(src)
    opts = RunOptions(workers=1, progress=False)
    summary = run_batch([str(src)], out, options=opts)
    manifest = (out / "manifest.jsonl").read_bytes()
    lines = {Path(r["path"]).name: r for r in map(json.loads, manifest.splitlines())}
    assert lines["amb.txt"]["encoding_doubt"] == _expected_doubt()
    assert lines["utf8.txt"]["encoding_doubt"] is None
    assert lines["long-gbk.txt"]["encoding_doubt"] is None
    # counted where the run's numbers are, and listed in the report
    assert summary.ambiguous == 1
    assert any("charset guessed among ties" in line for line in summary.lines())
    report = (out / "report.html").read_text("utf-8")
    section = report[report.index('<h2 id="ambiguous">') :]
    assert "amb.txt" in section and "long-gbk.txt" not in section
    # a resumed run reads the doubt back from its journal: the same manifest
    again = run_batch([str(src)], out, options=opts)
    assert again.resumed == len(SURE) + 1 and (out / "manifest.jsonl").read_bytes() == manifest
    # run's outputs are UTF-8: nothing for check to find in them
    assert main(["check", str(out)]) == 0


def test_dedup_json_records_the_doubt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # dedup reads text without cleaning it, and records the doubt as clean() does
    _corpus(tmp_path / "in")
    main(["dedup", "--format", "json", str(tmp_path / "in")])
    records = {
        Path(r["metadata"]["source_path"]).name: r["metadata"]["newsclean"]
        for r in map(json.loads, capsys.readouterr().out.splitlines())
    }
    assert "ambiguous-encoding" in records["amb.txt"]["flags"]
    assert records["amb.txt"]["encoding_doubt"] == _expected_doubt()
    assert records["utf8.txt"]["encoding_doubt"] is None


@pytest.mark.parametrize("verb", ["clean", "show"])
def test_clean_and_show_warn_on_stderr(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the plain-text output has no field for the doubt: stderr says it, the exit code stays
    _corpus(tmp_path / "in")
    # show takes one FILE or folder; clean prints several files, but a folder needs -o
    paths = sorted(str(p) for p in (tmp_path / "in").iterdir())
    main([verb, *paths] if verb == "clean" else [verb, str(tmp_path / "in")])
    err = capsys.readouterr().err
    doubt = _expected_doubt()
    assert f"amb.txt: ambiguous-encoding: its bytes read as {doubt['chosen']}" in err
    assert err.count("ambiguous-encoding") == 1
    sure = str(tmp_path / "in" / "utf8.txt")
    assert main([verb, sure]) == 0 and "ambiguous" not in capsys.readouterr().err


def _jsonl(texts: list[str], charset: str) -> bytes:
    lines = (
        json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)
    )
    return "".join(f"{line}\n" for line in lines).encode(charset)


def test_records_read_in_a_guessed_charset_carry_the_doubt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A GBK export whose first line is short: the file's lines are read in the
    # charset that line was guessed in, so each record carries the doubt.
    from newsclean.batch import RunOptions, run_batch

    src = tmp_path / "in"
    src.mkdir()
    (src / "amb.jsonl").write_bytes(_jsonl(["我们的城市 , 你好 。"], "gbk"))
    (src / "sure.jsonl").write_bytes(_jsonl([ZH], "utf-8"))
    run_batch([str(src)], tmp_path / "out", options=RunOptions(workers=1, progress=False))
    manifest = (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").splitlines()
    doubts = {Path(r["path"]).name: r["encoding_doubt"] for r in map(json.loads, manifest)}
    assert doubts == {"amb.jsonl:1": _expected_doubt(), "sure.jsonl:1": None}
    main(["clean", "--format", "json", str(src / "amb.jsonl"), str(src / "sure.jsonl")])
    records = [
        json.loads(line)["metadata"]["newsclean"] for line in capsys.readouterr().out.splitlines()
    ]
    assert [r["encoding_doubt"] for r in records] == [_expected_doubt(), None]
    assert "ambiguous-encoding" in records[0]["flags"]


def test_a_warc_page_its_header_misdeclares_carries_the_doubt(tmp_path: Path) -> None:
    # charset=utf-8 in the HTTP header, GBK in the body: the header's charset
    # does not decode it, and the guess is a tie
    pytest.importorskip("warcio")
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from newsclean.io import discover, read_documents

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i, body in enumerate([AMBIGUOUS, ZH.encode()]):
        page = b"<html><body><p>" + body + b"</p></body></html>"
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{i}",
                "response",
                payload=io.BytesIO(page),
                http_headers=headers,
            )
        )
    (tmp_path / "crawl.warc").write_bytes(buf.getvalue())
    (src,) = discover([tmp_path / "crawl.warc"])
    amb, sure = (clean(d.raw or b"", kind=d.kind) for d in read_documents(src))
    assert amb.encoding_doubt is not None
    assert amb.encoding_doubt.to_json() == _expected_doubt()
    assert sure.encoding_doubt is None
