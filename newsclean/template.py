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
  and spaces ignored, a run of digits counts as one), so "© 2019 Site" and
  "© 2020 Site" are one line, and so are "阅读 99 次" and "阅读 100 次", but
  different wording is different;
* only the *edges* of an article are cut: template lines before its first and
  after its last non-template line.  A template line between body paragraphs
  (a subheading the site always uses, a recurring quote) stays, recorded in
  ``doubts``;
* an article that would lose most of its text (a reprint of another page of the
  batch, whose whole body "repeats") or all of it (a page whose only content
  is one line) is left as it was, with the doubtful lines in ``doubts`` ...
* ... unless the lines are *confirmed* template: found in at least
  ``config.template_min_docs`` documents of the group that each have a line
  of their own (a line no other document of the group has), i.e. documents
  with different bodies.  Copies of one page (whose counters and dates differ
  only in digits) have no line of their own, and neither has a copy of a
  reprint or an earlier version of an updated article, so they confirm
  nothing.  A short article inside a heavy site template thus loses the
  template (it would otherwise look like every other short article of that
  site to dedup), while a reprint of a page of the batch keeps its body: its
  lines are frequent only because of its copies.  Confirmed lines are cut at
  the edges only, and never when nothing else would remain.

  A frequent line that is a sentence of prose is cut only when confirmed:
  otherwise it is the lead or the close that versions of one story share
  (three updates of a story in a small batch), and it stays, in doubt.  And
  confirmed prose above the body stays, in doubt, when it shares content words
  with the article's own lines: updates that each add paragraphs confirm
  their lead.

  Three or more copies of one article that each carry a *different* edit
  (a credit line of their own) confirm each other's shared lines; when those
  are most of a copy, only the ones that are no prose are cut (a heavy
  template is menus, bars and footers), and its paragraphs stay, in doubt.

Memory: learning keeps one 64-bit xxhash per distinct line per document (numpy
arrays) and one line count per document, never the strings; the learned model
is two sets of hashes per group (frequent and confirmed lines).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsclean.article import Article, Block
from newsclean.config import Config, resolve_config

REASON = "site-template"
# CCNet normalization (digits become 0, then punctuation, symbols and spaces go),
# with a run of digits as one 0: a view counter going from 99 to 100 is one line.
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")
#: An article that would lose more than this share of its characters keeps them.
MAX_CUT_SHARE = 0.5
_COMPACT_EVERY = 256  # documents of a group between concatenations of their hashes


def template_group(url: str | None, default: str | None = None) -> str | None:
    """The site-template group of a document: its URL's host, else ``default``
    (a batch passes the input folder)."""
    if url:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        if host:
            return host
    return default


def line_key(line: str) -> int:
    """The 64-bit hash a line is counted under (xxh64 of its normalized form)."""
    import xxhash

    norm = _NOT_WORD.sub("", _DIGITS.sub("0", line.lower()))
    # A line of pure punctuation ("———", "|") keys on its own characters.
    return xxhash.xxh64_intdigest((norm or line.strip()).encode("utf-8"))


#: The per-line normalization above, over many lines at once: newlines survive.
_NOT_WORD_OR_NL = re.compile(r"[^\w\n]+|_+")


def line_keys(lines: Sequence[str]) -> list[int]:
    """:func:`line_key` of each line (no line may contain a newline).

    One ``lower`` and two regex passes over the joined lines instead of per line:
    learning calls this for every line of a batch, and per-line calls were a
    fifth of a ``newsclean run``'s serial time.  Equal to ``line_key`` per line
    (``str.lower``'s final-sigma rule does not look across a newline; tested).
    """
    from xxhash import xxh64_intdigest

    if not lines:
        return []
    norms = _NOT_WORD_OR_NL.sub("", _DIGITS.sub("0", "\n".join(lines).lower())).split("\n")
    return [
        xxh64_intdigest((n or s.strip()).encode("utf-8")) for n, s in zip(norms, lines, strict=True)
    ]


def document_keys(text: str) -> Any:
    """The distinct :func:`line_key` of a document's non-blank lines: what it adds to learning.

    A sorted ``uint64`` array (each line counts once per document).

    >>> document_keys("a\\n\\nb\\na").size
    2
    """
    import numpy as np

    return np.unique(np.array(line_keys(_lines(text)), dtype=np.uint64))


