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

import codecs
import contextlib
import dataclasses
import difflib
import errno
import gzip
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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
from newsclean.errors import (
    InputError,
    MissingExtraError,
    NewscleanError,
    UsageError,
    os_reason,
)
from newsclean.settings import (
    PER_FILE_IGNORES,
    Settings,
    find_settings_file,
    load_settings,
    unknown_keys,
)
from newsclean.wording import plural, printable, printable_line

if TYPE_CHECKING:
    from newsclean.article import EncodingDoubt
    from newsclean.decode import Decoded

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


class _NoLimitFloat(click.ParamType):
    """A float, or ``None``/``none`` for a ``float | None`` field whose help says
    "0 or None: no limit".  Both mean no limit, and the option's None already means
    "not given", so ``None`` is taken as 0 (a settings file, lacking null, writes 0)."""

    name = "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.strip().lower() == "none":
            return 0.0
        return click.FLOAT.convert(value, param, ctx)


_NO_LIMIT_FLOAT = _NoLimitFloat()


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
            ptype = _NO_LIMIT_FLOAT if "None" in str(fld.type) else float
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


def format_choice(help_: str) -> Callable[[F], F]:
    """``--format text|json`` (parameter ``fmt``) with a verb's own help."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_,
    )


format_option = format_choice(
    "stdout format (without -o): text, or one JSON record per document "
    "(id, text, metadata; the manifest's layout)."
)


def batch_options(f: F) -> F:
    opts = [
        click.option("-j", "--workers", type=click.IntRange(min=0), default=0,
                     help="Worker processes (0: one per CPU)."),
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
        click.option("-q", "--quiet", is_flag=True,
                     help="No progress bar, no summary, no note of files left out by suffix."),
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
    _check_setting_values(ctx, settings)
    ctx.default_map = {
        verb: {keys[verb][k]: v for k, v in settings.values.items() if k in keys[verb]}
        for verb in keys
    }
    ctx.obj = _State(settings, verbose)


def _check_setting_values(ctx: click.Context, settings: Settings) -> None:
    """Each settings value as its option would take it, else a usage error naming the
    file and the key as written (click would name a ``--flag`` the user never typed)."""
    params = {
        longs[0][2:]: p
        for cmd in cli.commands.values()
        for p in cmd.params
        if isinstance(p, click.Option) and (longs := [o for o in p.opts if o.startswith("--")])
    }
    for key, value in settings.values.items():
        param = params.get(key)
        if param is None or key in FLAG_ONLY:
            continue  # unknown keys only warn (above)
        fix = "fix the value or remove the key"
        if param.multiple and not isinstance(value, list):
            raise UsageProblem(
                f"{settings.where(key)} must be a list, e.g. {key} = [{_toml(value)}]; {fix}"
            )
        try:
            converted = param.type_cast_value(ctx, value)
            if param.name in field_names():
                Config().replace(**{param.name: converted})
        except (click.BadParameter, ValueError) as exc:
            why = (exc.message if isinstance(exc, click.BadParameter) else str(exc)).rstrip(".")
            raise UsageProblem(f"{settings.where(key)} = {_toml(value)}: {why}; {fix}") from exc
    if settings.per_file_ignores:
        _check_ignored_reasons(settings)


def _toml(value: Any) -> str:
    """A value as it would be written in TOML (strings quoted, true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _check_ignored_reasons(settings: Settings) -> None:
    """per-file-ignores may only name reasons ``check`` reports: a typo would ignore nothing."""
    from newsclean.check import NEAR_DUPLICATE, NO_BODY, NOT_NORMALIZED
    from newsclean.chrome import REASONS

    known = sorted({*REASONS, NEAR_DUPLICATE, NO_BODY, NOT_NORMALIZED})
    for glob, reasons in settings.per_file_ignores.items():
        for reason in reasons:
            if reason in known:
                continue
            hint = difflib.get_close_matches(reason, known, n=1)
            raise UsageProblem(
                f"{settings.where(PER_FILE_IGNORES)}: {glob!r} names unknown reason {reason!r}"
                + (
                    f"; did you mean {hint[0]!r}?"
                    if hint
                    else f"; known reasons: {', '.join(known)}"
                )
            )


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
FLAG_ONLY = frozenset({"output", "force", "fix", "diff", "check", "verbose"})


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
            # Config.timeout (--timeout, one option for every verb) also bounds
            # a worker from outside: a stage that overruns it is stopped.
            timeout=cfg.timeout or float("inf"),
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
    tick, phase, stop = progress_printer(not kw["quiet"])
    try:
        summary = run_batch(list(inputs), output, cfg, opts, on_progress=tick, on_phase=phase)
    except (UsageError, MissingExtraError) as exc:
        # Only these: any other ValueError from a run is a bug, and must not
        # reach the user as a usage error they would try to fix.
        raise UsageProblem(str(exc)) from exc
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
    _say_left_out(summary.left_out, kw["quiet"])
    if not kw["quiet"]:
        for line in summary.lines():
            click.echo(line, err=True)
        report = os.path.join(output, "report.html")
        click.echo(f"wrote {printable_line(manifest)} and {printable_line(report)}", err=True)
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
                path = printable_line(str(rec.get("path")))
                failed.append(f"{path}: {rec.get('reason') or rec['status']}")
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
    "FILE: no-body" on stderr and makes the exit code 1.  Bytes whose
    charset was a guess among ties say "FILE: ambiguous-encoding: ..." on
    stderr (the exit code stays).
    """
    if output:
        _stdout_only(fmt)
        return _batch("clean", inputs, output, kw)
    from newsclean.clean import clean

    _no_folders_without_output(inputs)
    cfg = _config(kw)
    status = EXIT_OK
    docs = list(_single_inputs(inputs, check_kind(kind), cfg, _fields(kw)))
    ids = _run_ids(doc.id for doc in docs)
    for doc, doc_id in zip(docs, ids, strict=True):
        try:
            if doc.error is not None:
                raise doc.error
            art = clean(doc.raw or b"", url=doc.url, kind=doc.kind, config=cfg)
        except InputError as exc:
            click.echo(_problem(doc.name, exc), err=True)
            status = EXIT_FINDINGS
            continue
        if not art.text:
            click.echo(f"{printable_line(doc.name)}: no-body", err=True)
            status = EXIT_FINDINGS
        if art.encoding_doubt is not None:  # a doubt, not a failure: the exit code stays
            click.echo(_encoding_note(doc.name, art.encoding_doubt), err=True)
        if fmt == "json":
            # id and source_path as run's manifest line and record have them
            record = art.to_record(id=doc_id, source_path=doc.name)
            click.echo(_json_line(record))
            continue
        if not art.text:
            continue
        if len(docs) > 1:
            click.echo(f"==> {printable_line(doc.name)} <==")
        click.echo(art.text)
    return status


def _encoding_note(name: str, doubt: EncodingDoubt) -> str:
    """What ``clean`` and ``show`` say on stderr about a text read in a charset guessed among ties."""
    return (
        f"{name}: ambiguous-encoding: its bytes read as {doubt.chosen} as well as "
        f"{', '.join(doubt.alternatives)}; the text may be misread "
        "(convert the file to UTF-8, or declare its charset, to be sure)"
    )


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


#: Sub-folders with no input file a note names one by one; the rest are counted.
_BARREN_SHOWN = 5


#: What a note advises, by how the verb reads files: with --include globs (run,
#: clean, dedup), only when named (check, show FILE), or as run reads them
#: (show --batch, whose folder stands for a run's input).
_ADVICE = {
    "include": "name a file to read it whatever its suffix, or give --include globs for "
    "every suffix to read (they replace the suffix list)",
    "name": "name a file to read it whatever its suffix",
    "batch": "run leaves them out too: the templates are learned without them",
}


def _say_left_out(notes: Sequence[Any], quiet: bool, how: str = "include") -> None:
    """Say on stderr what each input folder's walk left out (``LeftOut`` notes).

    A folder that gave no input file is always named: an empty run must never
    look like a clean one.  A folder that gave some names the files it left out
    by suffix (counted, a few by path) and its sub-folders that gave none,
    unless ``quiet``.  A note, not a finding: the exit code stays as it is.
    ``how``: a key of :data:`_ADVICE`.
    """
    for note in notes:
        root = printable_line(note.root)
        if not note.found:
            _say_nothing_read(root, note, how)
            continue
        if quiet or not note.skipped:
            continue
        shown = ", ".join(printable_line(x) for x in note.examples)
        more = ", ..." if note.skipped > len(note.examples) else ""
        click.echo(
            f"newsclean: {root}: {plural(note.skipped, 'file')} left out by suffix "
            f"({_by_suffix(note.by_suffix)}: {shown}{more}); {_ADVICE[how]}",
            err=True,
        )
        for folder, counts in note.barren[:_BARREN_SHOWN]:
            click.echo(
                f"newsclean: no input files in {printable_line(folder)}; "
                f"{sum(counts.values())} left out by suffix ({_by_suffix(counts)})",
                err=True,
            )
        if len(note.barren) > _BARREN_SHOWN:
            rest = len(note.barren) - _BARREN_SHOWN
            click.echo(
                f"newsclean: ... and {plural(rest, 'more folder')} under {root} with no input file",
                err=True,
            )


def _say_nothing_read(root: str, note: Any, how: str) -> None:
    skipped, filtered = note.skipped, sum(note.by_filter.values())
    if not (skipped or filtered):
        click.echo(f"newsclean: no input files in {root}", err=True)
        return
    parts = []
    if skipped:
        parts.append(f"{skipped} left out by suffix ({_by_suffix(note.by_suffix)})")
    if filtered:
        parts.append(f"{filtered} by --include/--exclude ({_by_suffix(note.by_filter)})")
    top = next((suf for suf, _ in note.by_suffix.most_common() if suf), "")
    advice = (
        f"read them with --include '*{top}' (a page is sniffed as HTML)"
        if how == "include" and top
        else "name one file to read it whatever its suffix"
        if how == "name" and skipped
        else _ADVICE[how]
        if skipped
        else "check the globs"
    )
    click.echo(f"newsclean: no input files in {root}; {', '.join(parts)}: {advice}", err=True)


def _by_suffix(counts: Any) -> str:
    """``.shtml ×2, .php ×1``: the five commonest suffixes, then how many more."""
    common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{suf or '(no suffix)'} ×{n}" for suf, n in common[:5])
    return shown + (f", {len(common) - 5} more suffixes" if len(common) > 5 else "")


def _problem(name: str, exc: InputError) -> str:
    return f"{printable_line(name)}: {exc.reason}" + (f": {exc.detail}" if exc.detail else "")


@dataclass(frozen=True)
class _Input:
    """One document named on the command line (a file, a record of one, or stdin)."""

    name: str  # the path as the user named it (``:N`` for a record): what messages say
    raw: bytes | str | Decoded | None
    kind: Kind
    url: str | None = None
    group: str = "."
    error: InputError | None = None
    path: str | None = None  # the file it came from (None: stdin)
    id: str = "-"  # the document id run gives it (before repeated ids get ~N)


def _looks_like_json_records(data: bytes) -> bool:
    """Whether stdin's first line is a JSON object: a JSONL feed piped in by mistake."""
    first = data.lstrip()[:1_000_000].split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _single_inputs(
    paths: tuple[str, ...], kind: Kind, cfg: Config, fields: Any, notes: list[Any] | None = None
) -> Iterator[_Input]:
    """The documents of PATHs, read exactly as ``run`` reads its inputs.

    The batch readers decide the kind from the suffix (.html -> html; .txt,
    stdin and other names are sniffed), apply the size limits and read JSONL
    records, so ``clean FILE``, ``show FILE`` and ``run`` clean one file the
    same way.  ``--kind`` other than auto wins over the suffix.
    """
    from newsclean.io import discover, read_documents
    from newsclean.io.discover import input_name

    # As run names the files of several inputs: under each input's own name.
    several = sum(p != "-" for p in paths) > 1
    for path in paths:
        if path == "-":
            data = sys.stdin.buffer.read(cfg.max_input_bytes + 1)
            error = None
            if len(data) > cfg.max_input_bytes:
                error = InputError(
                    "too-large", f"more than {cfg.max_input_bytes} bytes (max_input_bytes)"
                )
            if _looks_like_json_records(data):
                click.echo(
                    "newsclean: warning: stdin looks like JSON records but '-' is read as one "
                    "text; to clean JSONL record by record, pass the file (newsclean clean "
                    "feed.jsonl)",
                    err=True,
                )
            yield _Input("-", data, kind, error=error)
            continue
        try:
            sources = discover([path], left_out=notes)
        except UsageError as exc:  # a path the user typed that is not there: as run does
            raise UsageProblem(str(exc)) from exc
        for src in sources:
            if several:
                src = dataclasses.replace(src, rel=f"{input_name(path)}/{src.rel}")
            for d in read_documents(src, fields, cfg.max_input_bytes):
                k = d.kind if kind == "auto" else kind
                yield _Input(d.path, d.raw, k, d.url, d.group, d.error, src.path, d.id)


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
    notes: list[Any] = []
    try:
        sources = discover(inputs, kw["include"], kw["exclude"], left_out=notes)
    except UsageError as exc:
        raise UsageProblem(str(exc)) from exc
    _say_left_out(notes, kw["quiet"])
    read = [d for src in sources for d in read_documents(src, _fields(kw), cfg.max_input_bytes)]
    # ids as run numbers them, over every document (those that fail too), so that
    # a record's id, cluster_id and duplicate_of are those of `dedup -o`'s records
    ids = _run_ids(d.id for d in read)
    path_of: dict[str, str] = {}
    doubt_of: dict[str, EncodingDoubt | None] = {}
    for d, doc_id in zip(read, ids, strict=True):
        try:
            text, doubt_of[doc_id] = _doc_text(d, cfg)
        except InputError as exc:
            click.echo(_problem(d.path, exc), err=True)
            status = EXIT_FINDINGS
            continue
        docs.append((doc_id, text))
        path_of[doc_id] = d.path
    if docs:
        for (doc_id, text), info in zip(docs, cluster(docs, config=cfg), strict=True):
            if fmt == "json":
                # the text compared, and the doubt about its charset as every verb records it
                article = Article(text=text).with_encoding_doubt(doubt_of[doc_id])
                record = article.to_record(id=doc_id, source_path=path_of[doc_id], cluster=info)
                click.echo(_json_line(record))
            elif info.duplicate_of is not None:  # an empty text is nobody's representative
                # the text lines name files, as a user finds them
                sim = "" if info.similarity is None else f"{info.similarity:.3f}"
                # escaped: a tab or newline in a name would break the columns
                pair = printable_line(path_of[doc_id]), printable_line(path_of[info.duplicate_of])
                click.echo(f"{pair[0]}\t{pair[1]}\t{sim}")
    return status


def _run_ids(ids: Iterable[str]) -> list[str]:
    """Document ids as run gives them: a repeated id gets ~2, ~3 ... (the same in every verb)."""
    from newsclean.batch.records import unique_ids

    return unique_ids(ids)


def _doc_text(d: Any, cfg: Config) -> tuple[str, EncodingDoubt | None]:
    """The text of a document read for dedup, and the doubt about its charset;
    InputError when it has none.

    Through the worker's own step (``dedup -o`` runs it in the pool), so both
    forms of the verb compare the same text: a page (HTML) is cleaned, text is
    decoded with the user's config and stripped, and the limits and timeout hold.
    """
    if d.error is not None:
        raise d.error
    from newsclean.batch.records import Task
    from newsclean.batch.work import process

    result = process(Task(d.key, d.raw, d.kind, d.url), cfg, "dedup")
    if result.article is None:
        raise InputError(result.reason or result.status, result.detail or "")
    return result.article.text, result.article.encoding_doubt


# --------------------------------------------------------------------------- check


def _checkable(name: str) -> bool:
    """A corpus file ``check --git-files`` reads: one text or page per file, or
    JSONL records (the input-format table decides; plain or gzipped)."""
    from newsclean.io.formats import format_of

    fmt = format_of(name).format
    return bool(fmt.suffix) and fmt.reader in ("document", "jsonl")


@dataclass
class _Checked:
    """One checked text: a file's text, one JSONL record's text, or stdin."""

    name: str  # path, or path:N for a record
    line0: int  # line of the text's first line in the file (a record: its line)
    text: str
    #: "lines" (findings point at the file's lines), "record" (at the JSONL
    #: record's line) or "html" (a page: checked for near-duplicates only)
    kind: str
    group: str = "."
    result: Any = None  # CheckResult
    #: why this record could not be read (a JSONL line that is not JSON): it is
    #: reported at its line and left as it is, and the file's other records are
    #: still checked, as ``run`` still cleans them
    error: InputError | None = None


def _git_files() -> list[str]:
    """The corpus files git tracks here (``--git-files``: the pre-commit hooks)."""
    import subprocess

    try:
        res = subprocess.run(
            ["git", "ls-files", "-z", "--cached"], capture_output=True, check=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageProblem(f"--git-files needs a git work tree: {exc}") from exc
    names = [n for n in res.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted(n for n in names if _checkable(n) and Path(n).is_file())


def _check_files(
    paths: tuple[str, ...], kw: dict[str, Any], notes: list[Any]
) -> Iterator[tuple[str, InputError | None]]:
    """``(path, why it is not read or None)`` of the files PATHS name.

    Discovery's reason (a folder it could not list, a FIFO) is kept: such a
    source is a finding, never opened.  ``notes`` receives what each folder
    left out.
    """
    from newsclean.io import discover

    for p in paths:
        if Path(p).is_dir():
            # As --git-files: a folder's JSON and WARC files are not for check
            # (left out by suffix, and said so).
            for s in discover([p], kw["include"], kw["exclude"], reads=_checkable, left_out=notes):
                yield s.path, (InputError("unreadable", s.error) if s.error is not None else None)
        else:
            _must_exist(p)
            yield p, _not_checked(p)


def _must_exist(path: str) -> None:
    """A typed path that is not there is a usage error (exit 2), as in run and dedup;
    a dangling symlink is there, and is reported as unreadable like any input."""
    if path != "-" and not os.path.lexists(path):
        raise UsageProblem(f"input {path!r} does not exist")


def _not_checked(path: str) -> InputError | None:
    """Why check does not read ``path`` (a JSON or WARC file), or None.

    Read as text, a WARC's payload would be "fixed" under its Content-Length
    and a JSON file rewritten outside its strings: the archive is corrupted.
    Any other named file is read as text, whatever its suffix.
    """
    from newsclean.io.formats import format_of

    reader = format_of(path).reader
    if path == "-" or reader not in ("json", "warc"):
        return None
    return InputError(
        "unsupported",
        f"check reads .txt, .html and .jsonl files, not {reader.upper()}; run or clean reads it",
    )


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite files in place (atomically, through symlinks; encoding and line breaks kept).",
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print unified diffs of the fixes; write nothing."
)
@click.option(
    "--unsafe-fixes",
    "unsafe",
    is_flag=True,
    help="--fix/--diff also remove chrome and template lines (else they only normalize).",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing, print only the summary; exit 1 if anything would be reported.",
)
@click.option(
    "--index", type=click.Path(exists=True), help="A committed Deduplicator index to check against."
)
@click.option(
    "--templates",
    "learn",
    is_flag=True,
    help="Learn site templates (per folder) from the checked files and report their lines.",
)
@click.option(
    "--git-files",
    is_flag=True,
    help="Check every corpus file git tracks (with PATHS: those under them); the pre-commit hooks use it.",
)
@click.option("--include", multiple=True, help="Glob of files to check inside folders.")
@click.option("--exclude", multiple=True, help="Glob of files to skip inside folders.")
@click.option(
    "-q", "--quiet", is_flag=True, help="Only the findings: no summary, no note of files left out."
)
@format_choice(
    "Findings as PATH:LINE: REASON: TEXT lines, or one JSON object per finding "
    '({"path", "line", "reason", "detail"}).'
)
@field_options
@config_options
@click.pass_obj
def check(state: _State, paths: tuple[str, ...], fix: bool, show_diff: bool, unsafe: bool, check_only: bool,
          index: str | None, learn: bool, git_files: bool, quiet: bool, fmt: str, **kw: Any) -> int:  # fmt: skip
    """Check text meant to be clean already: PATH:LINE: REASON: TEXT.

    Reports only strong evidence: lines that are chrome by their own content
    (a lexicon rule claims the whole line), learned site-template lines
    (--templates), unnormalized lines, texts with no body (no-body: left
    alone) and near-duplicates across the checked texts.  --fix normalizes;
    with --unsafe-fixes it also removes the chrome and template lines.  It
    never removes a line for where it stands, and never empties a file.  .txt files are checked
    line by line, .jsonl(.gz) record by record (the text field), .html only for
    near-duplicates.  '-' reads stdin (--fix writes the fixed text to stdout).
    Exit 1 when anything is reported (with --fix: anything left after fixing).
    """
    from newsclean.check import near_duplicates

    if sum((fix, show_diff)) > 1 or (fix and check_only):
        raise UsageProblem("--fix writes files; --diff and --check write nothing: pick one")
    cfg = _config(kw)
    fields = _fields(kw)
    if git_files:
        tracked = _git_files()
        for p in paths:
            _must_exist(p)
        roots = [Path(p).resolve() for p in paths]
        files: list[tuple[str, InputError | None]] = [
            (f, None)
            for f in tracked
            if not roots or any(_under(Path(f).resolve(), r) for r in roots)
        ]
    elif not paths:
        raise UsageProblem("nothing to check: give PATHS, '-' for stdin, or --git-files")
    else:
        notes: list[Any] = []
        files = list(_check_files(paths, kw, notes))
        # check reads a folder's text and JSONL files only, --include or not:
        # what it left out is every other file, and naming one reads it.
        _say_left_out(notes, quiet, how="name")
    out: list[_Reported] = []  # findings, in file order
    checked: list[_Checked] = []
    # (path, units, (how to write it back, stdin's bytes to pass through))
    per_file: list[tuple[str, list[_Checked], tuple[Any, bytes | None]]] = []
    for path, problem in files:
        if problem is not None:
            out.append(_Reported(path, 1, problem.reason, problem.detail or ""))
            continue
        try:
            units, writer, original = _read_checked(path, fields, cfg)
        except InputError as exc:
            out.append(_Reported(path, 1, exc.reason, exc.detail or ""))
            continue
        per_file.append((path, units, (writer, original)))
        checked.extend(units)
    templates = _checked_templates(checked, cfg) if learn else None
    fixed_findings = changed = unwritten = 0
    remaining = len(out)
    for path, units, (writer, original) in per_file:
        ignored = state.settings.ignored_reasons(path)
        for u in units:
            if u.error is not None:  # reported below, in line order
                u.result = _unchecked(u.text)
                continue
            try:
                _run_check(u, cfg, templates, ignored, unsafe)
            except InputError as exc:  # timeout: reported, left as it is, the batch goes on
                u.result = _unchecked(u.text)
                out.append(_Reported(path, u.line0, exc.reason, exc.detail or ""))
                remaining += 1
        new_data, old_text, new_text = writer(units) if writer else (None, "", "")
        if new_data is not None:
            changed += 1
            if show_diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                        f"a/{path}", f"b/{path}",
                    )
                )  # fmt: skip
            elif fix and not _write_fix(path, new_data):
                unwritten += 1
                changed -= 1
                new_data = None  # nothing was fixed: every finding stands
        elif fix and original is not None:
            # stdin through --fix is a filter (black -, ruff --fix -): a text
            # with nothing to fix comes out as it went in, never as nothing
            _write_through(path, original)
        for u in units:
            if u.error is not None:
                out.append(_Reported(path, u.line0, u.error.reason, u.error.detail or ""))
                remaining += 1
                continue
            shown = u.result.findings
            if fix and new_data is not None:
                shown = u.result.left  # the rest was fixed: the file checks without them
                fixed_findings += len(u.result.findings) - len(shown)
            remaining += len(shown)
            for f in shown:
                line = u.line0 + f.line - 1 if u.kind == "lines" else u.line0
                name = u.name if u.kind == "lines" else path
                out.append(_Reported(name, line, f.reason, f.snippet))
    docs = [
        (u.name, u.result.fixed) for u in checked
        if u.result is not None and u.result.fixed.strip()
        and "near-duplicate" not in state.settings.ignored_reasons(u.name.rsplit(":", 1)[0])
    ]  # fmt: skip
    dups = near_duplicates(docs, cfg, index)
    for d in dups:
        sim = f" (similarity {d.similarity:.2f})" if d.similarity is not None else ""
        where = " in the index" if d.in_index else ""
        name, _, line = _with_line(d.name).rpartition(":")
        out.append(_Reported(name, int(line), "near-duplicate", f"of {d.of}{where}{sim}"))
    remaining += len(dups)
    if not (show_diff or check_only):
        # `check --fix -` is a filter (black -, ruff --fix -): stdout carries the
        # fixed text and only that, so the findings go to stderr, where a
        # redirect of the fixed text does not catch them.
        filtering = fix and "-" in paths
        for x in out:
            click.echo(x.json_line() if fmt == "json" else x.line_text(), err=filtering)
    if not quiet and (out or changed):
        if fix:
            summary = f"fixed {plural(fixed_findings, 'finding')} in {plural(changed, 'file')}"
            if remaining:
                summary += f"; {plural(remaining, 'finding')} left"
            if unwritten:
                summary += f"; {plural(unwritten, 'file')} could not be written"
        else:
            summary = f"{plural(remaining, 'finding')}; would change {plural(changed, 'file')}"
        click.echo(summary, err=True)
    if unwritten:  # the environment, not the corpus: the fixes can be had elsewhere
        return EXIT_USAGE
    return EXIT_FINDINGS if remaining else EXIT_OK


