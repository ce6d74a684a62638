"""check_text(): findings in a text that is meant to be clean already.

Contract::

    res = check_text(text, config=None, templates=None, group=None, ignore=(), **overrides)
    res.findings -> tuple[Finding, ...]   (line, reason, snippet), in line order
    res.fixed    -> the text with every finding fixed (== text when nothing is)

``newsclean check`` (and the pre-commit hooks) print these; ``--fix`` writes
``fixed``.  Unlike ``clean``, which judges a scraped page and decides where its
body is, ``check`` looks at a corpus that someone already cleaned, so it acts
only on strong evidence about single lines and never on structure:

* ``<chrome reason>``: a whole line that a lexicon rule claims (``责任编辑：张三``,
  ``Related articles``, ``© 2020 Example``) and that is not a sentence of prose:
  not prose-like at all, or anchored (the line starts like chrome) and short
  of a full sentence, and not a sentence that merely starts with the rule's
  word ("版权所有者对此表示不满。": the predicate ``clean`` uses,
  :func:`newsclean.chrome.lexicon.prefix_in_prose`).  Rules that are only
  evidence (weak) or that cut a fragment out of a line are not used;
* ``site-template``: a line the given (learned) site templates cut at the
  text's edges;
* ``not-normalized``: a line that :func:`newsclean.normalize.normalize_line`
  changes (spacing, widths, punctuation, mojibake), fixed to that;
* ``no-body``: the text has less than ``min_body_chars`` characters besides
  such chrome.  It is reported once and no line of it is claimed as chrome (a
  short note is not chrome); its lines are still checked for normalization.

Normalization is a safe fix; removing a chrome or template line is an unsafe
one (``unsafe_fixes=True``, ``check --fix --unsafe-fixes``): hand-cleaned
corpora keep some such lines on purpose (the benchmark's ground-truth bodies
hold editor and copyright lines).  It never removes a line that is not chrome
by its own content, and never empties a text.  Line breaks (LF, CRLF, CR) are
kept as they are.
Near-duplicates are a property of a set of texts: :func:`near_duplicates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsclean.config import Config, resolve_config
from newsclean.errors import require_text
from newsclean.limits import Deadline

if TYPE_CHECKING:
    from newsclean.template import SiteTemplates

NOT_NORMALIZED = "not-normalized"
NO_BODY = "no-body"
NEAR_DUPLICATE = "near-duplicate"
SITE_TEMPLATE = "site-template"
_SNIPPET = 40
_MIN_CLAIM = 4  # visual length (a CJK character counts 3) a chrome line has at least
_LETTER = re.compile(r"[^\W\d_]")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Finding:
    """One problem in a text: 1-based line, stable reason id, the line's start.

    ``fixed``: whether :attr:`CheckResult.fixed` fixes it (normalization always;
    removing a chrome or template line only with ``unsafe_fixes``, as ruff
    calls a fix that may change meaning: a person may have kept the line).

    >>> Finding(2, "share-widget", "Share on Facebook").reason
    'share-widget'
    """

    line: int
    reason: str
    snippet: str = ""
    fixed: bool = False


@dataclass(frozen=True)
class CheckResult:
    """What :func:`check_text` found, and the text with the fixable findings fixed.

    >>> result = check_text("企业 , 复工 。" * 10)
    >>> [f.reason for f in result.findings], result.fixed[:6]
    (['not-normalized'], '企业，复工。')
    """

    findings: tuple[Finding, ...]
    #: The text with the fixable findings fixed (``Finding.fixed``): lines
    #: normalized; chrome and template lines removed with ``unsafe_fixes``.
    fixed: str

    @property
    def left(self) -> tuple[Finding, ...]:
        """The findings ``fixed`` still has.

        >>> check_text("企业 , 复工 。" * 10).left
        ()
        """
        return tuple(f for f in self.findings if not f.fixed)


@dataclass(frozen=True)
class Duplicate:
    """``name`` is a near-duplicate of ``of`` (another checked text, or one in an index)."""

    name: str
    of: str
    similarity: float | None
    in_index: bool = False


def split_lines(text: str) -> list[tuple[str, str]]:
    """``text`` as (line, line break) pairs; the last break is "" when the text
    does not end with one.  ``"".join(a + b for a, b in ...)`` gives it back."""
    out = [(m[1], m[2]) for m in _LINE.finditer(text)]
    # the pattern matches an empty line at the very end: drop it unless it is the text
    if len(out) > 1 and out[-1] == ("", ""):
        out.pop()
    return out


def check_text(
    text: str,
    config: Config | None = None,
    templates: SiteTemplates | None = None,
    group: str | None = None,
    ignore: Iterable[str] = (),
    unsafe_fixes: bool = False,
    **overrides: Any,
) -> CheckResult:
    """The findings in ``text`` and the text with them fixed (see the module docstring).

    ``templates``: learned :class:`SiteTemplates`, applied for ``group`` (may
    be left out when they hold one group).  ``ignore``: reason ids that are not
    findings.  ``unsafe_fixes``: ``fixed`` also drops the chrome and template
    lines (else it only normalizes).  ``config.timeout`` bounds the check as
    it bounds :func:`newsclean.clean`: past it, ``InputError(reason="timeout")``.

    >>> text = ("The council approved the harbour budget on Monday after a long debate "
    ...         "in the town hall.\\nShare on Facebook\\n")
    >>> [(f.line, f.reason) for f in check_text(text).findings]
    [(2, 'share-widget')]
    >>> check_text(text, unsafe_fixes=True).fixed.endswith("town hall.\\n")
    True
    """
    require_text(text, "check_text")
    cfg = resolve_config(config, overrides)
    deadline = Deadline(cfg.timeout)
    ignored = frozenset(ignore)
    if templates is not None and group is None:
        if len(templates.templates) > 1:
            raise ValueError(
                "templates hold several groups: pass group=... (the site or folder of the text)"
            )
        group = next(iter(templates.templates), None)
    lines = split_lines(text)
    contents = [c for c, _ in lines]
    chrome = {i: r for i, r in _chrome_lines(contents, cfg, deadline).items() if r not in ignored}
    if templates is not None and group is not None and SITE_TEMPLATE not in ignored:
        deadline.check("site templates")
        cut, _ = templates.plan(group, "\n".join(contents))
        chrome.update((i, SITE_TEMPLATE) for i in cut if i not in chrome)
    deadline.check("normalization")
    normalized = _normalized(contents, cfg)
    body = sum(len(n) for i, n in enumerate(normalized) if i not in chrome)
    findings: list[Finding] = []
    if body < cfg.min_body_chars:
        # nothing here is clearly an article: say so, and claim no line as
        # chrome (a short note is not chrome); normalizing it is as safe as
        # normalizing any other text, so that is still found and fixed
        chrome = {}
        if NO_BODY not in ignored:
            findings.append(Finding(1, NO_BODY, ""))
    findings.extend(
        Finding(i + 1, r, _snip(contents[i]), unsafe_fixes) for i, r in sorted(chrome.items())
    )
    if NOT_NORMALIZED in ignored:
        normalized = contents
    else:
        findings.extend(
            Finding(i + 1, NOT_NORMALIZED, _snip(c), True)
            for i, (c, n) in enumerate(zip(contents, normalized, strict=True))
            if c != n and (i not in chrome or not unsafe_fixes)
        )
    findings.sort(key=lambda f: f.line)
    if not findings:
        return CheckResult((), text)
    drop = set(chrome) if unsafe_fixes else set()
    fixed = _rebuild(lines, normalized, drop)
    if not fixed.strip() and text.strip():
        # a line of invisible junk normalizes to nothing: never empty a text
        findings = [f for f in findings if f.reason == NO_BODY]
        fixed = text
    return CheckResult(tuple(findings), fixed)


def _snip(line: str) -> str:
    return line.strip()[:_SNIPPET]


def _normalized(contents: list[str], cfg: Config) -> list[str]:
    """Each line as the pipeline writes it; blank lines stay blank."""
    from newsclean.normalize import normalize_lines

    return [
        n if c.strip() else c for c, n in zip(contents, normalize_lines(contents, cfg), strict=True)
    ]


def _chrome_lines(contents: Sequence[str], cfg: Config, deadline: Deadline) -> dict[int, str]:
    """Lines that a lexicon rule claims as a whole: index -> reason.

    The loop over lines is where a huge text spends its time, so the deadline
    is checked on every line (a clock read is small beside a line's features)."""
    from newsclean.chrome.features import GOOD, NEAR, line_features
    from newsclean.chrome.language import guess_language
    from newsclean.chrome.lexicon import LANGUAGE_FILES, load_lexicon, prefix_in_prose

    deadline.check("language detection")
    lex = load_lexicon()
    language = cfg.language or guess_language("\n".join(contents), lex.stopwords)
    if language in LANGUAGE_FILES:
        lex = load_lexicon(language)
    stop = lex.stopwords.get(language) if language else None
    out: dict[int, str] = {}
    for i, raw in enumerate(contents):
        deadline.check("chrome detection")
        line = raw.strip()
        if not line:
            continue
        feats = line_features(line, stop)
        if feats.vlen < _MIN_CLAIM or not _LETTER.search(line):
            continue  # "7", "2018", "中": too little to call chrome in a clean text
        rule, anchored = lex.match(line, feats.vlen, feats.dense)
        if rule is None or rule.weak or rule.strip or rule.suffix:
            continue  # evidence only, or a rule for a fragment of the line
        # prose that starts like chrome, or mentions it, is body; a line that
        # is not a sentence is claimed whole by the rule (it fits its max_len)
        if feats.quality == GOOD or (feats.quality == NEAR and not anchored):
            continue
        if prefix_in_prose(rule, line, feats):
            continue  # a sentence that starts with the chrome word, as clean() judges it
        out[i] = rule.reason
    return out


def _rebuild(lines: list[tuple[str, str]], normalized: list[str], drop: set[int]) -> str:
    """The text without the ``drop`` lines, each other line normalized, breaks kept.

    Dropping a line between two blank lines (or at an edge) would leave a run
    of blank lines (or a blank edge) the text did not have: one blank goes too.
    """
    out: list[tuple[str, str]] = []
    after_drop = False
    for i, (c, brk) in enumerate(lines):
        if i in drop:
            after_drop = True
            continue
        blank = not c.strip()
        if blank and after_drop and (not out or not out[-1][0].strip()):
            continue
        out.append((normalized[i], brk))
        after_drop = False
    if after_drop:  # the text ended with dropped lines: no blank tail, the end as it was
        while out and not out[-1][0].strip():
            out.pop()
    if out and drop:
        out[-1] = (out[-1][0], lines[-1][1])
    return "".join(c + b for c, b in out)


def near_duplicates(
    docs: Sequence[tuple[str, str]], config: Config | None = None, index: str | None = None
) -> list[Duplicate]:
    """Near-duplicates among ``docs`` ((name, text) pairs, in order: the later
    one is reported) and, with ``index``, against a committed Deduplicator index
    (opened on a temporary copy, so it is never modified).  A pair among
    ``docs`` is reported once; ``in_index`` only for what the index held
    before (a file without saved parameters is not an index:
    :class:`~newsclean.errors.IndexCorruptError`)."""
    cfg = resolve_config(config)
    out: list[Duplicate] = []
    if len(docs) > 1:
        from newsclean.dedup import cluster

        for (name, _), info in zip(docs, cluster(docs, config=cfg), strict=True):
            if not info.is_representative and info.duplicate_of is not None:
                out.append(Duplicate(name, info.duplicate_of, info.similarity))
    if index:
        out.extend(_against_index(docs, cfg, index))
    return out


def _against_index(docs: Sequence[tuple[str, str]], cfg: Config, index: str) -> list[Duplicate]:
    import shutil
    import tempfile
    from pathlib import Path

    from newsclean.dedup import Deduplicator
    from newsclean.errors import EnvironmentProblem, IndexCorruptError

    if not (Path(index).is_dir() or Path(index).is_file()):
        # Copied, a FIFO blocks (or raises, exit 123) and /dev/zero fills the disk.
        raise IndexCorruptError(
            index, "is not a newsclean index (not a regular file); pass the index file"
        )
    out = []
    with tempfile.TemporaryDirectory(prefix="newsclean-index-") as tmp:
        copy = Path(tmp) / Path(index).name
        if Path(index).is_dir():
            shutil.copytree(index, copy)
        else:
            shutil.copy2(index, copy)
            # A SQLite index in WAL mode keeps its latest entries in INDEX-wal until
            # a checkpoint (a crawler still writing, or one that was killed): without
            # it the copy would miss them.  -shm is rebuilt from the WAL when absent.
            wal = Path(f"{index}-wal")
            if wal.is_file():
                shutil.copy2(wal, f"{copy}-wal")
        try:
            _require_saved_parameters(str(copy))
            dd = Deduplicator(path=str(copy), config=cfg)
        except EnvironmentProblem as exc:  # name the user's file, not the temporary copy
            raise type(exc)(index, exc.detail) from exc
        try:
            for name, text in docs:
                # query, not add: an added text would be "in the index" for the
                # next one, a second finding for a pair the batch pass reports.
                m = dd.query(text)
                # A committed file is in its own index: matching itself is no finding.
                if m is not None and m.duplicate_of != name:
                    out.append(Duplicate(name, m.duplicate_of, m.similarity, in_index=True))
        finally:
            dd.close()
    return out


def _require_saved_parameters(path: str) -> None:
    """Refuse an SQLite file no Deduplicator wrote (a 0-byte file, another program's database).

    SQLite takes such a file for a new database and the Deduplicator would
    make it an empty index: every check would pass against nothing.
    """
    import os

    from newsclean.dedup.stores import SQLiteStore
    from newsclean.errors import IndexCorruptError

    empty = os.path.getsize(path) == 0  # before SQLite writes its tables to the copy
    store = SQLiteStore(path)
    try:
        with store.errors():
            saved = store.get_meta()
    finally:
        store.close()
    if saved is None:
        why = "an empty file" if empty else "no saved parameters"
        raise IndexCorruptError(
            path, f"is not a newsclean index ({why}); pass an index a Deduplicator wrote"
        )


__all__ = [
    "CheckResult",
    "Duplicate",
    "Finding",
    "check_text",
    "near_duplicates",
    "split_lines",
]
