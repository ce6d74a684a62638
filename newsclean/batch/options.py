"""How a batch runs (as opposed to :class:`newsclean.Config`, which is how a page is cleaned)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from newsclean.errors import UsageError
from newsclean.io import FieldNames

MODES = ("run", "clean", "dedup")
LAYOUTS = ("mirror", "jsonl")
#: local: a pool of forked worker processes; dask: a Dask cluster (``newsclean[dask]``).
ENGINES = ("local", "dask")
#: OUT's bookkeeping folder: the run's fingerprint and the resume journal.
STATE_DIR = ".newsclean"


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs."""

    mode: str = "run"
    layout: str = "mirror"
    keep_duplicates: bool = False
    workers: int = 0  # 0: one per CPU
    timeout: float = 30.0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fields: FieldNames = field(default_factory=FieldNames)
    shard_size: int = 10_000
    force: bool = False
    progress: bool = True  # shown only when stderr is a terminal
    report: bool = True
    #: Where phase 1 runs.  Not part of the run's fingerprint: both engines
    #: write the same bytes, so one may resume or redo the other's OUT.
    engine: str = "local"
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UsageError(f"mode={self.mode!r}; use one of {', '.join(MODES)}")
        if self.engine not in ENGINES:
            raise UsageError(f"--engine {self.engine!r} is not known; use local or dask")
        if self.scheduler and self.engine != "dask":
            raise UsageError("--scheduler is a Dask scheduler address: add --engine dask")
        if self.layout not in LAYOUTS:
            raise UsageError(f"--layout {self.layout!r} is not known; use mirror or jsonl")
        if self.workers < 0:
            raise UsageError("--workers must be >= 1 (or 0 for one per CPU)")
        if not self.timeout > 0:
            raise UsageError("--timeout must be a positive number of seconds, e.g. 30")
        if self.shard_size < 1:
            raise UsageError("--shard-size must be >= 1 record per shard")

    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1
