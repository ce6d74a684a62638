"""Discovery, readers and atomic writes: the parts of a batch that touch the disk."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from newsclean.article import Article, Block
from newsclean.io import FieldNames, atomic_write, discover, read_documents
from newsclean.io.journal import article_from_json, article_to_json, load


def _tree(root: Path, files: dict[str, bytes | str]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def test_discover_is_sorted_recursive_and_skips_hidden_vcs_and_other_suffixes(
    tmp_path: Path,
) -> None:
    _tree(
        tmp_path,
        {
            "b.txt": "b",
            "a/z.html": "<p>z</p>",
            "a/y.jsonl.gz": b"",
            ".git/objects/x.txt": "x",
            ".hidden/h.txt": "h",
            "node_modules/m.txt": "m",
            "a/.dot.txt": "d",
            "a/image.png": b"\x89PNG",
        },
    )
    rels = [s.rel for s in discover([tmp_path])]
    assert rels == ["a/y.jsonl.gz", "a/z.html", "b.txt"]
    assert [s.group for s in discover([tmp_path])] == ["a", "a", "."]


def test_discover_include_exclude_and_explicit_files(tmp_path: Path) -> None:
    _tree(tmp_path, {"x/a.txt": "a", "x/b.txt": "b", "x/c.html": "c", "notes.md": "n"})
    assert [s.rel for s in discover([tmp_path], include=["*.txt"])] == ["x/a.txt", "x/b.txt"]
    assert [s.rel for s in discover([tmp_path], exclude=["x/b.*"])] == ["x/a.txt", "x/c.html"]
    # An explicit file is read whatever its suffix.
    assert [s.rel for s in discover([tmp_path / "notes.md"])] == ["notes.md"]


def test_discover_several_inputs_are_prefixed_and_name_clashes_refused(tmp_path: Path) -> None:
    _tree(tmp_path, {"one/a.txt": "a", "two/a.txt": "a", "three/one/b.txt": "b"})
    rels = [s.rel for s in discover([tmp_path / "one", tmp_path / "two"])]
    assert rels == ["one/a.txt", "two/a.txt"]
    with pytest.raises(ValueError, match="share a folder name"):
        discover([tmp_path / "one", tmp_path / "three" / "one"])
    with pytest.raises(ValueError, match="does not exist"):
        discover([tmp_path / "missing"])


def test_symlink_loops_are_kept_for_an_error_record_and_dir_links_not_followed(
    tmp_path: Path,
) -> None:
    _tree(tmp_path, {"d/a.txt": "a"})
    os.symlink("loop.txt", tmp_path / "loop.txt")  # points at itself
    os.symlink(tmp_path, tmp_path / "d" / "up")  # a folder loop: must not recurse
    srcs = discover([tmp_path])
    assert [s.rel for s in srcs] == ["d/a.txt", "loop.txt"]
    (doc,) = read_documents(srcs[1])
    assert doc.error is not None and doc.error.reason == "symlink-loop"


def test_plain_and_gzip_files_are_one_document_each(tmp_path: Path) -> None:
    _tree(tmp_path, {"p.txt": "正文", "q.html.gz": gzip.compress(b"<html>x</html>")})
    srcs = discover([tmp_path])
    (p,) = read_documents(srcs[0])
    (q,) = read_documents(srcs[1])
    # a .txt is sniffed when cleaned (it may hold the page itself)
    assert (p.id, p.kind, p.raw, p.record) == ("p", "auto", "正文".encode(), None)
    assert (q.id, q.kind, q.raw) == ("q", "html", b"<html>x</html>")
    assert q.sha256 == __import__("hashlib").sha256(b"<html>x</html>").hexdigest()


def test_jsonl_records_fields_and_a_malformed_line_with_its_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"doc_id": "A", "content": "text A", "meta": {"u": "https://a.example/1"}}),
        "",
        "{not json",
        json.dumps({"doc_id": "C", "page": "<html><p>c</p></html>"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"doc_id": "E"}),
    ]
    _tree(tmp_path, {"r.jsonl": "\n".join(lines) + "\n"})
    fields = FieldNames(text="content", html="page", id="doc_id", url="meta.u")
    docs = list(read_documents(discover([tmp_path])[0], fields))
    assert [d.record for d in docs] == [1, 3, 4, 5, 6]
    a, bad, c, arr, missing = docs
    assert (a.id, a.raw, a.kind, a.url, a.key) == (
        "A",
        "text A",
        "auto",  # sniffed when cleaned: a crawler's "text" may hold the raw page
        "https://a.example/1",
        "r.jsonl:1",
    )
    assert bad.error is not None and bad.error.reason == "malformed-json"
    assert "line 3" in bad.error.detail and bad.path.endswith("r.jsonl:3")
    assert (c.id, c.kind) == ("C", "html")
    assert arr.error is not None and arr.error.reason == "malformed-json"
    assert missing.error is not None and missing.error.reason == "missing-field"


def test_gbk_jsonl_and_json_files_are_read_record_by_record(tmp_path: Path) -> None:
    # Exports from older Chinese systems write GBK: decoded like any other
    # file, not one malformed-json error per record.
    recs = [
        {"id": "g1", "text": "记者从市统计局获悉，今年前三季度全市经济运行总体平稳。"},
        {"id": "g2", "text": "市政府召开常务会议，研究部署下一阶段的重点工作。"},
    ]
    gbk = b"".join(json.dumps(r, ensure_ascii=False).encode("gbk") + b"\n" for r in recs)
    (tmp_path / "a.jsonl").write_bytes(gbk + b"{not json\n")
    (tmp_path / "b.json").write_bytes(json.dumps(recs, ensure_ascii=False).encode("gbk"))
    a_src, b_src = discover([tmp_path])
    *good, bad = read_documents(a_src)
    assert [(d.id, d.raw, d.error) for d in good] == [(r["id"], r["text"], None) for r in recs]
    assert bad.error is not None and bad.error.reason == "malformed-json"
    assert [(d.id, d.raw) for d in read_documents(b_src)] == [(r["id"], r["text"]) for r in recs]


def test_a_non_string_record_id_is_its_json_text(tmp_path: Path) -> None:
    ids = [7, True, {"b": 2, "a": 1}, [1, "x"], 1.5, "plain"]
    lines = "".join(json.dumps({"id": i, "text": "A story."}) + "\n" for i in ids)
    (tmp_path / "a.jsonl").write_text(lines, "utf-8")
    (src,) = discover([tmp_path])
    got = [d.id for d in read_documents(src)]
    # as JSON writes them, so a reader of the output can match them back
    assert got == ["7", "true", '{"a":1,"b":2}', '[1,"x"]', "1.5", "plain"]


def test_json_object_and_list(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "one.json": json.dumps({"text": "t"}),
            "many.json": json.dumps([{"id": "x", "text": "1"}, {"text": "2"}]),
        },
    )
    srcs = {s.rel: s for s in discover([tmp_path])}
    (one,) = read_documents(srcs["one.json"])
    assert (one.id, one.record, one.raw) == ("one", None, "t")
    many = list(read_documents(srcs["many.json"]))
    assert [(d.id, d.record) for d in many] == [("x", 1), ("many:2", 2)]


def test_an_empty_container_is_one_error_document_not_none(tmp_path: Path) -> None:
    # Every input gets a manifest line: an empty JSONL (plain or gzip, or only
    # blank lines) or an empty JSON list used to yield nothing at all.
    _tree(tmp_path, {"a.jsonl": "", "b.jsonl": "\n\n", "c.json": "[]"})
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(b""))
    srcs = {s.rel: s for s in discover([tmp_path])}
    for rel in ("a.jsonl", "b.jsonl", "c.json", "d.jsonl.gz"):
        (doc,) = read_documents(srcs[rel])
        assert doc.error is not None and doc.error.reason == "no-documents", rel
        assert doc.rel == rel


def test_too_large_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    (doc,) = read_documents(discover([tmp_path])[0])
    assert doc.error is not None and doc.error.reason == "too-large"


def test_warc_response_records_with_html_only(tmp_path: Path) -> None:
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for url, ctype, body in [
        ("https://n.example/a", "text/html; charset=utf-8", b"<html><p>A</p></html>"),
        ("https://n.example/logo.png", "image/png", b"\x89PNG"),
    ]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        w.write_record(rec)
    (tmp_path / "c.warc.gz").write_bytes(buf.getvalue())
    docs = list(read_documents(discover([tmp_path])[0]))
    assert warcio is not None
    assert len(docs) == 1
    (d,) = docs
    assert (d.url, d.kind, d.raw, d.record) == (
        "https://n.example/a",
        "html",
        "<html><p>A</p></html>",  # decoded with the charset the HTTP header declared
        1,
    )
    assert d.id.startswith("urn:uuid:")


def test_warc_payload_decoded_with_the_http_charset(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    text = "<html><body><p>烟台累计开复工规上工业企业1867家，开复工率达97.6%。</p></body></html>"
    body = text.encode("gbk")  # no <meta charset>: only the header says GBK
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=GBK")], protocol="HTTP/1.1"
    )
    w.write_record(
        w.create_warc_record(
            "https://n.example/zh", "response", payload=io.BytesIO(body), http_headers=headers
        )
    )
    (tmp_path / "z.warc").write_bytes(buf.getvalue())
    (d,) = read_documents(discover([tmp_path])[0])
    assert d.error is None and d.raw == text


def test_atomic_write_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.txt"
    atomic_write(target, b"one")
    os.chmod(target, 0o600)
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert (target.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]  # no temp left behind


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_atomic_write_keeps_the_owner_of_the_file_it_replaces(tmp_path: Path) -> None:
    # check --fix run as root (a hook in a container) must not hand user files to root.
    target = tmp_path / "f.txt"
    target.write_bytes(b"one")
    os.chown(target, 4321, 4322)
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4322)


def test_journal_round_trip_and_torn_last_line(tmp_path: Path) -> None:
    art = Article(text="body", title="t", removed=(Block("ad", "injection", 3),), flags=("x",))
    assert article_from_json(json.loads(json.dumps(article_to_json(art)))) == art
    j = tmp_path / "journal.jsonl"
    good = json.dumps({"key": "k", "sha256": "s", "result": {"status": "ok"}}) + "\n"
    j.write_text(good + '{"key": "half', encoding="utf-8")
    assert load(j) == {"k": ("s", {"status": "ok"})}
    assert j.read_text(encoding="utf-8") == good  # truncated so appends start clean


def test_one_format_table_decides_reader_kind_compression_and_names() -> None:
    from newsclean.io.formats import (
        INPUT_SUFFIXES,
        format_of,
        is_container,
        is_html_file,
        is_input_name,
        strip_suffixes,
    )

    assert (format_of("a/B.HTML.GZ").reader, format_of("a/B.HTML.GZ").kind) == ("document", "html")
    assert format_of("a/B.HTML.GZ").gzip and not format_of("x.txt").gzip
    assert format_of("feed.jsonl.gz").reader == "jsonl" and is_container("feed.jsonl.gz")
    assert format_of("crawl.warc.gz").format.self_decompressing
    assert format_of("notes.md").kind == "auto" and not is_input_name("notes.md")
    assert is_html_file("p.htm") and not is_html_file("c.warc") and not is_html_file("x.txt")
    assert all(is_input_name("x" + s.upper()) for s in INPUT_SUFFIXES)
    assert strip_suffixes("d/a.json.jsonl.gz") == "d/a"
    assert strip_suffixes("d/b.html.txt") == "d/b" and strip_suffixes("c.md") == "c.md"


def test_an_unlistable_subfolder_is_a_source_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {"a.txt": "x", "locked/b.txt": "y", "ok/c.txt": "z"})
    from tests.helpers import deny_listing

    deny_listing(monkeypatch, "locked")
    found = discover([tmp_path])
    assert [(s.rel, s.error is not None) for s in found] == [
        ("a.txt", False),
        ("locked", True),
        ("ok/c.txt", False),
    ]
    (doc,) = read_documents(found[1])
    assert doc.error is not None and doc.error.reason == "unreadable"
    assert "Permission denied" in doc.error.detail
    with pytest.raises(ValueError, match="cannot be listed"):
        discover([tmp_path / "locked"])
