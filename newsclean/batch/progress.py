"""The progress bar of a batch run (rich, on stderr, only when it is a terminal)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable


def progress_printer(enabled: bool) -> tuple[Callable[[int, int | None], None], Callable[[], None]]:
    """(tick, stop) for a rich progress bar on stderr; no-ops unless stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return (lambda done, total: None), (lambda: None)
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
        TextColumn("cleaning"),
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
    tid = bar.add_task("clean", total=None, rate="0")
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

    return tick, bar.stop
