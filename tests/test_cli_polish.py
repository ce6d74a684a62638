"""What a user of the command line sees: help text, version, messages, JSON output."""

from __future__ import annotations

import dataclasses

import click
import pytest

from newsclean.cli import cli, main
from newsclean.config import Config, field_help


def _commands() -> list[tuple[str, click.Command]]:
    return [("newsclean", cli), *((f"newsclean {n}", c) for n, c in cli.commands.items())]


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: str(v))
def test_every_option_of_every_command_has_help(name: str, command: click.Command) -> None:
    missing = [
        "/".join(p.opts)
        for p in command.params
        if isinstance(p, click.Option) and not (p.help or "").strip()
    ]
    assert missing == [], f"{name}: options without help: {missing}"


def test_config_options_read_their_help_from_the_config_fields() -> None:
    run = cli.commands["run"]
    by_name = {p.name: p for p in run.params if isinstance(p, click.Option)}
    for f in dataclasses.fields(Config):
        assert f.metadata["help"], f.name
        assert (by_name[f.name].help or "").startswith(field_help(f.name))
    assert "exact shingle sets" in (by_name["exact_jaccard"].help or "")
    assert "merge two clusters" in (by_name["merge_clusters"].help or "")
    # Defaults as a user types them, not Python reprs.
    assert "[default: fullwidth]" in (by_name["punctuation"].help or "")
    assert "None" not in (by_name["language"].help or "")


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--help"]) == 0
    assert "--exact-jaccard" in capsys.readouterr().out
