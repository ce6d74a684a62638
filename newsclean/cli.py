"""The ``newsclean`` command line: run, clean, dedup, check, show.

``main(argv)`` never raises.  Exit codes: 0 success or clean, 1 findings or
failed inputs, 2 usage, configuration or environment error (a read-only or
full disk, a corrupt index or journal, a Redis server that does not answer:
one line naming the path), 123 internal error (a bug: the traceback is
printed), 130 interrupted (rerun the same command to resume).

Every :class:`~newsclean.config.Config` field is also a long option
(``--threshold 0.8``), and every long option can be set in ``[tool.newsclean]``
of the nearest ``pyproject.toml`` or in ``newsclean.toml`` (see
:mod:`newsclean.settings`); flags win over the file.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import gzip
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from newsclean._version import __version__
from newsclean.config import (
    Config,
    Kind,
    check_kind,
    field_choices,
    field_help,
    field_names,
)
from newsclean.errors import EnvironmentProblem, InputError, NewscleanError
from newsclean.settings import (
    PER_FILE_IGNORES,
    Settings,
    find_settings_file,
    load_settings,
    unknown_keys,
)
from newsclean.wording import plural

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 123, 130


class UsageProblem(click.ClickException):
    """A bad flag value, settings file or path: exit code 2."""

    exit_code = EXIT_USAGE


@dataclass
class _State:
    settings: Settings = field(default_factory=Settings)
    verbose: int = 0


# --------------------------------------------------------------------------- option groups


def config_options(f: F) -> F:
    """One long option per Config field; None means "not given" so settings/defaults apply."""
    for fld in reversed(dataclasses.fields(Config)):
        flag = fld.name.replace("_", "-")
        default = fld.default
        # The help lives on the Config field (one place for CLI, settings file and docs);
        # the default is shown as one would type it, not as a Python repr.
        help_ = field_help(fld.name)
        if default is not None:
            shown = flag if default is True else f"no-{flag}" if default is False else default
            help_ += f"  [default: {shown}]"
        if isinstance(default, bool):
            f = click.option(f"--{flag}/--no-{flag}", fld.name, default=None, help=help_)(f)
            continue
        ptype: Any
        if choices := field_choices(fld.name):
            ptype = click.Choice(choices)
        elif isinstance(default, int):
            ptype = int
        elif isinstance(default, float):
            ptype = float
        else:
            ptype = str
        f = click.option(f"--{flag}", fld.name, type=ptype, default=None, help=help_)(f)
    return f


def field_options(f: F) -> F:
    for part in ("url", "id", "html", "text"):
        f = click.option(
            f"--{part}-field",
            default=part,
            show_default=True,
            help=f"JSON/JSONL field holding the {part} (dots reach into objects).",
        )(f)
    return f


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="stdout format (without -o): text, or one JSON record per document "
        "(id, text, metadata; the manifest's layout).",
    )(f)


def batch_options(f: F) -> F:
    opts = [
        click.option("-j", "--workers", type=click.IntRange(min=0), default=0,
                     help="Worker processes (0: one per CPU)."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
                     show_default=True, help="Seconds one document may take (status timeout)."),
        click.option("--include", multiple=True, help="Only read files matching this glob (repeatable)."),
        click.option("--exclude", multiple=True, help="Skip files matching this glob (repeatable)."),
        click.option("--layout", type=click.Choice(["mirror", "jsonl"]), default="mirror",
                     show_default=True, help="mirror: .txt tree like the input; jsonl: sharded .jsonl.gz."),
        click.option("--shard-size", type=click.IntRange(min=1), default=10_000, show_default=True,
                     help="Records per .jsonl.gz shard (--layout jsonl)."),
        click.option("--force", is_flag=True, help="Overwrite a non-empty OUT from another config."),
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="local: a process pool here; dask: a Dask cluster (pip install 'newsclean[dask]'). Same output."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler (tcp://host:8786) for --engine dask; without it a LocalCluster of -j workers."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary."),
    ]  # fmt: skip
    for opt in reversed(opts):
        f = opt(f)
    return field_options(f)


def _config(kw: dict[str, Any]) -> Config:
    given = {k: v for k, v in kw.items() if k in field_names() and v is not None}
    try:
        return Config().replace(**given)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc


def _fields(kw: dict[str, Any]) -> Any:
    from newsclean.io import FieldNames

    return FieldNames(kw["text_field"], kw["html_field"], kw["id_field"], kw["url_field"])


# --------------------------------------------------------------------------- the group


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="newsclean")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Say more on stderr: -v lists every failed input of a batch (path: reason) and "
    "logs at INFO; -vv logs at DEBUG.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: nearest newsclean.toml or pyproject.toml [tool.newsclean]).",
)
@click.pass_context
def cli(ctx: click.Context, verbose: int, config_file: Path | None) -> None:
    """Clean, normalize and deduplicate scraped news pages."""
    _log_to_stderr(verbose)
    try:
        settings = load_settings(config_file or find_settings_file())
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    keys = _option_keys()
    known = {k for m in keys.values() for k in m} | {PER_FILE_IGNORES}
    for warning in unknown_keys(settings, known, FLAG_ONLY):
        click.echo(f"newsclean: warning: {warning}", err=True)
    ctx.default_map = {
        verb: {keys[verb][k]: v for k, v in settings.values.items() if k in keys[verb]}
        for verb in keys
    }
    ctx.obj = _State(settings, verbose)


def _log_to_stderr(verbose: int) -> None:
    """newsclean's loggers (the integrations log through them) print on stderr from -v on."""
    if not verbose:
        return
    logger = logging.getLogger("newsclean")
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    if not any(isinstance(h, _EchoHandler) for h in logger.handlers):
        handler = _EchoHandler()
        handler.setFormatter(logging.Formatter("newsclean: %(levelname)s: %(message)s"))
        logger.addHandler(handler)


