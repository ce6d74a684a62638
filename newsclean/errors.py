"""Exceptions.  Per-document failures are values in batch runs, never crashes."""

from __future__ import annotations

import errno
import numbers
import uuid

from newsclean.wording import printable_line


class NewscleanError(Exception):
    """Base class of every error newsclean raises on purpose.

    >>> issubclass(InputError, NewscleanError)
    True
    """


class InputError(NewscleanError, ValueError):
    """An input that cannot be cleaned: binary, undecodable, empty, too large, malformed.

    ``reason`` is a stable short id that the manifest records: ``binary``,
    ``undecodable``, ``empty``, ``too-large``, ``timeout``, ``malformed-json``,
    ``missing-field``, ``unreadable``, ``symlink-loop``, ``bad-gzip``, and for
    WARC input ``not-warc``, ``malformed-warc``, ``truncated``,
    ``no-http-headers`` and ``no-documents``.  ``path`` names the file when
    there is one (readers fill it in after raising; the message follows).

    >>> err = InputError("binary", "NUL bytes", path="a.txt")
    >>> str(err), err.reason
    ('a.txt: binary: NUL bytes', 'binary')
    """

    def __init__(self, reason: str, detail: str = "", path: str | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.path = path
        super().__init__(reason, detail, path)

    def __str__(self) -> str:
        # Built on demand: readers fill in ``path`` after the error is raised.
        # escaped: a file named with a newline must not split the one-line message
        where = f"{printable_line(self.path)}: " if self.path else ""
        return f"{where}{self.reason}" + (f": {self.detail}" if self.detail else "")


class MissingExtraError(NewscleanError, ValueError):
    """An optional dependency is not installed; the message names the extra to install.

    An environment problem, not a bad input: it stops the run once, up front,
    instead of failing every document (the CLI exits 2).  A ValueError, like
    every other configuration problem newsclean reports.
    """

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(f"{feature} needs {module}: pip install 'newsclean[{extra}]'")


class UsageError(NewscleanError, ValueError):
    """The call cannot work as asked: an option value that is not known, OUT inside
    the input, an input that does not exist.  The message says what to do; the
    CLI prints it and exits 2.  Any other ValueError from a run is a bug (exit 123
    with its traceback), not something to blame on the user.

    >>> isinstance(UsageError("--workers must be >= 1"), ValueError)
    True
    """


class IndexMismatchError(NewscleanError, ValueError):
    """A saved signature or index was built with other parameters than the current ones.

    >>> isinstance(IndexMismatchError("num_perm 64 != 128"), ValueError)
    True
    """


class EnvironmentProblem(NewscleanError):
    """Something around the documents stops the work: a corrupt index, a server that
    does not answer, a state file of the wrong shape.  Not a bug and not bad input;
    the CLI prints ``path: message`` and exits 2.

    ``path`` names the file, folder or URL; the message says what to do.

    >>> str(EnvironmentProblem("index.db", "locked by another process; retry later"))
    'index.db: locked by another process; retry later'
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{printable_line(path)}: {detail}")


class IndexCorruptError(EnvironmentProblem):
    """A Deduplicator index that is not one: not SQLite, truncated, or its saved
    parameters unreadable.

    >>> isinstance(IndexCorruptError("index.db", "not an SQLite file"), EnvironmentProblem)
    True
    """


class IndexUnavailableError(EnvironmentProblem):
    """A Deduplicator index that cannot be reached (no Redis server at the URL).

    >>> IndexUnavailableError("redis://127.0.0.1:6379/0", "connection refused").path
    'redis://127.0.0.1:6379/0'
    """


class JournalCorruptError(EnvironmentProblem):
    """A resume journal (``OUT/.newsclean/journal.jsonl``) that is not a file of
    ``{"key", "sha256", "result"}`` lines; rerun with ``--force`` to start over."""


#: What to do about the environment errors a batch meets (by errno).
_OS_HINTS = {
    errno.EROFS: "choose a writable OUT",
    errno.EACCES: "check the permissions",
    errno.EPERM: "check the permissions",
    # Said of any verb: only `run` has a journal to resume from (`clean` or
    # `check --fix -` writing to a full standard output start over).
    errno.ENOSPC: "free some space, then rerun the same command; run resumes where it stopped",
    errno.EDQUOT: "free some space, then rerun the same command; run resumes where it stopped",
    errno.ELOOP: "the path is a symbolic link loop",
    errno.EISDIR: "a file was expected here",
    errno.ENOTDIR: "a folder was expected here",
}


def os_reason(exc: OSError) -> str:
    """The OS's words for ``exc`` plus what to do about it.

    >>> import errno
    >>> os_reason(OSError(errno.ENOSPC, "No space left on device"))
    'No space left on device (free some space, then rerun the same command; run resumes where it stopped)'
    """
    reason = exc.strerror or str(exc)
    hint = _OS_HINTS.get(exc.errno or 0)
    return f"{reason} ({hint})" if hint else reason


def environment_problem(exc: OSError, default_path: str) -> EnvironmentProblem:
    """``exc`` (an OS error around the documents: a read-only or full OUT) as an
    :class:`EnvironmentProblem` naming its file, else ``default_path``.

    >>> import errno
    >>> str(environment_problem(OSError(errno.EROFS, "Read-only file system"), "out"))
    'out: Read-only file system (choose a writable OUT)'
    """
    path = exc.filename if exc.filename is not None else default_path
    return EnvironmentProblem(str(path), os_reason(exc))


def require_text(value: object, function: str, subject: str = "") -> None:
    """Raise a ``TypeError`` that says what to pass when ``value`` is not a ``str``.

    For the functions that take decoded text (``normalize``, ``check_text``,
    ``cluster``, ``signatures``, ``Deduplicator.add``; ``subject`` names the
    document of a batch):
    without it, bytes failed deep inside with "cannot use a string pattern on
    a bytes-like object", which names neither the function nor the fix.

    >>> require_text(b"x", "normalize")
    Traceback (most recent call last):
    ...
    TypeError: normalize() takes text (str), not bytes: decode it first with newsclean.decode.decode_bytes(data).text, which detects the charset
    """
    if isinstance(value, str):
        return
    of = f" for {subject}" if subject else ""
    what = f"{function}() takes text (str){of}, not {type(value).__name__}"
    if isinstance(value, bytes | bytearray | memoryview):
        data = "data" if isinstance(value, bytes | bytearray) else "bytes(data)"
        raise TypeError(
            f"{what}: decode it first with newsclean.decode.decode_bytes({data}).text, "
            "which detects the charset"
        )
    raise TypeError(what)


def require_optional_str(value: object, function: str, name: str) -> None:
    """Raise a ``TypeError`` that says what to pass when ``value`` (the keyword
    ``name``: ``url``, ``group``) is neither a ``str`` nor None.

    Accepted silently, ``url=123`` failed far away (a template group of
    ``None``, a record whose ``url`` is a number), or never.

    >>> require_optional_str(123, "clean", "url")
    Traceback (most recent call last):
    ...
    TypeError: clean() takes url= as a str or None, not int: pass str(url) if 123 is meant
    """
    if value is None or isinstance(value, str):
        return
    raise TypeError(
        f"{function}() takes {name}= as a str or None, not {type(value).__name__}: "
        f"pass str({name}) if {value!r:.60} is meant"
    )


def document_id(value: object, function: str) -> str:
    """A document id as a ``str``: a ``str`` as it is, an integer (numpy's too)
    as its digits, a UUID as its text;
    anything else (None, a float, a tuple) is a ``TypeError`` saying what to pass.

    One rule for every function that takes an id (``Article.to_record``,
    ``Deduplicator.add``, ``cluster``): ``str(None)`` made every id-less document
    the same document ``"None"``.

    >>> document_id(5, "to_record"), document_id("a", "to_record")
    ('5', 'a')
    >>> document_id(None, "Deduplicator.add")
    Traceback (most recent call last):
    ...
    TypeError: Deduplicator.add() takes a document id as a str (or int), not NoneType: pass a unique id such as the URL or path
    """
    if isinstance(value, str):
        return value
    # numpy's integers are Integral, not int: a pandas or Dask frame's ids are
    # numpy.int64; a UUID is an id by its nature
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(
        f"{function}() takes a document id as a str (or int), not {type(value).__name__}: "
        "pass a unique id such as the URL or path"
    )
