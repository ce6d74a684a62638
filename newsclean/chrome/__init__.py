"""Text-level chrome detection.

Contract::

    det = detect(text, config, hints=None, mode="text")   # mode: "text" | "html"
    det.lines      -> tuple[LineVerdict, ...]  every input line, in order, with its verdict
    det.metadata   -> title, date (ISO), source, author, editor (None when absent)
    det.to_article(url=None, flags=()) -> Article
    explain(text, config) -> tuple[LineVerdict, ...]  (for `newsclean show`)

Reason ids (stable): see :data:`REASONS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from newsclean.article import Article, Block
from newsclean.chrome.markup import is_markup
from newsclean.config import Config, resolve_config
from newsclean.normalize import normalize_lines

if TYPE_CHECKING:
    from newsclean.chrome.detector import LineMemo
    from newsclean.limits import Deadline

#: Every reason a line can be removed for, with what it means.
REASONS: dict[str, str] = {
    "related-list": "related/recommended lists: headlines, teasers, their date/source lines",
    "continue-link": (
        "a truncated reprint's continue marker (……阅读全文, [详细], Read more >>), alone on a line"
        " or cut off the end of the body's last sentence: the body ends there"
    ),
    "editor-line": "editor and credit lines (责任编辑, Edited by)",
    "copyright": "copyright, licence, ICP and legal footers",
    "share-widget": "share and follow widgets",
    "comments": "comment boxes and their prompts",
    "breadcrumb": "breadcrumbs, lone channel names, menu words",
    "prev-next": "previous/next article links",
    "hotline": "contact, hotline, tip and address lines",
    "injection": "content-farm injections (按关键词阅读, 小编了解到, 网址:/标题: echoes)",
    "counter": "counters and widgets (阅读(15), 2 min read, font size)",
    "newsletter": "newsletter and subscription prompts",
    "advert": "advertising labels",
    "cookie-notice": "cookie and consent banners",
    "photo-credit": "photo and video credits (图片来源:, 记者 X 摄)",
    "end-mark": "end-of-article marks such as (完)",
    "metadata": "date/source/author lines, lifted into fields",
    "title": "the headline and its repetitions, lifted into the title field",
    "navigation": "short non-prose lines outside the body (menus, link lists)",
    "outside-body": "prose outside the article's contiguous body run",
    "no-body": "the page has no detectable body; nothing is kept",
    "site-template": "lines learned as one site's template from a batch",
    "markup": "HTML source shown as text (an ad snippet, a <script> tag): never body",
}


@dataclass(frozen=True)
class LineVerdict:
    line: int  # 1-based line number in the input text
    text: str  # the input line as given
    reason: str | None  # None = kept as body; else the removal reason id
    doubt: str | None = None  # kept, but this looked like chrome (a reason id)
    #: The text kept when only a fragment was cut out of the line's paragraph (an
    #: injected prefix, a continue marker at its end): the whole paragraph on its
    #: first line, "" on the lines joined to it; else None.
    kept: str | None = None
    #: The line continues the previous line's paragraph (a link fragment).
    joined: bool = False
    #: Removed (or cut) for what it is (lexicon, metadata, menu), not only for
    #: where it stands; text without such lines is kept whole.
    evidence: bool = False


@dataclass(frozen=True)
class Detection:
    lines: tuple[LineVerdict, ...]
    metadata: Mapping[str, str | None] = field(default_factory=dict)
    language: str | None = None
    flags: tuple[str, ...] = ()
    config: Config = field(default_factory=Config)
    #: Fragments cut out of kept lines, as (line, text, reason).
    cuts: tuple[Block, ...] = ()

    def paragraphs(self) -> list[str]:
        return [p for _, p in self._paragraph_lines]

    def paragraph_lines(self) -> list[tuple[tuple[int, ...], str]]:
        """The body paragraphs, each with the 1-based input lines it was built from."""
        return list(self._paragraph_lines)

    @cached_property
    def _paragraph_lines(self) -> tuple[tuple[tuple[int, ...], str], ...]:
        # Computed once per Detection: HTML mode, the Article and the
        # stabilizing pass all ask for the same paragraphs, and normalizing
        # them is a tenth of a page's cost.  The fields are frozen, so the
        # answer cannot go stale (dataclasses.replace makes a new object).
        paras: list[str] = []
        spans: list[list[int]] = []
        for v in self.lines:
            if v.reason is not None or not v.text.strip():
                continue
            t = v.kept if v.kept is not None else v.text
            if v.joined and paras:
                paras[-1] = paras[-1] + (" " if t.strip()[:1].isalnum() else "") + t.strip()
                spans[-1].append(v.line)
            else:
                paras.append(t)
                spans.append([v.line])
        normalized = normalize_lines(paras, self.config)
        return tuple((tuple(s), p) for s, p in zip(spans, normalized, strict=True) if p)

    def to_article(self, url: str | None = None, flags: tuple[str, ...] = ()) -> Article:
        removed = [Block(v.text, v.reason, v.line) for v in self.lines if v.reason]
        removed.extend(self.cuts)
        removed.sort(key=lambda b: b.line or 0)
        doubts = tuple(
            Block(v.text, v.doubt, v.line) for v in self.lines if v.doubt and not v.reason
        )
        return Article(
            text="\n\n".join(self.paragraphs()),
            url=url,
            language=self.language,
            removed=tuple(removed),
            doubts=doubts,
            flags=self.flags + flags,
            title=self.metadata.get("title"),
            date=self.metadata.get("date"),
            source=self.metadata.get("source"),
            author=self.metadata.get("author"),
            editor=self.metadata.get("editor"),
        )


def detect(
    text: str,
    config: Config | None = None,
    hints: Mapping[str, str | None] | None = None,
    mode: str = "text",
    memo: LineMemo | None = None,
    deadline: Deadline | None = None,
) -> Detection:
    """Judge every line of one page; see the module docstring.

    ``memo`` (a :class:`LineMemo`) lets several detections of one page share
    what each line's text alone says; the verdicts are the same without it.
    ``deadline`` (a :class:`~newsclean.limits.Deadline`) is checked between
    the detector's passes: ``InputError(reason="timeout")`` once it is spent.
    """
    from newsclean.chrome.detector import run_detector

    if mode not in ("text", "html"):
        raise ValueError(f"mode={mode!r} is not known; use 'text' or 'html'")
    cfg = resolve_config(config)
    units, lines, meta, language, flags = run_detector(text, cfg, hints, mode, memo, deadline)
    by_line: dict[int, tuple[str | None, str | None, str | None, bool, bool]] = {}
    cuts: list[Block] = []
    for u in units:
        for j, li in enumerate(u.lines):
            # the kept text is the whole paragraph: its joined lines add nothing
            kept = None if u.body is None else u.body if j == 0 else ""
            by_line[li] = (u.reason, u.doubt, kept, j > 0, u.evidence)
        if u.cut and u.reason is None:
            # a continue marker was cut off the paragraph's end, anything else its start
            line = u.lines[-1] if u.ends else u.lines[0]
            cuts.append(Block(u.cut, u.cut_reason, line + 1))
    verdicts = []
    # One verdict per input line: the frozen dataclass's __init__ sets each of
    # its seven fields through object.__setattr__, and filling the instance's
    # dict at once builds the same object in half the time (a whole page's
    # lines, several detections per page).  Reading the fields is a little
    # slower then (the dict is not key-sharing); measured, the net is a gain.
    new, kept_line = object.__new__, (None, None, None, False, False)
    marked = False
    for i, t in enumerate(lines):
        reason, doubt, kept, joined, evidence = by_line.get(i, kept_line)
        if reason is None and is_markup(t):
            # HTML source is never body, whatever the structure said ("Never
            # output markup"); chrome by what it is, so evidence too
            reason, doubt, evidence = "markup", None, True
            marked = True
        v = new(LineVerdict)
        v.__dict__.update(
            line=i + 1,
            text=t,
            reason=reason,
            doubt=doubt,
            kept=kept,
            joined=joined,
            evidence=evidence,
        )
        verdicts.append(v)
    if marked and "no-body" not in flags and not any(v.reason is None for v in verdicts if v.text):
        flags = (*flags, "no-body")  # the body was nothing but markup
    return Detection(tuple(verdicts), meta.as_dict(), language, flags, cfg, tuple(cuts))


def explain(text: str, config: Config | None = None) -> tuple[LineVerdict, ...]:
    """Every line with its verdict, for ``newsclean show``."""
    return detect(text, config).lines


__all__ = ["REASONS", "Detection", "LineVerdict", "detect", "explain"]
