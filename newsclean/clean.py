"""clean(): one scraped page in, one Article out.

decode (bytes) -> kind detection -> HTML engine (``newsclean.html.clean_html``)
or the text-level chrome detector (``newsclean.chrome.detect``).

Every input, ``str`` or bytes-like, passes the same checks first: the
``max_input_bytes`` limit (``str`` measured in UTF-8), control characters
stripped, and empty or whitespace-only input refused as ``empty``.
``config.timeout`` is checked before each costly stage (see
:mod:`newsclean.limits`).
"""

from __future__ import annotations

import re
from typing import Any

from newsclean.article import Article
from newsclean.chrome import detect
from newsclean.config import KINDS, resolve_config
from newsclean.decode import decode_bytes, strip_controls
from newsclean.errors import InputError
from newsclean.limits import Deadline, utf8_size_over

# An HTML document, not text that merely mentions a tag: it *starts* with a
# doctype or a structural tag (after an XML declaration or comments).
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_NONBLANK = re.compile(r"\S")
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
    raw: str | bytes | bytearray | memoryview,
    url: str | None = None,
    kind: str = "auto",
    config: Any = None,
    **overrides: Any,
) -> Article:
    """Clean one page (HTML or flattened text) into an :class:`Article`.

    Raises :class:`~newsclean.InputError` for input that cannot be cleaned
    (``empty``, ``too-large``, ``binary``, ``undecodable``, ``timeout``).
    """
    cfg = resolve_config(config, overrides)
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")
    deadline = Deadline(cfg.timeout)
    text = _text_of(raw, cfg)
    if kind == "auto":
        kind = detect_kind(text)
    if kind == "html":
        from newsclean.html import clean_html

        return clean_html(text, url, cfg, deadline=deadline)
    deadline.check("chrome detection")
    return detect(text, cfg).to_article(url=url)


def _text_of(raw: object, cfg: Any) -> str:
    """The checked text of any accepted input type (see the module docstring)."""
    if isinstance(raw, memoryview | bytearray):
        size = raw.nbytes if isinstance(raw, memoryview) else len(raw)
        _refuse_size(size, cfg.max_input_bytes)  # before the copy below
        raw = bytes(raw)
    if isinstance(raw, bytes):
        text = decode_bytes(raw, config=cfg).text
    elif isinstance(raw, str):
        _refuse_size(utf8_size_over(raw, cfg.max_input_bytes), cfg.max_input_bytes)
        text = strip_controls(raw)
    else:
        raise TypeError(
            f"clean() takes str or bytes (or bytearray, memoryview), not {type(raw).__name__}"
        )
    if not _NONBLANK.search(text):
        raise InputError("empty", "the input is empty or only whitespace")
    return text


def _refuse_size(size: int | None, limit: int) -> None:
    if size is not None and size > limit:
        raise InputError(
            "too-large",
            f"{size} bytes is over max_input_bytes={limit}; raise max_input_bytes to accept it",
        )