class _EchoHandler(logging.Handler):
    """Writes to the current stderr at each record (not the stream of the first call),
    as every other message of the CLI does."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def _verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(_State) if ctx is not None else None
    return state.verbose if state is not None else 0


#: Options a settings file may not set: they name one invocation's target or overwrite files.
FLAG_ONLY = frozenset({"output", "force", "fix", "diff"})


def _option_keys() -> dict[str, dict[str, str]]:
    """verb -> {kebab-case long option name: parameter name}, for settings-file keys."""
    out: dict[str, dict[str, str]] = {}
    for verb, cmd in cli.commands.items():
        m: dict[str, str] = {}
        for p in cmd.params:
            if isinstance(p, click.Option) and p.name:
                longs = [o for o in p.opts if o.startswith("--")]
                if longs and longs[0][2:] not in FLAG_ONLY:
                    m[longs[0][2:]] = p.name
        out[verb] = m
    return out


# --------------------------------------------------------------------------- run / clean / dedup


def _batch(mode: str, inputs: tuple[str, ...], output: str, kw: dict[str, Any]) -> int:
    from newsclean.batch import RunOptions, progress_printer, run_batch

    cfg = _config(kw)
    try:
        opts = RunOptions(
            mode=mode,
            layout=kw["layout"],
            keep_duplicates=kw.get("keep_duplicates", False),
            workers=kw["workers"],
            timeout=kw["timeout"],
            include=tuple(kw["include"]),
            exclude=tuple(kw["exclude"]),
            fields=_fields(kw),
            shard_size=kw["shard_size"],
            force=kw["force"],
            progress=not kw["quiet"],
            engine=kw["engine"],
            scheduler=kw["scheduler"] or None,
        )
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    tick, stop = progress_printer(not kw["quiet"])
    try:
        summary = run_batch(list(inputs), output, cfg, opts, on_progress=tick)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:  # a write to OUT (ENOSPC)
            raise EnvironmentProblem(output, _os_reason(exc)) from exc
        raise
    except KeyboardInterrupt:
        stop()
        click.echo(
            "newsclean: interrupted; finished documents are kept in "
            f"{os.path.join(output, '.newsclean')}, "
            "rerun the same command to resume",
            err=True,
        )
        raise
    finally:
        stop()
    manifest = os.path.join(output, "manifest.jsonl")
    if not kw["quiet"]:
        for line in summary.lines():
            click.echo(line, err=True)
        click.echo(f"wrote {manifest} and {os.path.join(output, 'report.html')}", err=True)
    if summary.failed:
        _name_failures(manifest, all_of_them=_verbosity() > 0, quiet=kw["quiet"])
    return summary.exit_code


#: Failed inputs the summary names without -v.
_FIRST_FAILURES = 5


def _name_failures(manifest: str, all_of_them: bool, quiet: bool) -> None:
    """Print failed inputs as ``path: reason`` (the first few, or all with -v)."""
    failed = []
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("status") in ("error", "timeout"):
                failed.append(f"{rec.get('path')}: {rec.get('reason') or rec['status']}")
    shown = failed if all_of_them else failed[:_FIRST_FAILURES] if not quiet else []
    for line in shown:
        click.echo(line, err=True)
    if len(shown) < len(failed) and not quiet:
        click.echo(
            f"... and {plural(len(failed) - len(shown), 'more failed input')}: "
            f"-v lists them all, or: jq -r 'select(.status == \"error\") | .path' {manifest}",
            err=True,
        )


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="Output folder (must not be inside an input).")
@click.option(
    "--keep-duplicates",
    is_flag=True,
    help="Write duplicates too (annotated in the manifest/records).",
)
@batch_options
@config_options
def run(inputs: tuple[str, ...], output: str, **kw: Any) -> int:
    """Clean, learn site templates, deduplicate: IN... -> OUT.

    Writes the clean unique documents, OUT/manifest.jsonl (one line per input
    document) and OUT/report.html.  An interrupted run resumes when started
    again with the same arguments.
    """
    return _batch("run", inputs, output, kw)


@cli.command("clean")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", help="Output folder; without it, FILE's clean text goes to stdout.")
@click.option("--kind", type=click.Choice(["auto", "html", "text"]), default="auto",
              show_default=True, help="Input kind for stdout mode (auto: by suffix, else sniffed).")  # fmt: skip
@format_option
@batch_options
@config_options
def clean_cmd(inputs: tuple[str, ...], output: str | None, kind: str, fmt: str, **kw: Any) -> int:
    """Clean only (no templates, no dedup).  '-' reads stdin.

    Without -o, prints each FILE's clean text (--format json: its JSON record)
    on stdout; a page without an article body prints nothing, says
    "FILE: no-body" on stderr and makes the exit code 1.
    """
    if output:
        _stdout_only(fmt)
        return _batch("clean", inputs, output, kw)
    from newsclean.clean import clean

    _no_folders_without_output(inputs)
    cfg = _config(kw)
    status = EXIT_OK
    docs = list(_single_inputs(inputs, check_kind(kind), cfg, _fields(kw)))
    for doc in docs:
        try:
            if doc.error is not None:
                raise doc.error
            art = clean(doc.raw or b"", url=doc.url, kind=doc.kind, config=cfg)
        except InputError as exc:
            click.echo(_problem(doc.name, exc), err=True)
            status = EXIT_FINDINGS
            continue
        if not art.text:
            click.echo(f"{doc.name}: no-body", err=True)
            status = EXIT_FINDINGS
        if fmt == "json":
            record = art.to_record(id=doc.name, source_path=doc.path or doc.name)
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        if not art.text:
            continue
        if len(docs) > 1:
            click.echo(f"==> {doc.name} <==")
        click.echo(art.text)
    return status


def _no_folders_without_output(inputs: tuple[str, ...]) -> None:
    for path in inputs:
        if path != "-" and os.path.isdir(path):
            raise UsageProblem(
                f"{path} is a folder; without -o, clean prints one document's text on stdout. "
                f"To clean a folder, name the output folder: newsclean clean {path} -o OUT"
            )


def _stdout_only(fmt: str) -> None:
    if fmt != "text":
        raise UsageProblem(
            "--format applies to what is printed on stdout (without -o); "
            "with -o, --layout jsonl writes the JSON records"
        )


def _problem(name: str, exc: InputError) -> str:
    return f"{name}: {exc.reason}" + (f": {exc.detail}" if exc.detail else "")


@dataclass(frozen=True)
class _Input:
    """One document named on the command line (a file, a record of one, or stdin)."""

    name: str
    raw: bytes | str | None
    kind: Kind
    url: str | None = None
    group: str = "."
    error: InputError | None = None
    path: str | None = None  # the file it came from (None: stdin)


def _single_inputs(
    paths: tuple[str, ...], kind: Kind, cfg: Config, fields: Any
) -> Iterator[_Input]:
    """The documents of PATHs, read exactly as ``run`` reads its inputs.

    The batch readers decide the kind from the suffix (.html -> html, .txt ->
    text), apply the size limits and read JSONL records, so ``clean FILE``,
    ``show FILE`` and ``run`` clean one file the same way.  ``--kind`` other
    than auto wins over the suffix.
    """
    from newsclean.io import discover, read_documents

    for path in paths:
        if path == "-":
            data = sys.stdin.buffer.read(cfg.max_input_bytes + 1)
            error = None
            if len(data) > cfg.max_input_bytes:
                error = InputError(
                    "too-large", f"more than {cfg.max_input_bytes} bytes (max_input_bytes)"
                )
            yield _Input("-", data, kind, error=error)
            continue
        try:
            sources = discover([path])
        except ValueError as exc:
            yield _Input(path, None, kind, error=InputError("unreadable", str(exc)))
            continue
        for src in sources:
            for d in read_documents(src, fields, cfg.max_input_bytes):
                k = d.kind if kind == "auto" else kind
                yield _Input(d.path, d.raw, k, d.url, d.group, d.error, src.path)


@cli.command("dedup")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", help="Output folder; without it, duplicates are listed on stdout.")
@click.option("--keep-duplicates", is_flag=True, help="Write duplicates too (annotated).")
@format_option
@batch_options
@config_options
def dedup_cmd(inputs: tuple[str, ...], output: str | None, fmt: str, **kw: Any) -> int:
    """Cluster already-clean text.  Without -o prints: DUPLICATE<TAB>ORIGINAL<TAB>SIMILARITY.

    --format json prints one JSON record per document instead, duplicates and
    originals alike, with its cluster in metadata.newsclean.
    """
    if output:
        _stdout_only(fmt)
        return _batch("dedup", inputs, output, kw)
    from newsclean.article import Article
    from newsclean.dedup import cluster
    from newsclean.io import discover, read_documents

    cfg = _config(kw)
    docs, status = [], EXIT_OK
    try:
        sources = discover(inputs, kw["include"], kw["exclude"])
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    for src in sources:
        for d in read_documents(src, _fields(kw), cfg.max_input_bytes):
            try:
                text = _doc_text(d)
            except InputError as exc:
                click.echo(_problem(d.path, exc), err=True)
                status = EXIT_FINDINGS
                continue
            docs.append((d.path, text))
    if docs:
        for (path, text), info in zip(docs, cluster(docs, config=cfg), strict=True):
            if fmt == "json":
                record = Article(text=text).to_record(id=path, source_path=path, cluster=info)
                click.echo(json.dumps(record, ensure_ascii=False))
            elif not info.is_representative:
                sim = "" if info.similarity is None else f"{info.similarity:.3f}"
                click.echo(f"{path}\t{info.duplicate_of}\t{sim}")
    return status


def _doc_text(d: Any) -> str:
    """The text of a document read for dedup; InputError when it has none."""
    if d.error is not None:
        raise d.error
    if isinstance(d.raw, str):
        return str(d.raw)
    from newsclean.decode import decode_bytes

    return decode_bytes(d.raw, d.path).text


# --------------------------------------------------------------------------- check


#: Reasons about the whole document: reported once, never "fixed" by deleting lines.
_DOC_LEVEL = frozenset({"no-body"})


@dataclass
class _Unit:
    """One checkable text: a .txt file, or one JSONL record's text field."""

    path: str
    line0: int  # line number of the text's first line in the file (JSONL: the record line)
    text: str
    fixed: str = ""
    findings: list[tuple[int, str, str]] = field(default_factory=list)


