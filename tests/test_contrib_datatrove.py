"""datatrove steps inside a real LocalPipelineExecutor pipeline.

Input: the crawl fixture pages (fixtures/crawl, described in
test_contrib_scrapy.py) as a JSONL shard whose ``text`` is the raw HTML, the
way a datatrove reader hands over a scraped page.  b1 reprints a1 and c1 is a
truncated a3; a4 is a hard negative (same event, other article).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, require_module

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


def _run(tmp_path: Path, steps: list[Any]) -> tuple[list[dict[str, Any]], Any]:
    src = tmp_path / "in"
    src.mkdir()
    with open(src / "pages.jsonl", "w", encoding="utf-8") as f:
        for name in PAGES:
            html = (CRAWL / f"{name}.html").read_text(encoding="utf-8")
            url = f"http://127.0.0.1/{name}.html"
            f.write(json.dumps({"id": name, "text": html, "url": url}, ensure_ascii=False) + "\n")
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), *steps, JsonlWriter(str(tmp_path / "out"))],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    )
    stats = executor.run()
    return _read_jsonl(tmp_path / "out"), stats


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
    docs = [Document(text="", id="x"), Document(text="", id="y")]
    kept = list(NearDuplicateFilter().run(iter(docs)))
    assert [d.id for d in kept] == ["x", "y"]
    assert all(d.metadata["minhash_cluster_id"] == -1 for d in kept)


def test_steps_validate_their_options_eagerly() -> None:
    with pytest.raises(ValueError, match="kind"):
        CleanFormatter(kind="pdf")
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateFilter(threshold=1.5)
    with pytest.raises(ValueError, match="did you mean 'threshold'"):
        NearDuplicateFilter(treshold=0.5)
