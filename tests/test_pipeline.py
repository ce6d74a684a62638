"""The batch engine: bad input, worker failures, timeouts, layouts, resume, safety."""

from __future__ import annotations

import gzip
import importlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import newsclean.io.readers as readers
from newsclean.article import Article, ClusterInfo
from newsclean.batch import RunOptions, run_batch

SEED_TEXT = (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt")


def _manifest(out: Path) -> dict[str, dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    return {json.loads(x)["path"]: json.loads(x) for x in lines}


def _tree_bytes(root: Path) -> dict[str, bytes]:
    """Every output file except the resume state, for byte-for-byte comparison."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".newsclean" not in p.relative_to(root).parts
    }


def _paragraphs(i: int) -> str:
    """A distinct, news-like document (long enough to count as a body)."""
    return (
        f"记者从第{i}区获悉,截至本月,该区累计开复工企业{i * 37 % 900 + 100}家,"
        f"复工率达到{i % 50 + 50}%,重点项目{i * 13 % 97}个已全面开工建设。\n\n"
        f"为帮助企业解决用工难题,第{i}区人社部门开通专车{i % 9 + 1}趟,"
        f"接回外地务工人员{i * 211 % 5000}人,并为{i * 17 % 300}家企业发放稳岗补贴。\n\n"
        f"下一步,该区将继续统筹疫情防控和经济社会发展,编号{i}。\n"
    )


def test_bad_inputs_each_become_an_error_line_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_paths: list[Path]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes(seed_paths[0].read_bytes())
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (src / "empty.txt").write_bytes(b"")
    good_line = json.dumps({"text": _paragraphs(1)}, ensure_ascii=False)
    (src / "bad.jsonl").write_text(good_line + '\n{"text": oops\n', "utf-8")
    with open(src / "huge.html", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    os.symlink("loop.txt", src / "loop.txt")
    (src / "locked.txt").write_text("secret", "utf-8")

    real_open = open

    def fake_open(path: Any, *a: Any, **k: Any) -> Any:
        # Tests run as root, who can read a chmod-000 file: simulate the denial instead.
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(readers, "open", fake_open, raising=False)
    out = tmp_path / "out"
    summary = run_batch([str(src)], out, options=RunOptions(workers=2, progress=False))
    m = _manifest(out)
    status = {Path(p).name: (r["status"], r["reason"]) for p, r in m.items()}
    assert status["good.txt"] == ("ok", None)
    assert status["binary.txt"] == ("error", "binary")
    assert status["empty.txt"] == ("error", "empty")
    assert status["bad.jsonl:1"][0] == "ok"
    assert status["bad.jsonl:2"] == ("error", "malformed-json")
    assert "line 2" in m[str(src / "bad.jsonl") + ":2"]["detail"]
    assert status["huge.html"] == ("error", "too-large")
    assert status["loop.txt"] == ("error", "symlink-loop")
    assert status["locked.txt"] == ("error", "unreadable")
    assert m[str(src / "locked.txt")]["detail"] == "permission denied"  # said once, not twice
    assert summary.exit_code == 1 and summary.counts["error"] == 6
    assert (out / "good.txt").exists() and not (out / "binary.txt").exists()
    assert m[str(src / "good.txt")]["sha256"] and len(m[str(src / "good.txt")]["sha256"]) == 64


def test_undecodable_bytes_are_an_error_not_a_crash(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    # Invalid UTF-8 that is also no sensible legacy encoding: lone continuation bytes.
    (src / "u.txt").write_bytes(b"\x80\x81\x8d\x8f\x90\x9d" * 50 + b"\xc3\x28" * 50)
    out = tmp_path / "out"
    run_batch([str(src)], out, options=RunOptions(workers=1, progress=False))
    (rec,) = _manifest(out).values()
    if rec["status"] == "ok":
        pytest.skip("the decoder found a legacy encoding for these bytes")
    assert (rec["status"], rec["reason"]) in {("error", "undecodable"), ("error", "binary")}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod-000 files; simulated above")
def test_unreadable_file_for_real(tmp_path: Path) -> None:  # pragma: no cover - non-root only
    src = tmp_path / "in"
    src.mkdir()
    (src / "locked.txt").write_text("x", "utf-8")
    os.chmod(src / "locked.txt", 0)
    out = tmp_path / "out"
    run_batch([str(src)], out, options=RunOptions(workers=1, progress=False))
    (rec,) = _manifest(out).values()
    assert (rec["status"], rec["reason"]) == ("error", "unreadable")


def test_a_worker_whose_parent_is_gone_returns_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    # After kill -9 of `newsclean run`, each orphaned worker printed a
    # BrokenPipeError traceback from sending its last result.
    import multiprocessing as mp

    import newsclean.batch.pool as pool
    from newsclean.config import Config

    monkeypatch.setattr(pool, "run_task", lambda task, config, mode: f"done {task}")
    monkeypatch.setattr(pool.signal, "signal", lambda *a: None)  # keep pytest's Ctrl-C
    parent, child = mp.Pipe()
    parent.send("task")  # in the pipe before the parent dies
    parent.close()
    pool._worker_main(child, [], Config(), "clean")  # returns, raises nothing
    child.close()


def test_worker_exception_crash_and_timeout_are_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # importlib, not `import newsclean.clean as ...`: the package attribute
    # `newsclean.clean` is the function, the module lives in sys.modules.
    clean_mod = importlib.import_module("newsclean.clean")

    original = clean_mod.clean

    def fragile(raw: Any, *a: Any, **k: Any) -> Article:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if "RAISE" in text:
            raise RuntimeError("boom")
        if "CRASH" in text:
            os._exit(7)
        if "HANG" in text:
            time.sleep(60)
        return original(raw, *a, **k)

    # Workers are forked from this process, so they inherit the patch.
    monkeypatch.setattr(clean_mod, "clean", fragile)
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        (src / f"ok{i}.txt").write_text(_paragraphs(i), "utf-8")
    for word in ("RAISE", "CRASH", "HANG"):
        (src / f"{word.lower()}.txt").write_text(f"{word}\n\n正文", "utf-8")
    out = tmp_path / "out"
    t0 = time.monotonic()
    summary = run_batch([str(src)], out, options=RunOptions(workers=2, timeout=5, progress=False))
    assert time.monotonic() - t0 < 20
    m = {Path(p).name: r for p, r in _manifest(out).items()}
    assert (m["raise.txt"]["status"], m["raise.txt"]["reason"]) == ("error", "exception")
    assert "RuntimeError: boom" in m["raise.txt"]["detail"]
    assert (m["crash.txt"]["status"], m["crash.txt"]["reason"]) == ("error", "worker-crashed")
    assert "7" in m["crash.txt"]["detail"]
    assert (m["hang.txt"]["status"], m["hang.txt"]["reason"]) == ("timeout", "timeout")
    assert [m[f"ok{i}.txt"]["status"] for i in range(6)] == ["ok"] * 6, m
    assert summary.counts["timeout"] == 1 and summary.exit_code == 1


def _fake_clusters(monkeypatch: pytest.MonkeyPatch, dup_of: dict[str, str]) -> None:
    """Stand in for the dedup step: this test is about what the batch does with clusters."""
    import newsclean.dedup as dedup

    def cluster_signed(ids: Any, dates: Any, sigs: Any, sizes: Any, config: Any = None, **kw: Any) -> list[ClusterInfo]:  # fmt: skip
        assert len(sigs) == len(sizes) == len(ids)  # the batch signs every document it clusters
        out = []
        for i in ids:
            root = dup_of.get(i, i)
            size = 1 + sum(1 for v in dup_of.values() if v == root)
            out.append(
                ClusterInfo(
                    root, size, i == root, None if i == root else root, None if i == root else 0.9
                )
            )
        return out

    monkeypatch.setattr(dedup, "cluster_signed", cluster_signed)


def test_duplicates_left_out_by_default_and_annotated_when_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_clusters(monkeypatch, {"b": "a"})
    src = tmp_path / "in"
    src.mkdir()
    for name, i in (("a", 1), ("b", 2), ("c", 3)):
        (src / f"{name}.txt").write_text(_paragraphs(i), "utf-8")
    out = tmp_path / "out"
    run_batch([str(src)], out, options=RunOptions(workers=1, progress=False))
    m = {Path(p).name: r for p, r in _manifest(out).items()}
    assert m["b.txt"]["status"] == "duplicate" and m["b.txt"]["duplicate_of"] == "a"
    assert m["b.txt"]["output"] is None and not (out / "b.txt").exists()
    assert (out / "a.txt").exists() and (out / "c.txt").exists()

    out2 = tmp_path / "out2"
    opts = RunOptions(workers=1, progress=False, keep_duplicates=True, layout="jsonl")
    run_batch([str(src)], out2, options=opts)
    with gzip.open(out2 / "data" / "part-00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        recs = [json.loads(x) for x in fh]
    assert [r["id"] for r in recs] == ["a", "b", "c"]
    nc = recs[1]["metadata"]["newsclean"]
    assert (nc["duplicate_of"], nc["is_representative"], nc["cluster_size"]) == ("a", False, 2)
    assert recs[0]["metadata"]["source_path"] == str(src / "a.txt")


def test_mirror_layout_names_records_and_collisions(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "x.txt").write_text(_paragraphs(1), "utf-8")
    (src / "sub" / "x.html").write_text(
        f"<html><body><p>{_paragraphs(2)}</p></body></html>", "utf-8"
    )
    recs = [{"id": "r1", "text": _paragraphs(3)}, {"id": "r2", "text": _paragraphs(4)}]
    (src / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    out = tmp_path / "out"
    run_batch([str(src)], out, options=RunOptions(workers=1, progress=False))
    outputs = sorted(r["output"] for r in _manifest(out).values() if r["output"])
    assert outputs == [
        "feed.jsonl.d/000001.txt",
        "feed.jsonl.d/000002.txt",
        "sub/x.html.txt",
        "sub/x.txt",
    ]
    for name in outputs:
        assert (out / name).read_text("utf-8").endswith("\n")


def test_jsonl_layout_shards_are_deterministic_gzip(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"d{i}.txt").write_text(_paragraphs(i), "utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        run_batch(
            [str(src)],
            out,
            options=RunOptions(workers=2, layout="jsonl", shard_size=2, progress=False),
        )
    shards = sorted(p.name for p in (a / "data").iterdir())
    assert shards == ["part-00000.jsonl.gz", "part-00001.jsonl.gz", "part-00002.jsonl.gz"]
    assert _tree_bytes(a) == _tree_bytes(b)
    try:
        import datasets  # type: ignore[import-not-found]
    except ImportError:
        return
    ds = datasets.load_dataset("json", data_files=str(a / "data" / "*.jsonl.gz"), split="train")
    assert ds.num_rows == 5


def test_rerun_skips_finished_documents_and_drops_stale_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(_paragraphs(i), "utf-8")
    out = tmp_path / "out"
    opts = RunOptions(workers=1, progress=False)
    first = run_batch([str(src)], out, options=opts)
    assert first.resumed == 0
    before = _tree_bytes(out)
    again = run_batch([str(src)], out, options=opts)
    assert again.resumed == 4 and _tree_bytes(out) == before
    (src / "d3.txt").unlink()
    (src / "d0.txt").write_text(_paragraphs(99), "utf-8")  # changed input: cleaned again
    third = run_batch([str(src)], out, options=opts)
    assert third.resumed == 2
    assert not (out / "d3.txt").exists()
    assert "99" in (out / "d0.txt").read_text("utf-8")


def test_safety_refusals(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_paragraphs(1), "utf-8")
    opts = RunOptions(workers=1, progress=False)
    with pytest.raises(ValueError, match="inside the input"):
        run_batch([str(src)], src / "out", options=opts)
    with pytest.raises(ValueError, match="inside OUT"):
        run_batch([str(src)], tmp_path, options=opts)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "precious.txt").write_text("keep me", "utf-8")
    with pytest.raises(ValueError, match="--force"):
        run_batch([str(src)], busy, options=opts)
    out = tmp_path / "out"
    run_batch([str(src)], out, options=opts)
    # Same OUT, a setting that changes cleaning: refused, naming the key.
    with pytest.raises(ValueError, match=r"--force") as err:
        run_batch([str(src)], out, options=opts, min_body_chars=50)
    assert "config.min_body_chars" in str(err.value) and "threshold" not in str(err.value)
    forced = RunOptions(workers=1, progress=False, force=True)
    assert run_batch([str(src)], out, options=forced, min_body_chars=50).resumed == 0
    assert (src / "a.txt").read_text("utf-8") == _paragraphs(1)  # inputs never written


# --------------------------------------------------------------------------- interrupt and resume

_SLOW_RUN = """
import importlib, signal, sys, time
# A test runner started in the background (`cmd &` without job control) passes
# SIGINT on as ignored, and Python then installs no KeyboardInterrupt handler;
# a user's Ctrl-C at a terminal always has one.
signal.signal(signal.SIGINT, signal.default_int_handler)
m = importlib.import_module("newsclean.clean")
orig = m.clean
def slow(*a, **k):
    time.sleep(0.03)  # slow enough that the test can interrupt mid-batch, even on a loaded machine
    return orig(*a, **k)
m.clean = slow
from newsclean.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _make_corpus(root: Path, n: int) -> None:
    for i in range(n):
        d = root / f"g{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"doc{i:04d}.txt").write_text(_paragraphs(i), "utf-8")


def _journal_lines(out: Path) -> int:
    j = out / ".newsclean" / "journal.jsonl"
    return j.read_bytes().count(b"\n") if j.exists() else 0


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_run_resumes_to_byte_identical_output(tmp_path: Path, sig: int) -> None:
    n = 300
    src = tmp_path / "in"
    _make_corpus(src, n)
    args = [str(src), "-j", "2", "-q"]
    ref = tmp_path / "ref"
    from newsclean.cli import main

    assert main(["run", *args, "-o", str(ref)]) == 0

    out = tmp_path / "out"
    cmd = [sys.executable, "-c", _SLOW_RUN, "run", *args, "-o", str(out)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _journal_lines(out) < 40 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, (
        f"the run ended before it could be interrupted: {proc.communicate()[1]!r}"
    )
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    done = _journal_lines(out)
    assert 0 < done < n, "the run finished before it could be interrupted"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"rerun the same command" in err
    else:
        assert proc.returncode == -signal.SIGKILL
    assert not (out / "manifest.jsonl").exists()

    rerun = subprocess.run(
        [sys.executable, "-m", "newsclean", "run", *args[:-1], "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    resumed = int(rerun.stderr.split(" resumed")[0].rsplit(", ", 1)[-1])
    assert resumed >= done - 2  # a torn last journal line is redone
    assert _tree_bytes(out) == _tree_bytes(ref)


def _seed_reprints(
    tmp_path: Path,
    seed_paths: list[Path],
    cut: tuple[int, int],
    outro: str = "",
    restyled: bool = False,
) -> Path:
    """``tmp_path/in`` holding every seed and its reprints, the way syndication makes them.

    ``s{i}-cut.txt`` keeps the first ``cut[0]/cut[1]`` of the paragraphs, then
    ``outro``; with ``restyled``, ``s{i}-src.txt`` is the whole story with other
    comma spacing and a source line.
    """
    src = tmp_path / "in"
    src.mkdir()
    num, den = cut
    for i, p in enumerate(seed_paths):
        text = p.read_text("utf-8")
        (src / f"s{i}.txt").write_text(text, "utf-8")
        paras = [x for x in text.split("\n") if x.strip()]
        kept = "\n\n".join(paras[: len(paras) * num // den])
        (src / f"s{i}-cut.txt").write_text(kept + (f"\n{outro}" if outro else "") + "\n", "utf-8")
        if restyled:
            (src / f"s{i}-src.txt").write_text(
                text.replace(",", ", ") + "\n来源: 人民日报\n", "utf-8"
            )
    return src


def test_worker_signatures_cluster_exactly_like_cluster(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    """Workers sign texts in parallel; the clustering must equal dedup.cluster() on the outputs."""
    from newsclean.dedup import cluster

    src = _seed_reprints(tmp_path, seed_paths, cut=(3, 4), outro="\n阅读全文", restyled=True)
    out = tmp_path / "out"
    run_batch(
        [str(src)],
        out,
        options=RunOptions(workers=2, layout="jsonl", keep_duplicates=True, progress=False),
    )
    with gzip.open(out / "data" / "part-00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        recs = [json.loads(x) for x in fh]
    expected = cluster([(r["id"], r["text"], r["metadata"]["date"]) for r in recs])
    got = [r["metadata"]["newsclean"] for r in recs]
    assert [(g["cluster_id"], g["duplicate_of"]) for g in got] == [
        (e.cluster_id, e.duplicate_of) for e in expected
    ]
    assert sum(1 for g in got if g["duplicate_of"]) >= 5  # the reprints did cluster


def test_fsspec_url_input_gives_the_same_outputs_as_the_local_folder(tmp_path: Path) -> None:
    from tests.helpers import SEEDS, require_module

    require_module("fsspec", "dask")
    import fsspec

    fs = fsspec.filesystem("memory")
    local = tmp_path / "in"
    (local / "site").mkdir(parents=True)
    for p in sorted(SEEDS.glob("*.txt")):
        (local / "site" / p.name).write_bytes(p.read_bytes())
        fs.pipe(f"/nc-test/in/site/{p.name}", p.read_bytes())
    fs.pipe("/nc-test/in/.hidden/skip.txt", b"hidden folders are skipped")
    fs.pipe("/nc-test/in/site/image.png", b"\x89PNG not an input suffix")
    try:
        opts = RunOptions(workers=1, progress=False)
        run_batch([str(local)], tmp_path / "a", options=opts)
        summary = run_batch(["memory://nc-test/in"], tmp_path / "b", options=opts)
    finally:
        fs.rm("/nc-test", recursive=True)
    assert summary.exit_code == 0
    texts_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.txt"))
    texts_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.txt"))
    assert texts_a == texts_b and len(texts_a) == 5
    for rel in texts_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    man = [json.loads(x) for x in (tmp_path / "b" / "manifest.jsonl").read_text().splitlines()]
    assert {m["status"] for m in man} == {"ok"}
    # the manifest names each input as a URL the user can open again
    assert all(m["path"].startswith("memory://") and "/nc-test/in/site/" in m["path"] for m in man)


def test_missing_fsspec_url_is_a_usage_error(tmp_path: Path) -> None:
    from tests.helpers import require_module

    require_module("fsspec", "dask")
    with pytest.raises(ValueError, match="does not exist"):
        run_batch(
            ["memory://nc-test-missing/in"], tmp_path / "o", options=RunOptions(progress=False)
        )
    with pytest.raises(ValueError, match="cannot open 'nosuchproto://x': Protocol not known"):
        run_batch(["nosuchproto://x"], tmp_path / "o", options=RunOptions(progress=False))
    assert not (tmp_path / "o").exists()  # refused before OUT is touched


# --------------------------------------------------------------------------- journal schema


@pytest.mark.parametrize(
    "line",
    [
        '["not", "an", "entry"]',
        '{"key": "a.txt", "sha256": null}',
        '{"key": "a.txt", "sha256": null, "result": {"status": "finished"}}',
        '{"key": "a.txt", "sha256": null, "result": {"status": "ok", "article": {"txt": 1}}}',
        '{"key": "a.txt", "sha256": null, "result": {"status": "ok", "sketch": [1, 2]}}',
    ],
    ids=["list", "no-result", "status", "article", "sketch"],
)
def test_journal_lines_of_the_wrong_shape_are_an_error_naming_the_journal(
    tmp_path: Path, line: str
) -> None:
    from newsclean.cli import main
    from newsclean.errors import JournalCorruptError

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_paragraphs(1), "utf-8")
    out = tmp_path / "out"
    opts = RunOptions(workers=1, progress=False)
    run_batch([str(src)], out, options=opts)
    journal = out / ".newsclean" / "journal.jsonl"
    journal.write_text(journal.read_text("utf-8") + line + "\n", "utf-8")
    with pytest.raises(JournalCorruptError, match=str(journal)):
        run_batch([str(src)], out, options=opts)
    # The CLI: a clear message and exit 2, no traceback.
    assert main(["run", str(src), "-o", str(out), "-q"]) == 2


# --------------------------------------------------------------------------- dedup-only reruns


def test_a_new_threshold_reclusters_from_the_journal_without_cleaning_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_paths: list[Path]
) -> None:
    src = _seed_reprints(tmp_path, seed_paths, cut=(2, 3))
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    opts = RunOptions(workers=1, progress=False)
    run_batch([str(src)], out, options=opts)

    clean_mod = importlib.import_module("newsclean.clean")

    def refuse(*a: Any, **k: Any) -> Article:
        raise RuntimeError("cleaned again")  # would make an "exception" error record

    monkeypatch.setattr(clean_mod, "clean", refuse)
    # Dedup settings, including ones that change the signatures, and the layout.
    for overrides in ({"threshold": 0.95}, {"num_perm": 64, "threshold": 0.5}):
        again = run_batch([str(src)], out, options=opts, **overrides)
        assert again.resumed == again.documents == 2 * len(seed_paths)
        assert again.counts["error"] == 0
        monkeypatch.undo()
        ref = run_batch([str(src)], fresh, options=RunOptions(workers=1, progress=False, force=True), **overrides)  # fmt: skip
        monkeypatch.setattr(clean_mod, "clean", refuse)
        assert _tree_bytes(out) == _tree_bytes(fresh)
        assert ref.counts == again.counts


# --------------------------------------------------------------------------- issue 11: nothing lost


def test_output_names_never_collide_and_are_the_same_on_every_run(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "feed.jsonl.d").mkdir(parents=True)
    (src / "b.txt").write_text(_paragraphs(1), "utf-8")
    (src / "b.html").write_text(f"<html><body><p>{_paragraphs(2)}</p></body></html>", "utf-8")
    (src / "b.html.txt").write_text(_paragraphs(3), "utf-8")
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "r1", "text": _paragraphs(4)}) + "\n", "utf-8"
    )
    (src / "feed.jsonl.d" / "000001.txt").write_text(_paragraphs(5), "utf-8")
    out, again = tmp_path / "out", tmp_path / "again"
    opts = RunOptions(workers=2, progress=False)
    run_batch([str(src)], out, options=opts)
    m = _manifest(out)
    assert [r["status"] for r in m.values()] == ["ok"] * 5
    outputs = [r["output"] for r in m.values()]
    assert len(set(outputs)) == 5
    # Every document's own text is in its own output.
    number = {"b.txt": 1, "b.html": 2, "b.html.txt": 3, "feed.jsonl:1": 4, "000001.txt": 5}
    for path, rec in m.items():
        text = (out / rec["output"]).read_text("utf-8")
        assert f"编号{number[Path(path).name]}。" in text, rec
    assert {Path(p).name: r["output"] for p, r in m.items()} == {
        "b.txt": "b.txt",
        "b.html.txt": "b.html.txt",
        "b.html": "b.html~2.txt",
        "feed.jsonl:1": "feed.jsonl.d/000001~2.txt",
        "000001.txt": "feed.jsonl.d/000001.txt",
    }
    run_batch([str(src)], again, options=opts)
    assert _tree_bytes(again) == _tree_bytes(out)


def _no_output_shadows_another(outputs: list[str]) -> None:
    """No output is another's name or folder, even on a case-insensitive file system."""
    keys = [o.lower() for o in outputs]
    assert len(set(keys)) == len(keys), outputs
    folders = {k.rsplit("/", i)[0] for k in keys for i in range(1, k.count("/") + 1)}
    assert not folders & set(keys), outputs


@pytest.mark.parametrize("verb", ["run", "clean"])
def test_a_file_output_never_takes_the_name_of_a_folder_an_output_needs(
    tmp_path: Path, verb: str
) -> None:
    from newsclean.cli import main

    # x.html -> x.txt is the folder x.txt/y.txt needs (the file is renamed: the
    # folder is its input's); so is sub/z.txt, deeper.
    src = tmp_path / "in"
    (src / "x.txt").mkdir(parents=True)
    (src / "x.html").write_text(f"<html><body><p>{_paragraphs(1)}</p></body></html>", "utf-8")
    (src / "x.txt" / "y.txt").write_text(_paragraphs(2), "utf-8")
    (src / "sub" / "z.txt" / "w").mkdir(parents=True)
    (src / "sub" / "z.txt" / "w" / "v.txt").write_text(_paragraphs(3), "utf-8")
    (src / "sub" / "z.html").write_text(
        f"<html><body><p>{_paragraphs(4)}</p></body></html>", "utf-8"
    )
    out = tmp_path / "out"
    assert main([verb, str(src), "-o", str(out), "-q", "-j", "1"]) == 0
    m = _manifest(out)
    assert [r["status"] for r in m.values()] == ["ok"] * 4
    outputs = {Path(p).name: r["output"] for p, r in m.items()}
    assert outputs == {
        "x.html": "x.html.txt",
        "y.txt": "x.txt/y.txt",
        "v.txt": "sub/z.txt/w/v.txt",
        "z.html": "sub/z.html.txt",
    }
    number = {"x.html": 1, "y.txt": 2, "v.txt": 3, "z.html": 4}
    for path, rec in m.items():
        assert f"编号{number[Path(path).name]}。" in (out / rec["output"]).read_text("utf-8")


def test_output_names_that_differ_only_in_case_never_collide(tmp_path: Path) -> None:
    # Made on Linux, copied to macOS or Windows: A.txt and a.txt would be one file.
    src = tmp_path / "in"
    src.mkdir()
    (src / "A.txt").write_text(_paragraphs(1), "utf-8")
    (src / "a.txt").write_text(_paragraphs(2), "utf-8")
    (src / "a.html").write_text(f"<html><body><p>{_paragraphs(3)}</p></body></html>", "utf-8")
    (src / "B.html").write_text(f"<html><body><p>{_paragraphs(4)}</p></body></html>", "utf-8")
    (src / "b.txt").write_text(_paragraphs(5), "utf-8")
    (src / "d.TXT").mkdir()  # a folder D.txt would be on Windows
    (src / "d.TXT" / "e.txt").write_text(_paragraphs(6), "utf-8")
    (src / "d.html").write_text(f"<html><body><p>{_paragraphs(7)}</p></body></html>", "utf-8")
    out, again = tmp_path / "out", tmp_path / "again"
    opts = RunOptions(workers=2, progress=False)
    run_batch([str(src)], out, options=opts)
    m = _manifest(out)
    assert [r["status"] for r in m.values()] == ["ok"] * 7
    outputs = {Path(p).relative_to(src).as_posix(): r["output"] for p, r in m.items()}
    _no_output_shadows_another(list(outputs.values()))
    assert outputs == {
        "A.txt": "A.txt",
        "B.html": "B.html.txt",
        "a.html": "a.html.txt",
        "a.txt": "a.txt.txt",
        "b.txt": "b.txt",
        "d.TXT/e.txt": "d.TXT/e.txt",
        "d.html": "d.html.txt",
    }
    run_batch([str(src)], again, options=opts)
    assert _tree_bytes(again) == _tree_bytes(out)


def test_a_rerun_replaces_an_old_output_that_stands_where_a_folder_is_now_needed(
    tmp_path: Path,
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "x.html").write_text(f"<html><body><p>{_paragraphs(1)}</p></body></html>", "utf-8")
    opts = RunOptions(workers=1, progress=False)
    run_batch([str(src)], out, options=opts)
    assert _manifest(out)[str(src / "x.html")]["output"] == "x.txt"
    (src / "x.txt").mkdir()  # now x.txt must be a folder in OUT
    (src / "x.txt" / "y.txt").write_text(_paragraphs(2), "utf-8")
    summary = run_batch([str(src)], out, options=opts)
    assert summary.counts["ok"] == 2
    m = _manifest(out)
    assert m[str(src / "x.html")]["output"] == "x.html.txt"
    assert "编号2。" in (out / "x.txt" / "y.txt").read_text("utf-8")
    assert sorted(_tree_bytes(out)) == [
        "manifest.jsonl",
        "report.html",
        "x.html.txt",
        "x.txt/y.txt",
    ]


@pytest.mark.parametrize("verb", ["run", "dedup", "clean"])
def test_a_suffixed_id_never_collides_with_an_input_id(tmp_path: Path, verb: str) -> None:
    from newsclean.cli import main

    # a.txt and a.html share the id "a"; the repeat's "~2" is a real input's
    # id too.  JSONL ids collide the same way.
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_paragraphs(1), "utf-8")
    (src / "a.html").write_text(f"<html><body><p>{_paragraphs(2)}</p></body></html>", "utf-8")
    (src / "a~2.txt").write_text(_paragraphs(3), "utf-8")
    rows = [("x~2", 4), ("x", 5), ("x", 6)]
    (src / "f.jsonl").write_text(
        "".join(json.dumps({"id": i, "text": _paragraphs(n)}) + "\n" for i, n in rows), "utf-8"
    )
    out = tmp_path / "out"
    assert main([verb, str(src), "-o", str(out), "-q", "-j", "1"]) == 0
    m = _manifest(out)
    ids = [r["id"] for r in m.values()]
    assert len(ids) == 6 and len(set(ids)) == 6, ids
    # Input ids are kept; only repeats are renamed.
    assert {"a", "a~2", "x", "x~2"} <= set(ids)
    assert m[str(src / "a~2.txt")]["id"] == "a~2"


def test_an_unreadable_subfolder_gets_a_manifest_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsclean.cli import main

    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "locked" / "a.txt").write_text(_paragraphs(1), "utf-8")
    (src / "b.txt").write_text(_paragraphs(2), "utf-8")
    from tests.helpers import deny_listing

    deny_listing(monkeypatch, "locked")
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "-q", "-j", "1"]) == 1
    m = {Path(p).name: r for p, r in _manifest(out).items()}
    assert (m["locked"]["status"], m["locked"]["reason"]) == ("error", "unreadable")
    assert "Permission denied" in m["locked"]["detail"] and m["b.txt"]["status"] == "ok"