def _check_text(unit: _Unit, cfg: Config, ignored: frozenset[str], per_line: bool) -> None:
    """Findings of one pass; ``fixed`` iterated to a fixed point so a fixed file checks clean."""
    _check_pass(unit, cfg, ignored, per_line)
    for _ in range(4):
        again = _Unit(unit.path, unit.line0, unit.fixed)
        _check_pass(again, cfg, ignored, per_line)
        if again.fixed == unit.fixed:
            return
        unit.fixed = again.fixed


def _check_pass(unit: _Unit, cfg: Config, ignored: frozenset[str], per_line: bool) -> None:
    """Fill unit.findings and unit.fixed: chrome lines out, then normalization."""
    from newsclean.chrome import detect
    from newsclean.normalize import normalize

    detection = detect(unit.text, cfg)
    verdicts = detection.lines
    # Fragments cut out of a kept line (a pasted 【title】) are findings too,
    # and --fix keeps only the rest of that line.
    for cut in detection.cuts:
        if cut.reason not in ignored:
            where = unit.line0 + (cut.line or 1) - 1 if per_line else unit.line0
            unit.findings.append((where, cut.reason, cut.text.strip()[:40]))
    kept: list[tuple[int, str]] = []
    doc_level = {v.reason for v in verdicts if v.reason in _DOC_LEVEL} - ignored
    for reason in sorted(doc_level):
        unit.findings.append((unit.line0, reason, ""))
    for v in verdicts:
        if v.reason and v.reason not in ignored and v.reason not in _DOC_LEVEL:
            where = unit.line0 + v.line - 1 if per_line else unit.line0
            unit.findings.append((where, v.reason, v.text.strip()[:40]))
        else:
            kept.append((v.line, v.kept if v.kept is not None and v.reason is None else v.text))
    kept_text = "\n".join(t for _, t in kept)
    fixed = normalize(kept_text, cfg) if "not-normalized" not in ignored else kept_text
    unit.fixed = fixed
    if "not-normalized" in ignored:
        return
    old_lines = [t for _, t in kept]
    sm = difflib.SequenceMatcher(None, old_lines, fixed.split("\n"), autojunk=False)
    for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, max(i2, i1 + 1)):
            line = kept[min(i, len(kept) - 1)][0] if kept else 1
            where = unit.line0 + line - 1 if per_line else unit.line0
            unit.findings.append(
                (where, "not-normalized", kept[i][1].strip()[:40] if i < len(kept) else "")
            )
            if not per_line:
                break


