"""Text-level chrome detection.  STUB (the chrome helper replaces it).

Contract::

    det = detect(text, config, hints=None, mode="text")   # mode: "text" | "html"
    det.lines      -> tuple[LineVerdict, ...]  every input line, in order, with its verdict
    det.to_article(url=None, flags=()) -> Article
    explain(text, config) -> tuple[LineVerdict, ...]  (for `newsclean show`)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsclean.article import Article, Block
from newsclean.config import Config
from newsclean.normalize import normalize_line


@dataclass(frozen=True)
class LineVerdict:
    line: int  # 1-based line number in the input text
    text: str  # the input line as given
    reason: str | None  # None = kept as body; else the removal reason id
    doubt: str | None = None  # kept, but this looked like chrome (a reason id)


@dataclass(frozen=True)
class Detection:
    lines: tuple[LineVerdict, ...]
    metadata: Mapping[str, str | None] = field(default_factory=dict)
    language: str | None = None
    flags: tuple[str, ...] = ()
    config: Config = field(default_factory=Config)

    def to_article(self, url: str | None = None, flags: tuple[str, ...] = ()) -> Article:
        body = [normalize_line(v.text, self.config) for v in self.lines if v.reason is None]
        removed = tuple(Block(v.text, v.reason, v.line) for v in self.lines if v.reason)
        doubts = tuple(
            Block(v.text, v.doubt, v.line) for v in self.lines if v.doubt and not v.reason
        )
        return Article(
            text="\n\n".join(b for b in body if b),
            url=url,
            language=self.language,
            removed=removed,
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
    config: Config,
    hints: Mapping[str, str | None] | None = None,
    mode: str = "text",
) -> Detection:
    verdicts = tuple(LineVerdict(i + 1, t, None) for i, t in enumerate(text.split("\n")))
    return Detection(verdicts, dict(hints or {}), None, (), config)


def explain(text: str, config: Config) -> tuple[LineVerdict, ...]:
    return detect(text, config).lines
