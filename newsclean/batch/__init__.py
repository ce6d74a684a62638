"""Batch runs: ``newsclean run``/``clean``/``dedup`` over folders, files and URLs.

Modules, in the order a run uses them:

* :mod:`.options` — :class:`RunOptions`, how a batch runs;
* :mod:`.state` — OUT's fingerprint, what a rerun may reuse, safety checks;
* :mod:`.records` — the typed values: :class:`Task`, :class:`Result`,
  :class:`Outcome`; :mod:`.journal` encodes results for the resume journal;
* :mod:`.engine` — the engine contract (phase 1: clean and sign), the local
  engine (:mod:`.pool`, :mod:`.work`); the Dask one is
  :class:`newsclean.contrib.dask.DaskEngine`;
* :mod:`.steps` — phase 2, shared by every engine: templates, empties,
  clusters (:func:`newsclean.dedup.cluster_signed`), duplicates;
* :mod:`.writers`, :mod:`.report`, :mod:`.summary` — phase 3: outputs,
  ``manifest.jsonl``, ``report.html`` and the numbers;
* :mod:`.run` — :func:`run_batch`, which ties them together.
"""

from __future__ import annotations

from newsclean.batch.options import ENGINES, LAYOUTS, MODES, STATE_DIR, RunOptions
from newsclean.batch.progress import progress_printer
from newsclean.batch.records import STATUSES, Outcome, Result, Task
from newsclean.batch.run import run_batch
from newsclean.batch.summary import Summary

__all__ = [
    "ENGINES",
    "LAYOUTS",
    "MODES",
    "STATE_DIR",
    "STATUSES",
    "Outcome",
    "Result",
    "RunOptions",
    "Summary",
    "Task",
    "progress_printer",
    "run_batch",
]
