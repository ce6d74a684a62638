"""clean(): one scraped page in, one Article out.

decode (bytes) -> kind detection -> HTML engine (``newsclean.html.clean_html``)
or the text-level chrome detector (``newsclean.chrome.detect``).
"""

from __future__ import annotations

import re
from typing import Any

from newsclean.article import Article
from newsclean.chrome import detect
from newsclean.config import KINDS, resolve_config
from newsclean.decode import decode_bytes

# An HTML document, not text that merely mentions a tag: it *starts* with a
# doctype or a structural tag (after an XML declaration or comments).
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_TAGS = re.compile(r"</?(?:div|p|span|a|table|td|li|ul|br|meta|script|article)\b[^>]*>", re.I)


def detect_kind(text: str) -> str:
    """ "html" or "text": what an ``kind="auto"`` input looks like."""
    head = text[:4000]
    if _HTML_START.match(head):
        return "html"
    # a fragment without <html>: many tags per line means markup, not prose
    tags = len(_TAGS.findall(head))
    return "html" if tags >= 5 and tags * 40 > len(head.split("\n")) else "text"


def clean(
    raw: str | bytes,
    url: str | None = None,
    kind: str = "auto",
    config: Any = None,
    **overrides: Any,
) -> Article:
    """Clean one page (HTML or flattened text) into an :class:`Article`."""
    cfg = resolve_config(config, overrides)
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")
    text = decode_bytes(raw, config=cfg).text if isinstance(raw, bytes) else raw
    if kind == "auto":
        kind = detect_kind(text)
    if kind == "html":
        from newsclean.html import clean_html

        return clean_html(text, url, cfg)
    return detect(text, cfg).to_article(url=url)
