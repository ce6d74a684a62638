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
        super().__init__(reason, detail, path)

    def __str__(self) -> str:
        # Built on demand: readers fill in ``path`` after the error is raised.
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.reason}" + (f": {self.detail}" if self.detail else "")


class MissingExtraError(NewscleanError, ValueError):
    """An optional dependency is not installed; the message names the extra to install.

    An environment problem, not a bad input: it stops the run once, up front,
    instead of failing every document (the CLI exits 2).  A ValueError, like
    every other configuration problem newsclean reports.
    """

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(f"{feature} needs {module}: pip install 'newsclean[{extra}]'")


class IndexMismatchError(NewscleanError, ValueError):
    """A saved signature or index was built with other parameters than the current ones."""
