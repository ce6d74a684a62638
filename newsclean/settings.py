"""Project settings: ``[tool.newsclean]`` in ``pyproject.toml``, or ``newsclean.toml``.

The nearest file wins, searching from the working folder upwards; in one
folder ``newsclean.toml`` (top-level keys, or a ``[tool.newsclean]`` table)
beats ``pyproject.toml``.  Keys are the CLI's long option names in kebab-case
(``keep-duplicates = true``, ``workers = 4``, ``threshold = 0.8``); flags given
on the command line win.  ``per-file-ignores`` maps a glob to reason ids that
``newsclean check`` accepts in matching files.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAMES = ("newsclean.toml", "pyproject.toml")
PER_FILE_IGNORES = "per-file-ignores"


@dataclass(frozen=True)
class Settings:
    path: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)  # kebab-case key -> value
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    written: Mapping[str, str] = field(default_factory=dict)  # kebab-case key -> key as written

    @property
    def name(self) -> str:
        """The settings file's name, for messages ("settings" without a file)."""
        return self.path.name if self.path else "settings"

    def where(self, key: str) -> str:
        """``FILE: KEY`` as the user wrote them, for messages about one key."""
        return f"{self.name}: {self.written.get(key, key)}"

    def ignored_reasons(self, path: str) -> frozenset[str]:
        """Reason ids accepted in ``path``.

        Globs match the path relative to the settings file's folder (as ruff does), so
        ``check /abs/corpus`` and ``cd corpus && check .`` see the same ignores as
        ``check corpus``; or the file name alone.
        """
        p = self._relative(path)
        name = p.rsplit("/", 1)[-1]
        out: set[str] = set()
        for glob, reasons in self.per_file_ignores.items():
            if fnmatch.fnmatchcase(p, glob) or fnmatch.fnmatchcase(name, glob):
                out.update(reasons)
        return frozenset(out)

    def _relative(self, path: str) -> str:
        """``path`` relative to the settings file's folder when it lies under it."""
        if self.path is None or path == "-":
            return Path(path).as_posix()
        # abspath, not resolve: a symlinked file is matched where the user sees it
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(os.path.abspath(self.path.parent)).as_posix()
        except ValueError:
            return Path(path).as_posix()


def find_settings_file(start: Path | None = None) -> Path | None:
    """The nearest settings file at or above ``start`` (default: the working folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in FILE_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_table(candidate)):
                return candidate
    return None


def _has_table(path: Path) -> bool:
    try:
        text = path.read_text("utf-8")
    except (OSError, ValueError):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # A broken file that means to configure newsclean is the file found: load_settings
        # then reports it, as it does for newsclean.toml, instead of dropping every key.
        return "tool.newsclean" in text
    return isinstance(data.get("tool"), dict) and "newsclean" in data["tool"]


def load_settings(path: Path | None) -> Settings:
    """Read one settings file.  Raises ValueError with the file name when it is broken."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read settings file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc
    table = data.get("tool", {}).get("newsclean")
    if table is None:
        table = {} if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [tool.newsclean] must be a table")
    values = {k.replace("_", "-"): v for k, v in table.items() if k != PER_FILE_IGNORES}
    written = {k.replace("_", "-"): k for k in table}
    pfi = table.get(PER_FILE_IGNORES, {})
    if not isinstance(pfi, dict) or not all(
        isinstance(v, list) and all(isinstance(r, str) for r in v) for v in pfi.values()
    ):
        raise ValueError(
            f'{path}: per-file-ignores must map globs to lists of reason ids, e.g. "corpus/*.txt" = ["title"]'
        )
    return Settings(path, values, {k: tuple(v) for k, v in pfi.items()}, written)


def unknown_keys(
    settings: Settings, known: Iterable[str], flag_only: Iterable[str] = ()
) -> list[str]:
    """One warning per key no command knows, with the closest known key as a hint."""
    known = sorted(known)
    out = []
    for key in settings.values:
        if key in known:
            continue
        where = settings.name
        as_written = settings.written.get(key, key)
        if key in flag_only:
            out.append(f"{as_written!r} in {where} is ignored: give --{key} on the command line")
            continue
        hint = difflib.get_close_matches(key.strip("-"), known, n=1)
        out.append(
            f"unknown key {as_written!r} in {where}"
            + (f"; did you mean {hint[0]!r}?" if hint else "; it is ignored")
        )
    return out
