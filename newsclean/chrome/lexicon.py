"""Chrome patterns as data: ``newsclean/lexicons/*.json``, compiled once.

Every lexicon file maps a reason id to regexes (searched, case-insensitively,
in the stripped line).  All files are loaded together: a Chinese page still
carries an English ``Copyright`` line, and the CJK patterns cannot match a
Latin page, so the union is both safer and simpler than switching per language.
Only the stop-word list (prose detection) depends on the page's language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: The files loaded, in priority order (earlier files win ties).
LEXICON_FILES = ("zh", "en", "common")


@dataclass(frozen=True)
class ChromeRule:
    reason: str
    regex: re.Pattern[str]
    #: Longest line (visual units: a CJK character counts 3) the rule may claim;
    #: keeps a long body sentence that mentions 版权 or "share" in the body.
    max_len: int
    #: The line ends the article: what follows is chrome unless proven otherwise.
    end: bool
    #: Remove only the matched prefix, then judge the rest of the line.
    strip: bool
    #: Evidence, not proof (a trailing "..."): structure around the line decides.
    weak: bool = False


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[ChromeRule, ...]
    prefix_rules: tuple[ChromeRule, ...]
    stopwords: dict[str, frozenset[str]]


def _read(name: str) -> dict:
    text = resources.files("newsclean.lexicons").joinpath(f"{name}.json").read_text("utf-8")
    data: dict = json.loads(text)
    return data


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """All lexicon files, compiled; cached because the files are static data."""
    rules: list[ChromeRule] = []
    prefix: list[ChromeRule] = []
    stop: dict[str, frozenset[str]] = {}
    for name in LEXICON_FILES:
        data = _read(name)
        if data.get("stopwords"):
            stop[data.get("language", name)] = frozenset(data["stopwords"])
        for reason, spec in data["classes"].items():
            regex = re.compile("|".join(f"(?:{p})" for p in spec["patterns"]), re.IGNORECASE)
            rule = ChromeRule(
                reason=spec.get("reason", reason),
                regex=regex,
                max_len=int(spec.get("max_len", 200)),
                end=bool(spec.get("end", False)),
                strip=bool(spec.get("strip", False)),
                weak=bool(spec.get("weak", False)),
            )
            (prefix if rule.strip else rules).append(rule)
    return Lexicon(tuple(rules), tuple(prefix), stop)