def _check_files(paths: tuple[str, ...], kw: dict[str, Any]) -> Iterator[str]:
    from newsclean.io import discover

    for p in paths:
        if Path(p).is_dir():
            yield from (s.path for s in discover([p], kw["include"], kw["exclude"]))
        else:
            yield p


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--fix", is_flag=True, help="Rewrite files in place (atomically; encoding and newlines kept)."
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print unified diffs of the fixes; write nothing."
)
@click.option(
    "--index", type=click.Path(exists=True), help="A committed Deduplicator index to check against."
)
@click.option("--include", multiple=True, help="Glob of files to check inside folders.")
@click.option("--exclude", multiple=True, help="Glob of files to skip inside folders.")
@click.option("-q", "--quiet", is_flag=True, help="Only the findings, no summary line.")
@field_options
@config_options
@click.pass_obj
def check(state: _State, paths: tuple[str, ...], fix: bool, show_diff: bool, index: str | None,
          quiet: bool, **kw: Any) -> int:  # fmt: skip
    """Report remaining chrome, unnormalized text and near-duplicates as PATH:LINE: REASON.

    .txt files are checked line by line; .jsonl(.gz) files record by record
    (the text field); .html files only for near-duplicates, since raw HTML
    always holds chrome.  Exit 1 when anything is found (or fixed).
    """
    if fix and show_diff:
        raise UsageProblem("--fix and --diff exclude each other: --diff writes nothing")
    cfg = _config(kw)
    fields = _fields(kw)
    findings: list[str] = []
    changed = 0
    dup_docs: list[tuple[str, str]] = []
    for path in _check_files(paths, kw):
        ignored = state.settings.ignored_reasons(path)
        try:
            new_bytes, old_text, new_text, units = _check_one(path, cfg, fields, ignored)
        except InputError as exc:
            findings.append(f"{path}:1: {exc.reason}: {exc.detail}")
            continue
        for u in units:
            findings.extend(
                f"{u.path}:{line}: {reason}: {snip}"
                for line, reason, snip in sorted(u.findings, key=lambda f: f[0])
            )
            if "near-duplicate" not in ignored and u.fixed.strip():
                dup_docs.append(
                    (f"{u.path}:{u.line0}" if u.line0 > 1 or len(units) > 1 else u.path, u.fixed)
                )
        if new_bytes is not None:
            changed += 1
            if show_diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                        f"a/{path}", f"b/{path}",
                    )
                )  # fmt: skip
            elif fix:
                from newsclean.io import atomic_write

                atomic_write(path, new_bytes)
    findings.extend(_near_duplicates(dup_docs, cfg, index))
    if not show_diff:
        for f in findings:
            click.echo(f)
    if not quiet and (findings or changed):
        verb = "fixed" if fix else "would change"
        click.echo(
            f"{plural(len(findings), 'finding')}; {verb} {plural(changed, 'file')}", err=True
        )
    return EXIT_FINDINGS if findings or changed else EXIT_OK