def test_a_crash_or_timeout_in_the_journal_is_retried_once_on_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_mod = importlib.import_module("newsclean.clean")
    original = clean_mod.clean
    flaky = {"CRASH", "HANG"}

    def fragile(raw: Any, *a: Any, **k: Any) -> Article:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if "CRASH" in text and "CRASH" in flaky:
            os._exit(9)  # as the OOM killer would
        if "HANG" in text and "HANG" in flaky:
            time.sleep(60)
        return original(raw, *a, **k)

    monkeypatch.setattr(clean_mod, "clean", fragile)
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text(_paragraphs(1), "utf-8")
    (src / "crash.txt").write_text("CRASH\n\n" + _paragraphs(2), "utf-8")
    (src / "hang.txt").write_text("HANG\n\n" + _paragraphs(3), "utf-8")
    out = tmp_path / "out"
    opts = RunOptions(workers=2, timeout=3, progress=False)
    first = run_batch([str(src)], out, options=opts)
    assert first.counts["timeout"] == 1 and first.counts["error"] == 1

    flaky.discard("CRASH")  # the crash was transient; the hang is not
    second = run_batch([str(src)], out, options=opts)
    assert (second.resumed, second.retried) == (1, 2)
    m = {Path(p).name: r for p, r in _manifest(out).items()}
    assert m["crash.txt"]["status"] == "ok" and "retried" in m["crash.txt"]["detail"]
    assert m["hang.txt"]["status"] == "timeout" and "retried" in m["hang.txt"]["detail"]
    assert m["ok.txt"]["detail"] is None
    # Once only: the third run takes the second timeout from the journal.
    third = run_batch([str(src)], out, options=opts)
    assert (third.resumed, third.retried) == (3, 0)


