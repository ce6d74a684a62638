"""Every README python block of the library API runs as pasted (no undefined names).

Integration examples (Scrapy, datatrove, Dask, SLURM) need a crawl, a cluster or
input shards: they are exercised by their own tests, so they are skipped here.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
_NEEDS_A_CLUSTER = re.compile(r"^\s*(import|from) (scrapy|datatrove|dask)", re.M)


def _blocks() -> list[tuple[int, str]]:
    text = (ROOT / "README.md").read_text("utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in _BLOCK.finditer(text)]


def _runnable() -> list[tuple[int, str]]:
    return [(line, code) for line, code in _blocks() if not _NEEDS_A_CLUSTER.search(code)]


def test_the_api_blocks_are_found() -> None:
    assert len(_runnable()) >= 4  # the API, normalize, site templates and dedup sections


@pytest.mark.parametrize(("line", "code"), _runnable(), ids=lambda x: str(x)[:12])
def test_readme_python_block_runs_as_pasted(
    line: int, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    if code.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(code, {}, f"README.md:{line}", None, line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        assert runner.failures == 0, f"README.md:{line}"
        return
    exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "readme"})


def test_the_site_templates_example_shows_a_line_only_templates_cut() -> None:
    """The Site templates example once showed nothing: every body was under
    ``min_body_chars`` (``no-body``, text ``''`` before and after) and the shared
    line went as ``copyright``, never as a template.  As a doctest its results are
    checked: a line that ``clean()`` keeps, cut by the learned template."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Site templates\n") : text.index("<!-- /section:html -->")]
    (code,) = _BLOCK.findall(section)
    assert code.lstrip().startswith(">>>"), "show the results: write the example as a doctest"
    test = doctest.DocTestParser().get_doctest(code, {}, "README.md:site-templates", None, 0)
    shown = "".join(example.want for example in test.examples)
    assert "(True, ())" in shown  # clean() alone kept the line, and removed nothing
    assert "'site-template'" in shown and "'copyright'" not in shown
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0


def test_clean_json_sample_matches_the_real_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every complete "key": "value" pair of the README's `clean --format json`
    sample is what the command prints for that seed (the sample was once stale)."""
    import json

    from newsclean.cli import main

    text = (ROOT / "README.md").read_text("utf-8")
    command = "$ newsclean clean --format json "
    start = text.index(command)
    sample = text[start : text.index("```", start)]
    seed = sample[len(command) : sample.index("\n")].strip()
    monkeypatch.chdir(ROOT)
    assert main(["clean", "--format", "json", seed]) == 0
    record = json.loads(capsys.readouterr().out)

    def flat(obj: object) -> dict[str, object]:
        out: dict[str, object] = {}
        if isinstance(obj, dict):
            for k, v in obj.items():
                out.update(flat(v) if isinstance(v, dict) else {k: v})
        return out

    real = flat(record)
    # keys inside lists (removed[].reason) are not compared: the sample elides the list
    pairs = [(k, v) for k, v in re.findall(r'"([\w-]+)": "([^"…]*)"', sample) if k in real]
    assert len(pairs) >= 8
    for key, value in pairs:
        assert real[key] == value, (key, value, real[key])
