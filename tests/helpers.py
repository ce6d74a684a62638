"""Helpers shared by the tests: paths, fixture lines, optional programs and modules.

Import them as ``from tests.helpers import ROOT``: ``tests`` is a package
(``tests/__init__.py``), so pytest puts the checkout on ``sys.path`` and both
``pytest`` and ``python -m pytest`` collect the suite.  Fixtures live in
``conftest.py``.

Integration tests that need an external program (redis-server, chromium) skip
locally when it is missing, but fail under CI (NEWSCLEAN_REQUIRE_ALL=1), so a
green CI run never hides a missing install step.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"


def fixture_lines() -> list[str]:
    """Every distinct non-blank line of the golden fixtures and the seeds, sorted."""
    lines: set[str] = set()
    for folder in ("fixtures/chrome", "fixtures/normalize", "seeds"):
        for p in sorted((ROOT / folder).glob("*.txt")):
            lines.update(x.strip() for x in p.read_text("utf-8").split("\n") if x.strip())
    return sorted(lines)


def require_program(name: str) -> str:
    """Path of an external program; skip (locally) or fail (CI) when absent."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("NEWSCLEAN_REQUIRE_ALL"):
        pytest.fail(f"{name} is required under NEWSCLEAN_REQUIRE_ALL but is not on PATH")
    pytest.skip(f"{name} not installed")


def require_module(module: str, extra: str) -> None:
    """Import check for an optional integration: skip locally, fail under CI."""
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("NEWSCLEAN_REQUIRE_ALL"):
            pytest.fail(f"{module} must be installed under NEWSCLEAN_REQUIRE_ALL (dev extra)")
        pytest.skip(
            f"{module} not installed: pip install 'newsclean[{extra}]'", allow_module_level=True
        )


def deny_listing(monkeypatch: pytest.MonkeyPatch, folder_name: str) -> None:
    """Make ``os.scandir`` refuse folders named ``folder_name`` with EACCES.

    Tests run as root, who can list a chmod-000 folder: this simulates the denial.
    """
    real = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith(folder_name):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
