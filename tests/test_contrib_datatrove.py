"""datatrove steps inside a real LocalPipelineExecutor pipeline.

Input: the crawl fixture pages (fixtures/crawl, described in
test_contrib_scrapy.py) as a JSONL shard whose ``text`` is the raw HTML, the
way a datatrove reader hands over a scraped page.  b1 reprints a1 and c1 is a
truncated a3; a4 is a hard negative (same event, other article).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, ROOT, require_module

CRAWL = FIXTURES / "crawl"
PAGES = ("a1", "a2", "a3", "a4", "b1", "c1", "e1")


require_module("datatrove", "datatrove")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from newsclean.clean import clean  # noqa: E402  (the package attribute can be the module)
from newsclean.contrib.datatrove import CleanFormatter, NearDuplicateFilter  # noqa: E402


def _read_jsonl(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows += [json.loads(line) for line in f]
    return rows


#: A page with nothing but chrome: no article body.
NO_BODY_PAGE = (
    "<html><body><div class='nav'><a href='/'>首页</a> | <a href='/n'>新闻</a></div>"
    "<p>版权所有 © 2020 海报新闻网</p></body></html>"
)


def _write_shard(
    path: Path, names: tuple[str, ...], extra: tuple[dict[str, str], ...] = ()
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for name in names:
            html = (CRAWL / f"{name}.html").read_text(encoding="utf-8")
            url = f"http://127.0.0.1/{name}.html"
            f.write(json.dumps({"id": name, "text": html, "url": url}, ensure_ascii=False) + "\n")
        for row in extra:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _run(
    tmp_path: Path, steps: list[Any], extra: tuple[dict[str, str], ...] = ()
) -> tuple[list[dict[str, Any]], Any]:
    src = tmp_path / "in"
    _write_shard(src / "pages.jsonl", PAGES, extra)
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), *steps, JsonlWriter(str(tmp_path / "out"))],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    )
    stats = executor.run()
    return _read_jsonl(tmp_path / "out"), stats


@pytest.mark.parametrize("language", [None, "zh"])
def test_clean_formatter_reports_the_language_newsclean_clean_reports(
    language: str | None,
) -> None:
    """One pipeline: the metadata's language is the Article's for the same config,
    a forced one included (it is what the lexicons were chosen by)."""
    doc = Document(text=ENGLISH_PAGE, id="en")
    (out,) = CleanFormatter(language=language).run(iter([doc]))
    expected = clean(ENGLISH_PAGE, language=language)
    assert (out.text, out.metadata["language"]) == (expected.text, expected.language)
    assert expected.language == (language or "en")


def test_clean_formatter_cleans_text_and_lifts_metadata(tmp_path: Path) -> None:
    rows, _ = _run(tmp_path, [CleanFormatter(punctuation="keep")])
    assert [r["id"] for r in rows] == list(PAGES)
    for row in rows:
        raw = (CRAWL / f"{row['id']}.html").read_bytes()
        expected = clean(raw, url=row["metadata"]["url"], punctuation="keep")
        assert row["text"] == expected.text and row["text"]
        assert "<p>" not in row["text"]
        meta = row["metadata"]
        for name in ("title", "date", "source", "author", "language"):
            assert meta.get(name) == getattr(expected, name)
        removed = {r["reason"]: r["chars"] for r in meta["newsclean"]["removed"]}
        assert removed == expected.removed_chars()


def test_near_duplicate_filter_drops_reprints_like_datatrove_minhash(tmp_path: Path) -> None:
    excluded = tmp_path / "excluded"
    rows, stats = _run(
        tmp_path,
        [CleanFormatter(), NearDuplicateFilter(exclusion_writer=JsonlWriter(str(excluded)))],
    )
    kept = {r["id"]: r["metadata"] for r in rows}
    dropped = {r["id"]: r["metadata"] for r in _read_jsonl(excluded)}
    # One of each reprint pair survives (the representative: the longest by default).
    assert len(kept) == 5 and len(dropped) == 2
    assert {"a2", "a4", "e1"} <= set(kept)
    pairs = [{"a1", "b1"}, {"a3", "c1"}]
    for pair in pairs:
        assert len(pair & set(kept)) == 1 and len(pair & set(dropped)) == 1
        (keep,) = pair & set(kept)
        (drop,) = pair & set(dropped)
        assert dropped[drop]["filter_reason"] == "near_duplicate"
        assert dropped[drop]["newsclean"]["duplicate_of"] == keep
        assert dropped[drop]["minhash_cluster_id"] == kept[keep]["minhash_cluster_id"] != -1
        assert dropped[drop]["minhash_cluster_size"] == kept[keep]["minhash_cluster_size"] == 2
    for single in ("a2", "a4", "e1"):
        assert (kept[single]["minhash_cluster_id"], kept[single]["minhash_cluster_size"]) == (-1, 1)
    # datatrove counts drops per reason, as for its own filters.
    filter_stats = next(s for s in stats.stats if "near-duplicates" in s.name)
    assert filter_stats.stats["dropped_near_duplicate"].total == 2
    assert filter_stats.stats["forwarded"].total == 5


def test_near_duplicate_filter_keeps_empty_documents_out_of_clusters() -> None:
    text = clean((CRAWL / "a1.html").read_bytes()).text
    docs = [
        Document(text="", id="x"),
        Document(text=text, id="a"),
        Document(text="   ", id="y"),
        Document(text=text, id="b"),
    ]
    kept = list(NearDuplicateFilter().run(iter(docs)))
    assert [d.id for d in kept] == ["x", "a", "y"]  # b is a's reprint; the empty ones stay
    for d in (kept[0], kept[2]):
        assert (d.metadata["minhash_cluster_id"], d.metadata["minhash_cluster_size"]) == (-1, 1)
        # What newsclean.cluster says of an empty text: nobody's representative.
        nc = d.metadata["newsclean"]
        assert (nc["is_representative"], nc["duplicate_of"]) == (False, None)
    assert kept[1].metadata["newsclean"]["is_representative"] is True


def test_steps_validate_their_options_eagerly() -> None:
    with pytest.raises(ValueError, match="kind"):
        CleanFormatter(kind="pdf")
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateFilter(threshold=1.5)
    with pytest.raises(ValueError, match="did you mean 'threshold'"):
        NearDuplicateFilter(treshold=0.5)


def _step_stats(stats: Any, name: str) -> dict[str, int]:
    step = next(s for s in stats.stats if name in s.name)
    return {k: v.total for k, v in step.stats.items()}


NO_BODY_DOCS = ({"id": "chrome", "text": NO_BODY_PAGE}, {"id": "blank", "text": "   "})

#: An English page among the Chinese ones: a crawl is rarely in one language.
ENGLISH_PAGE = (
    "Home | News | Sport | Business\n\n"
    "City council approves new bike lanes downtown\n\n"
    "The city council voted 7-2 on Tuesday night to approve a network of protected bike lanes "
    "through the downtown core, ending a debate that had lasted more than two years.\n\n"
    "Supporters said the lanes would make cycling safer for commuters and schoolchildren, while "
    "several shop owners warned that the loss of parking spaces could hurt their business.\n\n"
    "Construction is expected to begin in the spring and to be finished before the end of "
    "next year.\n\n"
    "Copyright 2023 Example Daily. All rights reserved."
)


def test_clean_formatter_drops_no_body_documents_and_counts_them(tmp_path: Path) -> None:
    excluded = tmp_path / "no-body"
    step = CleanFormatter(exclusion_writer=JsonlWriter(str(excluded)))
    rows, stats = _run(tmp_path, [step], NO_BODY_DOCS)
    assert [r["id"] for r in rows] == list(PAGES)
    assert all(r["text"] for r in rows)
    counts = _step_stats(stats, "newsclean clean")
    assert (counts["total"], counts["forwarded"], counts["dropped"]) == (9, 7, 2)
    # A page of chrome has no body; a blank text is no page at all (clean()
    # refuses whitespace-only input as ``empty``).
    assert (counts["dropped_no_body"], counts["input_error_empty"]) == (1, 1)
    # Dropped, not lost: the exclusion writer has them with their reason and flags,
    # and with the text they came with, as datatrove's own filters exclude theirs
    # (the clean text is "", which datatrove's writers leave out: the page was lost).
    rows = {r["id"]: r for r in _read_jsonl(excluded)}
    gone = {k: r["metadata"] for k, r in rows.items()}
    assert set(gone) == {"chrome", "blank"}
    assert gone["chrome"]["filter_reason"] == "no_body"
    assert "no-body" in gone["chrome"]["newsclean"]["flags"]
    assert gone["blank"]["newsclean"]["error"] == "empty"
    assert gone["blank"]["filter_reason"] == "input_error"
    assert {k: r.get("text") for k, r in rows.items()} == {d["id"]: d["text"] for d in NO_BODY_DOCS}


def test_clean_formatter_keeps_no_body_documents_when_asked(tmp_path: Path) -> None:
    rows, stats = _run(tmp_path, [CleanFormatter(keep_empty=True)], NO_BODY_DOCS)
    assert [r["id"] for r in rows] == [*PAGES, "chrome", "blank"]
    assert [r.get("text", "") for r in rows[-2:]] == ["", ""]
    assert _step_stats(stats, "newsclean clean")["forwarded"] == 9


def test_near_duplicate_filter_refuses_several_tasks(tmp_path: Path) -> None:
    # Two shards, each with one page of a reprint pair: deduplicating them
    # separately would keep both; the filter must say so instead.
    _write_shard(tmp_path / "in" / "0.jsonl", ("a1", "a2", "a3"))
    _write_shard(tmp_path / "in" / "1.jsonl", ("b1", "c1", "e1"))
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            CleanFormatter(),
            NearDuplicateFilter(),
            JsonlWriter(str(tmp_path / "out")),
        ],
        tasks=2,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    )
    with pytest.raises(ValueError, match=r"pipeline of 2 tasks.*Run it with tasks=1"):
        executor.run()
    assert _read_jsonl(tmp_path / "out") == []  # nothing half-deduplicated was written


def test_clean_in_several_tasks_then_dedup_in_one_finds_reprints_across_shards(
    tmp_path: Path,
) -> None:
    _write_shard(tmp_path / "in" / "0.jsonl", ("a1", "a2", "a3"))
    _write_shard(tmp_path / "in" / "1.jsonl", ("b1", "c1", "e1", "a4"))
    clean_stage = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            CleanFormatter(),
            JsonlWriter(str(tmp_path / "clean")),
        ],
        tasks=2,
        workers=1,
        logging_dir=str(tmp_path / "logs" / "clean"),
    )
    dedup_stage = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "clean")),
            NearDuplicateFilter(exclusion_writer=JsonlWriter(str(tmp_path / "removed"))),
            JsonlWriter(str(tmp_path / "dedup")),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs" / "dedup"),
        depends=clean_stage,
    )
    dedup_stage.run()
    assert len(list((tmp_path / "clean").glob("*.jsonl.gz"))) == 2  # both tasks wrote a shard
    kept = {r["id"] for r in _read_jsonl(tmp_path / "dedup")}
    dropped = {r["id"] for r in _read_jsonl(tmp_path / "removed")}
    assert {"a2", "a4", "e1"} <= kept and len(kept) == 5
    for pair in ({"a1", "b1"}, {"a3", "c1"}):  # each pair spans the two shards
        assert len(pair & kept) == 1 and len(pair & dropped) == 1


def test_near_duplicate_filter_reads_dates_in_any_format() -> None:
    text = clean((CRAWL / "a1.html").read_bytes()).text
    docs = [
        Document(text=text, id="late", metadata={"date": "Wed, 26 Feb 2020 14:51:00 +0800"}),
        Document(text=text, id="early", metadata={"date": "25 Feb 2020"}),
        Document(text=text, id="unreadable", metadata={"date": "yesterday-ish"}),
    ]
    step = NearDuplicateFilter(representative="earliest")
    kept = [d.id for d in step.run(iter(docs))]
    assert kept == ["early"]  # an unreadable date is undated: last for "earliest"
    assert step.stats["bad_date"].total == 1


def test_readme_pipeline_runs_as_printed(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### datatrove\n") : readme.index("### Dask\n")]
    (script,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    (tmp_path / "dedup.py").write_text(script, "utf-8")
    _write_shard(tmp_path / "crawl" / "0.jsonl", ("a1", "a2", "a3"), NO_BODY_DOCS[:1])
    english = ({"id": "en", "text": ENGLISH_PAGE},)
    _write_shard(tmp_path / "crawl" / "1.jsonl", ("b1", "c1", "e1", "a4"), english)
    proc = subprocess.run(
        [sys.executable, "dedup.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = _read_jsonl(tmp_path / "dedup")
    kept = {r["id"] for r in rows}
    assert {"a2", "a4", "e1", "en"} <= kept and len(kept) == 6
    # Each page's language, as newsclean.clean reports it: the example once forced
    # language="zh" and labelled the English page (and cleaned it as) Chinese.
    languages = {r["id"]: r["metadata"]["language"] for r in rows}
    assert languages.pop("en") == clean(ENGLISH_PAGE).language == "en"
    assert set(languages.values()) == {"zh"}
    assert {r["id"] for r in _read_jsonl(tmp_path / "removed")} <= {"a1", "b1", "a3", "c1"}
    no_body = _read_jsonl(tmp_path / "no-body")
    assert [(r["id"], r.get("text")) for r in no_body] == [("chrome", NO_BODY_PAGE)]
    assert no_body[0]["metadata"]["filter_reason"] == "no_body"