@dataclass(frozen=True)
class _Reported:
    """One reported finding: where, the reason id, and what was found."""

    path: str
    line: int
    reason: str
    detail: str = ""

    def line_text(self) -> str:
        # One finding, one line: a path (or a quoted line) with a newline or tab
        # is escaped, or path:line parsers would split it.
        return f"{printable_line(self.path)}:{self.line}: {self.reason}" + (
            f": {printable_line(self.detail)}" if self.detail else ""
        )

    def json_line(self) -> str:
        """The finding as ``check --format json`` prints it.

        A path that is not UTF-8 (and a detail naming one, or quoting a lone
        surrogate) is escaped as the manifest writes it: a lone surrogate
        escape in JSON is rejected by strict readers.
        """
        return _json_line(
            {
                "path": printable(self.path),
                "line": self.line,
                "reason": self.reason,
                "detail": printable(self.detail),
            }
        )


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _run_check(
    u: _Checked, cfg: Config, templates: Any, ignored: frozenset[str], unsafe: bool
) -> None:
    from newsclean.check import check_text

    if u.kind == "html":  # near-duplicates only: raw HTML always holds chrome
        u.result = _unchecked(u.text)
        return
    group = u.group if templates is not None else None
    u.result = check_text(
        u.text, cfg, templates=templates, group=group, ignore=ignored, unsafe_fixes=unsafe
    )


