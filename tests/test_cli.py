"""The command line: exit codes, settings files, run/clean/dedup/check/show behaviour."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import newsclean.chrome as chrome
from newsclean.chrome import LineVerdict
from newsclean.cli import main
from newsclean.config import Config


def _article(i: int) -> str:
    return (
        f"记者从第{i}区获悉,截至本月,该区累计开复工企业{i * 37 % 900 + 100}家,"
        f"复工率达到{i % 50 + 50}%,重点项目{i * 13 % 97}个已全面开工建设。\n\n"
        f"为帮助企业解决用工难题,第{i}区人社部门开通专车{i % 9 + 1}趟,"
        f"接回外地务工人员{i * 211 % 5000}人,并为{i * 17 % 300}家企业发放稳岗补贴。\n"
    )


@pytest.fixture
def fake_chrome(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-rule chrome detector, so these tests pin the CLI's logic, not the detector's."""

    def detect(text: str, config: Config, *a: Any, **k: Any) -> chrome.Detection:
        verdicts = tuple(
            LineVerdict(i, t, "related-list" if "相关阅读" in t else None)
            for i, t in enumerate(text.split("\n"), 1)
        )
        return chrome.Detection(verdicts, config=config)

    monkeypatch.setattr(chrome, "detect", detect)


def test_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    assert main(["--help"]) == 0
    assert main(["--version"]) == 0
    assert "newsclean" in capsys.readouterr().out
    assert main(["run", "--no-such-flag"]) == 2
    assert main(["run", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "in").mkdir()
    assert main(["run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--threshold", "7"]) == 2
    assert "threshold" in capsys.readouterr().err
    args = ["run", str(tmp_path / "in"), "-o", str(tmp_path / "o")]
    assert main([*args, "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--engine dask" in capsys.readouterr().err
    assert main([*args, "--engine", "spark"]) == 2

    import newsclean.batch as batch

    def broken(*a: Any, **k: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(batch, "run_batch", broken)
    assert main(["run", str(tmp_path / "in"), "-o", str(tmp_path / "o")]) == 123
    assert "RuntimeError: a bug" in capsys.readouterr().err


def test_run_over_seeds_writes_outputs_and_summary(
    tmp_path: Path, capsys: Any, seed_paths: list[Path]
) -> None:
    seeds = str(seed_paths[0].parent)
    out = tmp_path / "out"
    assert main(["run", seeds, "-o", str(out), "-j", "2"]) == 0
    err = capsys.readouterr().err
    assert "5 documents" in err and "manifest.jsonl" in err
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 5
    rec = json.loads(lines[0])
    assert set(rec) >= {
        "path",
        "id",
        "sha256",
        "status",
        "reason",
        "cluster_id",
        "duplicate_of",
        "removed",
    }
    assert (out / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert main(["run", seeds, "-o", str(out), "-q"]) == 0  # same args: resumes
    assert capsys.readouterr().err == ""
    # A dedup-only change re-clusters from the journal; a cleaning change is refused.
    assert main(["run", seeds, "-o", str(out), "-q", "--threshold", "0.5"]) == 0
    assert main(["run", seeds, "-o", str(out), "-q", "--language", "en"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["run", seeds, "-o", str(Path(seeds) / "out")]) == 2


def test_settings_file_keys_warnings_and_flags_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    proj = tmp_path / "proj"
    (proj / "corpus").mkdir(parents=True)
    (proj / "corpus" / "a.txt").write_text(_article(1), "utf-8")
    (proj / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.newsclean]\nlayout = 'jsonl'\nmax-input-bytes = 10\n"
        "treshold = 0.9\nworkers = 1\nforce = true\n",
        "utf-8",
    )
    monkeypatch.chdir(proj / "corpus")  # the nearest pyproject.toml is one folder up
    assert main(["run", ".", "-o", "../o1", "-q"]) == 1
    err = capsys.readouterr().err
    assert "unknown key 'treshold'" in err and "did you mean 'threshold'" in err
    assert "'force' in pyproject.toml is ignored: give --force on the command line" in err
    (rec,) = [
        json.loads(x) for x in (proj / "o1" / "manifest.jsonl").read_text("utf-8").splitlines()
    ]
    assert rec["reason"] == "too-large"  # max-input-bytes from the file reached the reader
    assert (proj / "o1" / "data").is_dir()  # layout from the file
    # Flags win over the file.
    assert (
        main(["run", ".", "-o", "../o2", "-q", "--layout", "mirror", "--max-input-bytes", "100000"])
        == 0
    )
    assert (proj / "o2" / "a.txt").exists()
    # newsclean.toml in the same folder beats pyproject.toml.
    (proj / "newsclean.toml").write_text("layout = 'mirror'\n", "utf-8")
    assert main(["run", ".", "-o", "../o3", "-q"]) == 0
    assert (proj / "o3" / "a.txt").exists()
    (proj / "newsclean.toml").write_text("layout = [", "utf-8")
    assert main(["run", ".", "-o", "../o4"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_clean_to_stdout_and_dedup_listing(tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "a.txt"
    f.write_text(_article(3), "utf-8")
    assert main(["clean", str(f)]) == 0
    assert "重点项目" in capsys.readouterr().out
    # a typed path that is not there is a usage error, as in run and dedup
    assert main(["clean", str(tmp_path / "nope.txt")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_check_reports_findings_and_fix_preserves_encoding_and_newlines(
    tmp_path: Path, capsys: Any
) -> None:
    body = _article(5).replace(",", ", ").rstrip("\n").split("\n")
    lines = [body[0], "", "责任编辑：张三", "", body[2]]
    dirty = tmp_path / "d.txt"
    raw = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    dirty.write_bytes(raw)
    assert main(["check", str(dirty)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{dirty}:3: editor-line: 责任编辑：张三" in out
    assert any(x.startswith(f"{dirty}:1: not-normalized") for x in out)

    assert main(["check", "--diff", "--unsafe-fixes", str(dirty)]) == 1
    diff = capsys.readouterr().out
    assert diff.startswith(f"--- a/{dirty}") and "-责任编辑：张三" in diff
    assert dirty.read_bytes() == raw  # --diff writes nothing
    assert main(["check", "--check", str(dirty)]) == 1
    assert capsys.readouterr().out == ""  # --check: the summary only
    assert dirty.read_bytes() == raw

    safe = tmp_path / "safe.txt"
    safe.write_bytes(raw)
    assert main(["check", "--fix", str(safe)]) == 1  # normalized; the editor line is left
    res = capsys.readouterr()
    assert res.out.splitlines() == [f"{safe}:3: editor-line: 责任编辑：张三"]
    assert "fixed 2 findings in 1 file; 1 finding left" in res.err
    assert "责任编辑：张三" in safe.read_bytes().decode("utf-8-sig")

    assert main(["check", "--fix", "--unsafe-fixes", str(dirty)]) == 0  # all fixed
    assert "fixed 3 findings in 1 file" in capsys.readouterr().err
    fixed = dirty.read_bytes()
    assert (
        fixed.startswith(b"\xef\xbb\xbf")
        and b"\r\n" in fixed
        and b"\n" not in fixed.replace(b"\r\n", b"")
    )
    assert "责任编辑" not in fixed.decode("utf-8-sig")
    assert main(["check", str(dirty)]) == 0  # a fixed file checks clean
    assert capsys.readouterr().out == ""


def test_check_fix_keeps_gbk(tmp_path: Path) -> None:
    from newsclean.decode import decode_bytes
    from newsclean.errors import InputError

    text = _article(6) + "\n责任编辑：张三\n"
    data = text.encode("gbk")
    try:
        if decode_bytes(data).encoding.lower().replace("-", "") not in {"gbk", "gb18030", "gb2312"}:
            pytest.skip("the decoder does not detect GBK (yet)")
    except InputError:
        pytest.skip("the decoder does not detect GBK (yet)")
    f = tmp_path / "g.txt"
    f.write_bytes(data)
    assert main(["check", "--fix", "--unsafe-fixes", "-q", str(f)]) == 0
    new = f.read_bytes()
    assert "责任编辑" not in new.decode("gbk") and "稳岗补贴" in new.decode("gbk")


def test_check_jsonl_records_and_per_file_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from newsclean.normalize import normalize

    clean_text = normalize(_article(7))
    other = normalize(_article(9))
    recs = [{"id": "a", "text": clean_text}, {"id": "b", "text": other + "\n\n责任编辑：张三"}]
    f = tmp_path / "c.jsonl.gz"
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode()
    f.write_bytes(gzip.compress(payload))
    assert main(["check", "-q", str(f)]) == 1
    assert f"{f}:2: editor-line: 责任编辑：张三" in capsys.readouterr().out
    assert main(["check", "--fix", "--unsafe-fixes", "-q", str(f)]) == 0
    got = [json.loads(x) for x in gzip.decompress(f.read_bytes()).decode().splitlines()]
    assert got[0] == recs[0] and got[1] == {"id": "b", "text": other}

    t = tmp_path / "t.txt"
    t.write_text(_article(8) + "责任编辑：张三\n", "utf-8")
    (tmp_path / "newsclean.toml").write_text(
        '[per-file-ignores]\n"t.txt" = ["editor-line", "not-normalized"]\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check", "t.txt"]) == 0


def test_show_plain_when_not_a_terminal(tmp_path: Path, fake_chrome: None, capsys: Any) -> None:
    f = tmp_path / "s.txt"
    f.write_text("正文第一段\n相关阅读:别的\n", "utf-8")
    assert main(["show", str(f)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "              | 正文第一段"
    assert out[1] == " related-list | 相关阅读:别的"
    assert "\x1b[" not in "".join(out)


def test_check_against_a_committed_index_leaves_it_untouched(
    tmp_path: Path, seed_paths: list[Path], capsys: Any
) -> None:
    from newsclean.dedup import Deduplicator
    from newsclean.normalize import normalize

    text = normalize(seed_paths[1].read_text("utf-8"))
    idx = tmp_path / "index.sqlite"
    with Deduplicator(path=str(idx)) as dd:
        assert dd.add("archive/old.txt", text) is None
    before = idx.read_bytes()
    new = tmp_path / "new.txt"
    new.write_text(text + "\n", "utf-8")
    assert main(["check", "-q", "--index", str(idx), str(new)]) == 1
    out = capsys.readouterr().out
    assert f"{new}:1: near-duplicate: of archive/old.txt in the index" in out
    assert idx.read_bytes() == before


def test_check_against_an_index_still_being_written_sees_its_wal(
    tmp_path: Path, seed_paths: list[Path], capsys: Any
) -> None:
    # A crawler still holding the index open keeps its latest entries in -wal;
    # a copy of the main file alone would not know them.
    from newsclean.dedup import Deduplicator
    from newsclean.normalize import normalize

    text = normalize(seed_paths[1].read_text("utf-8"))
    idx = tmp_path / "index.sqlite"
    dd = Deduplicator(path=str(idx))
    try:
        assert dd.add("archive/old.txt", text) is None
        assert Path(f"{idx}-wal").stat().st_size > 0  # the entry is in the WAL, not yet in idx
        wal_before = Path(f"{idx}-wal").read_bytes()
        new = tmp_path / "new.txt"
        new.write_text(text + "\n", "utf-8")
        assert main(["check", "-q", "--index", str(idx), str(new)]) == 1
        assert (
            f"{new}:1: near-duplicate: of archive/old.txt in the index" in capsys.readouterr().out
        )
        assert Path(f"{idx}-wal").read_bytes() == wal_before  # the user's index is untouched
    finally:
        dd.close()


def test_check_against_an_index_reports_a_pair_of_checked_files_once(
    tmp_path: Path, capsys: Any
) -> None:
    # Each checked file was added to the index copy, so the second of a pair
    # matched the first "in the index" as well: two findings, one of them false.
    from newsclean.dedup import Deduplicator
    from tests.test_dedup import english_bodies

    body, other = english_bodies(2)
    idx = tmp_path / "index.sqlite"
    with Deduplicator(path=str(idx)) as dd:
        assert dd.add("archive/other.txt", other) is None
    (tmp_path / "a.txt").write_text(body + "\n", "utf-8")
    (tmp_path / "b.txt").write_text(body + "\n\nOne more closing line for the reprint.\n", "utf-8")
    main(["check", "-q", "--index", str(idx), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    dups = [x for x in capsys.readouterr().out.splitlines() if "near-duplicate" in x]
    assert len(dups) == 1, dups
    # The batch pass names either as the original; neither is in the index.
    assert str(tmp_path / "a.txt") in dups[0] and str(tmp_path / "b.txt") in dups[0]
    assert "in the index" not in dups[0]


@pytest.mark.parametrize("kind", ["empty", "other-program"])
def test_check_index_that_no_deduplicator_wrote_exits_2_naming_it(
    tmp_path: Path, kind: str, capsys: Any
) -> None:
    # SQLite takes a 0-byte file (or another program's database) for a new
    # one: the check passed silently against an empty index.
    import contextlib
    import sqlite3

    idx = tmp_path / "index.db"
    if kind == "empty":
        idx.write_bytes(b"")
    else:
        with contextlib.closing(sqlite3.connect(idx)) as conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
            conn.commit()
    before = idx.read_bytes()
    doc = tmp_path / "a.txt"
    doc.write_text("The council approved the harbour budget on Tuesday.\n", "utf-8")
    assert main(["check", "--index", str(idx), str(doc)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsclean: {idx}: is not a newsclean index ("), err
    assert ("an empty file" in err) == (kind == "empty")
    assert idx.read_bytes() == before  # still the user's file, untouched


def test_every_verb_over_seeds_as_the_readme_shows(
    tmp_path: Path, seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    seeds = str(seed_paths[0].parent)
    monkeypatch.chdir(tmp_path)
    assert main(["run", seeds, "-o", "out", "-q"]) == 0
    assert main(["clean", str(seed_paths[0])]) == 0
    assert main(["clean", seeds, "-o", "cleaned", "-q"]) == 0
    capsys.readouterr()
    # An output folder feeds the next verb: its manifest and report are not inputs.
    assert main(["dedup", "cleaned"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["check", "-q", "out"]) == 0  # run's output is clean by check's standard
    assert main(["check", "--diff", seeds]) == 1  # raw scraped pages are not
    assert capsys.readouterr().out.startswith("--- a/")
    assert main(["show", str(seed_paths[0])]) == 0
    assert " | " in capsys.readouterr().out


def test_readme_documents_every_settings_key() -> None:
    from newsclean.cli import _option_keys
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("<!-- section:cli -->") : readme.index("<!-- /section:cli -->")]
    keys = {k for verb in _option_keys().values() for k in verb} | {"per-file-ignores"}
    missing = sorted(k for k in keys if f"`{k}`" not in section)
    assert missing == [], f"document these keys in README's cli section: {missing}"


def test_check_fix_on_a_raw_page_removes_chrome_lines_never_body(
    tmp_path: Path, capsys: Any
) -> None:
    seed = Path(__file__).resolve().parent.parent / "seeds" / "004_21d4ab72e5b4292a.txt"
    page = tmp_path / "p.txt"
    page.write_bytes(seed.read_bytes())
    assert main(["check", "-q", str(page)]) == 1
    assert main(["check", "--fix", "--unsafe-fixes", "-q", str(page)]) in (0, 1)
    fixed = page.read_text("utf-8")
    assert len(fixed) < len(seed.read_text("utf-8"))
    expected = Path(__file__).resolve().parent.parent / "fixtures" / "seeds_expected"
    from newsclean.normalize import normalize_line

    for para in (expected / f"{seed.stem}.txt").read_text("utf-8").split("\n\n"):
        # every body paragraph is still there (a pasted 【title】 prefix included:
        # check cuts no fragment out of a line, that needs the page's structure)
        assert normalize_line(para.strip(), Config()) in fixed
    capsys.readouterr()
    assert main(["check", str(page)]) == 0


def test_show_marks_a_fragment_cut_out_of_a_kept_line(capsys: Any) -> None:
    seed = Path(__file__).resolve().parent.parent / "seeds" / "004_21d4ab72e5b4292a.txt"
    assert main(["show", str(seed)]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "键对键" in x]
    label, _, shown = line.partition(" | ")
    assert label.strip() == "injection"
    assert shown.startswith("[-【[改革发展]政府服务送上门 企业复工更有序】-]推行")


def test_dedup_prints_the_texts_dedup_o_writes(
    tmp_path: Path, seed_paths: list[Path], capsys: Any
) -> None:
    # One pipeline: dedup without -o read a page as raw markup and decoded text
    # without the user's config, while dedup -o cleans pages in the worker step.
    src = tmp_path / "in"
    src.mkdir()
    page = sorted((Path(__file__).parent.parent / "fixtures" / "bench" / "en" / "html").iterdir())[
        0
    ]
    (src / "page.html").write_bytes(gzip.decompress(page.read_bytes()))
    (src / "seed.txt").write_bytes(b"  " + seed_paths[0].read_bytes() + b"\n\n")
    assert main(["dedup", str(src), "--format", "json"]) == 0
    printed = {
        (r["id"], r["metadata"]["source_path"]): r["text"]
        for r in map(json.loads, capsys.readouterr().out.splitlines())
    }
    out = tmp_path / "out"
    args = [
        "dedup",
        str(src),
        "-o",
        str(out),
        "-q",
        "-j",
        "1",
        "--layout",
        "jsonl",
        "--keep-duplicates",
    ]
    assert main(args) == 0
    with gzip.open(out / "data" / "part-00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        written = {(r["id"], r["metadata"]["source_path"]): r["text"] for r in map(json.loads, fh)}
    assert printed == written  # ids and paths too: one document, one name in every verb
    assert "<" not in printed[("page", str(src / "page.html"))]  # cleaned, not read as markup


@pytest.mark.parametrize("verb", ["run", "dedup", "check", "show"])
def test_a_folder_with_no_input_files_is_named_not_passed_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    src = tmp_path / "pages"
    src.mkdir()
    for name in ("a.shtml", "b.shtml", "c.php"):
        (src / name).write_text("<html><body><p>A story.</p></body></html>", "utf-8")
    args = [verb, str(src)] + (["-o", str(tmp_path / "out"), "-q"] if verb == "run" else [])
    main(args)
    err = capsys.readouterr().err
    assert f"no input files in {src}" in err
    assert ".shtml ×2" in err and ".php ×1" in err
    if verb in ("run", "dedup"):
        assert "--include '*.shtml'" in err
    else:  # check reads a folder's text files only; a named file is read
        assert "--include" not in err and "name one file" in err
    (tmp_path / "empty").mkdir()
    main([verb, str(tmp_path / "empty")] + (["-o", str(tmp_path / "o2")] if verb == "run" else []))
    assert f"no input files in {tmp_path / 'empty'}" in capsys.readouterr().err


def test_dedup_lists_no_empty_text_as_a_duplicate(tmp_path: Path, capsys: Any) -> None:
    """An empty text is nobody's representative and nobody's duplicate: the
    listing (one line per duplicate) printed "ws.txt<TAB>None<TAB>" for it."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(_article(3), "utf-8")
    (src / "b.txt").write_text(_article(3), "utf-8")
    (src / "ws.txt").write_text("   \n", "utf-8")
    main(["dedup", str(src)])
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in listed] == [str(src / "b.txt")]
