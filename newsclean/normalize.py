"""Text normalization.  PLACEHOLDER: the normalization helper replaces this module.

Contract: ``normalize(text, config=None, **overrides) -> str`` (idempotent) and
``normalize_line(line, config) -> str`` (one line, no newlines in or out).
"""

from __future__ import annotations

from typing import Any

from newsclean.config import Config, resolve_config


def normalize_line(line: str, config: Config) -> str:
    return " ".join(line.split())


def normalize(text: str, config: Config | None = None, **overrides: Any) -> str:
    cfg = resolve_config(config, overrides)
    paras = [normalize_line(p, cfg) for p in text.split("\n")]
    return "\n\n".join(p for p in paras if p)