def _check_one(
    path: str, cfg: Config, fields: Any, ignored: frozenset[str]
) -> tuple[bytes | None, str, str, list[_Unit]]:
    """(new file bytes or None when unchanged, old text, new text, units) of one file."""
    from newsclean.io.formats import format_of, is_html_file
    from newsclean.io.readers import read_text_file

    fmt = format_of(path)
    text, encoding, raw = read_text_file(path)
    gz = fmt.gzip
    if is_html_file(path):
        from newsclean.clean import clean

        unit = _Unit(path, 1, text, fixed=clean(text, kind="html", config=cfg).text)
        return None, text, text, [unit]
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n")
    if fmt.reader == "jsonl":
        units, new_body = _check_jsonl(path, body, cfg, fields, ignored)
    else:
        had_nl = body.endswith("\n")  # a final newline is style, not a blank line
        unit = _Unit(path, 1, body[:-1] if had_nl else body)
        _check_text(unit, cfg, ignored, per_line=True)
        units = [unit]
        new_body = unit.fixed + ("\n" if had_nl and unit.fixed else "")
    if new_body == body:
        return None, text, text, units
    new_text = new_body.replace("\n", newline)
    try:
        data = new_text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        data = new_text.encode("utf-8")
    if raw.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    if gz:
        data = gzip.compress(data, mtime=0)
    return data, text, new_text, units


