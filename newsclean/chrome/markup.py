"""HTML source written out as text: a line that is mostly tags is never body.

Contract: ``is_markup(line: str) -> bool``.

A page that shows an ad snippet or escaped source (in a ``<textarea>``, in a
comment that a broken page left open) puts ``<script ...></script>`` lines in
the text trafilatura returns, and in the text a scraper flattens from it.  The
detector (both modes) removes such a line as ``markup``; a line that quotes a
tag inside prose ("wrap it in a <div> element") stays.
"""

from __future__ import annotations

import re

# Only element names count: "<The Palace: Jang Noksu>" and "<Parasite>" are titles.
_MARKUP = re.compile(
    r"</?(?:a|b|i|u|p|br|hr|em|h[1-6]|li|ol|ul|td|th|tr|div|span|font|img|table|tbody|thead"
    r"|script|noscript|style|iframe|embed|object|param|form|input|select|option|textarea"
    r"|button|label|center|marquee|strong|meta|link|area|map|video|audio|source|nobr)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
#: A line this much tags is markup, not prose quoting a tag.
MARKUP_SHARE = 0.5


def is_markup(line: str) -> bool:
    """At least :data:`MARKUP_SHARE` of the stripped line's characters are tags."""
    if "<" not in line:  # most lines: one scan in C
        return False
    tags = sum(len(m) for m in _MARKUP.findall(line))
    return tags >= MARKUP_SHARE * len(line.strip())


__all__ = ["MARKUP_SHARE", "is_markup"]
