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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

from newsclean.config import Config, Kind, resolve_config
from newsclean.errors import InputError, MissingExtraError
from newsclean.io import remote
from newsclean.io.discover import Source
from newsclean.io.formats import format_of, strip_suffixes

if TYPE_CHECKING:
    from newsclean.article import EncodingDoubt
    from newsclean.decode import Decoded

#: Container files (JSONL, JSON lists, WARC) may be this many times larger than one document.
CONTAINER_FACTOR = 100


@dataclass(frozen=True)
class FieldNames:
    """Where JSON/JSONL records keep their parts; dotted names reach into objects."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    url: str = "url"


@dataclass(frozen=True, slots=True)  # a batch holds one per input document
class Document:
    """One input document, or the reason it could not be read."""

    key: str  # unique within the run: ``rel`` or ``rel:N`` for the N-th record
    path: str  # the input file, as the user named it (with ``:N`` for records)
    rel: str
    record: int | None  # 1-based line (JSONL) or record number (JSON list, WARC)
    id: str
    group: str
    #: bytes, a record's text, or a record's text read from bytes in a charset
    #: guessed among ties (a Decoded: clean() records its doubt)
    raw: bytes | str | Decoded | None = None
    kind: Kind = "auto"
    url: str | None = None
    sha256: str | None = None
    error: InputError | None = None


def read_documents(
    src: Source, fields: FieldNames | None = None, max_bytes: int = 20 * 1024 * 1024
) -> Iterator[Document]:
    """Documents of one file, in file order.

    Never raises for bad input: it becomes a Document whose ``error`` says
    why.  Raises :class:`MissingExtraError` when the file needs an optional
    dependency that is not installed (see :func:`check_support`).
    """
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


def reads_alone(src: Source) -> bool:
    """Whether ``src`` is one document that a worker can read by itself.

    A batch sends such a file to its workers by name (:func:`describe` in the
    parent, :func:`read_documents` in the worker), so decompression, decoding
    and hashing scale with the workers.  Containers (JSONL, JSON, WARC) are
    read where the batch runs: how many documents they hold, and their ids,
    are only known once read.
    """
    return src.error is None and not format_of(src.rel).format.container


def describe(src: Source) -> Document:
    """The Document of a one-document file before it is read: everything but
    its bytes, ``sha256`` and ``error`` (which :func:`read_documents` gives)."""
    fmt = format_of(src.rel)
    return Document(src.rel, src.path, src.rel, None, strip_suffixes(src.rel), src.group,
                    kind=fmt.kind)  # fmt: skip


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _os_error(exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError("symlink-loop", "the path is a symbolic link loop")
    if isinstance(exc, PermissionError):
        # EACCES's own text is "Permission denied": saying it twice reads as a bug
        why = "" if exc.errno == errno.EACCES else f" ({exc.strerror or exc})"
        return InputError("unreadable", f"permission denied{why}")
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


def _id_text(rid: Any) -> str:
    """A record's id as text: a string as it is, anything else as the JSON it
    was written as (``7``, ``true``, ``{"a":1}``), never a Python repr
    (``True``, ``{'a': 1}``) that no JSON reader would match."""
    if isinstance(rid, str):
        return rid
    return json.dumps(rid, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _json_kind(value: Any) -> str:
    """What a JSON value is, in JSON's words (a record of ``7`` is "a number", not "a int")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def _record(
    src: Source,
    n: int,
    obj: Any,
    fields: FieldNames,
    sha: str,
    max_bytes: int,
    doubt: EncodingDoubt | None = None,
) -> Document:
    key, path = f"{src.rel}:{n}", f"{src.path}:{n}"
    fallback_id = f"{strip_suffixes(src.rel)}:{n}"
    if not isinstance(obj, dict):
        err = InputError("malformed-json", f"record {n} is {_json_kind(obj)}, not an object")
        return Document(key, path, src.rel, n, fallback_id, src.rel, error=err)
    rid = _lookup(obj, fields.id)
    url = _lookup(obj, fields.url)
    url = url if isinstance(url, str) and url else None
    doc_id = _id_text(rid) if rid not in (None, "") else fallback_id
    html, text = _lookup(obj, fields.html), _lookup(obj, fields.text)
    # The text field is sniffed (``auto``), as ``newsclean.clean`` and the
    # integrations sniff it: crawlers often store the raw page under "text",
    # and a page read as text would keep its markup.
    kind: Kind
    raw, kind = (html, "html") if isinstance(html, str) and html else (text, "auto")
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
    return Document(key, path, src.rel, n, doc_id, src.rel, _doubted(raw, doubt), kind, url, sha)