def _unchecked(text: str) -> Any:
    """The result of a text that could not be checked: no findings, nothing fixed."""
    from newsclean.check import CheckResult

    return CheckResult((), text)


def _checked_templates(units: list[_Checked], cfg: Config) -> Any:
    from newsclean.article import Article
    from newsclean.template import SiteTemplates

    return SiteTemplates.learn(
        ((u.group, Article(text=u.text)) for u in units if u.kind != "html" and u.error is None),
        config=cfg,
    )


def _read_checked(path: str, fields: Any, cfg: Config) -> tuple[list[_Checked], Any, bytes | None]:
    """The texts of one file, a writer: units -> (new bytes or None, old text,
    new text), and for stdin its bytes (``--fix`` passes them through unchanged).

    A document whose kind its name leaves open (``.txt``, stdin, an unknown
    suffix) is sniffed as ``clean`` sniffs it: a page is checked like an
    ``.html`` file, for near-duplicates only, and never rewritten.
    """
    from newsclean.clean import clean
    from newsclean.explain import detect_kind
    from newsclean.io.readers import read_text_file

    if path == "-":
        from newsclean.decode import decode_bytes

        data = sys.stdin.buffer.read(cfg.max_input_bytes + 1)
        if len(data) > cfg.max_input_bytes:  # the limit of run, as for a file
            raise InputError(
                "too-large", f"more than {cfg.max_input_bytes} bytes (max_input_bytes)"
            )
        text = decode_bytes(data, "-", cfg).text
        if detect_kind(text) == "html":
            return [_Checked("-", 1, clean(data, kind="html", config=cfg).text, "html")], None, data
        unit = _Checked("-", 1, text, "lines")

        def to_stdout(units: list[_Checked]) -> tuple[bytes | None, str, str]:
            new = units[0].result.fixed
            return (new.encode("utf-8") if new != text else None), text, new

        return [unit], to_stdout, data
    from newsclean.io.formats import format_of, is_html_file

    fmt = format_of(path)
    decoded, raw = read_text_file(path, cfg)
    text, encoding = decoded.text, decoded.encoding
    group = Path(path).parent.as_posix()
    sniffed = fmt.reader == "document" and fmt.kind == "auto" and detect_kind(text) == "html"
    if is_html_file(path) or sniffed:
        page = clean(raw, kind="html", config=cfg).text
        return [_Checked(path, 1, page, "html", group)], None, None
    if decoded.alternatives:
        # Its bytes read as well in other charsets: findings about one reading
        # may be misreadings, and a fix written back in that charset would
        # corrupt the file (a short GBK file rewritten as Shift_JIS katakana).
        others = ", ".join(decoded.alternatives)
        why = InputError(
            "ambiguous-encoding",
            f"its bytes read as {encoding} as well as {others}; "
            "convert the file to UTF-8 (or declare its charset) to check it",
        )
        return [_Checked(path, 1, text, "lines", group, error=why)], None, None
    gz = fmt.gzip
    if fmt.reader == "jsonl":
        units, rebuild = _jsonl_units(path, text, fields, group, cfg)
    else:
        units = [_Checked(path, 1, text, "lines", group)]

        def rebuild(us: list[_Checked]) -> str:
            return str(us[0].result.fixed)

    def write(us: list[_Checked]) -> tuple[bytes | None, str, str]:
        new_text = rebuild(us)
        if new_text == text:
            return None, text, text
        try:
            data = new_text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            data = new_text.encode("utf-8")
        if raw.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf"):
            data = b"\xef\xbb\xbf" + data
        if gz:
            data = gzip.compress(data, mtime=0)
        return data, text, new_text

    return units, write, None


