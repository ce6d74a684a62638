"""HTML mode.  STUB (the HTML helper replaces it).

Contract: ``clean_html(html: str, url: str | None, config: Config) -> Article``
(trafilatura + BeautifulSoup, then the text-level detector in mode="html").
"""

from __future__ import annotations

from newsclean.article import Article
from newsclean.chrome import detect
from newsclean.config import Config


def clean_html(html: str, url: str | None, config: Config) -> Article:
    import trafilatura

    text = trafilatura.extract(html) or ""
    return detect(text, config, mode="html").to_article(url=url)