def _doubted(text: str, doubt: EncodingDoubt | None) -> str | Decoded:
    """A record's text; a Decoded carrying ``doubt`` when its bytes were read in a
    charset guessed among ties, so that cleaning it records the doubt as for a file."""
    if doubt is None:
        return text
    from newsclean.decode import Decoded

    return Decoded(text, doubt.chosen, doubt.alternatives)


def _jsonl(src: Source, fields: FieldNames, gz: bool, max_bytes: int) -> Iterator[Document]:
    with _open(src.path, gz) as fh:
        n = 0
        any_record = False
        charset: _Charset | None = None  # the file's encoding, once a line is not UTF-8
        while True:
            try:
                line = fh.readline(max_bytes * 2)
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError("bad-gzip", f"after line {n}: {exc}") from exc
            if not line:
                if not any_record:  # an empty container is one manifest line, not none
                    raise InputError("no-documents", f"no JSON record in {n} lines")
                return
            n += 1
            if not line.strip():
                continue
            any_record = True
            if not line.endswith(b"\n") and len(line) >= max_bytes * 2:
                while line and not line.endswith(b"\n"):  # skip the rest of the giant line
                    line = fh.readline(max_bytes)
                err = InputError("too-large", f"line {n} is longer than the limit")
                yield Document(f"{src.rel}:{n}", f"{src.path}:{n}", src.rel, n,
                               f"{strip_suffixes(src.rel)}:{n}", src.rel, error=err)  # fmt: skip
                continue
            try:
                obj, charset, doubt = _json_line(line, charset, max_bytes)
            except (ValueError, UnicodeDecodeError, RecursionError, InputError) as exc:
                err = InputError("malformed-json", f"line {n}: {exc}")
                yield Document(f"{src.rel}:{n}", f"{src.path}:{n}", src.rel, n,
                               f"{strip_suffixes(src.rel)}:{n}", src.rel, sha256=_sha(line),
                               error=err)  # fmt: skip
                continue
            yield _record(src, n, obj, fields, _sha(line), max_bytes, doubt)


@dataclass(frozen=True)
class _Charset:
    """The encoding of a JSON file's lines that are not UTF-8, and the doubt about it."""

    codec: str
    doubt: EncodingDoubt | None


def _json_line(
    line: bytes, charset: _Charset | None, max_bytes: int
) -> tuple[Any, _Charset | None, EncodingDoubt | None]:
    """``json.loads`` of one JSONL line, the file's encoding, and the doubt
    about this line's reading (None: UTF-8, or a charset that was no guess).

    JSON is UTF-8 (or UTF-16/32, which ``json.loads`` detects), but exports
    from older Chinese systems write GBK: a line that is not UTF-8 is decoded
    like a document's bytes, the encoding found on the file's first such line
    then used for the rest, as a plain file is decoded once for all its lines.
    Without this every record of such a file was ``malformed-json``.  A short
    first line reads as well in Shift_JIS as in GBK: the records read in that
    guess carry the doubt, as a file's text does.
    """
    try:
        return json.loads(line), charset, None
    except UnicodeDecodeError:
        if charset is None:
            from newsclean.decode import decode_bytes

            cfg = Config(max_input_bytes=max(max_bytes * 2, len(line)))
            decoded = decode_bytes(line, config=cfg)
            charset = _Charset(decoded.encoding, decoded.doubt)
        return json.loads(line.decode(charset.codec)), charset, charset.doubt