def _jsonl_units(
    path: str, text: str, fields: Any, group: str, cfg: Config
) -> tuple[list[_Checked], Callable[[list[_Checked]], str]]:
    from newsclean.check import split_lines
    from newsclean.clean import clean
    from newsclean.decode import strip_controls
    from newsclean.explain import detect_kind

    lines = split_lines(text)
    units: list[_Checked] = []
    records: dict[int, dict[str, Any]] = {}
    for n, (line, _) in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested too deep for json
            bad = InputError("malformed-json", f"line {n} is not JSON")
            units.append(_Checked(f"{path}:{n}", n, "", "record", group, error=bad))
            continue
        value = rec.get(fields.text) if isinstance(rec, dict) else None
        if isinstance(value, str):
            records[n] = rec
            if detect_kind(value) == "html":
                # a raw page in the text field, which run cleans as a page: like
                # an .html file, checked for near-duplicates only (and never fixed)
                try:
                    page = clean(value, kind="html", config=cfg).text
                except InputError as exc:  # a timeout: this record's problem only
                    units.append(_Checked(f"{path}:{n}", n, "", "record", group, error=exc))
                    continue
                units.append(_Checked(f"{path}:{n}", n, page, "html", group))
                continue
            # the record's text as run reads it: its raw U+2028 are line breaks
            units.append(_Checked(f"{path}:{n}", n, strip_controls(value), "record", group))

    def rebuild(us: list[_Checked]) -> str:
        out = [list(x) for x in lines]
        for u in us:
            if u.result.fixed != u.text:
                # where the text's JSON string is: found for a fixed record only
                line = out[u.line0 - 1][0]
                span = _string_value_span(line, fields.text)
                if span is None:  # never for a JSON object; the record as run writes it
                    rec = dict(records[u.line0])
                    rec[fields.text] = u.result.fixed
                    out[u.line0 - 1][0] = _json_line(rec)
                    continue
                # Only the text's value changes: numbers (1e400, 20 digits), key
                # order, spacing and the other strings' escapes stay as they are.
                start, end = span
                value = _json_string(u.result.fixed, _escapes(line, line[start:end], u.text))
                out[u.line0 - 1][0] = line[:start] + value + line[end:]
        return "".join(a + b for a, b in out)

    return units, rebuild


