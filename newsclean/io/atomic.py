"""Atomic file writes: write a temporary sibling, then rename over the target.

A reader (or a resumed run) sees either the old file or the new one, never a
torn one, even after ``kill -9``.  We do not fsync: a killed process loses no
page-cache data, and fsync per document would cost more than cleaning it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

#: The start of every temporary name: hidden, and recognisably ours.
TEMP_PREFIX = ".newsclean-"


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_writer(path) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file to write ``path`` in pieces, renamed over it only when the block ends.

    For outputs too large to hold as one ``bytes`` (the manifest of a million
    documents); an exception leaves the old file as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A short fixed name, never one built from the target's: a target name near the
    # file system's limit (255 bytes; 80 CJK characters) would make ".NAME.XXXX.tmp"
    # too long, and the write fail for a name that is itself fine.  The same folder
    # keeps the rename atomic; the leading dot keeps it out of discovery.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        # Keep the permissions and owner of a file we replace (check --fix edits
        # user files; run as root in a hook, it must not hand them to root).  A
        # hard link is split, as with any rename: other names keep the old text.
        try:
            st = os.stat(target)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        else:
            os.chmod(tmp, st.st_mode & 0o7777)
            if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(PermissionError):  # only root may give files away
                    os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
