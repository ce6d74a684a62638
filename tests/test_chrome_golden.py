"""Golden chrome cases: ``fixtures/chrome/<case>.txt`` in, ``<case>.expected.json`` out.

The expected file lists the body paragraphs as they appear in the input (the
test normalizes them with ``normalize_line``), the removed lines with their
exact reason ids, and the metadata fields the case pins.  Every case carries
hard negatives: body sentences that contain 编辑, 版权, 分享到, 网友评论, "editor",
"share", "related" or "comment", or start with "Partager", "Поделиться", "Tous droits
réservés", and must stay.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean.chrome import detect
from newsclean.config import Config
from newsclean.normalize import normalize_line

CASES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "chrome"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.txt"))


def _load(case: str) -> tuple[str, dict]:
    text = (CASES_DIR / f"{case}.txt").read_text("utf-8")
    expected = json.loads((CASES_DIR / f"{case}.expected.json").read_text("utf-8"))
    return text, expected


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 8
    for case in CASES:
        assert (CASES_DIR / f"{case}.expected.json").exists(), case


@pytest.mark.parametrize("case", CASES)
def test_golden_body(case: str) -> None:
    text, expected = _load(case)
    cfg = Config()
    art = detect(text, cfg).to_article()
    assert art.text == "\n\n".join(normalize_line(p, cfg) for p in expected["body"])


@pytest.mark.parametrize("case", CASES)
def test_golden_removed_reasons(case: str) -> None:
    text, expected = _load(case)
    art = detect(text, Config()).to_article()
    removed = {(b.text, b.reason) for b in art.removed}
    for line, reason in expected["removed"]:
        assert (line, reason) in removed, (line, reason, [b for b in art.removed if b.text == line])


@pytest.mark.parametrize("case", CASES)
def test_golden_metadata_and_flags(case: str) -> None:
    text, expected = _load(case)
    art = detect(text, Config()).to_article()
    for key, value in expected.get("metadata", {}).items():
        assert getattr(art, key) == value, key
    assert list(art.flags) == expected.get("flags", [])