def _json(src: Source, data: bytes, fields: FieldNames, max_bytes: int) -> Iterator[Document]:
    try:
        obj, _, doubt = _json_line(data, None, max(max_bytes, len(data)))
    except (ValueError, UnicodeDecodeError, RecursionError, InputError) as exc:
        raise InputError("malformed-json", str(exc)) from exc
    if isinstance(obj, dict):
        doc = _record(src, 1, obj, fields, _sha(data), max_bytes, doubt)
        # A one-object file is one document: name it like a plain file.
        yield Document(src.rel, src.path, src.rel, None, doc.id if doc.id != f"{strip_suffixes(src.rel)}:1" else strip_suffixes(src.rel),
                       src.group, doc.raw, doc.kind, doc.url, doc.sha256, doc.error)  # fmt: skip
        return
    if not isinstance(obj, list):
        raise InputError("malformed-json", "expected an object or a list of objects")
    if not obj:
        raise InputError("no-documents", "an empty JSON list")
    for n, item in enumerate(obj, 1):
        sha = _sha(json.dumps(item, sort_keys=True))
        yield _record(src, n, item, fields, sha, max_bytes, doubt)


#: Bytes read at a time while looking for the next record after a corrupt one.
_RESYNC_CHUNK = 1 << 20
_WARC_START = b"WARC/1."
_GZIP_MEMBER = b"\x1f\x8b\x08"


