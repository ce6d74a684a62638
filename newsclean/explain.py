"""explain(): the one cleaning pipeline, with the verdict behind every line.

Contract::

    ex = explain(raw, url=None, kind="auto", config=None, templates=None, group=None)
    ex.article  -> the Article; ``clean()`` returns exactly this (it calls explain)
    ex.lines    -> tuple[LineExplanation, ...]: every line the chrome step judged,
                   kept or removed, with its reason (and the site-template step's
                   verdicts when ``templates`` are given)

The steps, in the spirit of ftfy's ``fix_and_explain``: decode (bytes) -> kind
detection -> HTML mode (:func:`newsclean.html.explain_html`, whose lines are
trafilatura's text lines, or the flattened page's when it fell back) or text
mode (:func:`newsclean.chrome.detect`) -> normalization of the kept paragraphs
-> optionally the learned :class:`~newsclean.template.SiteTemplates` of the
document's group.  ``newsclean show`` prints this, so what it shows is what
``clean``, ``run`` and every integration produce.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsclean.article import Article, Block
from newsclean.config import KINDS, Config, resolve_config
from newsclean.decode import decode_input
from newsclean.errors import require_optional_str
from newsclean.limits import Deadline

if TYPE_CHECKING:
    from newsclean.chrome import Detection
    from newsclean.chrome.detector import LineMemo
    from newsclean.decode import Decoded
    from newsclean.template import SiteTemplates

# An HTML document, not text that merely mentions a tag: it *starts* with a
# doctype or a structural tag (after an XML declaration or comments).
_PROLOG = r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
_HTML_START = re.compile(
    _PROLOG + r"(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE | re.DOTALL
)
# Many pages start with head elements instead (<meta charset>, <title>, then
# kilobytes of <style>), and crawl dumps wrap each page in a record tag
# (<text id=...>, <doc url=...>) before its <html>.  Prose never starts with a
# tag, so a document that does is a page when that tag is a head element or
# a structural tag follows.
_HEAD_START = re.compile(
    _PROLOG + r"<(?:meta|title|link|style|script|base)[\s/>]", re.IGNORECASE | re.DOTALL
)
_TAG_START = re.compile(_PROLOG + r"<[a-z][\w:.-]*[\s/>]", re.IGNORECASE | re.DOTALL)
_STRUCTURAL = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)
#: Text-mode passes over the cleaned text at most (one is the rule, two are rare).
_MAX_PASSES = 8
# (No "<" inside a tag: "[^>]*" would scan from every "<div" of a line that
# never closes to its end, quadratic.)
_TAGS = re.compile(r"</?(?:div|p|span|a|table|td|li|ul|br|meta|script|article)\b[^<>]*>", re.I)


@dataclass(frozen=True)
class LineExplanation:
    """One line as the chrome step saw it, and what became of it.

    >>> LineExplanation(3, "Share on Facebook", False, "share-widget").reason
    'share-widget'
    """

    line: int  # 1-based, in the text the chrome step judged (see Explanation.source)
    text: str
    kept: bool
    reason: str | None  # why it was removed (a REASONS id); None when kept
    doubt: str | None = None  # kept, although it looked like this reason
    cut: str | None = None  # a fragment cut out of a kept line ...
    cut_reason: str | None = None  # ... and why

    def to_dict(self) -> dict[str, Any]:
        """The line as ``show --format json`` prints it; ``doubt`` and ``cut`` only when set.

        >>> LineExplanation(1, "Body.", True, None).to_dict()
        {'text': 'Body.', 'kept': True, 'reason': None}
        """
        out: dict[str, Any] = {"text": self.text, "kept": self.kept, "reason": self.reason}
        if self.doubt:
            out["doubt"] = self.doubt
        if self.cut:
            out["cut"] = self.cut
            out["cut_reason"] = self.cut_reason
        return out


@dataclass(frozen=True)
class Explanation:
    """The Article and every judged line (see :func:`explain` for an example).

    >>> from newsclean.article import Article
    >>> Explanation(Article("Body."), (LineExplanation(1, "Body.", True, None),), "text").source
    'text'
    """

    article: Article
    lines: tuple[LineExplanation, ...]
    #: "html" (trafilatura's text), "html-fallback" (the flattened page) or "text".
    source: str

    def to_dict(self) -> dict[str, Any]:
        """What ``show --format json`` prints: the clean text and every line.

        >>> from newsclean.article import Article
        >>> line = LineExplanation(1, "Body.", True, None)
        >>> Explanation(Article("Body."), (line,), "text").to_dict()["lines"]
        [{'text': 'Body.', 'kept': True, 'reason': None}]
        """
        return {
            "text": self.article.text,
            "source": self.source,
            "flags": list(self.article.flags),
            "lines": [v.to_dict() for v in self.lines],
        }


def detect_kind(text: str) -> str:
    """ "html" or "text": what an ``kind="auto"`` input looks like."""
    head = text[:4000]
    if _HTML_START.match(head) or _HEAD_START.match(head):
        return "html"
    if _TAG_START.match(head) and _STRUCTURAL.search(head):
        return "html"
    # a fragment without <html>: many tags per line means markup, not prose
    tags = len(_TAGS.findall(head))
    return "html" if tags >= 5 and tags * 40 > len(head.split("\n")) else "text"


def explain(
    raw: str | bytes | bytearray | memoryview | Decoded,
    url: str | None = None,
    kind: str = "auto",
    config: Any = None,
    templates: SiteTemplates | None = None,
    group: str | None = None,
    **overrides: Any,
) -> Explanation:
    """Clean one page and say why each line was kept or removed.

    ``templates`` (learned with :meth:`SiteTemplates.learn` from the batch, as
    ``newsclean run`` does) are applied for ``group``; without ``group`` the
    URL's host is the group, as in a batch.

    >>> ex = explain("Council approves the harbour budget after a long debate on Monday night.\\n"
    ...              "Share on Facebook", kind="text")
    >>> ex.article.text
    'Council approves the harbour budget after a long debate on Monday night.'
    >>> [(line.kept, line.reason) for line in ex.lines]
    [(True, None), (False, 'share-widget')]
    """
    from newsclean.chrome import detect
    from newsclean.chrome.detector import LineMemo

    cfg = resolve_config(config, overrides)
    # Eager, as datasketch checks its arguments: url=123 was taken and failed (or
    # silently did nothing) far from the call.
    require_optional_str(url, "explain", "url")
    require_optional_str(group, "explain", "group")
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")
    if templates is not None and group is None:
        from newsclean.template import template_group

        group = template_group(url)
        if group is None:
            raise ValueError("templates need a group: pass group=... (or a url= with a host)")
    deadline = Deadline(cfg.timeout)
    text, doubt = decode_input(raw, cfg)
    memo = LineMemo()  # this page's lines are judged more than once
    if kind == "auto":
        kind = detect_kind(text)
    if kind == "html":
        from newsclean.html import explain_html

        article, det = explain_html(text, url, cfg, deadline=deadline, memo=memo)
        source = "html-fallback" if "html-fallback" in article.flags else "html"
    else:
        deadline.check("chrome detection")
        det = detect(text, cfg, memo=memo, deadline=deadline)
        article, source = det.to_article(url=url), "text"
    article = _normalized_fields(article, cfg)
    lines = _line_verdicts(det)
    article, lines = _stabilize(article, det, lines, deadline, memo)
    if templates is not None and group is not None:
        article, lines = _apply_templates(templates, group, article, det, lines)
    # last, so that no step above can drop the flag
    article = article.with_encoding_doubt(doubt)
    return Explanation(article, _without_trailing_blanks(lines), source)


def _without_trailing_blanks(lines: tuple[LineExplanation, ...]) -> tuple[LineExplanation, ...]:
    """``lines`` without the blank lines that end them: a file's final newline ends
    its last line, it does not start an empty one (``show`` printed it as a kept line)."""
    end = len(lines)
    while end and not lines[end - 1].text.strip():
        end -= 1
    return lines[:end]


#: Article fields that are text from the page: repaired and normalized like the body.
_TEXT_FIELDS = ("title", "source", "author", "editor")


def _normalized_fields(article: Article, cfg: Config) -> Article:
    """``article`` with its text fields normalized like the body (mojibake
    repair included: a title ``CafÃ©`` becomes ``Café``); idempotent, so the
    fields HTML mode already normalized stay as they are."""
    from newsclean.normalize import normalize_line

    changes: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(article, name)
        if value:
            fixed = normalize_line(value, cfg) or None
            if fixed != value:
                changes[name] = fixed
    return dataclasses.replace(article, **changes) if changes else article


def _line_verdicts(det: Detection) -> tuple[LineExplanation, ...]:
    cuts = {c.line: c for c in det.cuts}
    out = []
    for v in det.lines:
        cut = cuts.get(v.line) if v.reason is None else None
        out.append(
            LineExplanation(
                v.line,
                v.text,
                v.reason is None,
                v.reason,
                v.doubt if v.reason is None else None,
                cut.text if cut is not None else None,
                cut.reason if cut is not None else None,
            )
        )
    return tuple(out)


def _stabilize(
    article: Article,
    det: Detection,
    lines: tuple[LineExplanation, ...],
    deadline: Deadline,
    memo: LineMemo | None = None,
) -> tuple[Article, tuple[LineExplanation, ...]]:
    """Strip the lines that text mode would remove for what they are.

    Stability (black's ``assert_stable``): ``clean(clean(x).text, kind="text")``
    must give ``clean(x).text`` back.  The text detector keeps a text whole
    unless some line in it is chrome by its own content (a lexicon rule, a
    metadata line, an injected fragment, a menu: ``LineVerdict.evidence``);
    only then does structure (where the body run stops) decide the rest.  So
    the cleaned text is re-judged in text mode and its evidence lines (and
    cuts) are removed, nothing else, until there are none: text mode then
    keeps it whole, by construction.  Clean text is paragraphs one blank line
    apart, so each paragraph is one unit and each pass only drops or cuts
    paragraphs; one pass is the rule, two are rare.  A text too short to be a
    body (``min_body_chars``) after that is ``no-body``, as in text mode.
    """
    from newsclean.chrome import detect

    text = article.text
    # paragraph k of the text -> the judged line it starts on (None: unknown)
    origin: list[int | None] = [span[0] for span, _ in det.paragraph_lines()]
    if len(origin) != text.count("\n\n") + 1:
        origin = [None] * (text.count("\n\n") + 1)
    removed: list[Block] = []
    dropped: dict[int, str] = {}  # judged line -> reason
    for _ in range(_MAX_PASSES):
        if not text:
            break
        deadline.check("stabilizing")
        again = detect(text, det.config, memo=memo, deadline=deadline)
        if _kept_verbatim(again, text):
            break  # the rule: text mode keeps it whole, without re-normalizing it
        paras = again.paragraph_lines()
        whole = "\n\n".join(p for _, p in paras)
        if whole == text:
            break
        cleaned = {span[0]: p for span, p in paras}  # text line -> its kept paragraph
        new_text: list[str] = []
        new_origin: list[int | None] = []
        for v in again.lines:
            if not v.text.strip():
                continue
            where = origin[(v.line - 1) // 2]  # text line 2k+1 (1-based) is paragraph k
            if v.reason is not None and v.evidence:
                removed.append(Block(v.text, v.reason, where))
                if where is not None:
                    dropped[where] = v.reason
                continue
            if v.joined and v.reason is None:
                # read into the paragraph above (a sentence hard-wrapped across
                # a blank line): that paragraph's text has it already
                continue
            new_text.append(cleaned.get(v.line, v.text))
            new_origin.append(where)
        removed.extend(
            Block(c.text, c.reason, origin[((c.line or 1) - 1) // 2]) for c in again.cuts
        )
        if new_text == text.split("\n\n"):  # no evidence, yet not kept whole: too short
            removed.extend(
                Block(p, "no-body", o) for p, o in zip(new_text, new_origin, strict=True)
            )
            dropped.update((o, "no-body") for o in new_origin if o is not None)
            new_text, new_origin = [], []
        text, origin = "\n\n".join(new_text), new_origin
    if text == article.text:
        return article, lines
    flags = article.flags if text or "no-body" in article.flags else (*article.flags, "no-body")
    article = dataclasses.replace(
        article,
        text=text,
        removed=tuple(sorted((*article.removed, *removed), key=lambda b: b.line or 0)),
        flags=flags,
    )
    return article, tuple(_dropped(v, dropped) for v in lines)


def _kept_verbatim(again: Detection, text: str) -> bool:
    """Text mode kept every line of ``text`` as it stands: no removal, cut or join.

    Then its paragraphs are ``text``'s own, which are normalized already, and
    :func:`~newsclean.normalize.normalize_line` of a normalized line is itself
    (its contract), so ``again.paragraph_lines()`` would give ``text`` back:
    the pass is stable without paying for that normalization again.
    """
    if again.cuts or not all(
        v.reason is None and v.kept is None and not v.joined for v in again.lines
    ):
        return False
    return "\n\n".join(v.text for v in again.lines if v.text.strip()) == text


def _dropped(v: LineExplanation, dropped: dict[int, str]) -> LineExplanation:
    reason = dropped.get(v.line)
    return LineExplanation(v.line, v.text, False, reason) if reason and v.kept else v


def _apply_templates(
    templates: SiteTemplates,
    group: str,
    article: Article,
    det: Detection,
    lines: tuple[LineExplanation, ...],
) -> tuple[Article, tuple[LineExplanation, ...]]:
    """The template step on the Article (exactly ``templates.apply``) and its
    verdicts mapped back onto the judged lines: the Article's text is its
    paragraphs one blank line apart, so text line ``2k`` is paragraph ``k``."""
    from newsclean.template import REASON

    cut, middle = templates.plan(group, article.text)
    if not cut and not middle:
        return article, lines
    spans = [span for span, _ in det.paragraph_lines()]
    verdict: dict[int, str] = {}  # judged line -> "cut" | "doubt"
    for indices, step in ((cut, "cut"), (middle, "doubt")):
        for i in indices:
            if i % 2 == 0 and i // 2 < len(spans):
                for n in spans[i // 2]:
                    verdict[n] = step
    out = []
    for v in lines:
        what = verdict.get(v.line)
        if what == "cut" and v.kept:
            v = LineExplanation(v.line, v.text, False, REASON)
        elif what == "doubt" and v.kept:
            v = LineExplanation(v.line, v.text, True, None, REASON, v.cut, v.cut_reason)
        out.append(v)
    return templates.apply(group, article), tuple(out)


__all__ = ["Explanation", "LineExplanation", "detect_kind", "explain"]
