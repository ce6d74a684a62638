"""Hostile inputs the issue-11 audit found beyond its list: special files in
input folders, names and ids that are not UTF-8 on every verb's output.

Each case runs the real CLI (``main``) on real files: a real FIFO, real
non-UTF-8 file names, JSONL records with lone surrogates as JSON escapes them.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main
from newsclean.io import discover, read_documents
from tests.test_dedup import english_bodies


@contextlib.contextmanager
def fifo_watch(fifo: Path) -> Iterator[list[bool]]:
    """Report whether anyone opened ``fifo`` for reading, and unblock them if so.

    A reader blocks in ``open`` until a writer comes; this thread is that
    writer (it closes at once, so the reader sees an empty file), which turns
    a hang into a failing assertion.
    """
    opened = [False]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:  # ENXIO: no reader yet
                if exc.errno != errno.ENXIO:
                    return
                time.sleep(0.02)
                continue
            opened[0] = True
            os.close(fd)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    try:
        yield opened
    finally:
        done.set()
        t.join(5)


@pytest.fixture
def special(tmp_path: Path) -> Path:
    """A folder with a story, a FIFO named like an input and a link to a device."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(english_bodies(1)[0], encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.html").symlink_to("/dev/zero")
    (folder / "other.sock").symlink_to("/dev/null")  # not an input suffix: not listed
    return folder


def test_special_files_in_a_folder_are_sources_with_a_reason_never_opened(special: Path) -> None:
    found = {s.rel: s.error for s in discover([special])}
    assert found["a.txt"] is None
    assert found["pipe.txt"] == "not a regular file (a FIFO): not read"
    assert found["zero.html"] == "not a regular file (a device): not read"
    assert "other.sock" not in found
    with fifo_watch(special / "pipe.txt") as opened:
        (src,) = [s for s in discover([special]) if s.rel == "pipe.txt"]
        (doc,) = read_documents(src)
    assert not opened[0]
    assert doc.error is not None and doc.error.reason == "unreadable"


