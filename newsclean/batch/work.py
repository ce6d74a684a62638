"""Phase 1, per document: what a worker does with one :class:`Task`, in any engine."""

from __future__ import annotations

import dataclasses

from newsclean.article import Article
from newsclean.batch.journal import encode_result
from newsclean.batch.records import Brief, Done, Result, Sketch, Task
from newsclean.config import Config
from newsclean.errors import InputError


def run_task(task: Task, config: Config, mode: str) -> Done:
    """Phase 1 for one task, journal line included; what a worker sends back."""
    return finish(task, process(task, config, mode))


def finish(task: Task, result: Result) -> Done:
    """The :class:`Done` of a task's result (also for a crash or timeout seen by the parent)."""
    if task.attempts > 1:
        note = "retried on resume after a worker crash or timeout"
        detail = f"{result.detail}; {note}" if result.detail else note
        result = dataclasses.replace(result, detail=detail, attempts=task.attempts)
    line = encode_result(task.key, task.sha256, result)
    brief = Brief.of(result.article) if result.article is not None else None
    return Done(dataclasses.replace(result, article=None), brief, line)


def process(task: Task, config: Config, mode: str) -> Result:
    """Clean one document; every failure becomes a result, never an exception."""
    try:
        if mode == "dedup" and task.kind != "html":
            from newsclean.decode import decode_bytes

            raw = task.raw
            text = decode_bytes(raw, task.key, config).text if isinstance(raw, bytes) else raw
            art = Article(text=text.strip(), url=task.url)
            return Result("ok", article=art, sketch=sketch_one(art.text, config))
        from newsclean.clean import clean

        art = clean(task.raw, url=task.url, kind=task.kind, config=config)
        sk = sketch_one(art.text, config) if mode != "clean" and art.text.strip() else None
        return Result("ok", article=art, sketch=sk)
    except InputError as exc:
        return Result.error(exc.reason, exc.detail)
    except Exception as exc:
        return Result.error("exception", f"{type(exc).__name__}: {exc}")


def sketch_one(text: str, config: Config) -> Sketch | None:
    """MinHash row and shingle count of one text, computed in the worker.

    Signing is as costly as cleaning; done here it scales with the workers
    instead of running serially in the parent.
    """
    from newsclean.dedup import sketch
    from newsclean.dedup.minhash import Params

    try:
        sigs, sizes = sketch([text], Params.from_config(config))
    except Exception:
        return None  # signing is an optimisation here; phase 2 signs it again (and reports)
    return Sketch.of(sigs[0], int(sizes[0]))


_WARM_UP_TEXT = (
    "记者从有关部门获悉,截至本月底,全市累计开复工企业一千余家,复工率达到九成以上。\n\n"
    "The city said on Tuesday that more than a thousand companies had reopened this month.\n\n"
    "相关阅读\n\n责任编辑:张三\n"
)


def warm_up(cfg: Config, mode: str, expected: int | None = None) -> None:
    """Import, load lexicons and compile the MinHash kernels once in this process.

    Forked workers (including replacements after a timeout) then start warm; a
    cold worker would spend its first document's time limit on imports and JIT.
    The kernels only when the job is big enough to pay for loading numba:
    ``expected`` documents (None: not known up front, a WARC or JSON archive)
    of at least :data:`~newsclean.dedup.minhash.PRELOAD_MIN_DOCS`.
    """
    process(Task("warm-up", _WARM_UP_TEXT, "text", None), cfg, mode)  # never raises
    if mode == "clean":
        return
    from newsclean.dedup.minhash import preload, worth_preloading

    if worth_preloading(expected):
        # Workers sign one document at a time, below the size at which the
        # signing code would load numba by itself: load it here, before the fork.
        preload(cfg)
    sketch_one(_WARM_UP_TEXT, cfg)
