"""Exceptions.  Per-document failures are values in batch runs, never crashes."""

from __future__ import annotations


class NewscleanError(Exception):
    """Base class of every error newsclean raises on purpose."""


class InputError(NewscleanError, ValueError):
    """An input that cannot be cleaned: binary, undecodable, empty, too large, malformed.

    ``reason`` is a stable short id (``binary``, ``undecodable``, ``empty``,
    ``too-large``, ``malformed-json``, ``unreadable``, ``symlink-loop`` ...) that
    the manifest records; ``path`` names the file when there is one.
    """

    def __init__(self, reason: str, detail: str = "", path: str | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{reason}" + (f": {detail}" if detail else ""))


class IndexMismatchError(NewscleanError, ValueError):
    """A saved signature or index was built with other parameters than the current ones."""
