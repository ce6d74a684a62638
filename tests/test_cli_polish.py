"""What a user of the command line sees: help text, version, messages, JSON output."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import click
import pytest

from newsclean.cli import cli, main
from newsclean.config import Config, field_help
from tests.helpers import SEEDS

# -v configures the process's "newsclean" logger: leave it as found (conftest)
pytestmark = pytest.mark.usefixtures("restore_logging")


#: Bytes no decoder takes for text: an image's header.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"


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


# --------------------------------------------------------------------------- version, verbosity


def test_dash_capital_v_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    from newsclean import __version__

    assert main(["-V"]) == 0
    assert capsys.readouterr().out.strip() == f"newsclean, version {__version__}"
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Two seeds and seven unreadable files."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / p.name).write_bytes(p.read_bytes())
    for i in range(7):
        (folder / f"bad{i}.txt").write_bytes(PNG)
    return folder


def _err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_run_names_the_first_failed_inputs_and_verbose_names_all(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(batch), "-o", f"{out}/", "-j", "1"]) == 1
    err = _err_lines(capsys)
    named = [line for line in err if line.endswith(".txt: binary")]
    assert len(named) == 5
    assert all(line.count("bad") == 1 for line in named)  # the path once
    (more,) = [line for line in err if line.startswith("... and ")]
    assert more.startswith("... and 2 more failed inputs: -v lists them all")
    assert f"{out}/manifest.jsonl" in more and "//" not in more
    (wrote,) = [line for line in err if line.startswith("wrote ")]
    assert wrote == f"wrote {out}/manifest.jsonl and {out}/report.html"
    summary = err[0]
    assert "7 errors, 0 timeouts" in summary and "9 documents" in summary

    assert main(["-v", "run", str(batch), "-o", str(out), "-j", "1"]) == 1
    err = _err_lines(capsys)
    assert len([line for line in err if line.endswith(".txt: binary")]) == 7
    assert not any(line.startswith("... and ") for line in err)


def test_summary_counts_read_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (folder / "a.txt").write_bytes(seed.read_bytes())
    (folder / "bad.txt").write_bytes(PNG)
    assert main(["run", str(folder), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    summary = _err_lines(capsys)[0]
    assert summary.startswith("2 documents in ")
    assert "1 error, 0 timeouts" in summary and "0 duplicates in 0 clusters" in summary


# --------------------------------------------------------------------------- clean's messages


def test_clean_a_folder_without_output_is_a_usage_error_that_explains_o(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["clean", str(SEEDS)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is a folder" in captured.err and f"newsclean clean {SEEDS} -o OUT" in captured.err
    assert "unreadable" not in captured.err


NO_BODY_HTML = "<html><body><div><a href='/'>Home</a> | <a href='/n'>News</a></div></body></html>"


def test_clean_a_page_without_body_says_no_body_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "nav.html"
    page.write_text(NO_BODY_HTML, "utf-8")
    assert main(["clean", str(page)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{page}: no-body\n"
    # A good page next to it still prints, and the exit code still reports the other.
    seed = sorted(SEEDS.glob("*.txt"))[0]
    assert main(["clean", str(page), str(seed)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"==> {seed} <==\n") and "no-body" not in captured.out


def test_clean_errors_name_the_path_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(PNG)
    assert main(["clean", str(bad)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{bad}: binary") and line.count(str(bad)) == 1
    assert main(["dedup", str(bad), str(sorted(SEEDS.glob("*.txt"))[0])]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{bad}: binary") and line.count(str(bad)) == 1


# --------------------------------------------------------------------------- --format json


def test_clean_format_json_prints_one_record_per_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsclean.clean import clean

    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    page = tmp_path / "nav.html"
    page.write_text(NO_BODY_HTML, "utf-8")
    assert main(["clean", "--format", "json", *map(str, seeds), str(page)]) == 1
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    # ids as run gives them (several inputs: each under its own name), paths as given
    assert [r["id"] for r in records] == [f"{p.name}/{p.stem}" for p in (*seeds, page)]
    for seed, record in zip(seeds, records, strict=False):
        art = clean(seed.read_bytes(), kind="text")
        assert record == art.to_record(id=f"{seed.name}/{seed.stem}", source_path=str(seed))
        assert set(record) == {"id", "text", "metadata"}
        assert {"title", "date", "source", "newsclean"} <= set(record["metadata"])
    assert records[-1]["text"] == "" and "no-body" in records[-1]["metadata"]["newsclean"]["flags"]
    assert captured.err == f"{page}: no-body\n"


def test_dedup_format_json_prints_every_document_with_its_cluster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    text = seed.read_text("utf-8")
    (tmp_path / "a.txt").write_text(text, "utf-8")
    (tmp_path / "b.txt").write_text(text.replace("。", "。 "), "utf-8")  # a reprint
    (tmp_path / "c.txt").write_text(sorted(SEEDS.glob("*.txt"))[1].read_text("utf-8"), "utf-8")
    assert main(["dedup", "--format", "json", str(tmp_path)]) == 0
    records = {
        Path(r["metadata"]["source_path"]).name: r
        for r in map(json.loads, capsys.readouterr().out.splitlines())
    }
    assert sorted(records) == ["a.txt", "b.txt", "c.txt"]
    assert [r["id"] for r in records.values()] == ["a", "b", "c"]  # as run's manifest has them
    nc = {name: r["metadata"]["newsclean"] for name, r in records.items()}
    assert nc["a.txt"]["cluster_id"] == nc["b.txt"]["cluster_id"] != nc["c.txt"]["cluster_id"]
    assert sum(not n["is_representative"] for n in nc.values()) == 1
    assert records["c.txt"]["text"] == sorted(SEEDS.glob("*.txt"))[1].read_text("utf-8")


def test_format_json_with_output_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["clean", "--format", "json", str(SEEDS), "-o", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()


def test_verbose_logs_newsclean_messages_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-v", "clean", str(sorted(SEEDS.glob("*.txt"))[0])]) == 0
    capsys.readouterr()
    logging.getLogger("newsclean.contrib.scrapy").info("a message from an integration")
    assert capsys.readouterr().err == "newsclean: INFO: a message from an integration\n"
