"""The typed API catches a user's mistakes before they run: ``mypy --strict``
over a small user script that misspells a keyword or a choice fails, and the
same calls spelled right pass."""

from __future__ import annotations

import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from newsclean.config import (
    KINDS,
    PUNCTUATION_POLICIES,
    REPRESENTATIVE_POLICIES,
    Config,
    ConfigOverrides,
    OverridesBesideThreshold,
    field_names,
)
from tests.helpers import ROOT

MISTAKES = """\
import newsclean

newsclean.clean("x", thresold=0.5)
newsclean.clean("x", kind="htlm")
newsclean.Config(punctuation="full")
newsclean.normalize("x", representative="longst")
newsclean.cluster([("a", "x")], merge_cluster=False)
newsclean.Deduplicator(path=None, num_perms=64)
"""

CORRECT = """\
import newsclean

art = newsclean.clean(b"<p>x</p>", kind="html", threshold=0.5, punctuation="keep")
text: str = art.text
cfg = newsclean.Config(representative="earliest")
print(newsclean.normalize(text, config=cfg, punctuation="halfwidth"))
print(newsclean.cluster([("a", text)], threshold=0.8, merge_clusters=False))
with newsclean.Deduplicator(threshold=0.8, path=None, num_perm=64) as dd:
    dd.add("a", text)
"""


def _mypy_strict(tmp_path: Path, name: str, source: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    script = tmp_path / name
    script.write_text(source, "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(script)],
        cwd=tmp_path,  # no project config: a user's defaults plus --strict
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow  # mypy analyses newsclean and numpy first: ~10 s uncached
def test_mypy_strict_rejects_misspelled_options_and_choices(tmp_path: Path) -> None:
    bad = _mypy_strict(tmp_path, "user_bad.py", MISTAKES)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    lines = {int(x.split(":")[1]) for x in bad.stdout.splitlines() if ": error:" in x}
    assert lines == {3, 4, 5, 6, 7, 8}, bad.stdout
    assert 'did you mean "threshold"' in bad.stdout
    assert "Literal['auto', 'html', 'text']" in bad.stdout

    good = _mypy_strict(tmp_path, "user_good.py", CORRECT)
    assert good.returncode == 0, good.stdout + good.stderr


def test_typed_overrides_are_the_config_fields() -> None:
    hints = typing.get_type_hints(Config)
    typed = typing.get_type_hints(ConfigOverrides)
    assert list(typed) == [n for n in field_names() if n != "threshold"] + ["threshold"]
    assert typed == {name: hints[name] for name in field_names()}
    assert set(typing.get_type_hints(OverridesBesideThreshold)) == set(field_names()) - {
        "threshold"
    }
    assert (PUNCTUATION_POLICIES, REPRESENTATIVE_POLICIES, KINDS) == (
        ("fullwidth", "keep", "halfwidth"),
        ("longest", "earliest", "first"),
        ("auto", "html", "text"),
    )


def test_bare_pytest_collects_the_suite_as_python_m_pytest_does(tmp_path: Path) -> None:
    # `pytest` (the script) does not put the working directory on sys.path the way
    # `python -m pytest` does; tests import tests.helpers either way.
    pytest_bin = Path(sys.executable).with_name("pytest")
    if not pytest_bin.exists():
        pytest.skip("no pytest script next to this interpreter")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for argv in ([str(pytest_bin)], [sys.executable, "-m", "pytest"]):
        proc = subprocess.run(
            [*argv, "--collect-only", "-q", "-p", "no:cacheprovider", "tests/test_dedup.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        assert "tests collected" in proc.stdout
