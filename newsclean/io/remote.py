"""Inputs on any fsspec filesystem (``s3://``, ``gs://``, ``hdfs://``, ``memory://`` ...).

A path with a protocol (``scheme://``) is read through fsspec, installed with the
``[dask]`` extra (plus the filesystem's own package: ``s3fs``, ``gcsfs`` ...).
Local paths never go through here, so their error reasons (permissions,
symlink loops) stay the operating system's.
"""

from __future__ import annotations

import re
from typing import IO, Any

from newsclean.errors import UsageError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: object) -> bool:
    return isinstance(path, str) and _URL.match(path) is not None


def filesystem(url: str) -> tuple[Any, str]:
    """(fsspec filesystem, path inside it) of ``url``; ValueError with the fix when unusable."""
    try:
        import fsspec
    except ImportError as exc:
        raise UsageError(
            f"{url!r} needs fsspec to be read: pip install 'newsclean[dask]' "
            "(and the filesystem's package, e.g. s3fs or gcsfs)"
        ) from exc
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise UsageError(f"cannot open {url!r}: {exc}") from exc


def open_url(url: str) -> IO[bytes]:
    fs, path = filesystem(url)
    return fs.open(path, "rb")  # type: ignore[no-any-return]


def size(url: str) -> int:
    fs, path = filesystem(url)
    return int(fs.size(path))