class LineCounts:
    """Each document's :func:`document_keys`, per group, as :meth:`SiteTemplates.from_counts`
    learns from them: 8 bytes per distinct line per document, in a few arrays per group.

    Documents may be added in any order: what is learned depends on the set
    of documents of each group, not their order.
    """

    def __init__(self) -> None:
        self._keys: dict[str, list[Any]] = {}
        self._sizes: dict[str, list[int]] = {}

    def add(self, group: str, keys: Any) -> None:
        """Count one document of ``group`` with these distinct line keys (``uint64``)."""
        bucket = self._keys.setdefault(group, [])
        bucket.append(keys)
        self._sizes.setdefault(group, []).append(len(keys))
        if len(bucket) >= _COMPACT_EVERY:  # one array, not thousands of small ones
            import numpy as np

            self._keys[group] = [np.concatenate(bucket)]

    def documents(self) -> dict[str, int]:
        """Documents counted per group."""
        return {group: len(sizes) for group, sizes in self._sizes.items()}

    def drain(self) -> Iterator[tuple[str, Any, Any]]:
        """``(group, keys, sizes)`` per group, sorted by group, each freed as it is handed out."""
        import numpy as np

        for group in sorted(self._keys):
            parts = self._keys.pop(group)
            keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
            yield group, keys.astype(np.uint64, copy=False), np.asarray(self._sizes.pop(group))


