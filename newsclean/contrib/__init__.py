"""Plug-ins for the frameworks people already run newsclean inside.

Each module imports its framework lazily, so ``import newsclean.contrib.scrapy``
without Scrapy installed fails with a hint to ``pip install newsclean[scrapy]``
rather than a bare ImportError deep inside a pipeline:

* :mod:`newsclean.contrib.scrapy` — ``CleanPipeline`` and ``DedupPipeline``;
* :mod:`newsclean.contrib.datatrove` — ``CleanFormatter`` and ``NearDuplicateFilter``;
* :mod:`newsclean.contrib.dask` — ``cluster_bag``, the clustering of
  :func:`newsclean.cluster` distributed over a Dask cluster.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType


def require(module: str, extra: str) -> ModuleType:
    """Import ``module`` or fail with the pip command that installs it."""
    try:
        return import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"newsclean.contrib.{extra} needs {module.split('.')[0]}: "
            f"pip install 'newsclean[{extra}]'"
        ) from exc
