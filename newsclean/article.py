"""The Article result type and its JSONL record (docs/contracts.md §1-2)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from newsclean._version import __version__
from newsclean.errors import document_id, require_optional_str
from newsclean.wording import printable


@dataclass(frozen=True)
class Block:
    """A block of input lines that a step removed (or kept, but doubted).

    ``reason`` is a stable id such as ``related-list``, ``editor-line``,
    ``copyright``, ``share-widget``, ``comments``, ``breadcrumb``, ``prev-next``,
    ``hotline``, ``injection``, ``site-template``, ``metadata`` (lifted into a
    field) or ``title``.  ``line`` is the 1-based line number in the flattened
    input where the block starts, when known.

    >>> Block("责任编辑：张三", "editor-line", line=12).reason
    'editor-line'
    """

    text: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class EncodingDoubt:
    """The input's bytes were read in a charset chosen among equally likely ones.

    ``chosen`` is the codec the text was read in (a Python codec name, e.g.
    ``cp932``); ``alternatives`` the other charsets whose readings scored as
    well but read differently (:attr:`newsclean.decode.Decoded.alternatives`).
    A headline of a few GBK characters reads as well in Shift_JIS: the text
    may be a misreading, so the article says so rather than passing it off as
    sure (the ``ambiguous-encoding`` flag).

    >>> EncodingDoubt("cp932", ("cp949", "gb18030")).to_json()
    {'chosen': 'cp932', 'alternatives': ['cp949', 'gb18030']}
    """

    chosen: str
    alternatives: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The doubt as the JSONL record and the manifest write it."""
        return {"chosen": self.chosen, "alternatives": list(self.alternatives)}


#: The Article flag of an input whose charset was a guess among ties (:class:`EncodingDoubt`).
AMBIGUOUS_ENCODING = "ambiguous-encoding"


#: Why a duplicate is in its representative's cluster (see :class:`ClusterInfo`).
JoinReason = Literal["exact", "similar", "contained", "merged", "linked"]


@dataclass(frozen=True, slots=True)  # one per document in a batch
class ClusterInfo:
    """Where a document landed in near-duplicate clustering.

    The cluster id is the representative's id; a document alone is its own
    cluster of size 1.

    >>> ClusterInfo("a", cluster_size=2, is_representative=False, duplicate_of="a", similarity=0.9)
    ClusterInfo(cluster_id='a', cluster_size=2, is_representative=False, duplicate_of='a', similarity=0.9, why=None)

    ``similarity`` is the estimated Jaccard similarity to the representative,
    which can be under the threshold; ``why`` says what put the duplicate in
    the cluster then, judged against the representative:

    * ``exact``: the same shingles (similarity 1.0);
    * ``similar``: similarity at or above ``threshold``;
    * ``contained``: a truncated or extended reprint: the shorter text lies
      inside the longer one (containment at or above ``containment``);
    * ``merged``: the guarded merge, or the pass that leaves no two kept
      documents reprints of each other, joined its cluster to this one
      (``merge_clusters``);
    * ``linked``: it passed against the cluster's first document, not against
      the representative (the ``longest`` or ``earliest`` one).

    >>> ClusterInfo("a", 2, False, "a", 0.37, "contained").why
    'contained'
    """

    cluster_id: str
    cluster_size: int = 1
    is_representative: bool = True
    duplicate_of: str | None = None
    similarity: float | None = None
    why: JoinReason | None = None


