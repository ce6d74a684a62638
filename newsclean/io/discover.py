"""Find input files: recursive, sorted, hidden and VCS folders skipped.

Broken symlinks, symlink loops and folders that cannot be listed are *kept*
as sources so that the batch can record them as errors instead of silently
losing files the user expected.  So are FIFOs, sockets and devices found in a
folder, but they are never opened: reading a FIFO nobody writes to blocks
forever, and a device may never end.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsclean.errors import UsageError
from newsclean.io.formats import is_input_name
from newsclean.io.remote import filesystem, is_url

_SKIP_DIRS = {"__pycache__", "node_modules", "CVS", "_darcs"}
_OWN_OUTPUTS = frozenset({"manifest.jsonl", "report.html"})


@dataclass(frozen=True, slots=True)  # a batch keeps one per one-document file until phase 2
class Source:
    """One input file.  ``rel`` is its stable name inside the run (posix)."""

    path: str  # as the user can find it (input argument joined with the relative path)
    rel: str
    group: str  # site-template group when no URL is known: the folder
    #: Why the source cannot be read, when discovery already knows (a folder
    #: that cannot be listed, a FIFO); the reader turns it into an
    #: ``unreadable`` record without opening it.
    error: str | None = None


def discover(
    inputs: Sequence[str | os.PathLike[str]],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> list[Source]:
    """All input files under ``inputs``, in a deterministic order.

    ``include``/``exclude`` are globs matched against the relative path and the
    file name.  With one input directory the relative paths are relative to it;
    with several, each is prefixed with its directory's name.
    """
    include, exclude = tuple(include), tuple(exclude)
    roots = [Path(p) for p in inputs]
    names = [_name(p, r) for p, r in zip(inputs, roots, strict=True)]
    if len(roots) > 1 and len(set(names)) != len(names):
        raise UsageError(
            "inputs share a folder name "
            f"({', '.join(sorted({n for n in names if names.count(n) > 1}))}); "
            "rename them or run them separately so outputs do not collide"
        )
    out: list[Source] = []
    for arg, root, name in zip(inputs, roots, names, strict=True):
        prefix = f"{name}/" if len(roots) > 1 else ""
        if is_url(str(arg)):
            out.extend(_remote(str(arg), prefix, include, exclude))
        elif root.is_dir():
            # A newsclean output folder can be the next step's input: its bookkeeping is no input.
            own = _OWN_OUTPUTS if (root / ".newsclean" / "run.json").is_file() else frozenset()
            for rel, error, is_folder in _walk(root):
                # An unlisted folder may hold wanted files: never filtered.
                if is_folder or (rel not in own and _wanted(rel, include, exclude, by_suffix=True)):
                    out.append(Source(str(root / rel), prefix + rel, _group(prefix, rel), error))
        elif root.exists() or root.is_symlink():
            # An explicit file is read whatever its suffix (the user asked for it).
            out.append(Source(str(root), prefix + root.name, prefix.rstrip("/") or "."))
        else:
            raise UsageError(f"input {str(root)!r} does not exist")
    return out


def left_out(
    inputs: Sequence[str | os.PathLike[str]],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Counter[str]:
    """Suffixes (``".shtml"``, ``""``) of the files under the local folder
    ``inputs`` that :func:`discover` leaves out: not an input format, or not
    matched by the globs.  A run that found nothing names them, so that a
    folder of ``.shtml`` pages is never an empty run without a word."""
    include, exclude = tuple(include), tuple(exclude)
    found: Counter[str] = Counter()
    for arg in inputs:
        root = Path(arg)
        if is_url(str(arg)) or not root.is_dir():
            continue
        for rel, error, is_folder in _walk(root):
            if error is None and not is_folder and not _wanted(rel, include, exclude, True):
                found[os.path.splitext(rel.rsplit("/", 1)[-1])[1].lower()] += 1
    return found


def _name(arg: str | os.PathLike[str], root: Path) -> str:
    if is_url(str(arg)):
        return str(arg).rstrip("/").rsplit("/", 1)[-1]
    return root.name or root.resolve().name


def _remote(
    url: str, prefix: str, include: tuple[str, ...], exclude: tuple[str, ...]
) -> list[Source]:
    fs, root = filesystem(url)
    if not fs.exists(root):
        raise UsageError(f"input {url!r} does not exist")
    if not fs.isdir(root):  # one file
        return [Source(url, prefix + _name(url, Path()), prefix.rstrip("/") or ".")]
    base = root.rstrip("/")
    files = sorted(str(p) for p in fs.find(root))
    own = _OWN_OUTPUTS if f"{base}/.newsclean/run.json" in files else frozenset()
    out = []
    for path in files:
        rel = path[len(base) + 1 :] if path.startswith(base + "/") else path.rsplit("/", 1)[-1]
        parts = rel.split("/")
        # the same folders a local walk skips
        if any(p.startswith(".") for p in parts) or any(p in _SKIP_DIRS for p in parts[:-1]):
            continue
        if rel not in own and _wanted(rel, include, exclude, by_suffix=True):
            out.append(Source(str(fs.unstrip_protocol(path)), prefix + rel, _group(prefix, rel)))
    return out


def _parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else "."


def _group(prefix: str, rel: str) -> str:
    """The template group of a listed file: its folder, interned (a batch keeps one per
    document; the files of a folder share one string)."""
    return sys.intern(prefix + _parent(rel))


def _wanted(rel: str, include: tuple[str, ...], exclude: tuple[str, ...], by_suffix: bool) -> bool:
    name = rel.rsplit("/", 1)[-1]

    def hit(globs: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)

    if exclude and hit(exclude):
        return False
    if include:
        return hit(include)
    return not by_suffix or is_input_name(name)


def _walk(root: Path) -> list[tuple[str, str | None, bool]]:
    """``(relative posix path, None, False)`` of files under ``root``, sorted, not
    following dir links.

    A sub-folder that cannot be listed comes as ``(its path, why, True)``:
    losing its files silently is what the caller must never do.  A FIFO,
    socket or device comes as ``(its path, why, False)``, to be recorded, not
    read.  The root itself failing is a usage problem (ValueError): nothing of
    the input can be read.
    """
    found: list[tuple[str, str | None, bool]] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            with os.scandir(root / rel_dir if rel_dir else root) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if not rel_dir:
                raise UsageError(
                    f"input {str(root)!r} cannot be listed: {exc.strerror or exc}"
                ) from exc
            found.append((rel_dir, f"folder cannot be listed: {exc.strerror or exc}", True))
            continue
        for e in entries:
            rel = f"{rel_dir}/{e.name}" if rel_dir else e.name
            if e.name.startswith("."):
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if e.name not in _SKIP_DIRS:
                    stack.append(rel)
                continue
            if e.is_symlink():
                try:
                    target_is_dir = os.path.isdir(e.path)
                    os.stat(e.path)
                except OSError as exc:
                    # Loops and dangling links become error records downstream.
                    if exc.errno in (errno.ELOOP, errno.ENOENT):
                        found.append((rel, None, False))
                    continue
                if target_is_dir:
                    continue  # linked folders are not followed: that is how loops start
            found.append((rel, _not_regular(e), False))
    return sorted(found)


def _not_regular(entry: os.DirEntry[str]) -> str | None:
    """Why ``entry`` (not a folder) must not be opened, or None for a regular file.

    ``is_file`` answers from the directory listing for all but symlinks, so
    a folder of regular files costs no extra ``stat``.
    """
    try:
        if entry.is_file():
            return None
        mode = entry.stat().st_mode
    except OSError:
        return None  # vanished or unreadable: the reader names the reason
    kind = (
        "a FIFO" if stat.S_ISFIFO(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a special file"
    )  # fmt: skip
    return f"not a regular file ({kind}): not read"