def _check_jsonl(
    path: str, body: str, cfg: Config, fields: Any, ignored: frozenset[str]
) -> tuple[list[_Unit], str]:
    lines = body.split("\n")
    units = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise InputError("malformed-json", f"line {n} is not JSON") from None
        text = rec.get(fields.text) if isinstance(rec, dict) else None
        if not isinstance(text, str):
            continue
        unit = _Unit(path, n, text)
        _check_text(unit, cfg, ignored, per_line=False)
        units.append(unit)
        if unit.fixed != text:
            rec[fields.text] = unit.fixed
            lines[n - 1] = json.dumps(rec, ensure_ascii=False)
    return units, "\n".join(lines)


def _near_duplicates(docs: list[tuple[str, str]], cfg: Config, index: str | None) -> list[str]:
    out: list[str] = []
    if len(docs) > 1:
        from newsclean.dedup import cluster

        for (name, _), info in zip(docs, cluster(docs, config=cfg), strict=True):
            if not info.is_representative and info.duplicate_of is not None:
                sim = f" (similarity {info.similarity:.2f})" if info.similarity is not None else ""
                out.append(f"{_with_line(name)}: near-duplicate: of {info.duplicate_of}{sim}")
    if index:
        out.extend(_against_index(docs, cfg, index))
    return out