def _string_value_span(line: str, key: str) -> tuple[int, int] | None:
    """Where, in a JSON object's line, the string value of its top-level ``key``
    is (its quotes included): the last one, as ``json.loads`` keeps the last of
    repeated keys.  None unless ``line`` is an object with such a value.

    The line is walked with the json module's own scanner (``raw_decode`` of
    each key and value), so the span is exactly the one ``json.loads`` read
    the value from.
    """
    decoder = json.JSONDecoder()

    def ws(i: int) -> int:  # JSON's whitespace, as json.loads skips it
        while line[i : i + 1] in (" ", "\t", "\n", "\r"):
            i += 1
        return i

    found = None
    try:
        i = ws(0)
        if line[i : i + 1] != "{":
            return None
        i = ws(i + 1)
        if line[i : i + 1] == "}":
            return None
        while True:
            if line[i : i + 1] != '"':
                return None
            name, i = decoder.raw_decode(line, i)
            i = ws(i)
            if line[i : i + 1] != ":":
                return None
            start = ws(i + 1)
            value, i = decoder.raw_decode(line, start)
            if name == key:
                found = (start, i) if isinstance(value, str) else None
            i = ws(i)
            if line[i : i + 1] == "}":
                return found
            if line[i : i + 1] != ",":
                return None
            i = ws(i + 1)
    except (ValueError, RecursionError):
        return None


