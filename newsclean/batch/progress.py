"""The progress display of a batch run (rich, on stderr, only when it is a terminal).

Phase 1 (``cleaning``) is a bar over the documents; the batch phases after it
(``templates``, ``clustering``, ``writing``) each replace it with a status line,
so a long clustering step never looks like a hang.  The total comes from
:func:`count_documents`, which counts JSONL records up front instead of
showing ``4911/?``.
"""

from __future__ import annotations

import gzip
import sys
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from newsclean.io import Source
from newsclean.io.formats import format_of
from newsclean.io.remote import is_url

#: The phases of ``run``, in order; ``on_phase`` is called with each name.
PHASES = ("cleaning", "templates", "clustering", "writing")
_CHUNK = 1 << 20


class ProgressHooks(NamedTuple):
    """What :func:`run_batch` calls: ``tick(done, total)``, ``phase(name)``; then ``stop()``."""

    tick: Callable[[int, int | None], None]
    phase: Callable[[str], None]
    stop: Callable[[], None]


def progress_printer(enabled: bool) -> ProgressHooks:
    """Hooks drawing a rich progress bar on stderr; no-ops unless stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return ProgressHooks(lambda done, total: None, lambda name: None, lambda: None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    # auto_refresh=False: no refresh thread, so forking replacement workers stays safe.
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        auto_refresh=False,
        transient=True,
    )
    bar.start()
    tid = bar.add_task("cleaning", total=None, rate="0")
    t0 = time.monotonic()
    last = [0.0]

    def tick(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < 0.1:
            return
        last[0] = now
        rate = done / (now - t0) if now > t0 else 0.0
        bar.update(tid, completed=done, total=total, rate=f"{rate:.0f}")
        bar.refresh()

    def phase(name: str) -> None:
        # The cleaning bar becomes a status line: no count, no rate, no ETA to guess.
        bar.columns = (TextColumn("{task.description} …"), TimeElapsedColumn())
        bar.update(tid, description=name)
        bar.refresh()

    return ProgressHooks(tick, phase, bar.stop)


def count_documents(sources: Sequence[Source]) -> int | None:
    """How many documents the sources hold, counted cheaply up front; None if unknown.

    A plain file is one document; a JSONL file (gzipped or not) one per line
    (blank lines counted too: a close estimate, never a second parse).  JSON
    arrays, WARC files and URLs are only known once read.
    """
    total = 0
    for src in sources:
        fmt = format_of(src.rel)
        if not fmt.format.container:
            total += 1
        elif fmt.reader == "jsonl" and src.error is None and not is_url(src.path):
            n = _count_lines(src.path, fmt.gzip)
            if n is None:
                return None
            total += n
        else:
            return None
    return total


def _count_lines(path: str, gz: bool) -> int | None:
    """Lines in a (gzipped) file, a last one without a newline included; None if unreadable."""
    try:
        with gzip.open(path, "rb") if gz else open(path, "rb") as fh:
            lines, last = 0, b"\n"
            while chunk := fh.read(_CHUNK):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
            return lines + (last != b"\n")
    except (OSError, EOFError):  # the reader reports it, with the file's name
        return None
