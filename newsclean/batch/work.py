"""Phase 1, per document: what a worker does with one :class:`Task`, in any engine."""

from __future__ import annotations

import dataclasses

from newsclean.article import Article
from newsclean.batch.journal import encode_result
from newsclean.batch.records import Brief, Done, Result, Sketch, Task
from newsclean.config import Config
from newsclean.errors import InputError


def run_task(task: Task, config: Config, mode: str) -> Done:
    """Phase 1 for one task, journal line included; what a worker sends back.

    A task that names its file (``task.source``) is read here first: its
    bytes never pass through the parent.
    """
    if task.source is not None:
        task, done = read_task(task, config)
        if done is not None:
            return done
    result = process(task, config, mode)
    done = finish(task, result)
    if mode == "run" and result.article is not None:
        from newsclean.template import document_keys

        # Template learning's share of the work, done here where it scales with the workers.
        done = dataclasses.replace(done, lines=document_keys(result.article.text).tobytes())
    return done


def read_task(task: Task, config: Config) -> tuple[Task, Done | None]:
    """Read a task's file; the Done when nothing is left to clean (a read error, a resumed result).

    Where the file can be read: in the worker, or, for workers on other
    machines (a Dask scheduler), in the parent before it sends the bytes.
    """
    from newsclean.io.readers import read_documents

    assert task.source is not None
    doc = next(iter(read_documents(task.source, max_bytes=config.max_input_bytes)))
    if doc.error is not None:
        # As when the parent reads: a read error is a manifest line, not a journal entry.
        return task, Done(Result.error(doc.error.reason, doc.error.detail), None, b"", doc.sha256)
    attempts, resume = 1, task.resume
    if resume is not None and resume.sha256 == doc.sha256:
        if resume.reuse:
            return task, Done(Result("ok"), None, b"", doc.sha256, reused=True)
        attempts = resume.attempts + 1  # a crash or timeout: once more
    assert doc.raw is not None  # a reader gives bytes or an error
    return dataclasses.replace(task, raw=doc.raw, sha256=doc.sha256, attempts=attempts), None


def _hashed(task: Task, config: Config) -> Task:
    """``task`` with the sha256 and attempt number of its file, read in this process."""
    from newsclean.io.readers import read_documents

    assert task.source is not None
    doc = next(iter(read_documents(task.source, max_bytes=config.max_input_bytes)))
    resume = task.resume
    attempts = 1
    if resume is not None and doc.sha256 is not None and resume.sha256 == doc.sha256:
        attempts = resume.attempts + 1
    return dataclasses.replace(task, sha256=doc.sha256, attempts=attempts)


def finish(task: Task, result: Result, config: Config | None = None) -> Done:
    """The :class:`Done` of a task's result (also for a crash or timeout seen by the parent).

    A crash or timeout of a task its worker was to read (``task.source``)
    is journaled with the file's sha256, read here, and the attempt number
    that follows from the journal, so that a resumed run retries it once,
    not forever.
    """
    if task.source is not None and task.raw is None:
        task = _hashed(task, config or Config())
    if task.attempts > 1:
        note = "retried on resume after a worker crash or timeout"
        detail = f"{result.detail}; {note}" if result.detail else note
        result = dataclasses.replace(result, detail=detail, attempts=task.attempts)
    line = encode_result(task.key, task.sha256, result).encode("utf-8")
    brief = Brief.of(result.article) if result.article is not None else None
    return Done(dataclasses.replace(result, article=None), brief, line, task.sha256)


def process(task: Task, config: Config, mode: str) -> Result:
    """Clean one document; every failure becomes a result, never an exception."""
    assert task.raw is not None  # a task naming its file is read by run_task first
    try:
        if mode == "dedup" and task.kind != "html":
            from newsclean.decode import Decoded, decode_bytes
            from newsclean.explain import detect_kind

            raw = task.raw
            decoded: Decoded | None = None
            if isinstance(raw, str):
                text = raw
            else:  # bytes, or a record read in a charset guessed among ties
                decoded = raw if isinstance(raw, Decoded) else decode_bytes(raw, task.key, config)
                text = decoded.text
            # dedup compares text as it is; a page (an ``auto`` document that
            # sniffs as HTML) is cleaned first, as an .html file is
            if task.kind == "text" or detect_kind(text) == "text":
                art = Article(text=text.strip(), url=task.url)
                if decoded is not None:  # recorded as clean() records it
                    art = art.with_encoding_doubt(decoded.doubt)
                return Result("ok", article=art, sketch=sketch_one(art.text, config))
        from newsclean.clean import clean

        art = clean(task.raw, url=task.url, kind=task.kind, config=config)
        sk = sketch_one(art.text, config) if mode != "clean" and art.text.strip() else None
        return Result("ok", article=art, sketch=sk)
    except InputError as exc:
        if exc.reason == "timeout":
            # Config.timeout's deadline, seen by clean() itself: the same
            # ``timeout`` status as a worker the local pool kills, so the
            # manifest says one thing for one cause, whatever the engine.
            return Result("timeout", "timeout", exc.detail)
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
