"""Site templates learned from a batch.  STUB (the HTML/template helper replaces it).

Contract::

    st = SiteTemplates.learn(pairs, config=None)   # pairs: iterable of (group_key, Article)
    art2 = st.apply(group_key, article)            # drops template paragraphs, reason "site-template"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsclean.article import Article
from newsclean.config import Config, resolve_config


@dataclass(frozen=True)
class SiteTemplates:
    config: Config

    @classmethod
    def learn(
        cls, pairs: Iterable[tuple[str, Article]], config: Config | None = None, **overrides: Any
    ) -> SiteTemplates:
        return cls(resolve_config(config, overrides))

    def apply(self, group: str, article: Article) -> Article:
        return article