def _escapes(line: str, token: str, value: str) -> bool:
    """Whether the writer of a JSONL line wrote non-ASCII text as ``\\u`` escapes
    (``ensure_ascii``): its text ``value``, read from ``token``, says so when it
    is not all ASCII, else the line's other strings."""
    if not value.isascii():
        return token.isascii()
    return line.isascii() and "\\u" in line


def _json_string(value: str, ascii_: bool) -> str:
    """``value`` as a JSON string: with ASCII escapes if ``ascii_`` (or if it holds
    a lone surrogate, which UTF-8 cannot hold), else as ``run`` writes its text."""
    if not ascii_:
        encoded = json.dumps(value, ensure_ascii=False)
        try:
            encoded.encode("utf-8")
            return encoded
        except UnicodeEncodeError:
            pass
    return json.dumps(value, ensure_ascii=True)


def _write_fix(path: str, data: bytes) -> bool:
    """Write ``path``'s fixed bytes; False, having said why on stderr, when it cannot be.

    check has no OUT: a fix is written to a temporary file beside the file and
    renamed over it, so it is the file's folder that must be writable.  The
    other files are still fixed.
    """
    if path == "-":  # stdout: a closed pipe ends the command as anywhere else
        _write_through(path, data)
        return True
    try:
        _write_through(path, data)
    except OSError as exc:
        if exc.errno is None:
            raise
        folder = os.path.dirname(os.path.realpath(path)) or "."
        if exc.errno == errno.EROFS:
            why = f"its folder {printable_line(folder)} is on a read-only file system"
        elif exc.errno in (errno.EACCES, errno.EPERM):
            why = (
                f"its folder {printable_line(folder)} is not writable ({exc.strerror}): a fix is "
                "written beside the file and renamed over it"
            )
        else:
            why = exc.strerror or str(exc)
        click.echo(f"newsclean: {printable_line(path)}: not fixed: {why}", err=True)
        return False
    return True


