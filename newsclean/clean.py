"""clean(): one scraped page in, one Article out.

decode (bytes) -> kind detection -> HTML engine (``newsclean.html.clean_html``)
or the text-level chrome detector (``newsclean.chrome.detect``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsclean.article import Article
from newsclean.chrome import detect
from newsclean.config import Config, Kind, check_kind, resolve_config
from newsclean.decode import decode_bytes

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsclean.config import ConfigOverrides

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
    kind: Kind = "auto",
    config: Config | None = None,
    **overrides: Unpack[ConfigOverrides],
) -> Article:
    """Clean one page (HTML or flattened text) into an :class:`Article`.

    ``raw`` is bytes (decoded as in :func:`newsclean.decode.decode_bytes`) or
    text; ``kind`` is ``"html"``, ``"text"`` or ``"auto"`` (HTML when the page
    starts like HTML); ``config`` a :class:`~newsclean.Config` and
    ``overrides`` any of its fields.

    >>> art = clean("<html><body><h1>Title</h1><p>" + "A long enough sentence. " * 5
    ...             + "</p><p>Copyright 2020 Example News. All rights reserved.</p></body></html>")
    >>> art.text.startswith("A long enough sentence.") , art.removed[-1].reason
    (True, 'copyright')
    """
    cfg = resolve_config(config, overrides)
    kind = check_kind(kind)  # callers without a type checker get a ValueError, not a guess
    text = decode_bytes(raw, config=cfg).text if isinstance(raw, bytes) else raw
    if kind == "html" or (kind == "auto" and detect_kind(text) == "html"):
        from newsclean.html import clean_html

        return clean_html(text, url, cfg)
    return detect(text, cfg).to_article(url=url)
