"""The typed values a batch passes around: tasks, worker results, outcomes.

A :class:`Task` goes to a worker, which answers with a :class:`Result`; the
journal stores results (:mod:`newsclean.batch.journal`) and phase 2 turns each
input document and its result into an :class:`Outcome`, one manifest line.
"""

from __future__ import annotations

import base64
import dataclasses
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from newsclean.article import Article, ClusterInfo, EncodingDoubt
from newsclean.config import Kind
from newsclean.io import Document, Source
from newsclean.wording import printable

if TYPE_CHECKING:
    from newsclean.decode import Decoded

#: Statuses a manifest line can carry.
STATUSES = ("ok", "duplicate", "empty", "error", "timeout")
#: Statuses a worker result can carry (duplicates and empties are decided in phase 2).
RESULT_STATUSES = ("ok", "error", "timeout")
#: Failures of the machine rather than of the document: retried once on resume.
TRANSIENT_REASONS = ("worker-crashed", "timeout")


@dataclass(frozen=True)
class Resume:
    """What the journal of an interrupted run holds for a document met again.

    A worker that reads the document itself compares ``sha256`` with the
    bytes it read: the same input keeps the journal's result (``reuse``), or,
    after a crash or timeout, is cleaned once more as attempt ``attempts + 1``.
    """

    sha256: str | None
    reuse: bool  # False: a transient failure, retried
    attempts: int  # of the journal's result


@dataclass(frozen=True)
class Task:
    """One document for a worker to clean: its bytes, or the file to read them from.

    With ``source`` set (and ``raw`` None) the worker reads, decompresses and
    hashes the file itself (:func:`newsclean.io.readers.reads_alone`), so the
    parent sends a name, not the document.
    """

    key: str
    raw: bytes | str | Decoded | None  # a Decoded: text read in a charset guessed among ties
    kind: Kind
    url: str | None
    sha256: str | None = None  # of the input bytes: recorded with the result in the journal
    attempts: int = 1  # 2: a crash or timeout of an earlier run, tried once more
    source: Source | None = None
    resume: Resume | None = None  # with ``source``: the journal's entry, if any


@dataclass(frozen=True)
class Sketch:
    """A document's MinHash row and shingle count, computed where it was cleaned.

    The row is kept as base64 of its bytes: about 700 bytes a document in the
    journal and in the parent's memory.
    """

    dtype: str  # numpy dtype string, e.g. "<u4"
    data: str  # base64 of the row's bytes
    size: int  # shingle-set size; 0 marks an empty text

    @classmethod
    def of(cls, row: np.ndarray, size: int) -> Sketch:
        return cls(row.dtype.str, base64.b64encode(row.tobytes()).decode("ascii"), int(size))

    def row(self) -> np.ndarray:
        return np.frombuffer(base64.b64decode(self.data), dtype=np.dtype(self.dtype))


@dataclass(frozen=True)
class Result:
    """What phase 1 made of one document.  Every failure is a value, never an exception."""

    status: str  # one of RESULT_STATUSES
    reason: str | None = None
    detail: str | None = None
    article: Article | None = None
    sketch: Sketch | None = None
    #: How many times the document was processed (a transient failure is retried once).
    attempts: int = 1

    @classmethod
    def error(cls, reason: str, detail: str | None = None) -> Result:
        return cls("error", reason, detail or None)

    @property
    def transient(self) -> bool:
        """A crash or timeout of the machine, worth one more try on resume."""
        return self.status in ("error", "timeout") and self.reason in TRANSIENT_REASONS


@dataclass(frozen=True)
class Done:
    """A finished task, as a worker hands it back: the journal line, and the small parts.

    The worker encodes the journal line itself, so the article never travels
    back as an object and the parent keeps only ``result`` (without its
    article) and ``brief``.
    """

    result: Result  # article=None
    brief: Brief | None
    line: bytes  # the journal entry, article included, UTF-8; empty: nothing to journal
    #: Of the input the worker read itself (``Task.source``); else the task's.
    sha256: str | None = None
    #: The worker read the same bytes as the journal's entry: that result stands.
    reused: bool = False
    #: ``run``: the article's distinct line keys (:func:`newsclean.template.document_keys`,
    #: ``uint64`` bytes), so site templates are learned without reading the text again.
    lines: bytes | None = None


class ArticleSource(Protocol):
    """Where an outcome's article can be read again (the journal), instead of memory."""

    def load(self) -> Article: ...


