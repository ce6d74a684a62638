"""clean(): one scraped page in, one Article out.

decode (bytes) -> kind detection -> HTML engine (``newsclean.html``) or the
text-level chrome detector (``newsclean.chrome.detect``) -> normalization.
It is :func:`newsclean.explain.explain` without the explanation, so that
``newsclean show`` explains exactly what ``clean`` (and every verb and
integration, which call it) does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsclean.article import Article
from newsclean.config import Config, Kind
from newsclean.errors import require_optional_str
from newsclean.explain import detect_kind, explain

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsclean.config import ConfigOverrides
    from newsclean.decode import Decoded


def clean(
    raw: str | bytes | bytearray | memoryview | Decoded,
    url: str | None = None,
    kind: Kind = "auto",
    config: Config | None = None,
    **overrides: Unpack[ConfigOverrides],
) -> Article:
    """Clean one page (HTML or flattened text) into an :class:`Article`.

    ``raw`` is bytes (decoded as in :func:`newsclean.decode.decode_bytes`; a
    reading guessed among equally likely charsets is flagged
    ``ambiguous-encoding``, see :attr:`Article.encoding_doubt`), the
    :class:`~newsclean.decode.Decoded` that function returned, or text;
    ``kind`` is ``"html"``, ``"text"`` or ``"auto"`` (HTML when the page
    starts like HTML); ``config`` a :class:`~newsclean.Config` and
    ``overrides`` any of its fields.

    >>> art = clean("<html><body><h1>Title</h1><p>" + "A long enough sentence. " * 5
    ...             + "</p><p>Copyright 2020 Example News. All rights reserved.</p></body></html>")
    >>> art.text.startswith("A long enough sentence.") , art.removed[-1].reason
    (True, 'copyright')

    Raises :class:`~newsclean.InputError` for input that cannot be cleaned
    (``empty``, ``too-large``, ``binary``, ``undecodable``, ``timeout``).
    """
    require_optional_str(url, "clean", "url")
    return explain(raw, url=url, kind=kind, config=config, **overrides).article


__all__ = ["clean", "detect_kind"]