@pytest.mark.parametrize(
    "verb", [["run", "-q", "-j", "1", "-o"], ["check"], ["dedup"], ["clean", "-q", "-j", "1", "-o"]]
)
def test_every_verb_lists_a_fifo_and_a_device_and_goes_on(
    special: Path, tmp_path: Path, capsys: Any, verb: list[str]
) -> None:
    args = [*verb, str(tmp_path / "out")] if verb[-1] == "-o" else verb
    with fifo_watch(special / "pipe.txt") as opened:
        code = main([*args[:1], str(special), *args[1:]])
    out, err = capsys.readouterr()
    assert not opened[0], "the FIFO was opened"
    assert code == 1
    assert "Traceback" not in err
    if verb[-1] == "-o":
        lines = (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").splitlines()
        got = {Path(r["path"]).name: (r["status"], r["reason"]) for r in map(json.loads, lines)}
        assert got["pipe.txt"] == got["zero.html"] == ("error", "unreadable")
        assert got["a.txt"] == ("ok", None)
    else:
        said = out + err
        assert f"{special / 'pipe.txt'}" in said and "a FIFO" in said
        assert f"{special / 'zero.html'}" in said and "a device" in said


def test_check_names_why_a_folder_could_not_be_listed(
    special: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from tests.helpers import deny_listing

    (special / "locked").mkdir()
    (special / "locked" / "b.txt").write_text("x", encoding="utf-8")
    deny_listing(monkeypatch, "locked")
    with fifo_watch(special / "pipe.txt"):
        assert main(["check", str(special)]) == 1
    out = capsys.readouterr().out
    # It used to be opened as a file: "unreadable: is a directory".
    assert f"{special / 'locked'}:1: unreadable: folder cannot be listed: Permission denied" in out


# --------------------------------------------------------------------------- names


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    """A file name that is not UTF-8, its reprint, and JSONL lone surrogates (id, url, text)."""
    folder = tmp_path / "in"
    folder.mkdir()
    body, other = english_bodies(2)
    with open(os.fsencode(folder) + b"/\xff\xfe.txt", "wb") as fh:  # the first of a cluster
        fh.write(body.encode("utf-8"))
    (folder / "reprint.txt").write_text(body, encoding="utf-8")
    record = {"id": "x\ud800y", "url": "https://e.com/\udfff", "text": f"{other} \ud83d end."}
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


WEIRD = "\udcff\udcfe.txt"  # the name as Python holds it (surrogate escapes)


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--format", "json"],
        ["dedup"],
        ["dedup", "--format", "json"],
        ["clean", "{weird}", "{feed}"],
        ["clean", "--format", "json", "{weird}", "{feed}"],
        ["show", "{feed}"],
        ["show", "--format", "json", "{feed}"],
        ["show", "{weird}"],
    ],
)
def test_every_verb_prints_names_and_ids_that_are_not_utf8(
    odd_names: Path, capsys: Any, args: list[str]
) -> None:
    # capsys's stdout is strict UTF-8, as under a UTF-8 locale: printing a
    # surrogate raised UnicodeEncodeError there (exit 123) after the work.
    weird, feed = str(odd_names / WEIRD), str(odd_names / "feed.jsonl")
    argv = [a.format(weird=weird, feed=feed) for a in args]
    if not any("{" in a for a in args):
        argv.append(str(odd_names))
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Traceback" not in err
    assert "\udcff" not in out + err and "\ud83d" not in out + err
    if "json" in argv:
        recs = [json.loads(x) for x in out.splitlines()]
        names = {r.get("id") or r.get("path") for r in recs}
        names |= {r["metadata"]["source_path"] for r in recs if "metadata" in r}
        # Escaped as the manifest writes it: a lone surrogate escape ("\\udcff")
        # is rejected by strict JSON readers (pyarrow, HF datasets).  (The
        # feed's text keeps its own, as the input had it.)
        json.dumps(sorted(map(str, names)), ensure_ascii=False).encode("utf-8")
        shown = f"{odd_names}/\\xff\\xfe.txt"
        assert argv[0] == "show" or names & {shown, feed, f"{feed}:1"}, names
    elif argv[0] != "show":  # show names no single document
        assert "\\xff\\xfe.txt" in out + err  # as the manifest writes it


def test_the_streams_get_their_error_mode_back(odd_names: Path, capsys: Any) -> None:
    import sys

    before = sys.stdout.errors
    main(["dedup", str(odd_names)])
    assert sys.stdout.errors == before


def test_check_fix_keeps_lone_surrogates_of_other_fields(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "feed.jsonl"
    text = "企业 , 复工 。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成。" * 4
    path.write_text(json.dumps({"id": "a\udc80", "x": "\udfff", "text": text}) + "\n", "utf-8")
    assert main(["check", "--fix", str(path)]) == 0, capsys.readouterr().err
    rec = json.loads(path.read_text("utf-8"))
    assert (rec["id"], rec["x"]) == ("a\udc80", "\udfff")
    assert rec["text"].startswith("企业，复工。记者")


def test_a_reason_naming_a_document_is_escaped_in_the_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = english_bodies(1)[0]
    with open(os.fsencode(folder) + b"/a\xff.txt", "wb") as fh:  # sorts first: the original
        fh.write(body.encode("utf-8"))
    (folder / "b.txt").write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder), "-o", str(out), "-q", "-j", "1"]) == 0
    lines = (out / "manifest.jsonl").read_bytes().decode("utf-8").splitlines()
    by_name = {Path(r["path"]).name: r for r in map(json.loads, lines)}
    assert by_name["b.txt"]["duplicate_of"] == "a\\xff"
    # It was written with the raw surrogate, which JSON readers turn into U+FFFD.
    assert by_name["b.txt"]["reason"] == "near-duplicate of a\\xff"


