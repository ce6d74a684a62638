"""A file name holding a newline or tab is printed escaped, as the manifest holds it.

Printed raw, ``a<newline>b.txt:1: near-duplicate`` is two lines to every tool
that parses ``path:line``, and a tab in a name adds a column to dedup's list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsclean.cli import main
from newsclean.wording import printable_line
from tests.test_cli import _article


def _pair(tmp_path: Path, name: str) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    odd, plain = folder / name, folder / "plain.txt"
    odd.write_text(_article(3) + "责任编辑：张三\n", "utf-8")
    plain.write_text(_article(3), "utf-8")
    return odd, plain


def test_check_prints_a_name_with_a_newline_or_tab_escaped(tmp_path: Path, capsys: Any) -> None:
    odd, plain = _pair(tmp_path, "a\nb\tc.txt")
    assert main(["check", str(odd.parent)]) == 1
    out = capsys.readouterr().out.splitlines()
    shown = str(odd.parent) + "/a\\nb\\tc.txt"
    assert f"{shown}:{_article(3).count(chr(10)) + 1}: editor-line: 责任编辑：张三" in out
    dup = [x for x in out if "near-duplicate" in x]
    assert dup and all(x.split(":")[0] in (shown, str(plain)) for x in dup)
    assert f"of {shown}" in "".join(dup) or f"of {plain}" in "".join(dup)
    # every printed line is a finding: none was split by the name
    assert all(x.startswith((shown + ":", str(plain) + ":")) for x in out), out
    # --format json: JSON's own escape, the raw name back when parsed
    assert main(["check", str(odd.parent), "--format", "json"]) == 1
    paths = {json.loads(x)["path"] for x in capsys.readouterr().out.splitlines()}
    assert str(odd) in paths


def test_clean_dedup_and_run_print_such_a_name_escaped(tmp_path: Path, capsys: Any) -> None:
    odd, plain = _pair(tmp_path, "a\tb\nc.txt")
    shown = printable_line(str(odd))
    assert "\\t" in shown and "\\n" in shown
    assert main(["dedup", str(odd), str(plain)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows and all(len(r.split("\t")) == 3 for r in rows), rows
    assert shown in rows[0].split("\t")
    empty = odd.parent / "x\ny.txt"
    empty.write_text("", "utf-8")
    assert main(["clean", str(empty)]) == 1
    err = capsys.readouterr().err
    assert f"{printable_line(str(empty))}: empty" in err and "x\ny" not in err
    assert main(["run", str(odd.parent), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "x\\ny.txt: empty" in err and "x\ny" not in err


def test_error_messages_name_such_a_file_escaped() -> None:
    from newsclean import EnvironmentProblem, InputError

    assert str(InputError("binary", "NUL bytes", path="a\nb.txt")) == "a\\nb.txt: binary: NUL bytes"
    assert str(EnvironmentProblem("x\ty.db", "locked")) == "x\\ty.db: locked"
