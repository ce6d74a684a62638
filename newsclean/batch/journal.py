"""The journal's typed side: :class:`Result` to JSON and back, with a schema check.

The file itself (lines, envelope, torn last line) is :mod:`newsclean.io.journal`.
A result of the wrong shape raises :class:`JournalCorruptError` naming the
journal and the document, instead of failing later with a KeyError.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsclean.article import Article
from newsclean.batch.records import RESULT_STATUSES, Brief, Result, Sketch
from newsclean.errors import JournalCorruptError
from newsclean.io.journal import (
    FIX,
    Reader,
    article_from_json,
    article_to_json,
    dumps_line,
    entries,
)

__all__ = ["JournalArticle", "Stored", "decode_result", "encode_result", "load_results"]


def encode_result(key: str, sha: str | None, result: Result) -> str:
    """One journal line for ``result``; only the fields that are set are written."""
    res: dict[str, Any] = {"status": result.status}
    if result.reason is not None:
        res["reason"] = result.reason
    if result.detail is not None:
        res["detail"] = result.detail
    if result.article is not None:
        res["article"] = article_to_json(result.article)
    if result.sketch is not None:
        s = result.sketch
        res["sketch"] = [s.dtype, s.data, s.size]
    if result.attempts != 1:
        res["attempts"] = result.attempts
    return dumps_line({"key": key, "sha256": sha, "result": res})


def decode_result(res: dict[str, Any], path: str = "journal", key: str = "?") -> Result:
    """The :class:`Result` of one journal entry; JournalCorruptError when it has another shape."""

    def bad(what: str) -> JournalCorruptError:
        return JournalCorruptError(
            path, f"the entry of {key!r} is JSON of the wrong shape ({what}); {FIX}"
        )

    status = res.get("status")
    if status not in RESULT_STATUSES:
        raise bad(f"status {status!r} is not one of {', '.join(RESULT_STATUSES)}")
    for name in ("reason", "detail"):
        if not isinstance(res.get(name), (str, type(None))):
            raise bad(f"{name} must be a string or null")
    attempts = res.get("attempts", 1)
    if not isinstance(attempts, int) or attempts < 1:
        raise bad("attempts must be a positive integer")
    article = None
    if res.get("article") is not None:
        raw = res["article"]
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
            raise bad("article must be an object with a text")
        try:
            article = article_from_json(raw)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            raise bad(f"article does not fit newsclean's Article ({exc})") from exc
    sketch = None
    if res.get("sketch") is not None:
        sk = res["sketch"]
        if not (
            isinstance(sk, list)
            and len(sk) == 3
            and isinstance(sk[0], str)
            and isinstance(sk[1], str)
            and isinstance(sk[2], int)
        ):
            raise bad("sketch must be [dtype, base64, size]")
        sketch = Sketch(sk[0], sk[1], sk[2])
    return Result(status, res.get("reason"), res.get("detail"), article, sketch, attempts)


@dataclass(frozen=True, slots=True)  # one per document until phase 2
class Stored:
    """A journal entry as a batch keeps it: the result without its article, and where it is."""

    sha256: str | None
    result: Result  # article=None: it stays in the journal
    offset: int
    brief: Brief | None  # of the article, when there is one

    @classmethod
    def of(cls, sha: str | None, result: Result, offset: int) -> Stored:
        brief = Brief.of(result.article) if result.article is not None else None
        return cls(sha, dataclasses.replace(result, article=None), offset, brief)


def load_results(path: Path) -> dict[str, Stored]:
    """``key -> Stored`` of a journal, read line by line (a torn last line is repaired).

    Every entry is decoded, so a wrong shape anywhere is found before any
    work; only the small parts are kept.
    """
    return {
        e.key: Stored.of(e.sha256, decode_result(e.result, str(path), e.key), e.offset)
        for e in entries(path)
    }


@dataclass(frozen=True, slots=True)  # one per document
class JournalArticle:
    """An article read again from the journal line at ``offset`` (an ArticleSource)."""

    reader: Reader
    offset: int

    def load(self) -> Article:
        e = self.reader.read(self.offset)
        article = decode_result(e.result, str(self.reader.path), e.key).article
        if article is None:
            raise JournalCorruptError(
                str(self.reader.path), f"the entry of {e.key!r} lost its article; {FIX}"
            )
        return article
