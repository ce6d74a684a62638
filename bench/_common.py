"""Helpers the bench scripts share: where the data is, timing, peak memory.

Benchmarks are scripts, not tests: they print quality next to speed for every
system measured in the same run, because the machine is shared and noisy and
only ratios between systems run side by side mean anything.
"""

from __future__ import annotations

import gzip
import json
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared next to the clone; a git worktree one level deeper (wt/NAME) finds
# it one more level up.
_SHARED = next(
    (d for d in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if d.is_dir()),
    ROOT.parent / "shared",
)
DEFAULT_DATA = _SHARED / "bench" / "article-extraction-benchmark"
#: The Chinese development set (mostly GBK pages, with date and author gold).
ZH_DATA = _SHARED / "bench" / "zh-content-extraction"


@dataclass(frozen=True)
class Page:
    """One page of a benchmark set (article-extraction-benchmark layout)."""

    id: str
    html: str
    truth: str
    url: str | None
    nbytes: int  # size of the decoded HTML in UTF-8, for MB/s
    date: str | None = None  # gold date as printed ("UNKNOWN" when the page has none)
    author: str | None = None  # gold author ("UNKNOWN"/"UNKNWON" when the page names none)


def load_pages(data: Path = DEFAULT_DATA, limit: int | None = None) -> list[Page]:
    """The benchmark's pages in id order (html/<id>.html.gz + ground-truth.json).

    The bytes are decoded by newsclean's own decoder (the one pipeline): the
    Chinese set is mostly GBK, often without a usable charset declaration, and
    every system measured gets the same decoded text.
    """
    from newsclean.decode import decode_bytes

    truth_path = data / "ground-truth.json"
    if not truth_path.is_file():
        raise SystemExit(
            f"no ground-truth.json under {data}; pass --data PATH pointing at a checkout of "
            "https://github.com/scrapinghub/article-extraction-benchmark"
        )
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        path = data / "html" / f"{key}.html.gz"
        with gzip.open(path, "rb") as f:
            html = decode_bytes(f.read(), str(path)).text
        item = truth[key]
        pages.append(
            Page(
                key,
                html,
                item.get("articleBody") or "",
                item.get("url"),
                len(html.encode()),
                item.get("date"),
                item.get("author"),
            )
        )
    return pages


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Stopwatch:
    """Accumulates wall time per system name across interleaved calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def data_arg_help() -> str:
    return f"benchmark checkout (default: {DEFAULT_DATA})"
