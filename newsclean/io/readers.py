"""Turn one input file into documents.

``.txt``/``.html`` (optionally gzipped) hold one document; ``.jsonl`` one per
line; ``.json`` one object or a list of objects; WARC one per HTML response
record (the ``warc`` extra).  Every failure becomes a :class:`Document` whose
``error`` names the reason, so a batch records it and goes on.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from newsclean.config import Kind
from newsclean.errors import InputError
from newsclean.io import remote
from newsclean.io.discover import Source
from newsclean.io.formats import format_of, strip_suffixes

#: Container files (JSONL, JSON lists, WARC) may be this many times larger than one document.
CONTAINER_FACTOR = 100


@dataclass(frozen=True)
class FieldNames:
    """Where JSON/JSONL records keep their parts; dotted names reach into objects."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    url: str = "url"


@dataclass(frozen=True)
class Document:
    """One input document, or the reason it could not be read."""

    key: str  # unique within the run: ``rel`` or ``rel:N`` for the N-th record
    path: str  # the input file, as the user named it (with ``:N`` for records)
    rel: str
    record: int | None  # 1-based line (JSONL) or record number (JSON list, WARC)
    id: str
    group: str
    raw: bytes | str | None = None
    kind: Kind = "auto"
    url: str | None = None
    sha256: str | None = None
    error: InputError | None = None


