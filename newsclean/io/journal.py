"""The resume journal: one JSON line per finished document, appended as results arrive.

A run killed with ``kill -9`` leaves at most one torn last line; :func:`load`
drops it and truncates the file so the next append starts on a clean line.
Articles are stored whole (text, removed blocks, metadata) so a resumed run
rebuilds exactly what the interrupted one had computed.

This module knows the file: lines, the ``{"key", "sha256", "result"}``
envelope, the torn last line.  What a ``result`` holds is the batch's typed
:class:`newsclean.batch.records.Result`, encoded and checked there.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsclean.article import Article, Block, EncodingDoubt
from newsclean.errors import JournalCorruptError

#: What to do about a journal of the wrong shape (its documents are cleaned again).
FIX = "delete it and rerun to start over, or rerun with --force"


_BLOCK_FIELDS = ("removed", "doubts")
_ARTICLE_KEYS = tuple(f.name for f in dataclasses.fields(Article) if f.name != "cluster")
# Block holds only str/int/None, so a plain dict equals dataclasses.asdict (which
# deep-copies every value and cost half of the parent's time per document)
_BLOCK_KEYS = tuple(f.name for f in dataclasses.fields(Block))


def article_to_json(art: Article) -> dict[str, Any]:
    d = {name: getattr(art, name) for name in _ARTICLE_KEYS}
    for name in _BLOCK_FIELDS:
        d[name] = [{k: getattr(b, k) for k in _BLOCK_KEYS} for b in d[name]]
    d["flags"] = list(d["flags"])
    if art.encoding_doubt is not None:
        d["encoding_doubt"] = art.encoding_doubt.to_json()
    return d


def article_from_json(d: dict[str, Any]) -> Article:
    kw = dict(d)
    for name in _BLOCK_FIELDS:
        kw[name] = tuple(Block(**b) for b in kw.get(name, ()))
    kw["flags"] = tuple(kw.get("flags", ()))
    doubt = kw.get("encoding_doubt")  # absent from a journal an older version wrote
    kw["encoding_doubt"] = (
        EncodingDoubt(doubt["chosen"], tuple(doubt["alternatives"])) if doubt else None
    )
    return Article(**kw)


def encode_entry(key: str, sha: str | None, result: dict[str, Any]) -> str:
    """One journal line for a result already turned into JSON values."""
    return dumps_line({"key": key, "sha256": sha, "result": result})


def dumps_line(obj: Any) -> str:
    """``obj`` as one JSON line that always encodes as UTF-8.

    A lone surrogate (an undecodable file name, a JSONL id such as
    ``"\\ud800"``) cannot be written as UTF-8; such a line is written with
    ASCII escapes instead, which json reads back to the very same string.
    """
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj, ensure_ascii=True)
    return line + "\n"


def entries(path: Path) -> Iterator[Entry]:
    """Every entry of a journal, in file order, with its byte offset; repairs a torn last line.

    One line at a time, so a large journal is never held whole.  A line that
    is valid JSON of another shape is not a torn write but a file newsclean
    did not write: :class:`JournalCorruptError`, naming the file and line.
    So is a line that is not JSON with more lines after it (damage: only the
    last line can be torn).
    The torn tail (if any) is cut once the iteration has reached it.
    """
    if not path.exists():
        return
    if path.is_char_device() or path.is_block_device() or path.is_fifo() or path.is_socket():
        # Read line by line, /dev/zero is one endless line: memory until the OOM killer.
        raise JournalCorruptError(str(path), f"is not a regular file; {FIX}")
    good_end = 0
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.endswith(b"\n"):
                break
            try:
                entry = json.loads(line)
            except (ValueError, RecursionError):  # RecursionError: nested too deep for json
                if fh.read(1):
                    # Appends are whole lines and a torn one is cut before the
                    # next append, so only the last line can be torn: a broken
                    # line with entries after it is damage, and cutting there
                    # would silently drop every later entry.
                    raise JournalCorruptError(
                        str(path), f"line {n} is not JSON and entries follow it; {FIX}"
                    ) from None
                break
            yield Entry(good_end, *_envelope(entry, path, n))
            good_end += len(line)
    if good_end != path.stat().st_size:
        os.truncate(path, good_end)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One journal line: where it starts, and its envelope's fields."""

    offset: int
    key: str
    sha256: str | None
    result: dict[str, Any]


def _envelope(entry: Any, path: Path, n: int) -> tuple[str, str | None, dict[str, Any]]:
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("key"), str)
        and isinstance(entry.get("sha256", ""), (str, type(None)))
        and isinstance(entry.get("result"), dict)
    ):
        raise JournalCorruptError(
            str(path),
            f'line {n} is JSON of the wrong shape (not a {{"key", "sha256", "result"}} entry); '
            + FIX,
        )
    return entry["key"], entry.get("sha256"), entry["result"]


def load(path: Path) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """``key -> (sha256, raw result)`` of a journal (the last entry of a key wins)."""
    return {e.key: (e.sha256, e.result) for e in entries(path)}


class Reader:
    """Random access to journal lines by offset, for re-reading a document when it is needed.

    The file is opened on first use and kept open until :meth:`close`; after
    that, each read opens it again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None
        self._closed = False

    def read(self, offset: int) -> Entry:
        if self._closed:
            with open(self.path, "rb") as fh:
                return self._read(fh, offset)
        if self._fh is None:
            self._fh = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        return self._read(self._fh, offset)

    def _read(self, fh: IO[bytes], offset: int) -> Entry:
        fh.seek(offset)
        line = fh.readline()
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise JournalCorruptError(
                str(self.path), f"no journal line at byte {offset}; the file changed during the run"
            ) from exc
        return Entry(offset, *_envelope(entry, self.path, 0))

    def close(self) -> None:
        self._closed = True
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __getstate__(self) -> dict[str, Any]:
        # Sent to another process (an engine's worker writing outputs): the path
        # travels, the open file does not; the copy opens its own on first use.
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]


def open_for_append(path: Path) -> IO[bytes]:
    """The journal, for appending lines already encoded as UTF-8 (by the workers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unbuffered: every finished document reaches the OS before the next one starts,
    # which is all that ``kill -9`` of this process can threaten.
    return open(path, "ab", buffering=0)