def _with_line(name: str) -> str:
    return name if name.rsplit(":", 1)[-1].isdigit() else f"{name}:1"


def _against_index(docs: list[tuple[str, str]], cfg: Config, index: str) -> list[str]:
    """Matches against a committed index, opened on a temporary copy so it stays untouched."""
    import shutil
    import tempfile

    from newsclean.dedup import Deduplicator

    out = []
    with tempfile.TemporaryDirectory(prefix="newsclean-index-") as tmp:
        copy = Path(tmp) / Path(index).name
        if Path(index).is_dir():
            shutil.copytree(index, copy)
        else:
            shutil.copy2(index, copy)
        try:
            dd = Deduplicator(path=str(copy), config=cfg)
        except EnvironmentProblem as exc:  # name the user's file, not the temporary copy
            raise type(exc)(index, exc.detail) from exc
        try:
            for name, text in docs:
                m = dd.add(name, text)
                # A committed file is in its own index: matching itself is no finding.
                if m is not None and m.duplicate_of != name:
                    out.append(
                        f"{_with_line(name)}: near-duplicate: of {m.duplicate_of} in the index "
                        f"(similarity {m.similarity:.2f})"
                    )
        finally:
            dd.close()
    return out


# --------------------------------------------------------------------------- show


@cli.command()
@click.argument("file")
@click.option(
    "--kind",
    type=click.Choice(["auto", "html", "text"]),
    default="auto",
    show_default=True,
    help="Input kind (auto: by suffix as run reads it, else sniffed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one {text, lines: [{text, kept, reason}]} object per document.",
)
@click.option("--url", help="The page's URL (metadata; the site-template group).")
@click.option(
    "--batch",
    "batch_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Learn site templates from this input folder as `run` does, and apply them to FILE.",
)
@field_options
@config_options
def show(file: str, kind: str, fmt: str, url: str | None, batch_dir: str | None,
         **kw: Any) -> int:  # fmt: skip
    """Explain how FILE is cleaned, line by line ('-' reads stdin).

    The lines are those the chrome step judged: trafilatura's text in HTML
    mode, the page's lines in text mode.  Kept lines are plain, removed lines
    struck through with their reason, doubted lines marked ?reason.  The text
    is exactly what `newsclean clean FILE` prints (and, with --batch, what
    `newsclean run` writes for it).
    """
    from newsclean.explain import explain, template_group

    cfg = _config(kw)
    fields = _fields(kw)
    docs = list(_single_inputs((file,), check_kind(kind), cfg, fields))
    templates = _learn_templates(batch_dir, cfg, fields) if batch_dir else None
    status = EXIT_OK
    for doc in docs:
        page_url = url or doc.url
        group = None
        if templates is not None:
            group = template_group(page_url, _group_in(batch_dir or ".", doc))
        try:
            if doc.error is not None:
                raise doc.error
            ex = explain(
                doc.raw or b"", url=page_url, kind=doc.kind, config=cfg,
                templates=templates, group=group,
            )  # fmt: skip
        except InputError as exc:
            click.echo(_problem(doc.name, exc), err=True)
            status = EXIT_FINDINGS
            continue
        if fmt == "json":
            out = ex.to_dict()
            if len(docs) > 1:
                out = {"path": doc.name, **out}
            click.echo(json.dumps(out, ensure_ascii=False))
            continue
        if len(docs) > 1:
            click.echo(f"==> {doc.name} <==")
        _print_explanation(ex)
    return status


