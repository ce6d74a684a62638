"""What a new user of the command line ran into: data streams, notes, exit codes, locks."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main

#: A line normalization changes and a line a lexicon rule claims, too short for a body.
SHORT = "企业 , 复工 。\n责任编辑：张三\n"


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