def test_the_jsonl_layout_writes_ids_and_paths_as_the_manifest_does(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body, other = english_bodies(2)
    with open(os.fsencode(folder) + b"/bad\xff\xfename.txt", "wb") as fh:
        fh.write(body.encode("utf-8"))
    (folder / "reprint.txt").write_text(body, encoding="utf-8")  # names the other as its cluster
    record = {"id": "x\ud800y", "text": other}
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["run", str(folder), "-o", str(out), "-q", "-j", "1", "--layout", "jsonl"]
    assert main([*argv, "--keep-duplicates"]) == 0
    manifest = [json.loads(x) for x in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    raw = b"".join(gzip.decompress(p.read_bytes()) for p in sorted((out / "data").iterdir()))
    recs = [json.loads(x) for x in raw.decode("utf-8").splitlines()]
    # A lone surrogate escape ("\\udcff") made pyarrow and HF datasets reject the shard.
    json.dumps(recs, ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate
    want = {(m["id"], m["path"], m["cluster_id"]) for m in manifest}
    got = {
        (r["id"], r["metadata"]["source_path"], r["metadata"]["newsclean"]["cluster_id"])
        for r in recs
    }
    assert got == want
    assert {r["id"] for r in recs} == {"bad\\xff\\xfename", "reprint", "x\\ud800y"}


# --------------------------------------------------------------------------- deep JSON

#: Deeper than Python's json module can read: it raised RecursionError (exit 123).
DEEP = "[" * 100_000 + "]" * 100_000


def test_json_nested_too_deep_is_malformed_json_on_every_verb(tmp_path: Path, capsys: Any) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = json.dumps({"id": "a", "text": english_bodies(1)[0]})
    (folder / "feed.jsonl").write_text(f'{good}\n{DEEP}\n{{"text": {DEEP}}}\n', "utf-8")
    (folder / "one.json").write_text(DEEP, "utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder), "-o", str(out), "-q", "-j", "1"]) == 1
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    got = {Path(r["path"]).name: (r["status"], r["reason"]) for r in map(json.loads, lines)}
    assert got == {
        "feed.jsonl:1": ("ok", None),
        "feed.jsonl:2": ("error", "malformed-json"),
        "feed.jsonl:3": ("error", "malformed-json"),
        "one.json": ("error", "malformed-json"),
    }
    for verb in ("check", "dedup", "clean", "show"):
        capsys.readouterr()
        assert main([verb, str(folder / "feed.jsonl")]) == 1, verb
        err = capsys.readouterr().err
        assert "Traceback" not in err, verb
    assert "malformed-json" in capsys.readouterr().out + err


def test_a_journal_line_nested_too_deep_is_a_torn_line_not_a_crash(
    tmp_path: Path, capsys: Any
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for k, body in enumerate(english_bodies(2)):
        (folder / f"{k}.txt").write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder), "-o", str(out), "-q", "-j", "1"]) == 0
    before = (out / "manifest.jsonl").read_bytes()
    journal = out / ".newsclean" / "journal.jsonl"
    first = journal.read_text("utf-8").splitlines()[0]
    journal.write_text(f"{first}\n{DEEP}\n", "utf-8")
    assert main(["run", str(folder), "-o", str(out), "-q", "-j", "1"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert (out / "manifest.jsonl").read_bytes() == before


def test_index_parameters_nested_too_deep_are_a_corrupt_index(tmp_path: Path) -> None:
    import sqlite3

    from newsclean import Deduplicator, IndexCorruptError

    path = tmp_path / "index.db"
    with Deduplicator(path=str(path)) as dd:
        dd.add("a", english_bodies(1)[0])
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'params'", (DEEP,))
        conn.commit()
    with pytest.raises(IndexCorruptError, match="not a newsclean index"):
        Deduplicator(path=str(path))


# --------------------------------------------------------------------------- check --fix


def test_check_fix_never_rewrites_a_warc_or_json_file_as_text(tmp_path: Path, capsys: Any) -> None:
    pytest.importorskip("warcio")
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = tmp_path / "corpus"
    folder.mkdir()
    unnormalized = (
        "企业 , 复工 。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成。" * 3
    )
    page = f"<html><body><p>{unnormalized}</p></body></html>".encode()
    with open(folder / "crawl.warc", "wb") as fh:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w = WARCWriter(fh, gzip=False)
        w.write_record(
            w.create_warc_record(
                "https://e.com/1", "response", payload=io.BytesIO(page), http_headers=headers
            )
        )
    (folder / "list.json").write_text(json.dumps([{"text": unnormalized}], ensure_ascii=False))
    (folder / "a.txt").write_text(unnormalized + "\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["check", "--fix", "--unsafe-fixes", str(folder)]) == 0
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    # Read as text, the WARC payload was normalized under its Content-Length.
    assert after["crawl.warc"] == before["crawl.warc"]
    assert after["list.json"] == before["list.json"]
    assert after["a.txt"] != before["a.txt"]  # the text file is fixed
    (src,) = discover([folder / "crawl.warc"])
    assert [d.error for d in read_documents(src)] == [None]
    capsys.readouterr()
    # Named on the command line, they are findings, not silently passed.
    assert main(["check", str(folder / "crawl.warc"), str(folder / "list.json")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [x.split(": ", 2)[:2] for x in out] == [
        [f"{folder / 'crawl.warc'}:1", "unsupported"],
        [f"{folder / 'list.json'}:1", "unsupported"],
    ]


@pytest.mark.slow  # a subprocess: a hang must fail, not block the suite
def test_a_journal_that_is_not_a_regular_file_exits_2_unread(tmp_path: Path) -> None:
    # A FIFO blocked the run forever (a subprocess with a timeout turns that
    # into a failure); a link to /dev/zero, read line by line, was one
    # endless line: the OOM killer ended the run.
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(english_bodies(1)[0], encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder), "-o", str(out), "-q", "-j", "1"]) == 0
    journal = out / ".newsclean" / "journal.jsonl"
    journal.unlink()
    os.mkfifo(journal)
    done = subprocess.run(
        [sys.executable, "-m", "newsclean", "run", str(folder), "-o", str(out), "-q", "-j", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"newsclean: {journal}: is not a regular file")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("brk", ["\r", "\r\n"])
def test_check_fix_through_a_symlink_keeps_cr_line_breaks_on_disk(tmp_path: Path, brk: str) -> None:
    # Item 18 end to end: the bytes on disk, not only check_text's string.
    lines = [
        "记者从有关部门获悉 ，全市累计开复工企业一千余家，复工率达到九成，企业生产秩序正在恢复。",
        "",
        "企业 , 复工 。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成。",
        "",
    ]
    target = tmp_path / "real.txt"
    target.write_bytes(brk.join(lines).encode("gbk"))
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    assert main(["check", "--fix", "-q", str(link)]) == 0
    assert link.is_symlink() and target.is_file() and not target.is_symlink()
    data = target.read_bytes()
    fixed = data.decode("gbk")  # the encoding is kept too
    assert fixed.split(brk) == [
        "记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成，企业生产秩序正在恢复。",
        "",
        "企业，复工。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成。",
        "",
    ]
    if brk == "\r":
        assert b"\n" not in data


def test_check_index_that_is_a_fifo_exits_2_naming_it(tmp_path: Path, capsys: Any) -> None:
    # shutil copied it for the read-only copy: a FIFO raised SpecialFileError
    # (exit 123), and /dev/zero would have been copied until the disk was full.
    fifo = tmp_path / "index.db"
    os.mkfifo(fifo)
    doc = tmp_path / "a.txt"
    doc.write_text(english_bodies(1)[0], encoding="utf-8")
    with fifo_watch(fifo) as opened:
        assert main(["check", "--index", str(fifo), str(doc)]) == 2
    assert not opened[0]
    err = capsys.readouterr().err
    assert err.startswith(f"newsclean: {fifo}: is not a newsclean index") and "Traceback" not in err
