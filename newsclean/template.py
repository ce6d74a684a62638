"""Site templates learned from a batch, in the spirit of CCNet's paragraph dedup.

Contract::

    st = SiteTemplates.learn(pairs, config=None, **overrides)  # pairs: iterable of (group_key, Article)
    art2 = st.apply(group_key, article)  # template lines -> Block(reason="site-template") in removed

Chrome that one site prints on every page (its footer, its share bar, its
"more from" heading) repeats across that site's documents, while article bodies
do not.  A line is *template* for a group (a site, a domain, a directory) when
it occurs in at least ``config.template_min_docs`` documents of the group and in
at least ``config.template_min_share`` of them.

What protects real body lines:

* each line counts once per document, so a phrase repeated inside one article
  is no evidence;
* lines are compared after CCNet's normalization (case, digits, punctuation
  and spaces ignored), so "© 2019 Site" and "© 2020 Site" are one line, but
  different wording is different;
* only the *edges* of an article are cut: template lines before its first and
  after its last non-template line.  A template line between body paragraphs
  (a subheading the site always uses, a recurring quote) stays, recorded in
  ``doubts``;
* an article that would lose most of its text (a reprint of another page of the
  batch, whose whole body "repeats") or all of it (a page whose only content
  is one line) is left as it was, with the doubtful lines in ``doubts``.

Memory: learning keeps one 64-bit xxhash per distinct line per document (numpy
arrays), never the strings; the learned model is a set of hashes per group.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsclean.article import Article, Block
from newsclean.config import Config, resolve_config

REASON = "site-template"
# CCNet normalization: digits become 0, then punctuation, symbols and spaces go.
_DIGITS = re.compile(r"\d")
_NOT_WORD = re.compile(r"[\W_]+")
#: An article that would lose more than this share of its characters keeps them.
MAX_CUT_SHARE = 0.5
_COMPACT_EVERY = 256  # documents of a group between concatenations of their hashes


def line_key(line: str) -> int:
    """The 64-bit hash a line is counted under (xxh64 of its normalized form)."""
    import xxhash

    norm = _NOT_WORD.sub("", _DIGITS.sub("0", line.lower()))
    # A line of pure punctuation ("———", "|") keys on its own characters.
    return xxhash.xxh64_intdigest((norm or line.strip()).encode("utf-8"))


@dataclass(frozen=True)
class SiteTemplates:
    """Template lines per group, learned by :meth:`learn`, removed by :meth:`apply`."""

    config: Config = field(default_factory=Config)
    #: group -> hashes of its template lines (see :func:`line_key`).
    templates: Mapping[str, frozenset[int]] = field(default_factory=dict)
    #: group -> number of documents learned from.
    documents: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def learn(
        cls, pairs: Iterable[tuple[str, Article]], config: Config | None = None, **overrides: Any
    ) -> SiteTemplates:
        """Count every line once per document, per group; keep the frequent ones."""
        import numpy as np

        cfg = resolve_config(config, overrides)
        seen: dict[str, list[Any]] = {}
        documents: dict[str, int] = {}
        for group, article in pairs:
            once = {line_key(s) for s in _lines(article.text)}  # once per document
            bucket = seen.setdefault(group, [])
            bucket.append(np.fromiter(once, dtype=np.uint64, count=len(once)))
            documents[group] = documents.get(group, 0) + 1
            if len(bucket) >= _COMPACT_EVERY:  # one array, not thousands of small ones
                seen[group] = [np.concatenate(bucket)]
        templates: dict[str, frozenset[int]] = {}
        for group in sorted(seen):
            arrays = seen.pop(group)  # free each group's hashes once counted
            n = documents[group]
            if n < cfg.template_min_docs:
                continue
            hashes, counts = np.unique(np.concatenate(arrays), return_counts=True)
            frequent = hashes[counts >= max(cfg.template_min_docs, cfg.template_min_share * n)]
            if frequent.size:
                templates[group] = frozenset(int(k) for k in frequent)
        return cls(cfg, templates, documents)

    def template_count(self, group: str) -> int:
        """How many distinct template lines ``group`` has."""
        return len(self.templates.get(group, ()))

    def apply(self, group: str, article: Article) -> Article:
        """``article`` without its group's template lines at its edges."""
        tmpl = self.templates.get(group)
        if not tmpl or not article.text:
            return article
        lines = article.text.split("\n")
        hits = [bool(s.strip()) and line_key(s) in tmpl for s in lines]
        if not any(hits):
            return article
        content = [i for i, s in enumerate(lines) if s.strip()]
        body = [i for i in content if not hits[i]]
        first, last = (body[0], body[-1]) if body else (len(lines), -1)
        cut = [i for i in content if hits[i] and (i < first or i > last)]
        middle = [i for i in content if hits[i] and first < i < last]
        total = sum(len(lines[i]) for i in content)
        removed_chars = sum(len(lines[i]) for i in cut)
        if not body or removed_chars > MAX_CUT_SHARE * total:
            # The "template" is most of the article: a reprint of another page
            # of the batch, or a page whose only content is this line.
            doubts = [Block(lines[i], REASON) for i in content if hits[i]]
            return dataclasses.replace(article, doubts=article.doubts + tuple(doubts))
        drop = set(cut)
        text = "\n".join(s for i, s in enumerate(lines) if i not in drop)
        return dataclasses.replace(
            article,
            text=_BLANK_RUNS.sub("\n\n", text).strip("\n"),
            removed=article.removed + tuple(Block(lines[i], REASON) for i in cut),
            doubts=article.doubts + tuple(Block(lines[i], REASON) for i in middle),
        )


_BLANK_RUNS = re.compile(r"\n{3,}")


def _lines(text: str) -> list[str]:
    return [s for s in text.split("\n") if s.strip()]


__all__ = ["MAX_CUT_SHARE", "REASON", "SiteTemplates", "line_key"]
