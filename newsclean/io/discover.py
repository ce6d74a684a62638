"""Find input files: recursive, sorted, hidden and VCS folders skipped.

Broken symlinks, symlink loops and folders that cannot be listed are *kept*
as sources so that the batch can record them as errors instead of silently
losing files the user expected.  So are FIFOs, sockets and devices found in a
folder, but they are never opened: reading a FIFO nobody writes to blocks
forever, and a device may never end.
"""

from __future__ import annotations

import dataclasses
import errno
import fnmatch
import functools
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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


#: Left-out files a note names by path (the rest are counted by suffix): a
#: folder of 100,000 ``.php`` files is one line on stderr, not 100,000.
EXAMPLES = 3


@dataclass
class LeftOut:
    """What the walk of one input folder left out: the note every verb prints.

    A file is left out *by suffix* when its name is no input format (or, for
    ``check``, none it reads), and *by filter* when ``--include``/``--exclude``
    decide against it.  Nothing is ever skipped without a word: the verbs say
    on stderr what a folder left out, and name the sub-folders that gave no
    input file at all (a folder of ``.shtml`` pages among ``.html`` ones).
    """

    root: str  # the input folder, as typed
    found: int = 0  # files (and unlistable sub-folders) it gave
    by_suffix: Counter[str] = dataclasses.field(default_factory=Counter)  # suffix -> files
    by_filter: Counter[str] = dataclasses.field(default_factory=Counter)  # suffix -> files
    examples: list[str] = dataclasses.field(default_factory=list)  # paths, the first few
    #: Topmost sub-folders holding files left out by suffix and no input file,
    #: with their counts by suffix.
    barren: list[tuple[str, Counter[str]]] = dataclasses.field(default_factory=list)

    @property
    def skipped(self) -> int:
        return sum(self.by_suffix.values())


class _Tally:
    """Counts one folder walk's picked and left-out files, and finds its barren sub-folders."""

    def __init__(self, root: str, join: Callable[[str], str]) -> None:
        self.note = LeftOut(root)
        self._join = join  # relative path -> path as the user finds it
        self._fed: set[str] = set()  # folders holding an input file (at any depth)
        self._starved: dict[str, Counter[str]] = {}  # folder -> left-out suffixes below

    def picked(self, rel: str) -> None:
        self.note.found += 1
        folder = _parent(rel)
        while folder != "." and folder not in self._fed:
            self._fed.add(folder)
            folder = _parent(folder)

    def filtered(self, rel: str) -> None:
        self.note.by_filter[_suffix(rel)] += 1

    def by_suffix(self, rel: str) -> None:
        suffix = _suffix(rel)
        self.note.by_suffix[suffix] += 1
        if len(self.note.examples) < EXAMPLES:
            self.note.examples.append(self._join(rel))
        folder = _parent(rel)
        while folder != ".":
            self._starved.setdefault(folder, Counter())[suffix] += 1
            folder = _parent(folder)

    def done(self) -> LeftOut:
        if self.note.found:  # else the whole folder is named, not its parts
            self.note.barren = [
                (self._join(folder), counts)
                for folder, counts in sorted(self._starved.items())
                if folder not in self._fed
                and (_parent(folder) == "." or _parent(folder) in self._fed)
            ]
        return self.note


def discover(
    inputs: Sequence[str | os.PathLike[str]],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    *,
    reads: Callable[[str], bool] | None = None,
    left_out: list[LeftOut] | None = None,
) -> list[Source]:
    """All input files under ``inputs``, in a deterministic order.

    ``include``/``exclude`` are globs matched against the relative path and the
    file name.  With one input directory the relative paths are relative to it;
    with several, each is prefixed with its directory's name.  ``reads``, if
    given, is what a verb reads besides (``check``: text and JSONL files): a
    file it refuses is left out by suffix.  ``left_out`` receives one
    :class:`LeftOut` per input folder.
    """
    include, exclude = tuple(include), tuple(exclude)
    roots = [Path(p) for p in inputs]
    names = [_name(p, r) for p, r in zip(inputs, roots, strict=True)]
    if len(roots) > 1 and len(set(names)) != len(names):
        raise UsageError(_shared_names(inputs, roots, names))
    out: list[Source] = []
    for arg, root, name in zip(inputs, roots, names, strict=True):
        prefix = f"{name}/" if len(roots) > 1 else ""
        if is_url(str(arg)):
            tally = _Tally(str(arg), functools.partial(_join_url, str(arg).rstrip("/")))
            found, folder = _remote(str(arg), prefix, include, exclude, reads, tally)
            out.extend(found)
            if left_out is not None and folder:
                left_out.append(tally.done())
        elif root.is_dir():
            tally = _Tally(str(arg), functools.partial(_join_path, root))
            # A newsclean output folder can be the next step's input: its bookkeeping is no input.
            own = _OWN_OUTPUTS if (root / ".newsclean" / "run.json").is_file() else frozenset()
            for rel, error, is_folder in _walk(root):
                if is_folder:  # an unlisted folder may hold wanted files: never filtered
                    wanted = True
                elif rel in own:
                    continue
                else:
                    wanted = _sort(rel, include, exclude, reads, tally)
                if wanted:
                    tally.picked(rel)
                    out.append(Source(str(root / rel), prefix + rel, _group(prefix, rel), error))
            if left_out is not None:
                left_out.append(tally.done())
        elif root.exists() or root.is_symlink():
            # An explicit file is read whatever its suffix (the user asked for it).
            out.append(Source(str(root), prefix + root.name, prefix.rstrip("/") or "."))
        else:
            raise UsageError(f"input {str(root)!r} does not exist")
    return out