#: Brief.interned's table: each distinct tuple of removal reasons once per batch.
ReasonTable = dict[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True, slots=True)  # one per document until the batch ends
class Brief:
    """What phases 2-3 need of an article besides its text: kept in memory per document.

    The characters removed per reason are two parallel tuples, not a dict: a
    batch keeps one brief per document, and a small dict was about 230 bytes
    of it, where the reasons' tuple is shared by every document removing the
    same reasons (:meth:`interned`) and the counts' tuple is 40-60 bytes.
    """

    url: str | None
    date: str | None
    reasons: tuple[str, ...]  # Article.removed_chars()' keys, in its order
    chars: tuple[int, ...]  # and its values
    #: Why the article counts as empty (:func:`empty_reason`), None when it has text:
    #: phase 2 marks empties without reading the text back.
    empty: str | None = None
    #: :attr:`Article.encoding_doubt`, for the manifest and the report.
    encoding_doubt: EncodingDoubt | None = None

    @classmethod
    def of(cls, art: Article) -> Brief:
        removed = art.removed_chars()
        return cls(
            art.url,
            art.date,
            tuple(removed),
            tuple(removed.values()),
            empty_reason(art),
            art.encoding_doubt,
        )

    @property
    def removed(self) -> dict[str, int]:
        """Characters removed per reason (:meth:`Article.removed_chars`)."""
        return dict(zip(self.reasons, self.chars, strict=True))

    def interned(self, table: ReasonTable) -> Brief:
        """This brief sharing what other documents' briefs hold too: its reasons' tuple
        (one per distinct tuple in ``table``, the batch's), their names and its date.

        Unpickled from a worker, each brief has its own copies of the same names.
        """
        reasons = table.get(self.reasons)
        if reasons is None:
            reasons = table[self.reasons] = tuple(sys.intern(r) for r in self.reasons)
        date = sys.intern(self.date) if self.date is not None else None  # a day: many documents
        empty = sys.intern(self.empty) if self.empty is not None else None
        return Brief(self.url, date, reasons, self.chars, empty, self.encoding_doubt)


def empty_reason(art: Article) -> str | None:
    """``no-body`` when cleaning found no body, ``no-text`` when no text is left, else None."""
    if art.text.strip():
        return None
    return "no-body" if "no-body" in art.flags else "no-text"


@dataclass(slots=True)  # one per input document: no __dict__ each
class Outcome:
    """One input document's fate: one manifest line.  Phase 2 updates it in place.

    The article is either held (``article``) or read again when needed
    (``source`` with its ``brief``): a batch keeps only briefs, so that its
    memory does not grow with the text of every document.
    """

    doc: Document
    status: str
    reason: str | None = None
    detail: str | None = None
    article: Article | None = None
    cluster: ClusterInfo | None = None
    output: str | None = None
    source: ArticleSource | None = field(default=None, repr=False, compare=False)
    brief: Brief | None = field(default=None, repr=False)

    @property
    def has_article(self) -> bool:
        return self.article is not None or self.source is not None

    def load_article(self) -> Article | None:
        """The article, from memory or read again from its source (not kept)."""
        if self.article is not None:
            return self.article
        return self.source.load() if self.source is not None else None

    def _brief(self) -> Brief | None:
        if self.brief is not None:
            return self.brief
        return Brief.of(self.article) if self.article is not None else None

    @property
    def url(self) -> str | None:
        b = self._brief()
        return b.url if b else None

    @property
    def date(self) -> str | None:
        b = self._brief()
        return b.date if b else None

    def removed_chars(self) -> dict[str, int]:
        b = self._brief()
        return b.removed if b else {}

    @property
    def encoding_doubt(self) -> EncodingDoubt | None:
        b = self._brief()
        return b.encoding_doubt if b else None

    def manifest(self) -> dict[str, Any]:
        c = self.cluster
        return {
            "path": printable(self.doc.path),
            "id": printable(self.doc.id),
            "sha256": self.doc.sha256,
            "status": self.status,
            # "near-duplicate of ID" and details name documents too.
            "reason": printable(self.reason) if self.reason else self.reason,
            "detail": printable(self.detail) if self.detail else self.detail,
            "cluster_id": printable(c.cluster_id) if c else None,
            "duplicate_of": printable(c.duplicate_of) if c and c.duplicate_of else None,
            "similarity": c.similarity if c else None,
            "removed": self.removed_chars(),
            "output": printable(self.output) if self.output else None,
            "encoding_doubt": doubt.to_json() if (doubt := self.encoding_doubt) else None,
        }


def outcome_of(
    doc: Document,
    doc_id: str,
    result: Result,
    source: ArticleSource | None = None,
    brief: Brief | None = None,
) -> Outcome:
    """The outcome of one document's worker result, under its batch-unique id.

    With a ``source`` (and the article's ``brief``), the article stays there
    instead of in memory.
    """
    if doc_id != doc.id:
        doc = dataclasses.replace(doc, id=doc_id)
    o = Outcome(doc, result.status, result.reason, result.detail, result.article)
    o.source, o.brief = source, brief
    return o


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Document ids in input order, made unique: a repeated id gets a ~N suffix.

    Clustering needs unique ids; every engine numbers them the same way.  The
    suffix skips every id the inputs use themselves (``a.html``, ``a.txt`` and
    ``a~2.txt`` give ``a``, ``a~3``, ``a~2``), so a suffixed id never collides
    with a real one, and ids depend on the inputs only.
    """
    ids = list(ids)
    taken = set(ids)
    given: set[str] = set()
    next_n: dict[str, int] = {}
    out = []
    for doc_id in ids:
        if doc_id not in given:
            given.add(doc_id)
            out.append(doc_id)
            continue
        n = next_n.get(doc_id, 2)
        while f"{doc_id}~{n}" in taken:
            n += 1
        new = f"{doc_id}~{n}"
        next_n[doc_id] = n + 1
        taken.add(new)
        given.add(new)
        out.append(new)
    return out


def group_of(o: Outcome) -> str:
    """Site-template group: the URL host, else the input folder."""
    from newsclean.template import template_group

    return template_group(o.url, o.doc.group) or o.doc.group
