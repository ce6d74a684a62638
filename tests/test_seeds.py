"""The five seeds come out exactly as the hand-written fixtures say.

``fixtures/seeds_expected/<seed>.txt`` holds the body paragraphs as they appear
in the seed (outer whitespace stripped, injected fragments cut), one blank line
apart; the test normalizes each with ``normalize_line`` so that the fixture
pins the chrome decisions, not the normalization policy (tested elsewhere);
likewise the text fields of the metadata.
``<seed>.meta.json`` holds the metadata and the reason of the key removed lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean.chrome import detect
from newsclean.clean import clean
from newsclean.config import Config
from newsclean.normalize import normalize_line

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
EXPECTED = ROOT / "fixtures" / "seeds_expected"


def _expected(seed: Path) -> tuple[str, dict]:
    paras = (EXPECTED / f"{seed.stem}.txt").read_text("utf-8").strip("\n").split("\n\n")
    cfg = Config()
    text = "\n\n".join(normalize_line(p, cfg) for p in paras)
    meta = json.loads((EXPECTED / f"{seed.stem}.meta.json").read_text("utf-8"))
    return text, meta


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_seed_body_exact(seed: Path) -> None:
    text, _ = _expected(seed)
    art = clean(seed.read_bytes(), kind="text")
    assert art.text == text


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_seed_metadata(seed: Path) -> None:
    _, meta = _expected(seed)
    art = clean(seed.read_text("utf-8"), kind="text")
    got = {k: getattr(art, k) for k in ("title", "date", "source", "author", "editor", "language")}
    # Text fields get the body's normalization, which the fixture leaves to
    # normalize_line (as for the body): it pins what was found, not the policy.
    cfg = Config()
    fields = ("title", "source", "author", "editor")
    want = {k: normalize_line(meta[k], cfg) if k in fields and meta[k] else meta[k] for k in got}
    assert got == want
    assert list(art.flags) == meta["flags"]


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_seed_removed_reasons(seed: Path) -> None:
    _, meta = _expected(seed)
    det = detect(seed.read_text("utf-8"), Config())
    by_line = {v.line: v.reason for v in det.lines}
    for line, reason in meta["reasons"].items():
        assert by_line[int(line)] == reason, f"line {line}: {det.lines[int(line) - 1].text!r}"
    art = det.to_article()
    cuts = [[b.line, b.text, b.reason] for b in art.removed if b.line and by_line[b.line] is None]
    assert cuts == meta.get("cuts", [])


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_seed_every_line_accounted(seed: Path) -> None:
    """Nothing vanishes silently: each non-blank line is kept or removed with a reason."""
    det = detect(seed.read_text("utf-8"), Config())
    removed = {(b.line, b.reason) for b in det.to_article().removed}
    for v in det.lines:
        if v.text.strip() and v.reason is not None:
            assert (v.line, v.reason) in removed