@dataclass(frozen=True)
class SiteTemplates:
    """Template lines per group, learned by :meth:`learn`, removed by :meth:`apply`.

    A group is a site (URL host) or a folder; lines that most of its documents
    share are the site's template.

    >>> from newsclean.article import Article
    >>> bodies = ["The council approved the harbour budget after a long debate.",
    ...           "Heavy rain flooded the old market square and closed two schools.",
    ...           "A new ferry line will link the islands with the mainland from May."]
    >>> docs = [Article(f"Home | News | Sport\\n{b}\\nFollow us for more local news")
    ...         for b in bodies]
    >>> tmpl = SiteTemplates.learn(("site", a) for a in docs)
    >>> tmpl.template_count("site"), tmpl.apply("site", docs[0]).text
    (2, 'The council approved the harbour budget after a long debate.')
    """

    config: Config = field(default_factory=Config)
    #: group -> hashes of its template lines (see :func:`line_key`).
    templates: Mapping[str, frozenset[int]] = field(default_factory=dict)
    #: group -> number of documents learned from.
    documents: Mapping[str, int] = field(default_factory=dict)
    #: group -> the template lines seen in ``template_min_docs`` documents with
    #: different bodies: cut at the edges even past :data:`MAX_CUT_SHARE`.
    confirmed: Mapping[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def learn(
        cls, pairs: Iterable[tuple[str, Article]], config: Config | None = None, **overrides: Any
    ) -> SiteTemplates:
        """Count every line once per document, per group; keep the frequent ones.

        ``pairs`` are ``(group, article)``; a line is template when it is in at
        least ``template_min_share`` of the group's documents and in at least
        ``template_min_docs`` of them (see the class example).

        >>> from newsclean.article import Article
        >>> SiteTemplates.learn([("s", Article("only one document"))]).template_count("s")
        0
        """
        cfg = resolve_config(config, overrides)
        counts = LineCounts()
        for group, article in pairs:
            if not isinstance(article, Article):
                # a str here failed as "'str' object has no attribute 'text'"
                raise TypeError(
                    f"learn() takes (group, Article) pairs, not a {type(article).__name__} for "
                    f"group {group!r}: pass the Article newsclean.clean() returns"
                )
            counts.add(group, document_keys(article.text))
        return cls.from_counts(counts, config=cfg)

    @classmethod
    def from_counts(
        cls, counts: LineCounts, config: Config | None = None, **overrides: Any
    ) -> SiteTemplates:
        """Learn from line keys gathered elsewhere (:meth:`learn` without the articles).

        A batch gathers each document's :func:`document_keys` where it was
        cleaned, so learning reads no text again.  Each group's keys are
        freed once counted.

        >>> counts = LineCounts()
        >>> for body in ("one", "two", "three"):
        ...     counts.add("site", document_keys(f"Home | News\\n{body}"))
        >>> SiteTemplates.from_counts(counts).template_count("site")
        1
        """
        import numpy as np

        cfg = resolve_config(config, overrides)
        templates: dict[str, frozenset[int]] = {}
        confirmed: dict[str, frozenset[int]] = {}
        documents = counts.documents()
        for group, keys, sizes in counts.drain():
            n = documents[group]
            if n < cfg.template_min_docs:
                continue
            hashes, where, freq = np.unique(keys, return_inverse=True, return_counts=True)
            need = max(cfg.template_min_docs, cfg.template_min_share * n)
            frequent = hashes[freq >= need]
            if frequent.size:
                templates[group] = frozenset(int(k) for k in frequent)
                docs_of = freq[where]  # per key occurrence: in how many documents it is
                sure = _confirmed(keys, docs_of, sizes, need, cfg.template_min_docs)
                if sure.size:
                    confirmed[group] = frozenset(int(k) for k in sure)
        return cls(cfg, templates, documents, confirmed)

    def template_count(self, group: str) -> int:
        """How many distinct template lines ``group`` has (0 for an unknown group).

        >>> SiteTemplates().template_count("example.com")
        0
        """
        return len(self.templates.get(group, ()))

    def apply(self, group: str, article: Article) -> Article:
        """``article`` without its group's template lines at its edges (see the
        class example); an unknown group leaves it unchanged.

        >>> from newsclean.article import Article
        >>> SiteTemplates().apply("site", Article("text")).text
        'text'
        """
        cut, middle = self.plan(group, article.text)
        if not cut and not middle:
            return article
        return _without(article, article.text.split("\n"), list(cut), list(middle))

    def plan(self, group: str, text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """What :meth:`apply` does to ``text``: the indices (into ``text.split("\\n")``)
        of the lines it cuts, and of the template lines it keeps in doubt.

        >>> SiteTemplates().plan("site", "a line")
        ((), ())
        """
        tmpl = self.templates.get(group)
        if not tmpl or not text:
            return (), ()
        lines = text.split("\n")
        keys = line_keys(lines)
        hits = [bool(s.strip()) and k in tmpl for s, k in zip(lines, keys, strict=True)]
        if not any(hits):
            return (), ()
        content = [i for i, s in enumerate(lines) if s.strip()]
        cut, middle, body = _edges(content, hits)
        total = sum(len(lines[i]) for i in content)
        removed_chars = sum(len(lines[i]) for i in cut)
        sure = self.confirmed.get(group, frozenset())
        if not body or removed_chars > MAX_CUT_SHARE * total:
            # The "template" is most of the article: a reprint of another page
            # of the batch, a page whose only content is this line, or a short
            # article in a heavy template.  Only confirmed lines can tell the
            # last apart, and only those that are no prose: reprints that each
            # end on a credit of their own confirm each other's paragraphs (a
            # hostile test: three reprints kept only their credit lines), while
            # a heavy template is menus, bars and footers.  The rest stays, in
            # doubt.
            unsure = [
                i for i in content if not (hits[i] and keys[i] in sure and not _prose(lines[i]))
            ]
            # nothing but template: the span (-1, len) keeps every line, in doubt
            lo, hi = (unsure[0], unsure[-1]) if unsure else (-1, len(lines))
            cut = [i for i in content if i < lo or i > hi]
            middle = [i for i in content if hits[i] and lo <= i <= hi]
            return tuple(cut), tuple(middle)
        # A sentence of prose that is frequent but not confirmed is the lead
        # or the close that versions or reprints of one story share (three
        # updates of a story in a small batch), not a footer: it stays, in
        # doubt, and bounds the body like any other body line.  So does
        # confirmed prose that speaks of what the article speaks of: updates
        # of a story, each with paragraphs of its own, confirm their shared
        # lead, while a site's blurb shares no word with the stories under it.
        prose = [i for i in cut if _prose(lines[i])]
        leads = [i for i in prose if keys[i] in sure and i < body[0]]
        # the article's own words, read once for all its confirmed leads
        own = _content(" ".join(lines[i] for i in body)) if leads else set()
        shared = [
            i for i in prose if keys[i] not in sure or (i in leads and _on_topic(lines[i], own))
        ]
        if shared:
            for i in shared:
                hits[i] = False
            cut, middle, _ = _edges(content, hits)
        return tuple(cut), tuple(sorted({*middle, *shared}))


#: Content words: a run of 4 letters or more (CJK excluded), or two CJK characters.
_WORD = re.compile(r"[^\W\d_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{4,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,}")
#: Content words (CJK character pairs) a lead must share with its article: one
#: is a coincidence of generic words ("local", "work"), as a site's pitch has.
WORDS_SHARED, CJK_SHARED = 2, 3


def _on_topic(line: str, own: set[str]) -> bool:
    """``line`` shares WORDS_SHARED content words with the article's own lines
    (``own``: their :func:`_content`; words of four letters or more that are
    no stop word of any language), or CJK_SHARED pairs of CJK characters."""
    shared = _content(line) & own
    cjk = sum(map(_is_cjk, shared))
    return len(shared) - cjk >= WORDS_SHARED or cjk >= CJK_SHARED


def _is_cjk(word: str) -> bool:
    return _CJK.fullmatch(word) is not None


def _content(text: str) -> set[str]:
    from newsclean.chrome.lexicon import load_lexicon

    stop = load_lexicon().stopwords
    words = {w for w in _WORD.findall(text.lower()) if not any(w in s for s in stop.values())}
    for run in _CJK.findall(text):
        words.update(run[k : k + 2] for k in range(len(run) - 1))
    return words


def _edges(content: list[int], hits: list[bool]) -> tuple[list[int], list[int], list[int]]:
    """The template lines at the edges (cut) and between body lines (kept in
    doubt), and the body lines, of the lines ``content`` (``hits``: template)."""
    body = [i for i in content if not hits[i]]
    first, last = (body[0], body[-1]) if body else (len(hits), -1)
    cut = [i for i in content if hits[i] and (i < first or i > last)]
    middle = [i for i in content if hits[i] and first < i < last]
    return cut, middle, body


def _prose(line: str) -> bool:
    """A sentence of prose (the detector's GOOD or NEAR line that ends like one)."""
    from newsclean.chrome.features import GOOD, NEAR, line_features

    f = line_features(line, None)
    return f.terminal and f.quality in (GOOD, NEAR)


def _without(article: Article, lines: list[str], cut: list[int], middle: list[int]) -> Article:
    """``article`` without ``lines[cut]`` (removed) and with ``lines[middle]`` in doubt."""
    drop = set(cut)
    text = "\n".join(s for i, s in enumerate(lines) if i not in drop)
    return dataclasses.replace(
        article,
        text=_BLANK_RUNS.sub("\n\n", text).strip("\n") if drop else article.text,
        removed=article.removed + tuple(Block(lines[i], REASON) for i in cut),
        doubts=article.doubts + tuple(Block(lines[i], REASON) for i in middle),
    )


def _confirmed(keys: Any, docs_of: Any, sizes: Any, need: float, min_docs: int) -> Any:
    """The frequent keys found in ``min_docs`` documents that each have a line of their own.

    ``keys`` holds each document's distinct line keys, documents in order,
    ``sizes[d]`` of them for document d; ``docs_of[i]`` is the number of
    documents ``keys[i]`` occurs in (frequent: at least ``need``).  Two
    documents that each have a line of their own (in no other document) have
    different bodies, so counting them counts different bodies.  Vectorized:
    one bincount and one unique, no set lookups.
    """
    import numpy as np

    doc = np.repeat(np.arange(sizes.size), sizes)
    own = np.bincount(doc, weights=docs_of == 1, minlength=sizes.size) > 0
    line = keys[(docs_of >= need) & own[doc]]  # each key once per document already
    lines, docs = np.unique(line, return_counts=True)
    return lines[docs >= min_docs]


_BLANK_RUNS = re.compile(r"\n{3,}")


def _lines(text: str) -> list[str]:
    return [s for s in text.split("\n") if s.strip()]


__all__ = [
    "MAX_CUT_SHARE",
    "REASON",
    "LineCounts",
    "SiteTemplates",
    "document_keys",
    "line_key",
    "line_keys",
    "template_group",
]
