"""Near-duplicate detection.  STUB (the dedup helper replaces it).

Contract::

    signatures(texts, config=None, **overrides) -> np.ndarray  (len(texts) x num_perm, uint64)
    cluster(docs, config=None, **overrides) -> list[ClusterInfo]
        docs: iterable of (id, text) or (id, text, date_or_None); result in input order
    dd = Deduplicator(threshold=None, path=None, config=None, **overrides)
    dd.add(doc_id, text, date=None) -> Match | None ; dd.close(); context manager
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsclean.article import ClusterInfo
from newsclean.config import Config, resolve_config


@dataclass(frozen=True)
class Match:
    duplicate_of: str
    similarity: float


def signatures(texts: Sequence[str], config: Config | None = None, **overrides: Any) -> Any:
    raise NotImplementedError


def cluster(
    docs: Iterable[tuple[Any, ...]], config: Config | None = None, **overrides: Any
) -> list[ClusterInfo]:
    resolve_config(config, overrides)
    return [ClusterInfo(cluster_id=str(d[0])) for d in docs]


class Deduplicator:
    def __init__(
        self,
        threshold: float | None = None,
        path: str | None = None,
        config: Config | None = None,
        **overrides: Any,
    ) -> None:
        if threshold is not None:
            overrides["threshold"] = threshold
        self.config = resolve_config(config, overrides)

    def add(self, doc_id: str, text: str, date: str | None = None) -> Match | None:
        return None

    def close(self) -> None:
        pass
