"""Golden cases for normalize(), plus the contract of normalize_line.

Each case in fixtures/normalize/ is ``NAME.in.txt`` -> ``NAME.out.txt`` (read
byte for byte, no newline translation), with optional ``NAME.config.json``
holding Config overrides.  Expected files are written and reviewed by hand;
see CONTRIBUTING.md before editing one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean import Config
from newsclean.normalize import normalize, normalize_line
from tests.helpers import FIXTURES

CASE_DIR = FIXTURES / "normalize"
CASES = sorted(p.name.removesuffix(".in.txt") for p in CASE_DIR.glob("*.in.txt"))


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _config(name: str) -> Config:
    path = CASE_DIR / f"{name}.config.json"
    return Config.from_mapping(json.loads(path.read_text("utf-8"))) if path.exists() else Config()


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40
    for name in CASES:
        assert (CASE_DIR / f"{name}.out.txt").exists(), f"{name}.in.txt has no .out.txt"


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    cfg = _config(name)
    got = normalize(_read(CASE_DIR / f"{name}.in.txt"), cfg)
    assert got == _read(CASE_DIR / f"{name}.out.txt")
    assert normalize(got, cfg) == got


@pytest.mark.parametrize("name", CASES)
def test_normalize_line_matches_normalize_per_line(name: str) -> None:
    cfg = _config(name)
    text = _read(CASE_DIR / f"{name}.in.txt")
    lines = [normalize_line(line, cfg) for line in text.replace("\r\n", "\n").splitlines()]
    assert [x for x in lines if x] == [x for x in normalize(text, cfg).split("\n") if x]


def test_overrides_and_config_agree() -> None:
    text = "企业 , 复工 。"
    assert normalize(text, punctuation="keep") == normalize(text, Config(punctuation="keep"))
    assert normalize(text, Config(punctuation="keep"), punctuation="fullwidth") == "企业，复工。"


def test_bad_override_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="punctuation"):
        normalize("x", punctuation="wide")
    with pytest.raises(ValueError, match="did you mean"):
        normalize("x", punctuaton="keep")


def test_seeds_are_stable_and_keep_their_lines(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        text = path.read_text("utf-8")
        once = normalize(text)
        assert normalize(once) == once
        kept = [line for line in text.splitlines() if line.strip(" \u00a0\u3000\t")]
        assert len([x for x in once.split("\n") if x]) == len(kept)
        assert "\u00a0" not in once
        assert "  " not in once


def test_normalize_line_has_no_newline() -> None:
    assert normalize_line("a\u2028b\rc", Config()) == "a b c"


def test_ftfy_runs_only_on_lines_with_a_symptom(
    seed_paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ftfy

    seen: list[str] = []
    real = ftfy.fix_text

    def spy(text: str, *args: object, **kwargs: object) -> str:
        seen.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ftfy, "fix_text", spy)
    for path in seed_paths:  # clean UTF-8 text: the expensive repair never runs
        normalize(path.read_text("utf-8"))
    assert seen == []
    assert normalize("第一行没有问题\nThe mayorâ€™s office") == "第一行没有问题\nThe mayor’s office"
    assert seen == ["The mayorâ€™s office"]
