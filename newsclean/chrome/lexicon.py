"""Chrome patterns as data: ``newsclean/lexicons/*.json``, compiled once.

Every lexicon file maps a reason id to regexes (searched, case-insensitively,
in the stripped line; a pattern starting with ``^`` must be anchored as a whole,
it is tried with ``match``).  All files are loaded together: a Chinese page still
carries an English ``Copyright`` line, and the CJK patterns cannot match a
Latin page, so the union is both safer and simpler than switching per language.
Only the stop-word list (prose detection) depends on the page's language.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

#: The files loaded for every page, in priority order (earlier files win ties).
LEXICON_FILES = ("zh", "en", "common")
#: Files loaded only for pages in their language (their script is shared with zh).
LANGUAGE_FILES = ("ja", "ko")


_SCRIPTS = {"zh": "cjk", "ja": "cjk", "ko": "cjk", "en": "latin"}


@dataclass(frozen=True)
class ChromeRule:
    reason: str
    #: Patterns anchored with ``^`` (tried with ``match``: cheap on long lines) ...
    head: re.Pattern[str] | None
    #: ... and the others (``search``).
    anywhere: re.Pattern[str] | None
    #: Longest line (visual units: a CJK character counts 3) the rule may claim;
    #: keeps a long body sentence that mentions 版权 or "share" in the body.
    max_len: int
    #: The line ends the article: what follows is chrome unless proven otherwise.
    end: bool
    #: Remove only the matched prefix, then judge the rest of the line.
    strip: bool
    #: Evidence, not proof (a trailing "..."): structure around the line decides.
    weak: bool = False
    #: Chrome that sits inside articles (photo credits, ad labels, counters): it
    #: is removed, but costs the body run no more than a short line.
    inline: bool = False
    #: "cjk": needs CJK text (zh.json); "latin": needs non-CJK text (en.json); "" any.
    script: str = ""

    def search(self, text: str) -> re.Match[str] | None:
        m = self.head.match(text) if self.head is not None else None
        if m is None and self.anywhere is not None:
            m = self.anywhere.search(text)
        return m


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[ChromeRule, ...]
    prefix_rules: tuple[ChromeRule, ...]
    stopwords: dict[str, frozenset[str]]
    #: Every rule's head patterns in one regex, one named group per rule, in
    #: rule order: a single anchored ``match`` names the first rule whose head
    #: matches (alternation tries alternatives in order).
    #: Keyed by the script a line lacks ("", "cjk", "latin"), like :attr:`tiers`.
    any_head: dict[str, re.Pattern[str] | None] = field(default_factory=dict)

    def match(self, text: str, vlen: int, dense: int) -> tuple[ChromeRule | None, bool]:
        """The first rule that claims ``text`` (of visual length ``vlen``), and
        whether an anchored (line-start) pattern matched: a hit in the middle of
        a sentence is weaker evidence than a line that starts like chrome.

        ``dense`` (CJK characters in the line) skips the rules of a script the
        line does not contain: half the regexes on a typical line.
        """
        skip = "cjk" if dense == 0 else ("latin" if dense * 3 >= 0.9 * vlen else "")
        first_head = -1
        head = self.any_head.get(skip)
        if head is not None:
            m = head.match(text)
            if m is not None and m.lastgroup:
                first_head = int(m.lastgroup[1:])
        if first_head >= 0:
            rule = self.rules[first_head]
            if vlen > rule.max_len or rule.script == skip != "":
                return self._match_slow(text, vlen, skip)  # rare: the head rule cannot claim it
        # only rules before first_head can win, and only through an anywhere pattern
        for i, rule in self._anywhere_tier(skip, vlen):
            if 0 <= first_head < i:
                break
            if rule.anywhere is not None and rule.anywhere.search(text):
                return rule, False
        return (self.rules[first_head], True) if first_head >= 0 else (None, False)

    def _match_slow(self, text: str, vlen: int, skip: str) -> tuple[ChromeRule | None, bool]:
        for rule in self.rules:
            if vlen > rule.max_len or (skip and rule.script == skip):
                continue
            if rule.head is not None and rule.head.match(text):
                return rule, True
            if rule.anywhere is not None and rule.anywhere.search(text):
                return rule, False
        return None, False

    def _anywhere_tier(self, skip: str, vlen: int) -> tuple[tuple[int, ChromeRule], ...]:
        """Rules with unanchored patterns that may claim a line this long, in order."""
        limits, tiers = self.tiers[skip]
        k = bisect_left(limits, vlen)
        return tiers[k] if k < len(tiers) else ()

    @cached_property
    def tiers(self) -> dict[str, tuple[list[int], list[tuple[tuple[int, ChromeRule], ...]]]]:
        """Per skipped script: the distinct max_len values, sorted, and for each the
        rules (with their index) that have unanchored patterns and allow that length."""
        out = {}
        for skip in ("", "cjk", "latin"):
            usable = [
                (i, r)
                for i, r in enumerate(self.rules)
                if r.anywhere is not None and not (skip and r.script == skip)
            ]
            limits = sorted({r.max_len for _, r in usable})
            out[skip] = (
                limits,
                [tuple((i, r) for i, r in usable if r.max_len >= m) for m in limits],
            )
        return out


def _read(name: str) -> dict:
    text = resources.files("newsclean.lexicons").joinpath(f"{name}.json").read_text("utf-8")
    data: dict = json.loads(text)
    return data


@lru_cache(maxsize=8)
def load_lexicon(language: str | None = None) -> Lexicon:
    """The lexicon files for a page in ``language``, compiled; cached (static data)."""
    rules: list[ChromeRule] = []
    prefix: list[ChromeRule] = []
    stop: dict[str, frozenset[str]] = {}
    names: tuple[str, ...] = LEXICON_FILES
    if language in LANGUAGE_FILES:
        names = (language, *LEXICON_FILES)
    for name in names:
        data = _read(name)
        if data.get("stopwords"):
            stop[data.get("language", name)] = frozenset(data["stopwords"])
        for reason, spec in data["classes"].items():
            pats = spec["patterns"]
            rule = ChromeRule(
                reason=spec.get("reason", reason),
                head=_compile([p for p in pats if p.startswith("^")]),
                anywhere=_compile([p for p in pats if not p.startswith("^")]),
                max_len=int(spec.get("max_len", 200)),
                end=bool(spec.get("end", False)),
                strip=bool(spec.get("strip", False)),
                weak=bool(spec.get("weak", False)),
                inline=bool(spec.get("inline", False)),
                script=_SCRIPTS.get(name, ""),
            )
            (prefix if rule.strip else rules).append(rule)
    # Case folding costs on every literal; CJK patterns have no case, so only
    # the others are folded (scoped (?i:...) groups).
    any_head: dict[str, re.Pattern[str] | None] = {}
    for skip in ("", "cjk", "latin"):
        heads = "|".join(
            f"(?P<r{i}>{r.head.pattern})"
            if r.script == "cjk"
            else f"(?P<r{i}>(?i:{r.head.pattern}))"
            for i, r in enumerate(rules)
            if r.head is not None and (not skip or r.script != skip)
        )
        any_head[skip] = re.compile(heads) if heads else None
    return Lexicon(tuple(rules), tuple(prefix), stop, any_head)