def test_names_that_are_not_utf8_are_processed_and_escaped_in_the_manifest(
    tmp_path: Path,
) -> None:
    from newsclean.cli import main

    src = tmp_path / "in"
    src.mkdir()
    raw_name = os.fsencode(src) + b"/\xff\xfe.txt"
    with open(raw_name, "wb") as fh:
        fh.write(_paragraphs(1).encode("utf-8"))
    # A lone surrogate in an id and a url, written the way JSON escapes it.
    line = json.dumps({"id": "x\ud800y", "url": "http://e.com/\udfff", "text": _paragraphs(2)})
    (src / "feed.jsonl").write_text(line + "\n", "utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "-o", str(out), "-q", "-j", "1"]) == 0
    lines = (out / "manifest.jsonl").read_bytes().decode("utf-8").splitlines()  # valid UTF-8
    recs = {json.loads(x)["id"]: json.loads(x) for x in lines}
    assert set(recs) == {"\\xff\\xfe", "x\\ud800y"}
    assert recs["\\xff\\xfe"]["path"].endswith("/\\xff\\xfe.txt")
    assert all(r["status"] == "ok" for r in recs.values())
    assert os.path.exists(os.fsencode(out) + b"/\xff\xfe.txt")  # the output keeps the raw name
    with open(os.fsencode(out) + b"/\xff\xfe.txt", encoding="utf-8") as fh:
        assert "编号1。" in fh.read()
    assert (out / "report.html").read_bytes().decode("utf-8")
    # And the rerun resumes from the journal, which kept the names exactly.
    assert main(["run", str(src), "-o", str(out), "-q", "-j", "1"]) == 0
    assert (out / "manifest.jsonl").read_bytes().decode("utf-8").splitlines() == lines


def test_the_batch_keeps_briefs_and_reads_each_text_back_from_the_journal(tmp_path: Path) -> None:
    """Phase 2 streams: no outcome holds its article; texts are re-read (templates re-cut)."""
    src = tmp_path / "in"
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    for i in range(24):
        rng = random.Random(i)  # bodies that differ in words, not only in numbers
        body = "\n\n".join("".join(rng.choice(chars) for _ in range(60)) + "。" for _ in range(4))
        site = f"site{i % 3}"
        (src / site).mkdir(parents=True, exist_ok=True)
        k = i % 3
        page = [
            f"{site}观察 第{k + 3}频道",
            f"{site}晨报记者站位于城东新区建设路{k + 1}号，欢迎读者来访交流。",
            f"第{i}区复工复产情况通报",
            body,
            f"{site}晨报是一家关注城市发展的综合新闻网站，每天为读者提供本地新闻和深度报道。",
        ]
        (src / site / f"{i:02d}.txt").write_text("\n\n".join(page) + "\n", "utf-8")
    out = tmp_path / "out"
    summary = run_batch([str(src)], out, options=RunOptions(workers=2, progress=False))
    assert summary.counts["ok"] == 24
    assert all(o.article is None and o.source is not None for o in summary.outcomes)
    assert summary.removed.get("site-template", 0) > 0  # the learned templates were cut
    for o in summary.outcomes:
        art = o.load_article()
        assert art is not None and "晨报" not in art.text
        assert o.removed_chars() == art.removed_chars()
        if o.output is not None:
            assert (out / o.output).read_text("utf-8") == art.text + "\n"


def test_templates_learned_one_site_at_a_time_equal_one_learn_over_the_batch() -> None:
    from newsclean.batch.records import Outcome
    from newsclean.batch.steps import learn_per_site
    from newsclean.io import Document
    from newsclean.template import SiteTemplates

    rng = random.Random(3)
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    outcomes = []
    for i in range(60):
        group = f"site{rng.randrange(4)}"  # interleaved, as a crawl lists them
        body = ["".join(rng.choice(chars) for _ in range(40)) + "。" for _ in range(3)]
        lines = [
            *body,
            f"{group}版权所有，未经授权不得转载。",
            f"{group}客服热线每天九点至十八点。",
        ]
        doc = Document(
            f"{group}/{i}.txt", f"{group}/{i}.txt", f"{group}/{i}.txt", None, str(i), group
        )
        outcomes.append(Outcome(doc, "ok", article=Article(text="\n\n".join(lines))))
    whole = SiteTemplates.learn((o.doc.group, o.article) for o in outcomes)
    per_site = learn_per_site(outcomes, whole.config)
    assert per_site == whole and sum(len(t) for t in whole.templates.values()) >= 8


def test_a_platform_without_fork_is_told_to_use_dask_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Windows has only 'spawn': the local pool would fail inside multiprocessing
    # with "cannot find context for 'fork'"; the user gets what to do instead.
    import multiprocessing as mp

    from newsclean.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(mp, "get_all_start_methods", lambda: ["spawn"])
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "-o", str(out), "-q"]) == 2
    assert "--engine dask" in capsys.readouterr().err
    assert not out.exists()


