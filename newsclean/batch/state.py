"""OUT's bookkeeping: which run wrote it, whether its journal may be reused, safety checks.

``OUT/.newsclean/run.json`` holds the fingerprint of the run that wrote OUT.
A rerun with the same fingerprint resumes from the journal.  A rerun that
changes only what phase 1 never reads (dedup and template settings, the
output layout) reuses the journal's cleaned documents too and redoes phases
2-3: a new ``--threshold`` re-clusters without cleaning again.  Anything else
is another job, refused unless ``--force``, with the keys that differ named.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsclean._version import __version__
from newsclean.batch.lock import LOCK_FILE
from newsclean.batch.options import STATE_DIR, RunOptions
from newsclean.config import Config
from newsclean.errors import UsageError
from newsclean.io import atomic_write
from newsclean.io.remote import is_url

#: Config keys that phase 1 (cleaning one document) never reads; phase 2 does.
PHASE2_CONFIG = frozenset(
    {
        "template_min_share",
        "template_min_docs",
        "threshold",
        "containment",
        "representative",
        "exact_jaccard",
        "merge_clusters",
        *("num_perm", "seed", "char_ngram", "word_ngram", "scheme"),
    }
)
#: ... of which these change the signatures phase 1 stored: they are signed again.
SIGNING_CONFIG = frozenset({"num_perm", "seed", "char_ngram", "word_ngram", "scheme"})
#: Run options that only change how outputs are written.
OUTPUT_OPTIONS = frozenset({"layout", "keep_duplicates", "shard_size"})


@dataclass(frozen=True)
class Reuse:
    """What a run may take from OUT's journal."""

    journal: bool  # the cleaned documents (phase 1)
    signatures: bool  # ... and their signatures
    changed: tuple[str, ...] = ()  # the fingerprint keys that differ from the previous run


def fingerprint(inputs: list[str], config: Config, opts: RunOptions) -> dict[str, Any]:
    return {
        "newsclean": __version__,
        "inputs": [p if is_url(p) else os.path.abspath(p) for p in inputs],
        "config": config.to_dict(),
        "mode": opts.mode,
        "layout": opts.layout,
        "keep_duplicates": opts.keep_duplicates,
        "include": list(opts.include),
        "exclude": list(opts.exclude),
        "fields": dataclasses.asdict(opts.fields),
        "shard_size": opts.shard_size,
    }


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The keys whose values differ, config keys as ``config.NAME``, sorted."""
    out: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if key == "config" and isinstance(a, dict) and isinstance(b, dict):
            out.extend(f"config.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
        elif a != b:
            out.append(key)
    return out


#: Fingerprint keys that may change between runs into one OUT without --force.
_REUSABLE = frozenset({f"config.{k}" for k in PHASE2_CONFIG} | OUTPUT_OPTIONS)


def _reuse(changed: list[str]) -> Reuse | None:
    """How much of the journal a run with these differences may reuse (None: nothing)."""
    if not set(changed) <= _REUSABLE:
        return None
    resign = any(c.removeprefix("config.") in SIGNING_CONFIG for c in changed)
    return Reuse(journal=True, signatures=not resign, changed=tuple(changed))


def check_paths(inputs: list[str], out: Path) -> None:
    o = Path(os.path.realpath(out))
    for p in inputs:
        if is_url(p):  # OUT is local: it cannot lie inside a remote input
            continue
        # realpath, not resolve(): a symlink loop given as an input must reach
        # discovery (a symlink-loop manifest line), not raise RuntimeError here.
        i = Path(os.path.realpath(p))
        if o == i or i in o.parents:
            raise UsageError(f"refusing to write OUT {str(out)!r} inside the input {p!r}")
        if o in i.parents:
            raise UsageError(f"refusing: the input {p!r} lies inside OUT {str(out)!r}")


def _holds_anything(out: Path) -> bool:
    """Whether OUT holds more than the lock of the run holding it (a fresh OUT's only file)."""
    for entry in out.iterdir():
        if entry.name == STATE_DIR and entry.is_dir():
            if any(p.name != LOCK_FILE for p in entry.iterdir()):
                return True
            continue
        return True
    return False


def prepare_out(out: Path, new: dict[str, Any], force: bool) -> Reuse:
    """Create/validate OUT and record this run's fingerprint; what the journal may give."""
    state = out / STATE_DIR
    run_file = state / "run.json"
    if out.exists() and not out.is_dir():
        raise UsageError(f"OUT {str(out)!r} exists and is not a folder")
    reuse, old = None, None
    if run_file.exists():
        try:
            old = json.loads(run_file.read_text("utf-8"))
        except (ValueError, RecursionError):  # RecursionError: nested too deep for json
            old = None
    if isinstance(old, dict):
        reuse = _reuse(differences(old, new))
    if out.exists() and _holds_anything(out) and reuse is None:
        if not force:
            # Only what forces the refusal: a --threshold or --layout that differs
            # too is redone without --force, and naming it would send the user
            # after a setting that does not matter.
            why = "was not written by newsclean"
            if isinstance(old, dict):
                forcing = [k for k in differences(old, new) if k not in _REUSABLE]
                why = f"was written with other settings ({', '.join(forcing)})"
            raise UsageError(
                f"OUT {str(out)!r} is not empty and {why}; choose another folder "
                "or pass --force to overwrite"
            )
        journal = state / "journal.jsonl"
        if journal.exists():
            journal.unlink()
    text = json.dumps(new, ensure_ascii=False, indent=2)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # an input path that is not UTF-8: escapes read back the same
        data = json.dumps(new, ensure_ascii=True, indent=2).encode("ascii")
    atomic_write(run_file, data)
    return reuse or Reuse(journal=False, signatures=False)
