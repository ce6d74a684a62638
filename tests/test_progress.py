"""Progress of ``run``: a known total with JSONL inputs, and a status line for every phase."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from newsclean.batch import RunOptions, run_batch
from newsclean.batch.progress import PHASES, count_documents, progress_printer
from newsclean.io import discover
from tests.helpers import SEEDS


def _inputs(root: Path, records: int) -> Path:
    src = root / "in"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    lines = [json.dumps({"id": f"r{k}", "text": texts[k % len(texts)]}) for k in range(records)]
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (src / "more.jsonl.gz").write_bytes(gzip.compress("\n".join(lines[:3]).encode()))
    return src


def test_run_knows_its_total_with_jsonl_inputs_and_announces_every_phase(tmp_path: Path) -> None:
    src = _inputs(tmp_path, 7)
    ticks: list[tuple[int, int | None]] = []
    phases: list[str] = []
    summary = run_batch(
        [str(src)],
        tmp_path / "out",
        options=RunOptions(workers=1, progress=False),
        on_progress=lambda done, total: ticks.append((done, total)),
        on_phase=phases.append,
    )
    assert summary.documents == 2 + 7 + 3
    assert {total for _, total in ticks} == {12}  # not "4911/?": counted up front
    assert ticks[-1] == (12, 12)
    assert phases == ["templates", "clustering", "writing"] == list(PHASES[1:])


def test_count_documents_is_none_only_when_it_cannot_count_cheaply(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"text": "x"}\n{"text": "y"}')  # no final newline
    assert count_documents(discover([str(tmp_path)])) == 2
    (tmp_path / "b.txt").write_text("one page", "utf-8")
    assert count_documents(discover([str(tmp_path)])) == 3
    (tmp_path / "c.json").write_text('[{"text": "x"}]', "utf-8")  # an array: known once parsed
    assert count_documents(discover([str(tmp_path)])) is None
    (tmp_path / "c.json").unlink()
    (tmp_path / "d.jsonl.gz").write_bytes(b"not gzip")  # the reader will name the problem
    assert count_documents(discover([str(tmp_path)])) is None


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_printer_shows_a_status_line_for_each_phase(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    hooks = progress_printer(True)
    hooks.tick(5, 10)
    assert "cleaning" in err.getvalue() and "5/10" in err.getvalue()
    for name in PHASES[1:]:
        hooks.phase(name)
        assert f"{name} …" in err.getvalue()
    hooks.stop()
    shown = len(err.getvalue())
    quiet = progress_printer(False)  # -q: nothing at all
    quiet.tick(1, 2)
    quiet.phase("writing")
    quiet.stop()
    assert len(err.getvalue()) == shown
