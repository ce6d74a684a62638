"""Phase 1's per-document state in the parent: columns by input position, not objects.

A batch of a million documents holds this until phase 2, next to the
signatures, so each document's share is what bounds the parent's memory.
Keyed dicts of ``Stored`` entries, a ``Document`` per file (with its own id
string and hex sha256) and a dict of removal counts per document were about
1.1 KB a document; here a one-document file is the :class:`Source` discovery
made anyway (its ``Document`` is derived from it when the outcomes are made),
its sha256 32 raw bytes of one ``bytearray``, its journal offset 8 bytes of
one ``array``, its result usually the one shared ``ok`` result, and its brief
shares its reasons with the other briefs (:meth:`Brief.interned`).
"""

from __future__ import annotations

import dataclasses
from array import array

from newsclean.batch.journal import JournalArticle
from newsclean.batch.records import Brief, Outcome, ReasonTable, Result, outcome_of, unique_ids
from newsclean.io import Document, Source
from newsclean.io import journal as journal_file
from newsclean.io.formats import strip_suffixes
from newsclean.io.readers import describe

_DIGEST = 32  # bytes of a sha256
_NO_OFFSET = -1


class Ledger:
    """Every input document of a batch by position, and what phase 1 made of it."""

    def __init__(self) -> None:
        #: A Source: a one-document file its worker reads (:func:`describe` gives its
        #: Document); a Document (``raw`` and ``sha256`` dropped): one read here.
        self._docs: list[Source | Document | None] = []  # None: taken by its outcome
        self._results: list[Result | None] = []  # None: not answered yet
        self._briefs: list[Brief | None] = []
        self._offsets = array("q")  # of the journal line holding the article, or _NO_OFFSET
        self._digests = bytearray()  # sha256 of the input bytes, _DIGEST bytes each
        self._hashed = bytearray()  # 1: the digest is set (an unreadable input has none)
        self._reasons: ReasonTable = {}
        #: Documents answered so far (progress).
        self.answered = 0

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, doc: Source | Document) -> int:
        """Append a document (a Source: one its worker reads); its position."""
        sha = None
        if isinstance(doc, Document):  # its bytes are the task's; its digest goes to the column
            sha, doc = doc.sha256, dataclasses.replace(doc, raw=None, sha256=None)
        self._docs.append(doc)
        self._results.append(None)
        self._briefs.append(None)
        self._offsets.append(_NO_OFFSET)
        self._digests += bytes(_DIGEST)
        self._hashed.append(0)
        self.set_sha256(len(self._docs) - 1, sha)
        return len(self._docs) - 1

    def group(self, i: int) -> str:
        """Document ``i``'s template group when its article names no site."""
        d = self._docs[i]
        assert d is not None  # not taken yet
        return d.group

    def set_sha256(self, i: int, sha: str | None) -> None:
        """The hex sha256 of document ``i``'s input (None: it has none)."""
        if sha is not None:
            self._digests[i * _DIGEST : (i + 1) * _DIGEST] = bytes.fromhex(sha)
        self._hashed[i] = sha is not None

    def sha256(self, i: int) -> str | None:
        if not self._hashed[i]:
            return None
        return self._digests[i * _DIGEST : (i + 1) * _DIGEST].hex()

    def answer(
        self, i: int, result: Result, offset: int | None = None, brief: Brief | None = None
    ) -> None:
        """What phase 1 made of document ``i``: ``result`` (its article, with ``brief``,
        stays in the journal line at ``offset``)."""
        assert result.article is None and result.sketch is None  # kept elsewhere
        self._results[i] = result
        if brief is not None:
            assert offset is not None  # a brief describes an article in the journal
            self._briefs[i] = brief.interned(self._reasons)
            self._offsets[i] = offset
        self.answered += 1

    def outcomes(self, reader: journal_file.Reader) -> list[Outcome]:
        """Every document's outcome, in input order, without its ``sha256`` (see
        :meth:`add_sha256`); the ledger keeps only the digests afterwards.

        Each document's entries are dropped as its outcome takes them, so the
        outcomes and the ledger are not both held whole.
        """
        ids = unique_ids(self._id(d) for d in self._docs)
        out = []
        for i, doc_id in enumerate(ids):
            result, brief = self._results[i], self._briefs[i]
            assert result is not None  # every document was answered
            doc = self._document(i, doc_id)
            self._docs[i] = self._results[i] = self._briefs[i] = None
            source = JournalArticle(reader, self._offsets[i]) if brief is not None else None
            out.append(outcome_of(doc, doc_id, result, source, brief))
        self._docs, self._results, self._briefs, self._offsets = [], [], [], array("q")
        return out

    def add_sha256(self, outcomes: list[Outcome]) -> None:
        """Give each outcome's document its input's sha256, and drop the digests.

        Only the manifest needs them (as hex, ~113 bytes a document against 33
        here): added once phase 2 is over, they are not held next to the
        signatures and clustering's own arrays, the parent's peak before.
        """
        for i, o in enumerate(outcomes):
            o.doc = dataclasses.replace(o.doc, sha256=self.sha256(i))
        self._digests, self._hashed = bytearray(), bytearray()

    @staticmethod
    def _id(doc: Source | Document | None) -> str:
        assert doc is not None  # not taken yet
        return strip_suffixes(doc.rel) if isinstance(doc, Source) else doc.id

    def _document(self, i: int, doc_id: str) -> Document:
        d = self._docs[i]
        assert d is not None  # not taken yet
        if isinstance(d, Source):
            d = describe(d)
        return dataclasses.replace(d, id=doc_id)
