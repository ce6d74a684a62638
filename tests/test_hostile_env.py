"""Hostile environments (issue 11 items 7, 11, 12): corrupt indexes and journals,
read-only and full disks, symlink loops, threads, a Redis server that is down.

Each case exits 2 (or 1 for a bad input) with one line naming the path, never
123 with a traceback; the API raises newsclean errors, never sqlite3's or
json's.  Real files throughout: SQLite indexes, tmpfs mounts when the test may
mount (root), else a simulated ENOSPC/EROFS at the same call.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from newsclean import (
    Config,
    Deduplicator,
    EnvironmentProblem,
    IndexCorruptError,
    IndexUnavailableError,
    Match,
    NewscleanError,
)
from newsclean.cli import main
from tests.test_dedup import english_bodies, reprint
from tests.test_dedup_streaming import _free_port

# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def tmpfs(where: Path, size: str, readonly: bool = False) -> Iterator[Path]:
    """A real small tmpfs at ``where``; skips when this process may not mount."""
    where.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    opts = f"size={size}" + (",ro" if readonly else "")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def one_line_error(err: str, *needles: str) -> None:
    """stderr is one newsclean line, naming what it should, and no traceback."""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err and "internal error" not in err, err
    assert len(lines) == 1 and lines[0].startswith("newsclean: "), err
    for n in needles:
        assert n in lines[0], (n, err)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k, body in enumerate(english_bodies(3)):
        (folder / f"{k}.txt").write_text(body, encoding="utf-8")
    return folder


def manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines]


# --------------------------------------------------------------------------- item 7: windows


def test_an_undated_document_never_moves_the_window() -> None:
    bodies = english_bodies(3)
    with Deduplicator(window_days=7) as dd:
        assert dd.add("old", bodies[0], date="2020-02-01") is None
        for k in range(300):  # past a periodic prune (every 256 adds)
            dd.add(f"undated{k}", f"{bodies[1]} edition {k} " * (k % 3 + 1))
        assert dd.add("fresh", bodies[2], date="2020-02-03") is None
        assert dd.prune() == 0  # nothing dated is older than 2020-02-03 minus 7 days
        m = dd.add("old-reprint", bodies[0], date="2020-02-05")
        assert m == Match("old", 1.0)  # "now" used to evict "old": this was reported as new
        # An undated reprint is compared with the whole index.
        assert dd.add("old-undated", bodies[0]) == Match("old", 1.0)
        # Dates alone move it: 2020-03-01 puts "old" and "fresh" out of the window.
        dd.add("march", "Another story entirely, about a harbour and its fishermen.", "2020-03-01")
        # that add dropped old, fresh and old-reprint; every undated one stays
        assert len(dd) == 302 and dd.prune() == 0
        assert dd.query(bodies[2], date="2020-03-02") is None


# --------------------------------------------------------------------------- item 11: index


def _real_index(path: Path) -> None:
    with Deduplicator(path=str(path)) as dd:
        for k, body in enumerate(english_bodies(20)):
            dd.add(f"d{k}", body)
    assert path.stat().st_size > 8192


@pytest.mark.parametrize("kind", ["garbage", "truncated", "header-only", "other-schema", "meta"])
def test_a_corrupt_index_raises_index_corrupt_and_check_exits_2(
    tmp_path: Path, kind: str, capsys: Any
) -> None:
    path = tmp_path / "index.db"
    if kind == "garbage":
        path.write_bytes(random.Random(1).randbytes(20_000))
    elif kind == "truncated":  # a real index cut at 60%: pages lost mid-file
        _real_index(path)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * 0.6)])
    elif kind == "header-only":
        path.write_bytes(b"SQLite format 3\x00")
    elif kind == "other-schema":  # another program's SQLite file, with a docs table
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE docs (name TEXT)")
            conn.commit()
    else:  # a newsclean index whose saved parameters are not JSON
        _real_index(path)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("UPDATE meta SET value = '{not json' WHERE key = 'params'")
            conn.commit()
    with pytest.raises(IndexCorruptError) as info, Deduplicator(path=str(path)) as dd:
        for k, body in enumerate(english_bodies(20)):
            dd.add(f"new{k}", body)
    assert isinstance(info.value, NewscleanError) and info.value.path == str(path)
    assert not isinstance(info.value.__cause__, NewscleanError)  # the cause is kept
    doc = tmp_path / "a.txt"
    doc.write_text(english_bodies(1)[0] + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--index", str(path), str(doc)]) == 2
    one_line_error(capsys.readouterr().err, str(path), "not a newsclean index")


def test_an_index_path_that_cannot_be_opened_is_an_environment_problem(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem, match="cannot use the index"):
        Deduplicator(path=str(tmp_path / "no" / "such" / "folder" / "index.db"))
    with pytest.raises(EnvironmentProblem):
        Deduplicator(path=str(tmp_path))  # a folder


# --------------------------------------------------------------------------- item 11: disks


def _readonly_out(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        yield ro
        ro.chmod(0o755)
        return
    with tmpfs(tmp_path / "ro", "1m", readonly=True) as ro:
        yield ro


def test_a_read_only_out_exits_2_naming_it(inputs: Path, tmp_path: Path, capsys: Any) -> None:
    for ro in _readonly_out(tmp_path):
        out = ro / "out"
        assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 2
        one_line_error(capsys.readouterr().err, str(out))


def test_run_batch_raises_a_newsclean_error_for_an_unwritable_out(
    inputs: Path, tmp_path: Path
) -> None:
    # The API's contract, not only the CLI's: a read-only or full OUT is an
    # EnvironmentProblem naming the place and what to do, never a raw OSError.
    from newsclean.batch import RunOptions, run_batch

    opts = RunOptions(workers=1, progress=False)
    for ro in _readonly_out(tmp_path):
        with pytest.raises(EnvironmentProblem, match="ro/out"):
            run_batch([str(inputs)], ro / "out", options=opts)
    import newsclean.io.journal as journal

    def full(path: object) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(journal, "open_for_append", full)
        with pytest.raises(EnvironmentProblem, match="free some space"):
            run_batch([str(inputs)], tmp_path / "out", options=opts)


def test_a_full_disk_exits_2_and_the_run_resumes_after_space_is_freed(
    inputs: Path, tmp_path: Path, capsys: Any
) -> None:
    big = tmp_path / "big"
    big.mkdir()
    body = english_bodies(1)[0]
    for k in range(40):
        (big / f"{k:02d}.txt").write_text(f"{k} {body}", encoding="utf-8")
    with tmpfs(tmp_path / "disk", "64k") as disk:
        out = disk / "out"
        assert main(["run", str(big), "-o", str(out), "-q", "-j", "1"]) == 2
        err = capsys.readouterr().err
        one_line_error(err, "No space left on device", "rerun")
    # The same failure at the same call, wherever a test may not mount.
    import newsclean.io.journal as journal

    class Full:
        def write(self, data: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(journal, "open_for_append", lambda path: Full())
        assert main(["run", str(big), "-o", str(out), "-q", "-j", "1"]) == 2
    one_line_error(capsys.readouterr().err, str(out), "No space left on device")
    assert main(["run", str(big), "-o", str(out), "-q", "-j", "1"]) == 0  # space again
    assert len(manifest(out)) == 40


# --------------------------------------------------------------------------- item 11: paths


def test_a_symlink_loop_as_the_input_is_a_failed_input_not_a_crash(
    tmp_path: Path, capsys: Any
) -> None:
    loop = tmp_path / "loop1"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    out = tmp_path / "out"
    assert main(["run", str(loop), "-o", str(out), "-q", "-j", "1"]) == 1
    (line,) = manifest(out)
    assert line["status"] == "error" and line["reason"] == "symlink-loop"
    assert main(["clean", str(loop)]) == 1
    assert main(["check", str(loop)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "symlink-loop" in err


def test_a_journal_that_is_a_directory_exits_2(inputs: Path, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "out"
    assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 0
    journal = out / ".newsclean" / "journal.jsonl"
    journal.unlink()
    journal.mkdir()
    assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 2
    one_line_error(capsys.readouterr().err, str(journal), "Is a directory")


@pytest.mark.parametrize(
    "line",
    [
        "[1, 2, 3]",
        '"a string"',
        '{"key": "0.txt"}',
        '{"key": "0.txt", "sha256": null, "result": [1]}',
        '{"key": "0.txt", "sha256": null, "result": {"status": "ok", "article": {"bogus": 1}}}',
    ],
)
def test_journal_lines_of_the_wrong_shape_exit_2_naming_the_journal(
    inputs: Path, tmp_path: Path, capsys: Any, line: str
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 0
    journal = out / ".newsclean" / "journal.jsonl"
    first = journal.read_text(encoding="utf-8").splitlines()[0]
    entry = json.loads(first)
    line = line.replace("0.txt", entry["key"]).replace("null", json.dumps(entry["sha256"]))
    journal.write_text(line + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 2
    one_line_error(capsys.readouterr().err, str(journal), "wrong shape")


def test_a_value_error_from_inside_a_run_is_a_bug_not_a_usage_error(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # run used to turn every ValueError into exit 2 "Error: ...", which tells the
    # user to fix their command when the bug is ours.
    import newsclean.batch as batch

    def broken(*a: Any, **k: Any) -> None:
        raise ValueError("too many values to unpack (a bug)")

    monkeypatch.setattr(batch, "run_batch", broken)
    assert main(["run", str(inputs), "-o", str(tmp_path / "o")]) == 123
    assert "Traceback" in capsys.readouterr().err
    # A real usage problem (OUT inside the input) is still exit 2, without a traceback.
    monkeypatch.undo()
    assert main(["run", str(inputs), "-o", str(inputs / "out")]) == 2
    err = capsys.readouterr().err
    assert "inside the input" in err and "Traceback" not in err


def test_a_real_bug_still_exits_123_with_its_traceback(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import newsclean.batch as batch

    def broken(*a: Any, **k: Any) -> None:
        raise KeyError("a bug outside the journal")

    monkeypatch.setattr(batch, "run_batch", broken)
    assert main(["run", str(inputs), "-o", str(tmp_path / "o")]) == 123
    assert "Traceback" in capsys.readouterr().err


# --------------------------------------------------------------------------- item 12: threads


def thread_corpus(n: int = 2000) -> list[tuple[str, str]]:
    """n documents: distinct stories cut from the fixture bodies, and their reprints."""
    words = " ".join(english_bodies(40)).split()
    stories = [" ".join(words[i : i + 80]) for i in range(0, len(words) - 80, 80)][:400]
    rng = random.Random(5)
    docs = [(f"s{k}", s) for k, s in enumerate(stories)]
    while len(docs) < n:
        k = rng.randrange(len(stories))
        docs.append((f"s{k}-r{len(docs)}", reprint(stories[k], rng)))
    rng.shuffle(docs)
    return docs


def groups(docs: list[tuple[str, str]], answers: list[Match | None]) -> dict[str, set[str]]:
    """The clusters the answers make: first-seen id -> every id of its cluster."""
    out: dict[str, set[str]] = {}
    for (doc_id, _), m in zip(docs, answers, strict=True):
        out.setdefault(doc_id if m is None else m.duplicate_of, set()).add(doc_id)
    return out


def test_one_deduplicator_shared_by_8_threads_matches_the_serial_result(tmp_path: Path) -> None:
    docs = thread_corpus()
    with Deduplicator() as dd:
        serial = [dd.add(i, t) for i, t in docs]
    story = {doc_id: doc_id.split("-")[0] for doc_id, _ in docs}
    for path in (None, str(tmp_path / "threads.db")):
        with Deduplicator(path=path) as dd, ThreadPoolExecutor(8) as pool:
            threaded = list(pool.map(lambda d: dd.add(*d), docs))
            assert len(dd) == len(docs)
        # Threads change the order of adds, so which copy is first may change;
        # the clusters themselves may not.
        a = sorted(sorted(map(story.get, g)) for g in groups(docs, serial).values())
        b = sorted(sorted(map(story.get, g)) for g in groups(docs, threaded).values())
        assert a == b
        assert all(len(set(g)) == 1 for g in b)  # each cluster is one story
        assert len(b) == len(set(story.values()))  # and each story one cluster


def test_threads_may_query_while_others_add() -> None:
    docs = thread_corpus(400)
    with Deduplicator() as dd, ThreadPoolExecutor(8) as pool:
        adds = [pool.submit(dd.add, i, t) for i, t in docs]
        queries = [pool.submit(dd.query, t) for _, t in docs]
        for f in adds + queries:
            f.result()
        assert len(dd) == len(docs)


def test_redis_without_a_server_names_the_url() -> None:
    pytest.importorskip("redis")
    url = f"redis://:secret@127.0.0.1:{_free_port()}/0"
    with pytest.raises(IndexUnavailableError) as info:
        Deduplicator(path=url)
    assert f"127.0.0.1:{url.rsplit(':', 1)[1].split('/')[0]}" in str(info.value)
    assert "secret" not in str(info.value)  # never the password


# --------------------------------------------------------------------------- issue 14: API


def test_config_comes_first_and_threshold_stays_a_keyword(tmp_path: Path) -> None:
    cfg = Config(threshold=0.8)
    with Deduplicator(cfg) as dd:
        assert dd.config.threshold == 0.8
    with Deduplicator(cfg, str(tmp_path / "i.db"), window_days=3) as dd:
        assert dd.config == cfg and dd.window == 3 * 86400
    with Deduplicator(threshold=0.6) as dd:
        assert dd.config.threshold == 0.6
    with Deduplicator(cfg, threshold=0.6, num_perm=64) as dd:  # keywords win over config
        assert (dd.config.threshold, dd.config.num_perm) == (0.6, 64)
    with pytest.raises(ValueError, match=r"threshold=0\.8"):
        Deduplicator(0.8)  # type: ignore[arg-type]


def test_repr_len_and_query_which_adds_nothing(tmp_path: Path) -> None:
    a, b = english_bodies(2)
    path = str(tmp_path / "i.db")
    with Deduplicator(path=path, threshold=0.8, window_days=7) as dd:
        assert repr(dd) == f"Deduplicator(path={path!r}, threshold=0.8, window_days=7)"
        assert len(dd) == 0
        assert dd.query(a) is None
        assert dd.add("a", a) is None
        assert dd.query(reprint(a, random.Random(1))) == dd.add("a2", reprint(a, random.Random(1)))
        assert dd.query(b) is None and len(dd) == 2
    assert repr(Deduplicator()) == "Deduplicator(path=':memory:')"


def test_the_docstring_examples_run() -> None:
    import doctest

    import newsclean.dedup.streaming as streaming

    failed, tried = doctest.testmod(streaming, optionflags=doctest.ELLIPSIS)
    assert tried >= 8 and failed == 0


# --------------------------------------------------------------------------- item 10: ReDoS


def test_the_breadcrumb_rule_does_not_backtrack_exponentially() -> None:
    # bench/fuzz.py found it: a segment \S{1,8} could hold the separator, so a
    # line of nested tags split 2^n ways ("<li>" * 40 already took minutes).
    import time

    from newsclean.chrome import detect

    line = "<li>" * 5000 + "全省首位!济南规上工业企业开工率98.78%"
    t0 = time.process_time()
    detect(line + "\n" + "正文第一段，记者报道了开工率。" * 10)
    assert time.process_time() - t0 < 5
    for crumb in ("首页 > 新闻 > 正文", "首页>>国内>>正文", "Home › News › World"):
        assert detect(crumb).lines[0].reason == "breadcrumb", crumb


def test_a_phrase_a_run_of_spaces_and_the_phrase_again_is_not_quadratic() -> None:
    # bench/redos.py: the doubled-headline regex (\s+ between two lazy phrases)
    # took 10 s on 64K spaces and 174 s on 256K inside clean(); the line's
    # visual length, which skips spaces, did not bound it.
    import time

    import newsclean

    body = "The council said on Tuesday that the bridge will reopen next week. " * 3
    text = "Headline\n\nabcdefg" + " " * 256_000 + "abcdefg x\n\n" + body
    t0 = time.process_time()
    art = newsclean.clean(text, kind="text", timeout=0)
    assert time.process_time() - t0 < 5
    assert body.strip() in art.text


def test_trailing_space_trim_is_linear_on_a_long_run_of_nbsp() -> None:
    # bench/fuzz.py found it: 50,000 &nbsp; in the middle of a line took 70 s in
    # HTML mode, the trailing-space regex rescanning the run from each character.
    import time

    from newsclean.html import flatten_html

    html = "<p>正文" + "&nbsp;" * 50_000 + "结束。 \u3000</p><p>第二段。</p>"
    t0 = time.process_time()
    flat = flatten_html(html)
    assert time.process_time() - t0 < 5
    assert flat == "正文" + "\u00a0" * 50_000 + "结束。\n第二段。"


def test_joiner_removal_is_linear_on_a_long_run_of_joiners() -> None:
    # bench/redos.py: a run of ZWNJ followed by a letter of another script was
    # retried from each of its characters (16,384 took 2.5 s, 1 MB hours).
    import time

    from newsclean import normalize

    line = "Καλη\u200c" + "\u200c" * 200_000 + "μέρα 新闻\u200d。"
    t0 = time.process_time()
    out = normalize(line)
    assert time.process_time() - t0 < 5
    assert "\u200c" * 200_000 in out and "\u200d" not in out  # only the joiner beside CJK goes


def test_a_broken_journal_line_with_entries_after_it_exits_2_and_keeps_them(
    inputs: Path, tmp_path: Path, capsys: Any
) -> None:
    # Only the last line can be torn by a crash; cutting the journal at a broken
    # line in the middle would silently throw away every entry after it.
    out = tmp_path / "out"
    assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 0
    journal = out / ".newsclean" / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) >= 2
    damaged = lines[0] + '{"key": "x", "sha2\n' + "".join(lines[1:])
    journal.write_text(damaged, encoding="utf-8")
    capsys.readouterr()
    assert main(["run", str(inputs), "-o", str(out), "-q", "-j", "1"]) == 2
    one_line_error(capsys.readouterr().err, str(journal), "line 2 is not JSON")
    assert journal.read_text(encoding="utf-8") == damaged  # nothing cut


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_an_environment_error_that_promises_no_resume(
    tmp_path: Path,
) -> None:
    # `check --fix -` and `clean` write to standard output: there is no journal
    # to resume from, so the hint must not say this command resumes.
    page = tmp_path / "a.txt"
    page.write_text(
        "Council approves the harbour budget after a long debate on Monday night.\n\n"
        "Share on Facebook\n",
        encoding="utf-8",
    )
    exe = [sys.executable, "-m", "newsclean"]
    for args, stdin in (
        ([*exe, "check", "--fix", "-"], page.open("rb")),
        ([*exe, "clean", str(page)], None),
    ):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(args, stdin=stdin, stdout=full, stderr=subprocess.PIPE, text=True)
        assert proc.returncode == 2, proc.stderr
        one_line_error(proc.stderr, "No space left on device")
        assert "to resume" not in proc.stderr
        assert "run resumes" in proc.stderr  # the hint says which verb does
