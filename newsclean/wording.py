"""How things read in messages: counts ("1 file", never "1 files") and names that are not UTF-8."""

from __future__ import annotations

import re


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one.

    The plural is ``noun + "s"`` unless given (``plural(2, "match", "matches")``).

    >>> plural(1, "finding"), plural(2, "file"), plural(0, "duplicate")
    ('1 finding', '2 files', '0 duplicates')
    >>> plural(3, "match", "matches")
    '3 matches'
    """
    if count == 1:
        return f"1 {noun}"
    return f"{count} {plural_form or noun + 's'}"


def printable(s: str) -> str:
    """``s`` as valid UTF-8 text, escaping what is not (reversibly).

    A file name that is not UTF-8 reaches Python with its bytes as surrogate
    escapes (``\\udcff``): they are shown as ``\\xff``.  A lone surrogate from
    JSON (``"\\ud800"``) is shown as ``\\ud800``.  Valid text is unchanged.

    >>> printable(b"bad\\xff.txt".decode("utf-8", "surrogateescape"))
    'bad\\\\xff.txt'
    >>> printable("\\ud800"), printable("café")
    ('\\\\ud800', 'café')
    """
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    try:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return s.encode("utf-8", "backslashreplace").decode("utf-8")


#: What breaks a one-line message apart or hides in it: C0 and C1 controls (newline,
#: tab, carriage return, escape), DEL, and the Unicode line and paragraph separators.
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

#: The escapes JSON and Python readers know; any other breaking character is ``\\xNN`` / ``\\uNNNN``.
_NAMED_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape_breaking(m: re.Match[str]) -> str:
    ch = m.group()
    named = _NAMED_ESCAPES.get(ch)
    if named is not None:
        return named
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def printable_line(s: str) -> str:
    """``s`` (a path, a quoted line) for a one-line message: :func:`printable`, and
    a newline, tab or other control character as a backslash escape.

    A file may be named ``a<newline>b.txt``: printed raw, it would split
    ``path:line: reason`` in two for every tool that reads it.  The manifest and
    the JSON outputs escape it as JSON does (``\\n``); the text lines escape it
    the same way.  Text without such characters is unchanged.

    >>> printable_line("a\\nb.txt"), printable_line("a\\tb\\x1b.txt"), printable_line("café")
    ('a\\\\nb.txt', 'a\\\\tb\\\\x1b.txt', 'café')
    """
    s = printable(s)
    return _BREAKING.sub(_escape_breaking, s) if _BREAKING.search(s) else s