def _write_through(path: str, data: bytes) -> None:
    """Atomically replace ``path``'s content; a symlink keeps pointing at its
    (rewritten) target instead of becoming a regular file.  '-' is stdout."""
    from newsclean.io import atomic_write

    if path == "-":
        sys.stdout.buffer.write(data)
        return
    atomic_write(os.path.realpath(path), data)


def _with_line(name: str) -> str:
    return name if name.rsplit(":", 1)[-1].isdigit() else f"{name}:1"


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
    help="json: one {path, text, source, flags, lines: [{text, kept, reason}]} object "
    "per document.",
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
    """Explain how FILE is cleaned, line by line ('-' reads stdin; a folder:
    each of its documents in turn).

    The lines are those the chrome step judged: trafilatura's text in HTML
    mode, the page's lines in text mode.  Kept lines are plain, removed lines
    struck through with their reason, doubted lines marked ?reason.  The text
    is exactly what `newsclean clean FILE` prints (and, with --batch, what
    `newsclean run` writes for it).
    """
    from newsclean.explain import explain
    from newsclean.template import template_group

    cfg = _config(kw)
    fields = _fields(kw)
    notes: list[Any] = []
    docs = list(_single_inputs((file,), check_kind(kind), cfg, fields, notes))
    _say_left_out(notes, quiet=False, how="name")
    templates = None
    if batch_dir:
        from newsclean.batch.steps import learn_from_inputs

        batch_notes: list[Any] = []
        templates = learn_from_inputs([batch_dir], cfg, fields, batch_notes)
        _say_left_out(batch_notes, quiet=False, how="batch")
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
        if not ex.article.text:  # as clean says it, and exits 1 for it
            click.echo(f"{printable_line(doc.name)}: no-body", err=True)
            status = EXIT_FINDINGS
        if ex.article.encoding_doubt is not None:  # as clean says it
            click.echo(_encoding_note(doc.name, ex.article.encoding_doubt), err=True)
        if fmt == "json":
            # "path" always, not only when FILE holds several documents: one schema
            click.echo(_json_line({"path": printable(doc.name), **ex.to_dict()}))
            continue
        if len(docs) > 1:
            click.echo(f"==> {printable_line(doc.name)} <==")
        _print_explanation(ex, cfg)
    return status


