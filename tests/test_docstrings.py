"""Every public name says what it does with an example, and the examples run."""

from __future__ import annotations

import doctest
import importlib
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

import newsclean
from tests.helpers import require_module


def _public_callables() -> Iterator[tuple[str, Any]]:
    for name in newsclean.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(newsclean, name)
        yield name, obj
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(value, (classmethod, staticmethod)):
                    yield f"{name}.{attr}", value.__func__
                elif isinstance(value, property):
                    yield f"{name}.{attr}", value.fget
                elif inspect.isfunction(value):
                    yield f"{name}.{attr}", value


def test_every_public_name_has_a_docstring_with_an_example() -> None:
    missing = [
        name for name, obj in _public_callables() if ">>>" not in (inspect.getdoc(obj) or "")
    ]
    assert missing == []


MODULES = [
    "newsclean.article",
    "newsclean.check",
    "newsclean.clean",
    "newsclean.config",
    "newsclean.contrib.dates",
    "newsclean.dedup",
    "newsclean.dedup.streaming",
    "newsclean.errors",
    "newsclean.explain",
    "newsclean.template",
    "newsclean.wording",
]
#: Integrations: their examples run where the framework is installed (the dev extra).
CONTRIB = {"newsclean.contrib.scrapy": "scrapy", "newsclean.contrib.datatrove": "datatrove"}


@pytest.mark.parametrize("module", MODULES + list(CONTRIB))
def test_docstring_examples_run(module: str) -> None:
    if module in CONTRIB:
        require_module(CONTRIB[module], CONTRIB[module])
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
