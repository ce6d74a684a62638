"""One version everywhere: ``newsclean --version``, the package, pyproject.toml and the README's pin."""

from __future__ import annotations

import re
import tomllib

import pytest

import newsclean
from newsclean.cli import main
from tests.helpers import ROOT


def test_cli_package_pyproject_and_readme_pin_agree(capsys: pytest.CaptureFixture[str]) -> None:
    version = newsclean.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"newsclean, version {version}"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["version"] == version
    readme = (ROOT / "README.md").read_text("utf-8")
    # Every pre-commit snippet pins this repository to the tag of this release.
    pins = re.findall(r"repo: https://github\.com/newsclean/newsclean\s+rev: (\S+)", readme)
    assert pins and set(pins) == {f"v{version}"}, pins
