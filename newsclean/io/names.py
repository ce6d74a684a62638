"""Output names that fit the file system: no path part longer than its name limit.

An input name that fits where it was read may not fit as an output name: ``x.html``
next to ``x.txt`` is written as ``x.html.txt``, a JSONL file's records go to
``x.jsonl.d/``, and OUT may be on a file system with a shorter limit.  A part
over the limit keeps a readable prefix and gets a hash of the whole part, so
the name is the same in every run (a resumed run writes the same files) and
two long parts differing anywhere get different names.
"""

from __future__ import annotations

import hashlib
import os

#: Bytes a path part may have: Linux, macOS and Windows all allow 255 (Windows
#: counts UTF-16 units, never more than a name's UTF-8 bytes).
NAME_MAX = 255

#: Hex digits of the hash that stands for a shortened part's lost tail: 64 bits,
#: so two long names of one corpus never meet by chance.
_HASH_DIGITS = 16

#: A suffix longer than this is not kept apart when a part is shortened (it is
#: more name than suffix).
_SUFFIX_MAX = 16


def name_limit(folder: str | os.PathLike[str]) -> int:
    """The longest path part, in bytes, that the file system of ``folder`` takes
    (at most :data:`NAME_MAX`; :data:`NAME_MAX` where it cannot be asked)."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, ValueError, OSError):  # Windows has no pathconf
        return NAME_MAX
    return min(limit, NAME_MAX) if limit > 0 else NAME_MAX


def fit_path(path: str, limit: int = NAME_MAX) -> str:
    """``path`` (``/``-separated) with every part over ``limit`` bytes shortened
    to ``PREFIX~HASH.SUFFIX``; a path whose parts fit is returned as it is."""
    parts = path.split("/")
    if all(_size(p) <= limit for p in parts):
        return path
    return "/".join(fit_part(p, limit) for p in parts)


def fit_part(part: str, limit: int = NAME_MAX) -> str:
    """One file or folder name of at most ``limit`` bytes: ``part`` itself when it
    fits, else its longest prefix (whole characters) that leaves room for ``~``, a
    hash of the whole of ``part`` and its suffix (``.txt``, ``.d``)."""
    if _size(part) <= limit:
        return part
    stem, dot, suffix = part.rpartition(".")
    if not (dot and stem and _size(dot + suffix) <= _SUFFIX_MAX):
        stem, suffix = part, ""
    else:
        suffix = dot + suffix
    digest = hashlib.sha256(os.fsencode(part)).hexdigest()[:_HASH_DIGITS]
    tail = f"~{digest}{suffix}"
    room = limit - _size(tail)
    prefix = stem
    while _size(prefix) > room:  # a UTF-8 character is at most 4 bytes: few steps
        prefix = prefix[: max(0, len(prefix) - max(1, (_size(prefix) - room) // 4))]
    return prefix + tail


def _size(part: str) -> int:
    # os.fsencode: an undecodable byte of a POSIX name is a lone surrogate here
    return len(os.fsencode(part))
