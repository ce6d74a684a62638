"""Shared pytest fixtures; plain helpers are in :mod:`tests.helpers`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

# Re-exported for tests written against the old location (``from tests.conftest import ROOT``).
from tests.helpers import (  # noqa: F401
    FIXTURES,
    ROOT,
    SEEDS,
    fixture_lines,
    require_module,
    require_program,
)


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, "seeds/ must hold the five sample pages"
    return paths


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """-v configures the process's "newsclean" logger; leave it as found for other tests."""
    logger = logging.getLogger("newsclean")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers
