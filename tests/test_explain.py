"""explain() is the one pipeline: clean() returns its article, show prints its lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsclean import clean, explain
from newsclean.cli import main
from newsclean.template import SiteTemplates
from tests.helpers import FIXTURES

HTML_PAGES = sorted((FIXTURES / "html").glob("*.html"))


def _inputs(seed_paths: list[Path]) -> list[Path]:
    return [*seed_paths, *HTML_PAGES]


def test_clean_is_explain_article(seed_paths: list[Path]) -> None:
    for path in _inputs(seed_paths):
        raw = path.read_bytes()
        ex = explain(raw)
        assert ex.article == clean(raw), path.name
        kept = [v for v in ex.lines if v.kept]
        if ex.article.text:
            # every kept line's words are in the text; no removed line is kept
            assert kept and all(v.reason is None for v in kept)
        assert all(v.reason for v in ex.lines if not v.kept)


def test_html_mode_lines_are_trafilaturas_not_the_flattened_page() -> None:
    page = next(p for p in HTML_PAGES if p.name == "en_share.html")
    ex = explain(page.read_bytes(), kind="html")
    assert ex.source in ("html", "html-fallback")
    if ex.source == "html":
        # the flattened page holds the <title>, menus and scripts' neighbours: more lines
        from newsclean.html import flatten_html

        assert len(ex.lines) < len(flatten_html(page.read_text("utf-8")).split("\n"))


@pytest.mark.parametrize("kind", ["auto", "html", "text"])
def test_show_json_text_equals_clean_stdout(kind: str, seed_paths: list[Path], capsys: Any) -> None:
    for path in _inputs(seed_paths):
        assert main(["clean", "--kind", kind, str(path)]) == 0
        printed = capsys.readouterr().out
        assert main(["show", "--kind", kind, "--format", "json", str(path)]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["text"] + "\n" == printed, path.name
        assert {"text", "kept", "reason"} <= set(shown["lines"][0])


def test_show_reads_stdin(seed_paths: list[Path], capsys: Any, monkeypatch: Any) -> None:
    import io
    import sys

    raw = seed_paths[0].read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert main(["show", "--format", "json", "--kind", "text", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == clean(raw, kind="text").text


def _site(tmp_path: Path, n: int = 4) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    footer = (
        "Follow the Example Daily newsroom, which has covered this county since 1901, "
        "for more local stories from our reporters in the region."
    )
    towns = ["Ashford", "Brampton", "Carlow", "Dunmore", "Elgin", "Fenwick"]
    for i, town in enumerate(towns[:n]):
        body = (
            f"The council of {town} said on Monday that it would repave more roads "
            f"this summer, paid for by a bond that voters approved in {2000 + i}.\n\n"
            f"Residents of {town} have complained for years about potholes, and the "
            f"work is expected to take {i + 2} months, the transport office said.\n\n"
        )
        (site / f"a{i}.txt").write_text(body + footer + "\n", "utf-8")
    return site


def test_templates_are_explained_per_line(tmp_path: Path) -> None:
    site = _site(tmp_path)
    arts = [("g", clean(p.read_bytes(), kind="text")) for p in sorted(site.glob("*.txt"))]
    st = SiteTemplates.learn(arts)
    raw = (site / "a0.txt").read_bytes()
    ex = explain(raw, kind="text", templates=st, group="g")
    assert ex.article == st.apply("g", clean(raw, kind="text"))
    (footer,) = [v for v in ex.lines if v.text.startswith("Follow the")]
    assert not footer.kept and footer.reason == "site-template"
    assert "Follow the" not in ex.article.text
    with pytest.raises(ValueError, match="group"):
        explain(raw, templates=st)


def test_show_batch_applies_the_templates_run_learns(tmp_path: Path, capsys: Any) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    assert main(["run", str(site), "-o", str(out), "-q", "-j", "1", "--threshold", "1.0"]) == 0
    written = (out / "a1.txt").read_text("utf-8")
    assert main(["show", "--format", "json", "--batch", str(site), str(site / "a1.txt")]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["text"] + "\n" == written
    assert any(x["reason"] == "site-template" for x in shown["lines"])
    assert main(["show", str(site / "a1.txt")]) == 0  # without the batch: no templates
    assert "site-template" not in capsys.readouterr().out


BENCH_PAGES = sorted((FIXTURES / "bench").glob("*/html/*.html.gz"))


@pytest.mark.parametrize("page", BENCH_PAGES, ids=lambda p: f"{p.parent.parent.name}-{p.name[:8]}")
def test_show_json_agrees_with_clean_on_bench_pages(page: Path, capsys: Any) -> None:
    assert main(["clean", str(page)]) == 0
    printed = capsys.readouterr().out
    assert main(["show", "--format", "json", str(page)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["text"] + "\n" == printed
    assert shown["source"] in ("html", "html-fallback")  # HTML mode, explained
    kept = [x for x in shown["lines"] if x["kept"]]
    assert bool(kept) == bool(shown["text"])


def test_stabilizing_shortcut_only_when_text_mode_keeps_every_line() -> None:
    """The stabilizing pass stops without re-normalizing only when text mode
    kept each paragraph as it stands; a removed line sends it the long way."""
    from newsclean.chrome import detect
    from newsclean.explain import _kept_verbatim

    body = "The council approved the harbour budget after a long debate on Monday night."
    text = f"{body}\n\n{body.replace('harbour', 'school')}"
    assert _kept_verbatim(detect(text), text)
    chrome = f"{text}\n\nShare on Facebook"
    assert not _kept_verbatim(detect(chrome), chrome)
    # a text kept whole but spelled otherwise than its lines (blank runs) is not verbatim
    spaced = text.replace("\n\n", "\n\n\n")
    assert not _kept_verbatim(detect(spaced), spaced)


def test_paragraph_lines_are_computed_once_and_not_shared() -> None:
    from newsclean.chrome import detect

    det = detect(
        "A long enough first paragraph of the article, with a verb in it.\n\nShare on Facebook"
    )
    first = det.paragraph_lines()
    first.clear()  # a caller's list: the cached answer is not affected
    assert det.paragraph_lines() == [
        ((1,), "A long enough first paragraph of the article, with a verb in it.")
    ]
    assert det.paragraphs() == ["A long enough first paragraph of the article, with a verb in it."]
