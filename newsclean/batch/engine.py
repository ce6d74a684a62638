"""The engine contract: who runs phase 1 (clean and sign each document).

Everything else — reading, the journal and resume, phase 2 and the writers —
is the same code whatever the engine (:mod:`newsclean.batch.run`), so two
engines cannot give two outputs for one input.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from typing import Protocol

from newsclean.batch.options import RunOptions
from newsclean.batch.pool import WorkerPool
from newsclean.batch.records import Done, Task
from newsclean.batch.work import warm_up
from newsclean.config import Config
from newsclean.errors import UsageError


class Engine(Protocol):
    """Runs :func:`newsclean.batch.work.run_task` on tasks, where the engine's workers are.

    ``map_unordered`` yields exactly one ``(task, Done)`` per task, in any
    order, and never raises for a document's failure (a crash or a timeout is
    a result too, made with :func:`newsclean.batch.work.finish`).  It may read
    ``tasks`` lazily, a few ahead of the results.
    """

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Done]]: ...


class LocalEngine:
    """Forked worker processes on this machine (:class:`WorkerPool`)."""

    def __init__(self, config: Config, opts: RunOptions, expected: int | None = None) -> None:
        warm_up(config, opts.mode, expected)  # before the fork: workers start warm
        self._pool = WorkerPool(opts.n_workers(), config, opts.mode, opts.timeout)

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Done]]:
        return self._pool.map_unordered(tasks)

    def close(self) -> None:
        self._pool.close()


def check_engine(config: Config, opts: RunOptions) -> None:
    """Refuse, before any work, an engine that is not installed or cannot run ``config``.

    ValueError with what to do (the CLI makes it a usage error).
    """
    if opts.engine == "dask":
        try:
            from newsclean.contrib.dask import check_engine as check_dask
        except ImportError as exc:  # the message holds the pip command
            raise UsageError(f"--engine dask: {exc}") from exc
        check_dask(config)
        return
    # The local pool forks warm workers (lexicons loaded, kernels compiled) and
    # replaces a stuck one by killing it; a platform without fork (Windows)
    # gets this, up front, instead of a bare "cannot find context" error.
    if "fork" not in mp.get_all_start_methods():
        raise UsageError(
            "the local engine needs the 'fork' start method (Linux, macOS), which this "
            "platform lacks; use --engine dask (pip install 'newsclean[dask]'), or run "
            "newsclean under WSL"
        )


@contextlib.contextmanager
def open_engine(config: Config, opts: RunOptions, expected: int | None = None) -> Iterator[Engine]:
    """The engine ``opts.engine`` names, closed on exit; ``expected`` documents (None: unknown)."""
    if opts.engine == "dask":
        from newsclean.contrib.dask import DaskEngine

        with DaskEngine(config, opts) as dask_engine:
            yield dask_engine
        return
    local = LocalEngine(config, opts, expected)
    try:
        yield local
    finally:
        local.close()