def read_documents(
    src: Source, fields: FieldNames | None = None, max_bytes: int = 20 * 1024 * 1024
) -> Iterator[Document]:
    """Documents of one file, in file order; never raises for bad input."""
    fields = fields or FieldNames()
    fmt = format_of(src.rel)
    gz = fmt.gzip and not fmt.format.self_decompressing
    doc_id = strip_suffixes(src.rel)
    try:
        if src.error is not None:  # discovery could not list it (an unreadable folder)
            raise InputError("unreadable", src.error)
        if fmt.reader == "jsonl":
            yield from _jsonl(src, fields, gz, max_bytes)
        elif fmt.reader == "warc":
            yield from _warc(src, max_bytes)
        else:
            limit = max_bytes * CONTAINER_FACTOR if fmt.reader == "json" else max_bytes
            data = _read_bytes(src.path, gz, limit)
            if fmt.reader == "json":
                yield from _json(src, data, fields, max_bytes)
            else:
                kind = fmt.kind
                yield Document(
                    src.rel, src.path, src.rel, None, doc_id, src.group, data, kind,
                    sha256=_sha(data),
                )  # fmt: skip
    except InputError as exc:
        exc.path = src.path
        yield Document(src.rel, src.path, src.rel, None, doc_id, src.group, error=exc)


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _os_error(exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError("symlink-loop", "the path is a symbolic link loop")
    if isinstance(exc, PermissionError):
        return InputError("unreadable", f"permission denied: {exc.strerror or exc}")
    if exc.errno == errno.ENOENT:
        return InputError("unreadable", "the file vanished or is a dangling symlink")
    if exc.errno == errno.EISDIR:
        return InputError("unreadable", "is a directory")
    return InputError("unreadable", str(exc))


def _open(path: str, gz: bool) -> IO[bytes]:
    try:
        fh: IO[bytes] = remote.open_url(path) if remote.is_url(path) else open(path, "rb")  # noqa: SIM115 - returned to the caller
    except OSError as exc:
        raise _os_error(exc) from exc
    return cast(IO[bytes], gzip.GzipFile(fileobj=fh, mode="rb")) if gz else fh


def _read_bytes(path: str, gz: bool, limit: int | None) -> bytes:
    """The (decompressed) bytes of ``path``; refuses more than ``limit`` bytes (None: any)."""
    try:
        size = remote.size(path) if remote.is_url(path) else os.stat(path).st_size
    except OSError as exc:
        raise _os_error(exc) from exc
    if limit is not None and not gz and size > limit:
        raise InputError("too-large", f"{size} bytes; the limit is {limit} (max_input_bytes)")
    with _open(path, gz) as fh:
        try:
            data = fh.read(-1 if limit is None else limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError("bad-gzip", str(exc)) from exc
    if limit is not None and len(data) > limit:
        raise InputError("too-large", f"more than {limit} bytes (max_input_bytes)")
    return data


def _lookup(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _record(
    src: Source, n: int, obj: Any, fields: FieldNames, sha: str, max_bytes: int
) -> Document:
    key, path = f"{src.rel}:{n}", f"{src.path}:{n}"
    fallback_id = f"{strip_suffixes(src.rel)}:{n}"
    if not isinstance(obj, dict):
        err = InputError("malformed-json", f"record {n} is a {type(obj).__name__}, not an object")
        return Document(key, path, src.rel, n, fallback_id, src.rel, error=err)
    rid = _lookup(obj, fields.id)
    url = _lookup(obj, fields.url)
    url = url if isinstance(url, str) and url else None
    doc_id = str(rid) if rid not in (None, "") else fallback_id
    html, text = _lookup(obj, fields.html), _lookup(obj, fields.text)
    kind: Kind
    raw, kind = (html, "html") if isinstance(html, str) and html else (text, "text")
    if not isinstance(raw, str):
        err = InputError(
            "missing-field",
            f"record {n} has no string field {fields.text!r} or {fields.html!r} "
            "(set text-field / html-field)",
        )
        return Document(key, path, src.rel, n, doc_id, src.rel, url=url, sha256=sha, error=err)
    if len(raw) > max_bytes:
        err = InputError("too-large", f"record {n} has {len(raw)} chars (max_input_bytes)")
        return Document(key, path, src.rel, n, doc_id, src.rel, url=url, sha256=sha, error=err)
    return Document(key, path, src.rel, n, doc_id, src.rel, raw, kind, url, sha)


def _jsonl(src: Source, fields: FieldNames, gz: bool, max_bytes: int) -> Iterator[Document]:
    with _open(src.path, gz) as fh:
        n = 0
        while True:
            try:
                line = fh.readline(max_bytes * 2)
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError("bad-gzip", f"after line {n}: {exc}") from exc
            if not line:
                return
            n += 1
            if not line.strip():
                continue
            if not line.endswith(b"\n") and len(line) >= max_bytes * 2:
                while line and not line.endswith(b"\n"):  # skip the rest of the giant line
                    line = fh.readline(max_bytes)
                err = InputError("too-large", f"line {n} is longer than the limit")
                yield Document(f"{src.rel}:{n}", f"{src.path}:{n}", src.rel, n,
                               f"{strip_suffixes(src.rel)}:{n}", src.rel, error=err)  # fmt: skip
                continue
            try:
                obj = json.loads(line)
            except (ValueError, UnicodeDecodeError) as exc:
                err = InputError("malformed-json", f"line {n}: {exc}")
                yield Document(f"{src.rel}:{n}", f"{src.path}:{n}", src.rel, n,
                               f"{strip_suffixes(src.rel)}:{n}", src.rel, sha256=_sha(line),
                               error=err)  # fmt: skip
                continue
            yield _record(src, n, obj, fields, _sha(line), max_bytes)


def _json(src: Source, data: bytes, fields: FieldNames, max_bytes: int) -> Iterator[Document]:
    try:
        obj = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError("malformed-json", str(exc)) from exc
    if isinstance(obj, dict):
        doc = _record(src, 1, obj, fields, _sha(data), max_bytes)
        # A one-object file is one document: name it like a plain file.
        yield Document(src.rel, src.path, src.rel, None, doc.id if doc.id != f"{strip_suffixes(src.rel)}:1" else strip_suffixes(src.rel),
                       src.group, doc.raw, doc.kind, doc.url, doc.sha256, doc.error)  # fmt: skip
        return
    if not isinstance(obj, list):
        raise InputError("malformed-json", "expected an object or a list of objects")
    for n, item in enumerate(obj, 1):
        yield _record(src, n, item, fields, _sha(json.dumps(item, sort_keys=True)), max_bytes)


def _warc(src: Source, max_bytes: int) -> Iterator[Document]:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:
        raise InputError(
            "missing-extra", "reading WARC needs warcio: pip install newsclean[warc]"
        ) from exc
    fh = _open(src.path, gz=False)  # warcio reads gzip members itself
    with fh:
        n = 0
        try:
            for rec in ArchiveIterator(fh):
                n += 1
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                rid = (rec.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
                url = rec.rec_headers.get_header("WARC-Target-URI") or None
                key, path = f"{src.rel}:{n}", f"{src.path}:{n}"
                body = rec.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    err = InputError("too-large", f"record {n} payload exceeds {max_bytes} bytes")
                    yield Document(key, path, src.rel, n, rid or key, src.rel, url=url, error=err)
                    continue
                raw: bytes | str = body
                if "charset=" in ctype:
                    from newsclean.decode import decode_bytes

                    # The HTTP header is the charset the server vouched for; the
                    # page itself may not repeat it in a <meta>.
                    try:
                        raw = decode_bytes(body, path, declared=ctype).text
                    except InputError as err:
                        yield Document(
                            key, path, src.rel, n, rid or key, src.rel, url=url, error=err
                        )
                        continue
                yield Document(key, path, src.rel, n, rid or key, src.rel, raw, "html", url,
                               _sha(body))  # fmt: skip
        except Exception as exc:  # warcio raises plain Exceptions on corrupt archives
            raise InputError("malformed-warc", f"after record {n}: {exc}") from exc


def read_text_file(path: str) -> tuple[str, str, bytes]:
    """(text, encoding, raw bytes) of a file; gzip is undone.  Used by check/show."""
    from newsclean.decode import decode_bytes

    try:
        data = _read_bytes(path, format_of(path).gzip, None)
    except InputError as exc:
        exc.path = path
        raise
    dec = decode_bytes(data, path)
    return dec.text, dec.encoding, data


__all__ = ["Document", "FieldNames", "read_documents", "read_text_file"]