def warc_support() -> Any:
    """warcio's ``ArchiveIterator``; :class:`MissingExtraError` without warcio.

    Raised, not turned into an error Document: a missing extra is one error
    about the environment that stops the run, not a failure per document.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:
        raise MissingExtraError("reading WARC files", "warc", "warcio") from exc

    class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
        """warcio's iterator without its stderr warning.

        warcio writes "WARNING: Record not followed by newline, perhaps
        Content-Length is invalid" straight to ``sys.stderr`` (past ``-q``,
        through the progress line) and then skips that line: the tail of a
        record whose Content-Length is too small, or junk before the next
        record, which then is ``malformed-warc`` if it cannot be parsed.
        Redirecting ``sys.stderr`` instead would swallow other threads' output
        (the progress line) too.  Should warcio rename the method, the warning
        is back and tests/test_warc.py says so.
        """

        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            # warcio 1.7-1.8's method, minus the write (and its offset arithmetic).
            empty_size = 0
            first_line = True
            while True:
                line = self.reader.readline()
                if not line:
                    return None, empty_size
                if not line.rstrip() or first_line:
                    empty_size += len(line)
                    if line.rstrip():
                        self.err_count += 1
                    first_line = False
                    continue
                return line, empty_size

    return QuietArchiveIterator


def check_support(sources: Iterable[Source]) -> None:
    """Raise :class:`MissingExtraError` before a run if an input needs a missing extra."""
    if any(format_of(s.rel).reader == "warc" for s in sources):
        warc_support()


def _warc(src: Source, max_bytes: int) -> Iterator[Document]:
    """Documents of one WARC file: one per HTML response (or resource) record.

    Nothing is skipped silently.  A record warcio cannot parse becomes a
    ``malformed-warc`` error and reading resumes at the next record start
    (``WARC/1.`` line, or gzip member); a block shorter than its
    ``Content-Length`` (a file cut mid-record), a ``WARC-Truncated`` record
    and a payload shorter than its HTTP ``Content-Length`` are ``truncated``;
    a response record without HTTP headers is ``no-http-headers``.  A file
    with no record at all is ``not-warc``; one whose records hold no HTML
    page gets a ``no-documents`` line.  Other record types (warcinfo,
    request, metadata, revisit) and non-HTML payloads are not documents.
    """
    archive_iterator = warc_support()
    n = 0  # records seen, damaged ones included
    yielded = 0
    with _open(src.path, gz=False) as fh:  # warcio reads gzip members itself
        gz = fh.read(2) == _GZIP_MEMBER[:2]
        if not _starts_as_warc(fh, gz):
            # warcio would parse any text as records (one bogus error per few
            # lines); a WARC begins with its version line.
            raise InputError(
                "not-warc", "not a WARC file: it does not begin with a WARC/ version line"
            )
        start: int | None = 0
        while start is not None:
            fh.seek(start)
            it = archive_iterator(fh)
            failure: BaseException | None = None
            while True:
                try:
                    rec = next(it)
                except StopIteration:
                    break
                except Exception as exc:  # warcio raises anything on corrupt input
                    failure = exc
                    break
                n += 1
                doc = _warc_record(src, n, rec, max_bytes)
                if doc is not None:
                    yielded += 1
                    yield doc
            bad = it.offset  # where the record that could not be read starts
            if failure is None and not _leftover(fh, bad):
                break
            if n == 0 and not _has_record_start(fh, 0, gz):
                detail = _short(failure) if failure else "no WARC record header"
                raise InputError("not-warc", f"not a WARC file: {detail}")
            n += 1
            start = _next_record_start(fh, bad + 1, gz)
            cut = start is None and _next_record_start(fh, bad, gz) == bad
            reason = "truncated" if cut else "malformed-warc"
            why = "the file ends inside it" if cut else _short(failure) if failure else "unreadable"
            yield _warc_error(src, n, reason, f"record {n} at byte {bad}: {why}")
            yielded += 1
    if yielded == 0:
        detail = f"{n} records, none an HTML response" if n else "no WARC records"
        raise InputError("no-documents" if n else "not-warc", detail)


def _leftover(fh: IO[bytes], offset: int) -> bool:
    """Bytes other than blank lines after ``offset``: a record warcio stopped at."""
    fh.seek(offset)
    return bool(fh.read(_RESYNC_CHUNK).strip())


def _warc_record(src: Source, n: int, rec: Any, max_bytes: int) -> Document | None:
    """The Document of one record; None for records that are not pages."""
    key, path = f"{src.rel}:{n}", f"{src.path}:{n}"
    rid = (rec.rec_headers.get_header("WARC-Record-ID") or "").strip("<>") or key
    url = rec.rec_headers.get_header("WARC-Target-URI") or None

    def error(reason: str, detail: str) -> Document:
        err = InputError(reason, f"record {n}: {detail}")
        return Document(key, path, src.rel, n, rid, src.rel, url=url, error=err)

    if rec.rec_type == "response":
        http = rec.http_headers
        if http is None or not str(http.protocol).upper().startswith("HTTP/"):
            missing = _block_short(rec)
            if missing:  # cut inside its HTTP headers
                return error("truncated", f"{missing} bytes short of its Content-Length")
            return error("no-http-headers", "a response record whose block is not an HTTP response")
        ctype = (http.get_header("Content-Type") or "").lower()
    elif rec.rec_type == "resource":
        ctype = (rec.rec_headers.get_header("Content-Type") or "").lower()
    else:
        return None
    if "html" not in ctype:
        # Not a page, unless the file was cut inside it (its type line too).
        short = _block_short(rec)
        return error("truncated", f"{short} bytes short of its Content-Length") if short else None
    if rec.rec_headers.get_header("WARC-Truncated"):
        why = rec.rec_headers.get_header("WARC-Truncated")
        return error("truncated", f"the crawler truncated the payload (WARC-Truncated: {why})")
    try:
        body = rec.content_stream().read(max_bytes + 1)
    except Exception as exc:  # bad chunking or content encoding, cut gzip
        return error("truncated" if isinstance(exc, EOFError) else "malformed-warc", _short(exc))
    if len(body) > max_bytes:
        return error("too-large", f"payload exceeds {max_bytes} bytes (max_input_bytes)")
    missing = _missing_bytes(rec)
    if missing:
        return error("truncated", f"{missing} bytes short of its Content-Length")
    raw: bytes | str | Decoded = body
    if "charset=" in ctype:
        from newsclean.decode import decode_bytes

        # The HTTP header is the charset the server vouched for; the
        # page itself may not repeat it in a <meta>.  A Decoded, when the
        # header's charset misread it and the reading is a guess among
        # ties: cleaning it records the doubt.
        try:
            decoded = decode_bytes(body, path, declared=ctype)
            raw = decoded if decoded.doubt else decoded.text
        except InputError as err:
            return Document(key, path, src.rel, n, rid, src.rel, url=url, error=err)
    return Document(key, path, src.rel, n, rid, src.rel, raw, "html", url, _sha(body))


def _block_short(rec: Any) -> int:
    """How many bytes the record's block lacks (the file ends inside it), 0 if complete."""
    try:
        while rec.raw_stream.read(_RESYNC_CHUNK):  # the rest of the block, if any
            pass
    except Exception:  # a cut gzip member: the block is short
        return max(1, int(getattr(rec.raw_stream, "limit", 1)))
    return int(getattr(rec.raw_stream, "limit", 0))