def test_workers_read_decompress_and_decode_files_with_the_bytes_of_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One-document files go to the workers by name: the parent never reads them,
    and the text is what clean() makes of the same bytes, at -j1 and -j2."""
    import hashlib

    import newsclean.batch.run as run_mod
    from newsclean.clean import clean

    src = tmp_path / "in"
    (src / "site").mkdir(parents=True)
    gbk = _paragraphs(1).encode("gbk")
    html = f"<html><body><h1>标题</h1><p>{_paragraphs(2)}</p></body></html>".encode("gb18030")
    (src / "site" / "a.txt.gz").write_bytes(gzip.compress(gbk, mtime=0))
    (src / "site" / "b.html.gz").write_bytes(gzip.compress(html, mtime=0))
    (src / "site" / "c.txt").write_text(_paragraphs(3), "utf-8")
    (src / "site" / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08 not really gzip")
    real = run_mod.read_documents

    def containers_only(source: Any, *a: Any, **k: Any) -> Any:
        assert readers.format_of(source.rel).format.container, f"parent read {source.rel}"
        return real(source, *a, **k)

    monkeypatch.setattr(run_mod, "read_documents", containers_only)
    trees = []
    for j in (1, 2):
        out = tmp_path / f"out{j}"
        summary = run_batch([str(src)], out, options=RunOptions(workers=j, progress=False))
        assert summary.counts["ok"] == 3 and summary.counts["error"] == 1
        trees.append(_tree_bytes(out))
    assert trees[0] == trees[1]
    m = {Path(p).name: r for p, r in _manifest(tmp_path / "out1").items()}
    assert m["a.txt.gz"]["sha256"] == hashlib.sha256(gbk).hexdigest()
    assert m["b.html.gz"]["sha256"] == hashlib.sha256(html).hexdigest()
    assert (m["bad.txt.gz"]["status"], m["bad.txt.gz"]["reason"]) == ("error", "bad-gzip")
    assert m["bad.txt.gz"]["sha256"] is None
    a_text = trees[0][m["a.txt.gz"]["output"]].decode("utf-8")
    assert a_text == clean(gbk, kind="text").text + "\n"
    b_text = trees[0][m["b.html.gz"]["output"]].decode("utf-8")
    assert b_text == clean(html, kind="html").text + "\n" and "记者" in b_text

    # A rerun hashes each file in its worker: unchanged files keep their journal
    # entry, a changed one is cleaned again.
    (src / "site" / "c.txt").write_text(_paragraphs(4), "utf-8")
    again = run_batch([str(src)], tmp_path / "out1", options=RunOptions(workers=2, progress=False))
    assert (again.resumed, again.retried) == (2, 0)
    m = {Path(p).name: r for p, r in _manifest(tmp_path / "out1").items()}
    assert m["c.txt"]["sha256"] == hashlib.sha256(_paragraphs(4).encode()).hexdigest()
    assert "编号4" in (tmp_path / "out1" / m["c.txt"]["output"]).read_text("utf-8")


@pytest.mark.parametrize("mode", ["run", "clean", "dedup"])
def test_a_page_without_body_is_empty_in_every_mode_without_reading_it_back(
    tmp_path: Path, mode: str
) -> None:
    """Phase 2 marks empties from the brief the worker sent (its text is not read again)."""
    src = tmp_path / "in"
    src.mkdir()
    nav = b"<html><body><nav><a href=/>Home</a> | <a href=/n>News</a></nav></body></html>"
    (src / "nav.html").write_bytes(nav)
    for i in range(3):
        (src / f"{i}.txt").write_text(_paragraphs(i), "utf-8")
    out = tmp_path / "out"
    summary = run_batch([str(src)], out, options=RunOptions(workers=1, mode=mode, progress=False))
    m = {Path(p).name: r for p, r in _manifest(out).items()}
    assert (m["nav.html"]["status"], m["nav.html"]["reason"]) == ("empty", "no-body")
    assert summary.counts["empty"] == 1 and m["nav.html"]["output"] is None
    assert all(m[f"{i}.txt"]["status"] == "ok" for i in range(3))


def test_a_raw_page_in_a_jsonl_text_field_is_cleaned_as_a_page_by_every_verb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Crawlers store the raw page under "text" (the README's datatrove feed):
    run, clean and dedup give what ``newsclean.clean`` gives, never markup, and
    check does not report the page's chrome line by line (nor rewrite it)."""
    import newsclean
    from newsclean.cli import main

    body = "".join(
        f"<p>The harbour board approved plan number {i} for the eastern docks after a long "
        "public hearing on Monday evening.</p>"
        for i in range(6)
    )
    page = (
        "<!DOCTYPE html><html><head><title>Harbour plan approved</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>Harbour plan approved</h1>{body}</article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
    )
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text(json.dumps({"id": "p1", "text": page}) + "\n", "utf-8")
    want = newsclean.clean(page).text
    assert want and "<" not in want

    run_batch([str(feed.parent)], tmp_path / "out", options=RunOptions(workers=1))
    (written,) = (tmp_path / "out").rglob("*.txt")
    assert written.read_text("utf-8").strip() == want

    assert main(["clean", str(feed)]) == 0
    assert capsys.readouterr().out.strip() == want

    before = feed.read_bytes()
    assert main(["check", "--fix", str(feed)]) == 0
    assert feed.read_bytes() == before
    capsys.readouterr()

    feed.write_text(
        json.dumps({"id": "p1", "text": page})
        + "\n"
        + json.dumps({"id": "p2", "text": want})
        + "\n",
        "utf-8",
    )
    assert main(["dedup", str(feed)]) == 0
    # one pair: the page cleaned is the same text as the clean record
    (pair,) = capsys.readouterr().out.splitlines()
    assert sorted(pair.split("\t")[:2]) == [f"{feed}:1", f"{feed}:2"]


