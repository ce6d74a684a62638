"""A broken or mistyped settings file is a usage error naming the file and the key
as the user wrote it, never a silent fallback or a ``--flag`` they never typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main


def _run_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, toml: str) -> int:
    (tmp_path / name).write_text(toml, "utf-8")
    (tmp_path / "a.txt").write_text("正文\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return main(["check", "-q", "a.txt"])


@pytest.mark.parametrize("name", ["pyproject.toml", "newsclean.toml"])
def test_malformed_settings_file_is_an_error_wherever_it_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, name: str
) -> None:
    rc = _run_with(tmp_path, monkeypatch, name, "[tool.newsclean\nthreshold = 0.8\n")
    assert rc == 2
    assert f"{name} is not valid TOML" in capsys.readouterr().err


def test_a_broken_pyproject_of_another_tool_is_not_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run_with(tmp_path, monkeypatch, "pyproject.toml", "[tool.black\n") != 2