def _group_in(batch_dir: str, doc: _Input) -> str:
    """The folder group ``doc`` has in the batch (as discover names it), or "."."""
    if doc.path is None:
        return "."
    try:
        rel = Path(doc.path).resolve().relative_to(Path(batch_dir).resolve())
    except ValueError:
        return "."
    return rel.parent.as_posix()


def _print_explanation(ex: Any, cfg: Config) -> None:
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
    if not ex.article.text:
        click.echo(
            f"# no body: less than {cfg.min_body_chars} characters of article text are left "
            "(min-body-chars), so clean prints nothing"
        )


# --------------------------------------------------------------------------- -v after the verb


def _more_verbose(ctx: click.Context, param: click.Parameter, count: int) -> None:
    """``newsclean VERB -v``: as ``newsclean -v VERB`` (the counts add up)."""
    if count:
        state = ctx.ensure_object(_State)
        state.verbose += count
        _log_to_stderr(state.verbose)


# Every verb takes -v after it, as it takes -q there: the README describes both
# under the verbs, and "No such option: -v" after `run ... -q` worked is a trap.
for _command in cli.commands.values():
    _command.params.append(
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_more_verbose,
            help="Say more on stderr, as `newsclean -v VERB` does (-vv: debug).",
        )
    )


# --------------------------------------------------------------------------- entry points


def _json_line(obj: Any) -> str:
    """One JSON line for stdout or a rewritten JSONL record, as ``run`` writes its records.

    A lone surrogate (a file name that is not UTF-8, a JSONL id or text
    holding ``"\\ud800"``) cannot be written as UTF-8: such a line keeps
    JSON's ASCII escapes, which read back to the very same string.
    """
    from newsclean.io.journal import dumps_line

    return dumps_line(obj)[:-1]


def _escape_unencodable(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: what the streams cannot encode, written as the manifest writes it.

    A file name's undecodable bytes (surrogate escapes) become ``\\xff``, a
    lone surrogate ``\\ud800`` (see :func:`~newsclean.wording.printable`);
    anything else the stream's encoding lacks is backslash-escaped.
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    shown = (
        printable(ch)
        if "\ud800" <= ch <= "\udfff"
        else ch.encode("ascii", "backslashreplace").decode()
        for ch in bad
    )
    return "".join(shown), exc.end


_ESCAPE = "newsclean.escape"


@contextlib.contextmanager
def _escaping_streams() -> Iterator[None]:
    """stdout and stderr escape what they cannot encode instead of raising.

    A file name that is not UTF-8 is printed in findings, headers and error
    lines; with a UTF-8 locale's strict stdout it raised UnicodeEncodeError
    (exit 123) after the work was done.  The streams get their mode back after.
    """
    codecs.register_error(_ESCAPE, _escape_unencodable)  # idempotent: the same handler
    before: list[tuple[Callable[..., Any], str]] = []
    for stream in (sys.stdout, sys.stderr):
        errors = getattr(stream, "errors", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if errors is None or reconfigure is None:
            continue
        try:
            reconfigure(errors=_ESCAPE)
        except (ValueError, OSError):  # closed, or not a text stream we may change
            continue
        before.append((reconfigure, errors))
    try:
        yield
    finally:
        for reconfigure, errors in before:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=errors)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code and never raises."""
    with _escaping_streams():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
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
        where = f"{printable_line(str(exc.filename))}: " if exc.filename is not None else ""
        click.echo(f"newsclean: {where}{os_reason(exc)}", err=True)
        return EXIT_USAGE
    except Exception:
        return _internal()
    return rv if isinstance(rv, int) else EXIT_OK


def _internal() -> int:
    click.echo("newsclean: internal error (please report this with the traceback):", err=True)
    traceback.print_exc()
    return EXIT_INTERNAL


def entry_point() -> None:
    sys.exit(main())