def _missing_bytes(rec: Any) -> int:
    """How many bytes the record's block or its HTTP payload lacks, 0 if complete."""
    short = _block_short(rec)
    if short:
        return short
    http = rec.http_headers
    if http is None or "chunked" in (http.get_header("Transfer-Encoding") or "").lower():
        return 0
    declared = http.get_header("Content-Length")
    if declared is None or not declared.strip().isdigit():
        return 0
    payload = rec.length - http.total_len
    return max(0, int(declared) - payload)


def _warc_error(src: Source, n: int, reason: str, detail: str) -> Document:
    err = InputError(reason, detail, f"{src.path}:{n}")
    return Document(f"{src.rel}:{n}", f"{src.path}:{n}", src.rel, n,
                    f"{strip_suffixes(src.rel)}:{n}", src.rel, error=err)  # fmt: skip


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _starts_as_warc(fh: IO[bytes], gz: bool) -> bool:
    """Whether the file's first record begins with a ``WARC/`` line.

    Without it a gzip stream is some other gzipped file (``x.warc.gz``
    holding text), not a WARC cut short.  A damaged first member is given
    the benefit of the doubt: the record reader names what is wrong.
    """
    fh.seek(0)
    head = fh.read(1 << 16)
    if gz:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return True
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _has_record_start(fh: IO[bytes], offset: int, gz: bool) -> bool:
    return _next_record_start(fh, offset, gz) is not None


def _next_record_start(fh: IO[bytes], offset: int, gz: bool) -> int | None:
    """Offset of the next gzip member (gzipped WARC) or ``WARC/1.`` line at or after ``offset``."""
    marker = _GZIP_MEMBER if gz else _WARC_START
    fh.seek(offset)
    pos, tail = offset, b""
    while True:
        chunk = fh.read(_RESYNC_CHUNK)
        if not chunk:
            return None
        data = tail + chunk
        base = pos - len(tail)
        i = data.find(marker)
        while i >= 0:
            if gz or (i == 0 and base == 0) or data[i - 1 : i] == b"\n":
                return base + i
            i = data.find(marker, i + 1)
        pos += len(chunk)
        tail = data[-(len(marker) - 1) :]


def read_text_file(path: str, config: Config | None = None) -> tuple[Decoded, bytes]:
    """(decoded text, raw bytes) of a file; gzip is undone.  Used by check.

    The limits of ``run``: a document over ``config.max_input_bytes`` (a
    JSON/JSONL container over :data:`CONTAINER_FACTOR` times that) is refused
    as ``too-large``, and a gzip stream is decompressed only up to the limit,
    so a gzip bomb costs no more than the limit.
    """
    from newsclean.decode import decode_bytes

    cfg = resolve_config(config)
    fmt = format_of(path)
    limit = cfg.max_input_bytes * (CONTAINER_FACTOR if fmt.format.container else 1)
    try:
        data = _read_bytes(path, fmt.gzip, limit)
    except InputError as exc:
        exc.path = path
        raise
    container = fmt.format.container
    return decode_bytes(data, path, cfg.replace(max_input_bytes=limit), container=container), data


__all__ = [
    "Document",
    "FieldNames",
    "check_support",
    "describe",
    "read_documents",
    "read_text_file",
    "reads_alone",
    "warc_support",
]
