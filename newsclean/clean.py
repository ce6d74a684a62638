"""clean(): one scraped page in, one Article out.

PLACEHOLDER: decoding and normalization only, until the chrome detector lands.
"""

from __future__ import annotations

from typing import Any

from newsclean.article import Article
from newsclean.chrome import detect
from newsclean.config import KINDS, resolve_config
from newsclean.decode import decode_bytes


def clean(
    raw: str | bytes,
    url: str | None = None,
    kind: str = "auto",
    config: Any = None,
    **overrides: Any,
) -> Article:
    cfg = resolve_config(config, overrides)
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")
    text = decode_bytes(raw).text if isinstance(raw, bytes) else raw
    if kind == "html" or (kind == "auto" and "<html" in text[:2000].lower()):
        from newsclean.html import clean_html

        return clean_html(text, url, cfg)
    return detect(text, cfg).to_article(url=url)