def _learn_templates(batch_dir: str, cfg: Config, fields: Any) -> Any:
    """Site templates of the batch in ``batch_dir``, learned as ``run`` learns them:
    every readable document cleaned, grouped by URL host, else by folder."""
    from newsclean.clean import clean
    from newsclean.explain import template_group
    from newsclean.io import discover, read_documents
    from newsclean.template import SiteTemplates

    def pairs() -> Iterator[tuple[str, Any]]:
        for src in discover([batch_dir]):
            for d in read_documents(src, fields, cfg.max_input_bytes):
                if d.error is not None or d.raw is None:
                    continue
                try:
                    art = clean(d.raw, url=d.url, kind=d.kind, config=cfg)
                except InputError:
                    continue
                yield template_group(art.url, d.group) or d.group, art

    return SiteTemplates.learn(pairs(), config=cfg)


def _group_in(batch_dir: str, doc: _Input) -> str:
    """The folder group ``doc`` has in the batch (as discover names it), or "."."""
    if doc.path is None:
        return "."
    try:
        rel = Path(doc.path).resolve().relative_to(Path(batch_dir).resolve())
    except ValueError:
        return "."
    return rel.parent.as_posix()


def _print_explanation(ex: Any) -> None:
    from rich.console import Console
    from rich.text import Text

    lines = ex.lines
    labels = [v.reason or v.cut_reason or v.doubt or "" for v in lines]
    width = max((len(x) for x in labels), default=0)
    console = Console(highlight=False, soft_wrap=True)
    plain = not console.is_terminal
    if ex.source != "text":
        note = {"html": "trafilatura's text of the page", "html-fallback": "the flattened page"}
        click.echo(f"# HTML mode; the lines are {note[ex.source]}")
    for v in lines:
        head, piece, tail = v.text.partition(v.cut) if v.cut else (v.text, "", "")
        if plain:
            label = (
                v.reason or (v.cut_reason if piece else "") or (f"?{v.doubt}" if v.doubt else "")
            )
            shown = f"{head}[-{piece}-]{tail}" if piece else v.text
            click.echo(f"{label:>{width + 1}} | {shown}")
            continue
        line = Text()
        if v.reason:
            line.append(f"{v.reason:>{width}} ", style="bold red")
            line.append(v.text, style="dim strike")
        elif piece:
            line.append(f"{v.cut_reason:>{width}} ", style="bold red")
            line.append(head)
            line.append(piece, style="dim strike")
            line.append(tail)
        else:
            line.append(f"{('?' + v.doubt) if v.doubt else '':>{width}} ", style="yellow")
            line.append(v.text)
        console.print(line)


# --------------------------------------------------------------------------- entry points


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code and never raises."""
    try:
        rv = cli.main(args=argv, prog_name="newsclean", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if isinstance(exc, click.UsageError) else int(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `newsclean show x | head`
        return EXIT_OK
    except InputError as exc:  # an input that no verb recorded as a finding
        click.echo(f"newsclean: {exc}", err=True)
        return EXIT_FINDINGS
    except NewscleanError as exc:  # the environment: corrupt index or journal, no server
        click.echo(f"newsclean: {exc}", err=True)
        return EXIT_USAGE
    except OSError as exc:
        if exc.errno is None:
            return _internal()
        where = f"{exc.filename}: " if exc.filename is not None else ""
        click.echo(f"newsclean: {where}{_os_reason(exc)}", err=True)
        return EXIT_USAGE
    except Exception:
        return _internal()
    return rv if isinstance(rv, int) else EXIT_OK


#: What to do about the environment errors a run meets.
_OS_HINTS = {
    errno.EROFS: "choose a writable OUT",
    errno.EACCES: "check the permissions",
    errno.EPERM: "check the permissions",
    errno.ENOSPC: "free some space, then rerun the same command to resume",
    errno.EDQUOT: "free some space, then rerun the same command to resume",
    errno.ELOOP: "the path is a symbolic link loop",
    errno.EISDIR: "a file was expected here",
    errno.ENOTDIR: "a folder was expected here",
}


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    hint = _OS_HINTS.get(exc.errno or 0)
    return f"{reason} ({hint})" if hint else reason


def _internal() -> int:
    click.echo("newsclean: internal error (please report this with the traceback):", err=True)
    traceback.print_exc()
    return EXIT_INTERNAL


def entry_point() -> None:
    sys.exit(main())
