"""newsclean: clean, normalized, deduplicated article text from scraped news pages.

The public surface (docs/contracts.md §1)::

    art = newsclean.clean(raw, url=None, kind="auto", config=None)
    ex = newsclean.explain(raw, url=None, kind="auto", config=None, templates=None)
    res = newsclean.check_text(text, config=None, templates=None)   # CheckResult(findings, fixed)
    newsclean.normalize(text, config=None)
    newsclean.cluster(docs, config=None)
    newsclean.signatures(texts, config=None)
    dd = newsclean.Deduplicator(config=None, path=None, threshold=...)

Heavy modules (trafilatura, numpy) load on first use, so ``import newsclean``
stays cheap for a CLI that only prints ``--help``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from newsclean._version import __version__
from newsclean.article import Article, Block, ClusterInfo

# clean and normalize are imported eagerly because they share their names with
# their modules: a lazy attribute would be shadowed by the submodule as soon as
# anything imported ``newsclean.clean`` or ``newsclean.normalize`` directly.
from newsclean.clean import clean
from newsclean.config import Config
from newsclean.errors import (
    EnvironmentProblem,
    IndexCorruptError,
    IndexMismatchError,
    IndexUnavailableError,
    InputError,
    NewscleanError,
)
from newsclean.explain import Explanation, LineExplanation, explain
from newsclean.normalize import normalize

if TYPE_CHECKING:
    from newsclean.check import CheckResult, Finding, check_text
    from newsclean.dedup import Deduplicator, Match, cluster, signatures
    from newsclean.template import SiteTemplates

_LAZY = {
    "cluster": "newsclean.dedup",
    "signatures": "newsclean.dedup",
    "Deduplicator": "newsclean.dedup",
    "Match": "newsclean.dedup",
    "SiteTemplates": "newsclean.template",
    "check_text": "newsclean.check",
    "CheckResult": "newsclean.check",
    "Finding": "newsclean.check",
}

__all__ = [
    "Article",
    "Block",
    "CheckResult",
    "ClusterInfo",
    "Config",
    "Deduplicator",
    "EnvironmentProblem",
    "Explanation",
    "Finding",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexUnavailableError",
    "InputError",
    "LineExplanation",
    "Match",
    "NewscleanError",
    "SiteTemplates",
    "__version__",
    "check_text",
    "clean",
    "cluster",
    "explain",
    "normalize",
    "signatures",
]


#: Subpackages reachable as attributes (``newsclean.check.check_text``, as the
#: README writes it) without importing them first; loaded on first use.
_SUBMODULES = frozenset(
    {"batch", "check", "chrome", "contrib", "decode", "dedup", "html", "io", "template"}
)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return import_module(f"newsclean.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsclean' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
