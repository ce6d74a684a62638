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


@pytest.mark.parametrize(
    ("toml", "fragments"),
    [
        ('threshold = "high"', ('threshold = "high"', "not a valid float")),
        ("threshold = 2.0", ("threshold = 2.0", "(0, 1]")),
        ('exclude = "drafts/*"', ("exclude", 'exclude = ["drafts/*"]')),
        ('punctuation = "wide"', ('punctuation = "wide"', "fullwidth")),
    ],
)
def test_bad_values_name_the_file_and_the_key_not_a_flag(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    toml: str,
    fragments: tuple[str, ...],
) -> None:
    rc = _run_with(tmp_path, monkeypatch, "pyproject.toml", f"[tool.newsclean]\n{toml}\n")
    err = capsys.readouterr().err
    assert rc == 2
    assert "pyproject.toml: " in err and "remove the key" in err
    assert "--" not in err  # no option the user never typed
    for fragment in fragments:
        assert fragment in err


def test_unknown_reason_in_per_file_ignores_is_an_error_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    toml = '[per-file-ignores]\n"*.txt" = ["editor_line"]\n'
    assert _run_with(tmp_path, monkeypatch, "newsclean.toml", toml) == 2
    err = capsys.readouterr().err
    assert "newsclean.toml" in err and "'editor_line'" in err
    assert "did you mean 'editor-line'?" in err


def test_unknown_key_is_reported_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    _run_with(tmp_path, monkeypatch, "newsclean.toml", "threshold_ = 0.8\n")
    err = capsys.readouterr().err
    assert "unknown key 'threshold_' in newsclean.toml; did you mean 'threshold'?" in err


@pytest.mark.parametrize("spelling", ["None", "none", "0"])
def test_timeout_none_means_no_limit_as_the_help_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, spelling: str
) -> None:
    from newsclean.cli import cli

    assert "0 or None: no limit" in " ".join(
        p.help or "" for p in cli.commands["check"].params if p.name == "timeout"
    )
    (tmp_path / "a.txt").write_text("正文\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-q", "--timeout", spelling, "a.txt"]) != 2
    assert "Invalid value" not in capsys.readouterr().err


def test_timeout_still_refuses_words_other_than_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("正文\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-q", "--timeout", "never", "a.txt"]) == 2


def _corpus_with_ignores(tmp_path: Path) -> Path:
    from newsclean.normalize import normalize

    body = normalize(
        "记者从有关部门获悉，截至本月，全市累计开复工企业一千余家，复工率达到九成，"
        "重点项目已全面开工建设，经济运行总体平稳。"
    )
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "t.txt").write_text(body + "\n责任编辑：张三\n", "utf-8")
    (tmp_path / "newsclean.toml").write_text(
        '[per-file-ignores]\n"corpus/*.txt" = ["editor-line"]\n', "utf-8"
    )
    return tmp_path / "corpus"


@pytest.mark.parametrize("how", ["relative", "absolute", "inside"])
def test_per_file_ignores_match_paths_relative_to_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, how: str
) -> None:
    corpus = _corpus_with_ignores(tmp_path)
    monkeypatch.chdir(corpus if how == "inside" else tmp_path)
    target = {"relative": "corpus", "absolute": str(corpus), "inside": "."}[how]
    assert main(["check", target]) == 0, capsys.readouterr().out
    # the ignore is what hides it: without the settings file the line is reported
    (tmp_path / "newsclean.toml").unlink()
    assert main(["check", target]) == 1
    assert "editor-line" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["clean", "nonexist.txt"],
        ["show", "nonexist.txt"],
        ["check", "corpus/"],
        ["clean", "a.txt", "nonexist.txt"],
        ["run", "nonexist.txt", "-o", "out"],
        ["dedup", "nonexist.txt", "-o", "out"],
    ],
)
def test_a_typed_path_that_does_not_exist_is_a_usage_error_for_every_verb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, argv: list[str]
) -> None:
    (tmp_path / "a.txt").write_text("正文\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "does not exist" in captured.err and "unreadable" not in captured.out + captured.err
    assert captured.out == ""  # nothing is cleaned before the usage error


def test_a_dangling_symlink_is_still_an_unreadable_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    monkeypatch.chdir(tmp_path)
    assert main(["clean", "gone.txt"]) == 1
    assert "unreadable" in capsys.readouterr().err


def test_jsonl_on_stdin_warns_and_says_to_pass_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import io
    import json
    import sys

    feed = "".join(
        json.dumps({"id": str(i), "text": "央行今日宣布下调存款准备金率。"}, ensure_ascii=False)
        + "\n"
        for i in range(2)
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed.encode())))
    main(["clean", "-"])
    err = capsys.readouterr().err
    assert "looks like JSON records" in err and "pass the file" in err


def test_plain_text_on_stdin_does_not_warn(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import io
    import sys

    text = "{注}央行今日宣布下调存款准备金率，释放长期资金约一万亿元。\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    main(["clean", "-"])
    assert "JSON" not in capsys.readouterr().err
