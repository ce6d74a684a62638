"""The README's table of Config keys is generated from the fields' help metadata,
the same text ``--help`` prints, so the two cannot drift apart."""

from __future__ import annotations

import dataclasses
from typing import Any

from newsclean.config import Config
from tests.helpers import ROOT


def _default(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "none"
    if isinstance(value, str):
        return f"`{value}`"
    return str(value)


def expected_rows() -> list[str]:
    return [
        f"| `{f.name.replace('_', '-')}` | all | {_default(f.default)} | {f.metadata['help']} |"
        for f in dataclasses.fields(Config)
    ]


def test_readme_config_rows_are_the_field_help() -> None:
    readme = (ROOT / "README.md").read_text("utf-8").splitlines()
    flags = {f"| `{f.name.replace('_', '-')}` |" for f in dataclasses.fields(Config)}
    rows = [line for line in readme if any(line.startswith(flag) for flag in flags)]
    expected = expected_rows()
    assert rows == expected, "paste these rows into the README table:\n" + "\n".join(expected)
