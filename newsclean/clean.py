"""clean(): one scraped page in, one Article out.

decode (bytes) -> kind detection -> HTML engine (``newsclean.html``) or the
text-level chrome detector (``newsclean.chrome.detect``) -> normalization.
It is :func:`newsclean.explain.explain` without the explanation, so that
``newsclean show`` explains exactly what ``clean`` (and every verb and
integration, which call it) does.
"""

from __future__ import annotations

from typing import Any

from newsclean.article import Article
from newsclean.explain import detect_kind, explain


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
    return explain(raw, url=url, kind=kind, config=config, **overrides).article


__all__ = ["clean", "detect_kind"]