def test_a_page_saved_as_txt_is_cleaned_as_a_page_by_every_entry_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scraper that saves the fetched page as page.txt: the file, stdin, run,
    show, dedup and the API give one text, never markup; check treats it as
    a page (near-duplicates only) and --fix never rewrites it."""
    import io

    import newsclean
    from newsclean.cli import main

    body = "".join(
        f"<p>The harbour board approved plan number {i} for the eastern docks after a long "
        "public hearing on Monday evening.</p>"
        for i in range(6)
    )
    page = (
        "<!DOCTYPE html><html><head><title>Harbour plan approved</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>Harbour plan approved</h1>{body}</article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
    )
    src = tmp_path / "in" / "page.txt"
    src.parent.mkdir()
    src.write_text(page, "utf-8")
    want = newsclean.clean(page).text
    assert want and "<" not in want

    run_batch([str(src.parent)], tmp_path / "out", options=RunOptions(workers=1))
    assert (tmp_path / "out" / "page.txt").read_text("utf-8").strip() == want

    assert main(["clean", str(src)]) == 0
    assert capsys.readouterr().out.strip() == want
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(page.encode())))
    assert main(["clean", "-"]) == 0
    assert capsys.readouterr().out.strip() == want
    assert main(["show", "--format", "json", str(src)]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == want

    assert main(["check", "--fix", str(src)]) == 0
    assert src.read_text("utf-8") == page
    # stdin through check --fix is a filter: the page comes out as it went in
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(page.encode())))
    assert main(["check", "--fix", "-"]) == 0
    assert capsys.readouterr().out == page

    clean_copy = tmp_path / "in" / "copy.txt"
    clean_copy.write_text(want, "utf-8")
    assert main(["dedup", str(src), str(clean_copy)]) == 0
    (pair,) = capsys.readouterr().out.splitlines()
    assert sorted(pair.split("\t")[:2]) == sorted([str(src), str(clean_copy)])


def test_check_fix_on_stdin_passes_a_clean_text_through(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `newsclean check --fix - < a.txt > b.txt` must never leave b.txt empty
    import io

    from newsclean.cli import main

    text = (
        "记者从市统计局获悉，今年前三季度全市地区生产总值同比增长百分之六点五，经济运行总体平稳。\n\n"
        "分产业看，第一产业增加值增长百分之三，第二产业增加值增长百分之七，服务业贡献率继续提高。\n"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("gb18030"))))
    assert main(["check", "--fix", "-"]) == 0
    # byte for byte, in the encoding it came in
    assert capsysbinary.readouterr().out == text.encode("gb18030")


def test_a_rerun_keeps_what_it_writes_again_and_drops_only_strays(tmp_path: Path) -> None:
    # Strays are struck off one written name at a time: shards and mirror files alike.
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(_paragraphs(i), "utf-8")
    for layout in ("jsonl", "mirror"):
        out = tmp_path / f"out-{layout}"
        opts = RunOptions(workers=1, progress=False, layout=layout)
        run_batch([str(src)], out, options=opts)
        before = _tree_bytes(out)
        (out / "data").mkdir(exist_ok=True)
        stray = "data/part-00009.jsonl.gz" if layout == "jsonl" else "d9.txt"
        (out / stray).write_bytes(b"old")
        with (out / "manifest.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"output": stray}) + "\n")
        run_batch([str(src)], out, options=opts)
        assert not (out / stray).exists()
        assert _tree_bytes(out) == before


def test_template_lines_kept_in_doubt_reach_the_written_record(tmp_path: Path) -> None:
    # A hostile test: a template line kept in doubt left the text as it was,
    # and the batch then wrote the article from before the templates, with
    # "doubts": 0.
    lead = (
        "A magnitude 6.8 earthquake struck off the coast of northern Japan on Tuesday evening, "
        "triggering a tsunami warning for the Pacific coast, the meteorological agency said."
    )
    src = tmp_path / "in" / "site"
    src.mkdir(parents=True)
    for i in range(4):
        own = _paragraphs(i).replace("\n\n", f" The tsunami warning for the coast stayed {i}.\n\n")
        (src / f"u{i}.txt").write_text(f"{lead}\n\n{own}", "utf-8")
    out = tmp_path / "out"
    run_batch(
        [str(tmp_path / "in")], out, options=RunOptions(workers=1, layout="jsonl", progress=False)
    )
    with gzip.open(next((out / "data").iterdir()), "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert len(records) == 4
    for rec in records:
        assert rec["text"].startswith(lead)
        assert rec["metadata"]["newsclean"]["doubts"] >= 1
