"""One run at a time per OUT: an OS lock on ``OUT/.newsclean/lock`` for the whole run.

Two runs into one OUT append to one journal and rename over each other's
outputs: both failed with a journal error that blamed the file for changing,
after the work was done.  The second run now stops before any work, naming
the first one's pid.

The lock is the kernel's (``fcntl.lockf`` on POSIX, ``msvcrt.locking`` on
Windows), so the kernel drops it when its process ends however it ends: a run
killed with ``kill -9`` leaves no stale lock, and the next run resumes.  POSIX
record locks are not inherited by forked children, so a worker that outlives
its parent does not hold OUT either.  The file is removed when the run ends
(a killed run's stays, with its pid, and is simply locked again): OUT holds
the same files as before locks existed, byte for byte across engines.  A run
that opened the file just before it was removed finds, once it holds the
lock, that the name is gone or another file's, and locks the one there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from newsclean.batch.options import STATE_DIR
from newsclean.errors import UsageError

#: The lock file's name inside OUT's bookkeeping folder.
LOCK_FILE = "lock"
#: Where the Windows lock sits: a byte past the pid, which others must still read.
_WIN_LOCK_OFFSET = 1 << 16


@contextlib.contextmanager
def hold_out(out: Path) -> Iterator[None]:
    """Hold OUT for one run, or raise :class:`UsageError` naming the run that holds it.

    A run refused before it wrote its fingerprint (``run.json``) leaves OUT as
    it found it: the bookkeeping folder, and OUT itself, if this run made them.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"OUT {str(out)!r} exists and is not a folder")
    state = out / STATE_DIR
    made_out, made_state = not out.exists(), not state.exists()
    state.mkdir(parents=True, exist_ok=True)
    path = state / LOCK_FILE
    fd = _lock(out, path)
    try:
        yield
    finally:
        try:
            # Removed while held, then released: a run that starts in between
            # makes a new file and finds this run done.
            if _same_file(fd, path):
                with contextlib.suppress(OSError):
                    path.unlink()
            if made_state and not (state / "run.json").exists():
                _remove_traces(out, state, made_out)
        finally:
            os.close(fd)  # releases the lock


def _lock(out: Path, path: Path) -> int:
    """An open descriptor of ``path``, locked; :class:`UsageError` when another run holds it."""
    while True:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                raise UsageError(
                    f"OUT {str(out)!r} is in use by another newsclean run{_holder(fd)}; "
                    "wait for it to end, or choose another OUT"
                )
            # A refused run removes the lock file it made (below): the file locked
            # here may be gone from OUT by now, and then it holds nothing.
            if _same_file(fd, path):
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):  # held
            return False
        raise
    return True


def _holder(fd: int) -> str:
    """`` (pid N)`` of the run holding the lock, as it wrote it, or ``""``."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid = os.read(fd, 32).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _remove_traces(out: Path, state: Path, made_out: bool) -> None:
    with contextlib.suppress(OSError):
        state.rmdir()
        if made_out:
            out.rmdir()
