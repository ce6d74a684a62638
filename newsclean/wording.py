"""How counts read in messages: "1 file", "2 files", never "1 files"."""

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
