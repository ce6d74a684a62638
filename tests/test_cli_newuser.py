"""What a new user of the command line ran into: data streams, notes, exit codes, locks."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main

#: A line normalization changes and a line a lexicon rule claims, too short for a body.
SHORT = "企业 , 复工 。\n责任编辑：张三\n"


# -v configures the process's "newsclean" logger: leave it as found (conftest)
pytestmark = pytest.mark.usefixtures("restore_logging")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# --------------------------------------------------------------------------- check --fix -


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_fix_stdin_prints_only_the_fixed_text_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: Any, fmt: str
) -> None:
    # `check --fix - > fixed.txt` (black -, ruff --fix -): the findings left
    # must not end up in fixed.txt, appended to the text.
    _stdin(monkeypatch, SHORT.encode())
    assert main(["check", "--fix", "--format", fmt, "-"]) == 1
    out, err = capsysbinary.readouterr()
    assert out.decode() == "企业，复工。\n责任编辑：张三\n"
    assert b"no-body" in err


# --------------------------------------------------------------------------- left out by suffix

PAGE = (
    "<html><head><title>Harbour plan approved</title></head><body><article>"
    "<h1>Harbour plan approved</h1><p>The city council approved the harbour plan on Monday "
    "after a long debate about its cost and the schedule of the works.</p><p>Work on the new "
    "quay is to start in the spring and to end two years later, the mayor said.</p>"
    "</article></body></html>"
)


def _mixed(tmp_path: Path) -> Path:
    """A folder of one page, three files of unknown suffixes, and a sub-folder of none."""
    mix = tmp_path / "mix"
    (mix / "sub").mkdir(parents=True)
    (mix / "zh1.html").write_text(PAGE, "utf-8")
    (mix / "page.shtml").write_text(PAGE, "utf-8")
    (mix / "notes.md").write_text("# notes\n", "utf-8")
    (mix / "sub" / "story.php").write_text(PAGE, "utf-8")
    return mix


def _verb_args(verb: str, mix: Path, tmp_path: Path) -> list[str]:
    out = ["-o", str(tmp_path / f"out-{verb.replace(' ', '-')}"), "-j", "1"]
    return {
        "run": ["run", str(mix), *out],
        "clean -o": ["clean", str(mix), *out],
        "dedup -o": ["dedup", str(mix), *out],
        "dedup": ["dedup", str(mix)],
        "check": ["check", str(mix)],
        "show": ["show", str(mix)],
    }[verb]


@pytest.mark.parametrize("verb", ["run", "clean -o", "dedup -o", "dedup", "check", "show"])
def test_every_verb_says_which_files_a_folder_left_out_by_suffix(
    tmp_path: Path, capsys: Any, verb: str
) -> None:
    mix = _mixed(tmp_path)
    assert main(_verb_args(verb, mix, tmp_path)) == 0  # a note, not a finding
    err = capsys.readouterr().err
    assert f"{mix}: 3 files left out by suffix (.md ×1, .php ×1, .shtml ×1" in err
    assert str(mix / "page.shtml") in err and str(mix / "sub" / "story.php") in err
    # the sub-folder that gave nothing is named, though its parent gave a page
    assert f"no input files in {mix / 'sub'}; 1 left out by suffix (.php ×1)" in err
    if verb in ("show",):
        return  # show has no -q
    assert main([*_verb_args(verb, mix, tmp_path), "-q"]) == 0
    assert "left out" not in capsys.readouterr().err


def test_run_still_writes_one_manifest_line_per_input_it_read(tmp_path: Path, capsys: Any) -> None:
    mix = _mixed(tmp_path)
    assert main(["-v", "run", str(mix), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    lines = (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(x)["path"] for x in lines] == [str(mix / "zh1.html")]
    assert "3 files left out by suffix" in capsys.readouterr().err


def test_thousands_of_left_out_files_are_one_line_not_thousands(
    tmp_path: Path, capsys: Any
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(PAGE, "utf-8")
    for i in range(300):
        (src / f"p{i:03}.php").write_text("x", "utf-8")
        (src / f"d{i:03}").mkdir()
        (src / f"d{i:03}" / "x.shtml").write_text("x", "utf-8")
    assert main(["dedup", str(src)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) <= 8, err
    assert any("600 files left out by suffix (.php ×300, .shtml ×300" in x for x in err)
    assert any("and 295 more folders" in x for x in err)


def test_check_says_it_left_out_a_folders_json_files(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "a.txt").write_text(
        "记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成。\n", "utf-8"
    )
    (src / "dump.json").write_text('[{"text": "x"}]', "utf-8")
    main(["check", str(src)])
    assert "1 file left out by suffix (.json ×1" in capsys.readouterr().err


def test_one_file_named_twice_is_called_the_same_file(tmp_path: Path, capsys: Any) -> None:
    page = tmp_path / "zh1.html"
    page.write_text(PAGE, "utf-8")
    args = ["run", str(page), str(tmp_path / "." / "zh1.html"), "-o", str(tmp_path / "out")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "are the same file; name it once" in err and "folder name" not in err


# --------------------------------------------------------------------------- exit codes and --format


@pytest.mark.parametrize("verb", ["clean", "dedup", "check", "show"])
@pytest.mark.parametrize("case", ["no-body", "jsonl-errors", "fine"])
def test_the_exit_code_does_not_depend_on_the_output_format(
    tmp_path: Path, capsys: Any, verb: str, case: str
) -> None:
    # A guard: the tester saw `clean --format json` exit 0 where `clean` exits 1
    # (not reproduced: most likely a pipe's status); every verb with --format is held to it.
    if case == "no-body":
        f = tmp_path / "a.txt"
        f.write_text("short\n", "utf-8")
    elif case == "jsonl-errors":
        f = tmp_path / "feed.jsonl"
        f.write_text('{"id": 1, "text": "x"}\n{bad json\n{"id": 2}\n{"id": 3, "text": ""}\n')
    else:
        f = tmp_path / "page.html"
        f.write_text(PAGE, "utf-8")
    codes = {fmt: main([verb, "--format", fmt, str(f)]) for fmt in ("text", "json")}
    capsys.readouterr()
    assert codes["text"] == codes["json"], codes
    if case != "fine" and verb in ("clean", "check"):
        assert codes["json"] == 1


# --------------------------------------------------------------------------- one run per OUT

#: Holds OUT's lock as a run does (a POSIX record lock, its pid in the file) until killed.
_HOLDER = """
import fcntl, os, sys, time
path = sys.argv[1]
os.makedirs(os.path.dirname(path), exist_ok=True)
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
os.write(fd, str(os.getpid()).encode() + b"\\n")
print("held", flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX record locks")
def test_a_second_run_into_a_busy_out_stops_at_once_and_a_killed_runs_lock_is_gone(
    tmp_path: Path, capsys: Any
) -> None:
    import signal
    import subprocess

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(PAGE, "utf-8")
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(out / ".newsclean" / "lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert main(["run", str(src), "-o", str(out), "-j", "1", "-q"]) == 2
        err = capsys.readouterr().err
        assert f"is in use by another newsclean run (pid {holder.pid})" in err
        assert "journal" not in err
        assert sorted(p.name for p in out.rglob("*")) == [".newsclean", "lock"]  # untouched
    finally:
        holder.send_signal(signal.SIGKILL)  # as kill -9: the kernel drops the lock
        holder.wait()
    assert main(["run", str(src), "-o", str(out), "-j", "1", "-q"]) == 0
    assert len((out / "manifest.jsonl").read_text("utf-8").splitlines()) == 1
    assert not (out / ".newsclean" / "lock").exists()  # a run's lock goes with it


def test_a_run_refused_leaves_no_trace_in_a_folder_it_did_not_write(
    tmp_path: Path, capsys: Any
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(PAGE, "utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", "utf-8")
    assert main(["run", str(src), "-o", str(mine), "-q"]) == 2
    assert "was not written by newsclean" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


# --------------------------------------------------------------------------- check --fix, unwritable


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (30, "its folder {folder} is on a read-only file system"),  # EROFS
        (13, "its folder {folder} is not writable (Permission denied)"),  # EACCES
    ],
)
def test_check_fix_names_the_file_whose_folder_cannot_be_written_and_fixes_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, code: int, said: str
) -> None:
    import errno
    import os
    import tempfile

    assert errno.EROFS == 30 and errno.EACCES == 13
    ro, rw = tmp_path / "ro", tmp_path / "rw"
    for folder in (ro, rw):
        folder.mkdir()
        (folder / "a.txt").write_text(SHORT, "utf-8")
    real = tempfile.mkstemp

    def mkstemp(*args: Any, dir: Any = None, **kw: Any) -> Any:
        if dir is not None and Path(dir) == ro:
            name = os.path.join(dir, ".a.txt.x1y2.tmp")
            raise OSError(code, os.strerror(code), name)
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert main(["check", "--fix", str(ro), str(rw)]) == 2
    err = capsys.readouterr().err
    assert f"{ro / 'a.txt'}: not fixed: {said.format(folder=ro)}" in err
    assert ".tmp" not in err and "OUT" not in err
    assert "1 file could not be written" in err
    assert (ro / "a.txt").read_text("utf-8") == SHORT
    assert (rw / "a.txt").read_text("utf-8") == "企业，复工。\n责任编辑：张三\n"


