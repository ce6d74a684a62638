"""How things read in messages: counts ("1 file", never "1 files") and names that are not UTF-8."""

from __future__ import annotations


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
