"""HTML mode: trafilatura for the main content, then the text-level chrome detector.

Contract: ``clean_html(html: str, url: str | None, config: Config) -> Article``.

:func:`flatten_html` is the page flattened the way DESIGN.md §4 makes text-mode
input; HTML mode falls back to it when trafilatura keeps too little.
"""

from __future__ import annotations

import re

from newsclean.article import Article
from newsclean.chrome import detect
from newsclean.config import Config

# Elements whose text is never page content (DESIGN.md §4 step 2).
_INVISIBLE = ("script", "style", "noscript", "template")
_TRAILING_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def flatten_html(html: str) -> str:
    """The page's text as a scraper would dump it (DESIGN.md §4, text-mode input).

    BeautifulSoup with the lxml parser, invisible elements dropped,
    ``get_text("\\n")``, trailing spaces stripped from each line, and runs of
    blank lines collapsed into one.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_INVISIBLE):
        tag.decompose()
    text = soup.get_text("\n")
    text = _TRAILING_SPACE.sub("", text)
    # Whitespace-only lines became empty above, so blank runs are plain "\n\n\n+".
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def clean_html(html: str, url: str | None, config: Config) -> Article:
    import trafilatura

    text = trafilatura.extract(html) or ""
    return detect(text, config, mode="html").to_article(url=url)