# --------------------------------------------------------------------------- -v after the verb


def test_verbose_is_taken_after_the_verb_as_before_it(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(PAGE, "utf-8")
    for i in range(7):
        (src / f"bad{i}.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    out = str(tmp_path / "out")
    for args in (["-v", "run", str(src), "-o", out], ["run", str(src), "-o", out, "-v"]):
        assert main([*args, "-j", "1"]) == 1
        named = [x for x in capsys.readouterr().err.splitlines() if x.endswith(": binary")]
        assert len(named) == 7, args  # -v names every failed input, not the first five


@pytest.mark.parametrize("verb", ["run", "clean", "dedup", "check", "show"])
def test_every_verb_takes_v_and_vv_after_it(tmp_path: Path, capsys: Any, verb: str) -> None:
    f = tmp_path / "a.html"
    f.write_text(PAGE, "utf-8")
    args = [verb, str(f)] + (
        ["-o", str(tmp_path / "out"), "-j", "1", "-q"] if verb == "run" else []
    )
    assert main([*args, "-vv"]) == 0
    assert "No such option" not in capsys.readouterr().err
    assert logging.getLogger("newsclean").level == logging.DEBUG


def test_verbose_in_a_settings_file_is_ignored_with_a_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    (tmp_path / "newsclean.toml").write_text("verbose = 1\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(PAGE, "utf-8")
    main(["clean", "a.txt"])
    assert "'verbose' in" in capsys.readouterr().err


# --------------------------------------------------------------------------- --force


def test_the_force_refusal_names_only_the_settings_that_force_it(
    tmp_path: Path, capsys: Any
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(PAGE, "utf-8")
    out = str(tmp_path / "out")
    base = ["run", str(src), "-o", out, "-j", "1", "-q"]
    assert main([*base, "--threshold", "0.5", "--layout", "jsonl"]) == 0
    assert main([*base, "--min-body-chars", "60"]) == 2
    err = capsys.readouterr().err
    assert "was written with other settings (config.min_body_chars)" in err
    assert "threshold" not in err and "layout" not in err


# --------------------------------------------------------------------------- show

BODY = (
    "The city council approved the harbour plan on Monday after a long debate about its cost.\n"
    "\n"
    "Work on the new quay is to start in the spring and to end two years later, the mayor said.\n"
)


def test_show_prints_no_empty_line_for_a_files_final_newline(tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "a.txt"
    f.write_text(BODY, "utf-8")
    assert main(["show", str(f)]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[-1].endswith("the mayor said."), shown
    assert main(["show", "--format", "json", str(f)]) == 0
    lines = json.loads(capsys.readouterr().out)["lines"]
    assert lines[-1]["text"].endswith("the mayor said.")
    assert [x["text"] for x in lines].count("") == 1  # the blank line between the paragraphs


def test_show_says_no_body_and_exits_as_clean_does(tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "a.txt"
    f.write_text("short\n", "utf-8")
    assert main(["clean", str(f)]) == 1
    capsys.readouterr()
    assert main(["show", str(f)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[-1].startswith("# no body: less than 40 characters")
    assert f"{f}: no-body" in err
    assert main(["show", "--format", "json", str(f)]) == 1
    assert json.loads(capsys.readouterr().out)["flags"] == ["no-body"]


def test_show_json_has_one_schema_for_one_document_and_for_several(
    tmp_path: Path, capsys: Any
) -> None:
    one = tmp_path / "a.txt"
    one.write_text(BODY, "utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "text": BODY}) + "\n" for i in (1, 2)), "utf-8")
    main(["show", "--format", "json", str(one)])
    (single,) = map(json.loads, capsys.readouterr().out.splitlines())
    main(["show", "--format", "json", str(feed)])
    several = list(map(json.loads, capsys.readouterr().out.splitlines()))
    keys = ["path", "text", "source", "flags", "lines"]
    assert list(single) == keys and all(list(x) == keys for x in several)
    assert single["path"] == str(one)
    assert [x["path"] for x in several] == [f"{feed}:1", f"{feed}:2"]


def test_show_explains_each_document_of_a_folder(tmp_path: Path, capsys: Any) -> None:
    # documented: show FILE takes a folder as it takes a JSONL file, one document after another
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(BODY, "utf-8")
    assert main(["show", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"==> {tmp_path / 'a.txt'} <==" in out and f"==> {tmp_path / 'b.txt'} <==" in out


# --------------------------------------------------------------------------- small things


def test_a_record_that_is_no_object_is_named_in_jsons_words(tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "kinds.jsonl"
    f.write_text('1\n"s"\n[1]\nnull\ntrue\n', "utf-8")
    assert main(["clean", str(f)]) == 1
    err = capsys.readouterr().err
    for n, kind in enumerate(("a number", "a string", "an array", "null", "a boolean"), 1):
        assert f"record {n} is {kind}, not an object" in err
    assert "a int" not in err and "a list" not in err


@pytest.mark.parametrize("verb", ["run", "dedup", "check"])
def test_an_empty_input_exits_0_and_says_so_even_when_quiet(
    tmp_path: Path, capsys: Any, verb: str
) -> None:
    # as black's "No Python files are present": a note, not a failure; never silent
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [verb, str(empty), "-q"] + (["-o", str(tmp_path / "out")] if verb == "run" else [])
    assert main(args) == 0
    assert f"no input files in {empty}" in capsys.readouterr().err


# --------------------------------------------------------------------------- one id per document


def _manifest(out: Path) -> list[tuple[str, str]]:
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    return [(r["id"], r["path"]) for r in map(json.loads, lines)]


def _printed(capsys: Any) -> list[tuple[str, str]]:
    recs = map(json.loads, capsys.readouterr().out.splitlines())
    return [(r["id"], r["metadata"]["source_path"]) for r in recs]


def test_a_document_has_the_same_id_in_run_clean_and_dedup(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(BODY, "utf-8")
    (src / "a.html").write_text(PAGE, "utf-8")  # the same id: a~2, in input order
    (src / "sub" / "x.txt").write_text(BODY.replace("Monday", "Tuesday"), "utf-8")
    recs = [{"id": 7, "text": BODY.upper()}, {"text": BODY.lower()}]  # a JSON id, and none
    (src / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    run = ["run", "-j", "1", "-q", "--threshold", "0.99", "-o"]

    assert main([*run, str(tmp_path / "o1"), str(src)]) == 0
    manifest = _manifest(tmp_path / "o1")
    assert [i for i, _ in manifest] == ["a", "a~2", "7", "feed:2", "sub/x"]
    main(["dedup", "--format", "json", "--threshold", "0.99", str(src)])
    assert _printed(capsys) == manifest

    feed = str(src / "feed.jsonl")
    assert main([*run, str(tmp_path / "o2"), feed]) == 0
    main(["clean", "--format", "json", feed])
    assert (
        _printed(capsys)
        == _manifest(tmp_path / "o2")
        == [
            ("7", f"{feed}:1"),
            ("feed:2", f"{feed}:2"),
        ]
    )

    files = [str(src / "a.txt"), str(src / "sub" / "x.txt")]
    assert main([*run, str(tmp_path / "o3"), *files]) == 0
    main(["clean", "--format", "json", *files])
    assert _printed(capsys) == _manifest(tmp_path / "o3")


def test_show_batch_says_what_its_folder_left_out(tmp_path: Path, capsys: Any) -> None:
    mix = _mixed(tmp_path)
    assert main(["show", "--batch", str(mix), str(mix / "zh1.html")]) == 0
    err = capsys.readouterr().err
    assert f"{mix}: 3 files left out by suffix" in err and "run leaves them out too" in err