def _sort(
    rel: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    reads: Callable[[str], bool] | None,
    tally: _Tally,
) -> bool:
    """Whether the walk takes ``rel``; a file it leaves out is counted in ``tally``."""
    if not _wanted(rel, include, exclude):
        tally.filtered(rel)
        return False
    name = rel.rsplit("/", 1)[-1]
    # --include globs replace the suffix list: a file they match is read
    if (not include and not is_input_name(name)) or (reads is not None and not reads(rel)):
        tally.by_suffix(rel)
        return False
    return True


def _shared_names(
    inputs: Sequence[str | os.PathLike[str]], roots: list[Path], names: list[str]
) -> str:
    """Why several inputs cannot be one run: the same file twice, or two folders of one name."""
    seen: dict[str, str] = {}
    for arg, root in zip(inputs, roots, strict=True):
        real = str(arg) if is_url(str(arg)) else os.path.realpath(root)
        if real in seen:
            return (
                f"{seen[real]} and {arg} are the same "
                f"{'folder' if root.is_dir() else 'file'}; name it once"
            )
        seen[real] = str(arg)
    shared = sorted({n for n in names if names.count(n) > 1})
    folders = all(r.is_dir() for r, n in zip(roots, names, strict=True) if n in shared)
    return (
        f"inputs share a {'folder' if folders else 'file'} name ({', '.join(shared)}); "
        "rename them or run them separately so outputs do not collide"
    )


def input_name(arg: str | os.PathLike[str]) -> str:
    """The name that prefixes an input's files (their ``rel`` and so their ids)
    when a run has several inputs: the folder's or file's own name."""
    return _name(arg, Path(arg))


def _name(arg: str | os.PathLike[str], root: Path) -> str:
    if is_url(str(arg)):
        return str(arg).rstrip("/").rsplit("/", 1)[-1]
    return root.name or root.resolve().name


def _remote(
    url: str,
    prefix: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    reads: Callable[[str], bool] | None,
    tally: _Tally,
) -> tuple[list[Source], bool]:
    """The sources of a URL, and whether it is a folder."""
    fs, root = filesystem(url)
    if not fs.exists(root):
        raise UsageError(f"input {url!r} does not exist")
    if not fs.isdir(root):  # one file
        return [Source(url, prefix + _name(url, Path()), prefix.rstrip("/") or ".")], False
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
        if rel not in own and _sort(rel, include, exclude, reads, tally):
            tally.picked(rel)
            out.append(Source(str(fs.unstrip_protocol(path)), prefix + rel, _group(prefix, rel)))
    return out, True


def _join_url(base: str, rel: str) -> str:
    return f"{base}/{rel}"


def _join_path(root: Path, rel: str) -> str:
    return str(root / rel)


def _suffix(rel: str) -> str:
    """A file's last suffix as notes count it: ``.shtml``, or ``""``."""
    return os.path.splitext(rel.rsplit("/", 1)[-1])[1].lower()


def _parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else "."


def _group(prefix: str, rel: str) -> str:
    """The template group of a listed file: its folder, interned (a batch keeps one per
    document; the files of a folder share one string)."""
    return sys.intern(prefix + _parent(rel))


def _wanted(rel: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether the globs let ``rel`` through (its suffix is for :func:`_sort`)."""
    name = rel.rsplit("/", 1)[-1]

    def hit(globs: tuple[str, ...]) -> bool:
        return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)

    if exclude and hit(exclude):
        return False
    return not include or hit(include)


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