@dataclass(frozen=True)
class Article:
    """One cleaned article.  Immutable; derive changed copies with dataclasses.replace.

    :func:`newsclean.clean` returns one; ``removed`` says what went and why.

    >>> art = Article("Body text.", title="Title", removed=(Block("Share on X", "share-widget"),))
    >>> art.text, art.title, [b.reason for b in art.removed]
    ('Body text.', 'Title', ['share-widget'])
    """

    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    url: str | None = None
    language: str | None = None
    #: Every removed block, with its reason, in input order.
    removed: tuple[Block, ...] = ()
    #: Lines that were kept although something about them looked like chrome.
    doubts: tuple[Block, ...] = ()
    #: Document-level flags such as ``no-body``, ``html-fallback`` or ``ambiguous-encoding``.
    flags: tuple[str, ...] = ()
    cluster: ClusterInfo | None = field(default=None, compare=False)
    #: Set, with the ``ambiguous-encoding`` flag, when the input's bytes read as
    #: well in other charsets: which one was chosen and which tied.
    encoding_doubt: EncodingDoubt | None = None

    def removed_chars(self) -> dict[str, int]:
        """Characters removed, summed per reason, in first-seen order.

        >>> Article("x", removed=(Block("ab", "title"), Block("cde", "copyright"),
        ...                       Block("f", "title"))).removed_chars()
        {'title': 3, 'copyright': 3}
        """
        out: dict[str, int] = {}
        for b in self.removed:
            out[b.reason] = out.get(b.reason, 0) + len(b.text)
        return out

    def with_encoding_doubt(self, doubt: EncodingDoubt | None) -> Article:
        """This article flagged ``ambiguous-encoding``, recording ``doubt`` (itself when None).

        Its text stays the likeliest reading (a guess among ties is still the
        best guess), but the doubt is kept: a reader of the record or the
        manifest can find the documents whose charset to check.

        >>> art = Article("x").with_encoding_doubt(EncodingDoubt("cp932", ("gb18030",)))
        >>> art.flags, art.encoding_doubt.chosen
        (('ambiguous-encoding',), 'cp932')
        """
        if doubt is None:
            return self
        flags = (
            self.flags if AMBIGUOUS_ENCODING in self.flags else (*self.flags, AMBIGUOUS_ENCODING)
        )
        return replace(self, flags=flags, encoding_doubt=doubt)

    def default_id(self) -> str:
        """A stable id when the caller has none: 16 hex digits of the SHA-256 of the
        URL, or of the text when there is no URL (so a re-crawl gets the same id).

        >>> Article("text", url="https://example.com/a").default_id()
        '2dce0a4c50441bfc'
        >>> Article("text").default_id() == Article("text").default_id()
        True
        """
        basis = self.url or self.text
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

    def to_record(
        self,
        id: str | None = None,
        source_path: str | None = None,
        cluster: ClusterInfo | None = None,
    ) -> dict[str, Any]:
        """The JSONL record of docs/contracts.md §2 (datatrove / HF datasets layout).

        Ids and paths that are not valid UTF-8 (a file name in another encoding,
        a JSONL id with a lone surrogate) are written as the manifest writes them
        (``\\xff``, ``\\ud800``; see :func:`~newsclean.wording.printable`): JSON
        readers such as pyarrow and HF datasets reject a lone surrogate escape,
        and a record's id must equal its manifest line's.

        >>> rec = Article("Body.", title="T").to_record(id="doc-1", source_path="a.txt")
        >>> rec["id"], rec["text"], rec["metadata"]["title"], rec["metadata"]["source_path"]
        ('doc-1', 'Body.', 'T', 'a.txt')
        >>> rec["metadata"]["newsclean"]["removed"], rec["metadata"]["newsclean"]["cluster_id"]
        ([], None)
        """
        # Checked first: a number passed as the id failed deep in the escaping
        # with an AttributeError that named neither the argument nor the fix.
        doc_id = document_id(id, "to_record") if id is not None else self.default_id()
        if isinstance(source_path, os.PathLike):
            source_path = os.fspath(source_path)
        require_optional_str(source_path, "to_record", "source_path")
        info = cluster if cluster is not None else self.cluster
        nc: dict[str, Any] = {
            "version": __version__,
            "removed": [{"reason": r, "chars": n} for r, n in self.removed_chars().items()],
            "doubts": len(self.doubts),
            "flags": list(self.flags),
            "encoding_doubt": self.encoding_doubt.to_json() if self.encoding_doubt else None,
        }
        if info is not None:
            # ``why`` explains the report; the record keeps its documented keys.
            nc.update((k, v) for k, v in asdict(info).items() if k != "why")
            for k in ("cluster_id", "duplicate_of"):  # ids of documents, as ``id`` below
                if nc[k] is not None:
                    nc[k] = printable(nc[k])
        else:
            nc.update(
                cluster_id=None,
                cluster_size=None,
                is_representative=None,
                duplicate_of=None,
                similarity=None,
            )
        return {
            "id": printable(doc_id),
            "text": self.text,
            "metadata": {
                "url": self.url,
                "source_path": printable(source_path) if source_path is not None else None,
                "title": self.title,
                "date": self.date,
                "source": self.source,
                "author": self.author,
                "editor": self.editor,
                "language": self.language,
                "newsclean": nc,
            },
        }
