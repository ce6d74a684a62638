"""Bounds on the work one document may cost: a deadline checked between stages, input caps.

libxml2 and htmldate run in C or in one long call that no signal interrupts,
so a time limit alone cannot stop them.  Two things together do:

* :class:`Deadline`, a cooperative budget (``Config.timeout``) that
  :func:`newsclean.clean` checks before each costly stage, raising
  ``InputError(reason="timeout")``;
* caps that keep every stage near-linear on hostile input, so that no single
  stage can overrun the budget by much: :func:`cap_attributes` (libxml2 checks
  each attribute against every earlier one of its element, quadratic in their
  number) and the byte limit ``Config.max_input_bytes``, measured on ``str``
  input too (:func:`utf8_size_over`).
"""

from __future__ import annotations

import re
import time

from newsclean.errors import InputError

#: Attributes kept per element.  Real pages stay far below it (a few dozen at
#: most); 200 000 attributes on one element cost libxml2 minutes.
MAX_ATTRIBUTES = 256

# One attribute: a name, optionally ``= value`` (quoted or bare).  After a
# quoted value the next attribute may follow without a space.  Every quantifier
# is possessive: no shorter run of spaces, name or value, and no attribute
# without its value, can be followed by another attribute (that needs a space
# or a quote before it, and a name cannot start with "="), so backtracking into
# one never finds a match; without it every failed tag (all of them, on a real
# page) leaves backtracking entries behind, and the scan took twice as long.
_ATTR = r"""(?:\s++|(?<=["']))[^\s"'=/>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'>]++))?+"""
# A start tag with more than MAX_ATTRIBUTES attributes, up to and including the
# last attribute kept (a further one must follow).  A normal tag fails the count
# after its few attributes, so the pass is linear.
_OVER_CAP = re.compile(rf"<[A-Za-z][^\s/>]*(?:{_ATTR}){{{MAX_ATTRIBUTES}}}(?={_ATTR})")
# The attributes dropped after it, a bounded run per match: one repeat over all
# 200 000 of them keeps a backtracking entry for each, and that stack outgrows
# the CPU caches (3x slower per character past ~100K of them: ReDoS bench).
_ATTR_RUN = re.compile(rf"(?:{_ATTR}){{1,4096}}")


class Deadline:
    """A time budget started at construction; :meth:`check` raises once it is spent."""

    __slots__ = ("_end", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds if seconds else None

    def check(self, stage: str) -> None:
        """Raise ``InputError(reason="timeout")`` if the budget is spent (before ``stage``)."""
        if self._end is not None and time.monotonic() > self._end:
            raise InputError(
                "timeout",
                f"over timeout={self.seconds:g}s before {stage}; "
                "raise timeout (0 or None: no limit) if the input is legitimate",
            )


def utf8_size_over(text: str, limit: int) -> int | None:
    """The UTF-8 size of ``text`` if it is over ``limit`` bytes, else None.

    Every character is 1 to 4 bytes, so only texts between ``limit/4`` and
    ``limit`` characters are encoded to be measured.
    """
    if len(text) > limit:
        return len(text)  # at least this many bytes: enough to refuse
    if 4 * len(text) <= limit:
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return size if size > limit else None


def cap_attributes(html: str) -> str:
    """``html`` with every start tag cut to its first :data:`MAX_ATTRIBUTES` attributes."""
    # Cheap: a tag over the cap is longer than this, as every attribute takes
    # two characters at least (" a", valueless, or 'a=""' after a quote).  The
    # "=" signs do not bound it: valueless attributes have none.  Counting the
    # spaces and quotes would, but costs two thirds of the scan on a real page.
    if len(html) <= 2 * MAX_ATTRIBUTES:
        return html
    kept: list[str] = []
    pos = 0
    while m := _OVER_CAP.search(html, pos):
        kept.append(html[pos : m.end()])
        pos = m.end()
        while (run := _ATTR_RUN.match(html, pos)) and run.end() > pos:
            pos = run.end()  # one match per 4096 dropped attributes
    kept.append(html[pos:])
    return "".join(kept)


__all__ = ["MAX_ATTRIBUTES", "Deadline", "cap_attributes", "utf8_size_over"]
