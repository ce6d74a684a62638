"""The local engine's pool: forked workers with a hard per-document time limit.

The pool is ours rather than ``concurrent.futures`` because a per-document
time limit needs to kill one stuck worker (lxml loops do not see signals) and a
crashed worker must cost one error record, not the whole pool.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from newsclean.batch.records import Done, Result, Task
from newsclean.batch.work import finish, run_task
from newsclean.config import Config


def _worker_main(conn: Connection, inherited: list[Connection], config: Config, mode: str) -> None:
    # A forked child holds copies of the parent's pipe ends; closing them lets every
    # worker see EOF (and exit) when the parent dies, even by kill -9.
    for c in inherited:
        c.close()
    # Ctrl-C goes to the whole process group; the parent decides, workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = run_task(task, config, mode)
        try:
            conn.send(result)
        except OSError:  # BrokenPipeError: the parent is gone (kill -9); nobody to tell
            return


@dataclass
class _Worker:
    proc: Any
    conn: Connection


class WorkerPool:
    """N forked workers, one document in flight each, with a hard per-document time limit."""

    def __init__(self, n: int, config: Config, mode: str, timeout: float) -> None:
        self._ctx = mp.get_context("fork")
        self._config, self._mode, self._timeout = config, mode, timeout
        self._workers: list[_Worker] = []
        for _ in range(n):
            self._workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        inherited = [parent, *(w.conn for w in self._workers)]
        proc = self._ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, inherited, self._config, self._mode), daemon=True
        )
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _replace(self, w: _Worker) -> _Worker:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        fresh = self._spawn()
        self._workers[self._workers.index(w)] = fresh
        return fresh

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Done]]:
        """(task, result) pairs as they finish; every task yields exactly one result."""
        source = iter(tasks)
        idle = list(self._workers)
        busy: dict[Connection, tuple[_Worker, Task, float]] = {}
        exhausted = False
        while True:
            while idle and not exhausted:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                w = idle.pop()
                w.conn.send(task)
                busy[w.conn] = (w, task, time.monotonic() + self._timeout)
            if not busy:
                return
            soonest = min(d for _, _, d in busy.values())
            pause = max(0.0, min(soonest - time.monotonic(), 1.0))
            for ready in wait(list(busy), timeout=pause):
                conn = cast(Connection, ready)
                w, task, _ = busy.pop(conn)
                done: Done
                try:
                    done = conn.recv()
                except (EOFError, OSError):
                    w.proc.join(5)
                    crash = f"worker exited with code {w.proc.exitcode}"
                    done = finish(task, Result.error("worker-crashed", crash), self._config)
                    w = self._replace(w)
                idle.append(w)
                yield task, done
            now = time.monotonic()
            for conn, (w, task, deadline) in list(busy.items()):
                if now >= deadline:
                    del busy[conn]
                    idle.append(self._replace(w))
                    detail = f"cleaning took longer than {self._timeout:g}s"
                    yield task, finish(task, Result("timeout", "timeout", detail), self._config)

    def close(self) -> None:
        for w in self._workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self._workers:
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(2)
            w.conn.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
