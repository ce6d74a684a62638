"""datatrove pipeline steps: clean ``Document.text``, drop near-duplicate reprints.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from newsclean.contrib.datatrove import CleanFormatter, NearDuplicateFilter

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader("crawl/"),                  # text: the raw page (HTML or flattened text)
            CleanFormatter(),                       # text: the clean body; title, date ... in metadata
            NearDuplicateFilter(exclusion_writer=JsonlWriter("removed/")),
            JsonlWriter("clean/"),
        ],
        tasks=1,
        logging_dir="logs/",
    ).run()

``NearDuplicateFilter`` clusters all documents of its task at once with
:func:`newsclean.cluster`, in memory.  Several tasks would each deduplicate
only their own shard and miss every reprint in another one, so it refuses to
run with ``tasks > 1``: clean with as many tasks as you like, then deduplicate
the cleaned shards in a second executor with ``tasks=1`` (see the README), or
use datatrove's own ``MinhashDedup*`` stages for corpora beyond one machine's
memory.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from newsclean.article import Article
from newsclean.config import Config, Kind, OverridesBesideThreshold, check_kind, resolve_config
from newsclean.contrib import require
from newsclean.contrib.dates import DateError, iso_date
from newsclean.errors import InputError

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsclean.config import ConfigOverrides

_formatters = require("datatrove.pipeline.formatters.base", "datatrove")
_filters = require("datatrove.pipeline.filters.base_filter", "datatrove")
_stats = require("datatrove.utils.typeshelper", "datatrove")

#: Article fields copied into ``Document.metadata`` (as in the JSONL record, docs/contracts.md §2).
METADATA_FIELDS = ("title", "date", "source", "author", "editor", "language")
#: The filter reason, as datatrove records it in ``dropped_<reason>`` and ``filter_reason``.
REASON = "near_duplicate"
#: CleanFormatter's reasons for dropping a document (``dropped_<reason>`` in its stats).
NO_BODY = "no_body"
INPUT_ERROR = "input_error"


class CleanFormatter(_formatters.BaseFormatter):  # type: ignore[misc,name-defined]
    """Replace ``Document.text`` (a raw page) with the clean article body.

    Title, date, source, author, editor and language go into ``metadata`` where
    the document has no value yet; ``metadata["newsclean"]`` records the chars
    removed per reason and the flags.  ``metadata["url"]``, when a reader set
    it, is passed to :func:`newsclean.clean`.

    A document without an article body (flag ``no-body``) or one newsclean
    cannot read (``InputError``; ``metadata["newsclean"]["error"]`` names the
    reason) is dropped like a filter drops one: counted as ``dropped`` and
    ``dropped_no_body`` / ``dropped_input_error`` in this step's stats, and
    handed to ``exclusion_writer`` when one is given (with ``filter_reason``
    set) as datatrove's filters hand theirs: with the text it came with (the
    raw page), so no document disappears unrecorded.  ``keep_empty=True``
    passes them on with empty text instead.

    >>> CleanFormatter(language="zh").config.language
    'zh'
    """

    name = "🧹 newsclean clean"

    def __init__(
        self,
        kind: Kind = "auto",
        config: Config | None = None,
        *,
        keep_empty: bool = False,
        exclusion_writer: Any = None,
        **overrides: Unpack[ConfigOverrides],
    ) -> None:
        super().__init__()
        self.kind = check_kind(kind)
        self.config = resolve_config(config, overrides)
        self.keep_empty = keep_empty
        self.exclusion_writer = exclusion_writer

    def format(self, text: str) -> str:
        from newsclean.clean import clean

        return clean(text, kind=self.kind, config=self.config).text

    def run(self, data: Iterable[Any], rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        hints = _stats.StatHints
        writer_cm = self.exclusion_writer or contextlib.nullcontext()
        with writer_cm as writer:
            for doc in data:
                self.stat_update(hints.total)
                with self.track_time():
                    text, reason = self._clean(doc)
                if reason is None or self.keep_empty:
                    doc.text = text
                    self.stat_update(hints.forwarded)
                    yield doc
                    continue
                self.stat_update(hints.dropped, f"dropped_{reason}")
                if writer is not None:
                    # Excluded with its input text, as datatrove's filters hand
                    # theirs over: the clean text is "" here, which its writers
                    # leave out of the record, and the page would be lost.
                    doc.metadata["filter_reason"] = reason
                    writer.write(doc, rank)

    def _clean(self, doc: Any) -> tuple[str, str | None]:
        """The clean text of ``doc`` and the reason to drop it (None: keep it).

        Fills ``doc.metadata``; ``doc.text`` is the caller's to replace.
        """
        from newsclean.clean import clean

        url = doc.metadata.get("url")
        try:
            art = clean(
                doc.text,
                url=url if isinstance(url, str) else None,
                kind=self.kind,
                config=self.config,
            )
        except InputError as exc:
            self.stat_update(f"input_error_{exc.reason}")
            doc.metadata.setdefault("newsclean", {})["error"] = exc.reason
            return "", INPUT_ERROR
        for name in METADATA_FIELDS:
            value = getattr(art, name)
            if value is not None and not doc.metadata.get(name):
                doc.metadata[name] = value
        doc.metadata.setdefault("newsclean", {}).update(_record(art))
        return art.text, None if art.text else NO_BODY


def _record(art: Article) -> dict[str, Any]:
    nc = art.to_record()["metadata"]["newsclean"]
    return {k: nc[k] for k in ("version", "removed", "flags")}


class NearDuplicateFilter(_filters.BaseFilter):  # type: ignore[misc,name-defined]
    """Keep one document per cluster of near-duplicates; drop the others as ``near_duplicate``.

    Like datatrove's ``MinhashDedupFilter(load_cluster_ids=True,
    load_cluster_sizes=True)``, every document gets ``minhash_cluster_id``
    (``-1`` for a document without duplicates) and ``minhash_cluster_size``
    (``1`` for those) in its metadata, dropped ones included (an
    ``exclusion_writer`` sees them with ``filter_reason="near_duplicate"``).
    ``metadata["newsclean"]`` gets the full :class:`~newsclean.ClusterInfo`:
    cluster_id, cluster_size, is_representative, duplicate_of, similarity.
    The kept document is the cluster's representative (``Config.representative``,
    the longest by default); ``metadata["date"]`` (any common format, read by
    :func:`newsclean.contrib.dates.iso_date`; an unreadable one is counted as
    ``bad_date`` and ignored) feeds the "earliest" policy.
    A document with empty text (passed on by ``CleanFormatter(keep_empty=True)``)
    gets what :func:`newsclean.cluster` gives it: a cluster of its own, and
    ``is_representative=False`` (nobody's representative).  It is kept: only
    documents with a ``duplicate_of`` are dropped.

    It clusters its whole task at once, so it refuses to run in a pipeline with
    ``tasks > 1``, which would deduplicate each shard on its own: run it in a
    ``tasks=1`` executor over the shards of the cleaning stage.

    >>> NearDuplicateFilter(threshold=0.6).config.threshold
    0.6
    """

    name = "🫂 newsclean near-duplicates"

    def __init__(
        self,
        threshold: float | None = None,
        config: Config | None = None,
        exclusion_writer: Any = None,
        **overrides: Unpack[OverridesBesideThreshold],
    ) -> None:
        super().__init__(exclusion_writer=exclusion_writer)
        given = {**overrides} if threshold is None else {**overrides, "threshold": threshold}
        self.config = resolve_config(config, given)

    def run(self, data: Iterable[Any], rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        if world_size > 1:
            raise ValueError(
                f"NearDuplicateFilter runs in a pipeline of {world_size} tasks, but it clusters "
                "one task's documents at once: each task would keep the reprints of the other "
                "tasks' shards. Run it with tasks=1 (a second LocalPipelineExecutor with "
                "tasks=1 that reads the shards the cleaning stage wrote), or use datatrove's "
                "MinhashDedup* stages for a corpus beyond one machine's memory."
            )
        docs = list(data)  # clustering needs the whole task before the first verdict
        with self.track_time():
            self._annotate(docs)
        yield from super().run(iter(docs), rank, world_size)

    def _annotate(self, docs: list[Any]) -> None:
        from newsclean.dedup import cluster

        # Every document, empty ones included, so each gets cluster()'s own answer.
        infos = cluster(
            [(str(d.id), d.text or "", self._date(d)) for d in docs], config=self.config
        )
        for d, info in zip(docs, infos, strict=True):
            size = info.cluster_size
            d.metadata["minhash_cluster_id"] = info.cluster_id if size > 1 else -1
            d.metadata["minhash_cluster_size"] = size
            nc = d.metadata.setdefault("newsclean", {})
            nc.update(
                cluster_id=info.cluster_id,
                cluster_size=size,
                is_representative=info.is_representative,
                duplicate_of=info.duplicate_of,
                similarity=info.similarity,
            )

    def _date(self, doc: Any) -> str | None:
        try:
            return iso_date(doc.metadata.get("date"))
        except DateError:
            self.stat_update("bad_date")
            return None

    def filter(self, doc: Any) -> bool | tuple[bool, str]:
        # Not "is_representative": an empty document is nobody's representative
        # and nobody's duplicate either, and it is not ours to drop.
        if doc.metadata.get("newsclean", {}).get("duplicate_of") is None:
            return True
        return False, REASON
