"""report.html: self-contained content, and the real page in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from newsclean.article import Article, Block, ClusterInfo
from newsclean.batch import Outcome, Summary
from newsclean.batch.report import render_report
from newsclean.config import Config
from newsclean.io import Document
from tests.helpers import ROOT, require_program

ORIGINAL = (
    "第一段:烟台累计开复工企业1867家。\n\n第二段:开复工率达到97.6%。\n\n第三段:下一步继续推进。"
)
REPRINT = "第一段:烟台累计开复工企业1867家。\n\n第二段:开复工率达到98%。\n\n第三段:下一步继续推进。\n\n来源:人民日报"


def _doc(name: str) -> Document:
    return Document(name, f"in/{name}.txt", f"{name}.txt", None, name, ".", sha256="0" * 64)


def _summary() -> Summary:
    rep = Outcome(
        _doc("a"),
        "ok",
        article=Article(ORIGINAL, removed=(Block("相关阅读 x", "related-list"),)),
        cluster=ClusterInfo("a", 2, True),
    )
    dup = Outcome(
        _doc("b"),
        "duplicate",
        "near-duplicate of a",
        article=Article(REPRINT, removed=(Block("<script>alert(1)</script>", "injection"),)),
        cluster=ClusterInfo("a", 2, False, "a", 0.37, "contained"),
    )
    bad = Outcome(_doc("c"), "error", "binary", "NUL bytes <here>")
    empty = Outcome(_doc("d"), "empty", "no-body", article=Article(""))
    s = Summary(documents=4, outcomes=[rep, dup, bad, empty], clusters=1)
    s.counts.update(ok=1, duplicate=1, error=1, empty=1)
    s.removed = {"related-list": 6, "injection": 25}
    return s


def test_report_is_self_contained_escaped_and_deterministic() -> None:
    html = render_report(_summary(), Config())
    assert html == render_report(_summary(), Config())
    # Nothing to fetch: no external scripts, stylesheets, images, frames or remote URLs.
    assert not re.search(r"<(link|img|iframe)\b|<script[^>]*\bsrc=", html, re.I)
    assert html.count("<script>") == 1  # the filter box's inline script
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg"]
    assert "<script>alert" not in html  # document text is escaped
    assert "NUL bytes &lt;here&gt;" in html


def test_report_sections_chart_clusters_and_problems() -> None:
    html = render_report(_summary(), Config())
    # One bar per reason, longest first.
    bars = re.findall(r"<title>([\w-]+): ([\d,]+) chars</title>", html)
    assert bars == [("injection", "25"), ("related-list", "6")]
    section = html[html.index('id="clusters"') : html.index('id="problems"')]
    assert section.count('class="cluster"') == 1
    assert "in/b.txt" in section and "similarity 0.37" in section
    # A similarity under the threshold says why the duplicate joined.
    assert "contained: a truncated or extended reprint" in section
    assert "containment ≥ 0.8" in section
    # The side-by-side diff marks only what changed inside the changed paragraph.
    assert '<td class="del">第二段:开复工率达到9<b>7.6</b>%。</td>' in section
    assert '<td class="ins">第二段:开复工率达到9<b>8</b>%。</td>' in section
    assert '<td class="ins">来源:人民日报</td>' in section
    problems = html[html.index('id="problems"') :]
    assert "in/c.txt" in problems and "binary" in problems and "no-body" in problems
    assert "in/a.txt" not in problems


def _big_cluster(n_dups: int) -> Summary:
    rep = Outcome(_doc("a"), "ok", article=Article(ORIGINAL), cluster=ClusterInfo("a", n_dups + 1))
    dups = [
        Outcome(
            _doc(f"dup{k:02d}"),
            "duplicate",
            "near-duplicate of a",
            article=Article(REPRINT),
            cluster=ClusterInfo("a", n_dups + 1, False, "a", 0.5 + k / 100, "linked"),
        )
        for k in range(n_dups)
    ]
    s = Summary(documents=n_dups + 1, outcomes=[rep, *dups], clusters=1)
    s.counts.update(ok=1, duplicate=n_dups)
    return s


def test_report_lists_every_duplicate_of_a_cluster() -> None:
    from newsclean.batch.report import MAX_DUPLICATES_SHOWN

    html = render_report(_big_cluster(40), Config())
    section = html[html.index('id="clusters"') : html.index('id="problems"')]
    paths = re.findall(r"<code>in/(dup\d+)\.txt</code>", section)
    assert paths == [f"dup{k:02d}" for k in range(40)]  # all of them, in order, once
    assert section.count('<table class="diff">') == MAX_DUPLICATES_SHOWN
    assert "all 40 duplicates: 35 more" in section and "… and" not in section
    assert "similarity 0.89 · " in section and "the longest one" in section


def test_report_lists_the_clusters_past_the_largest_without_diffs() -> None:
    from newsclean.batch.report import MAX_CLUSTERS

    outcomes = []
    for c in range(MAX_CLUSTERS + 3):
        cid = f"c{c:02d}"
        rep = ClusterInfo(cid, 2)
        dup = ClusterInfo(cid, 2, False, cid, 0.9, "similar")
        outcomes.append(Outcome(_doc(f"{cid}-0"), "ok", article=Article(ORIGINAL), cluster=rep))
        outcomes.append(
            Outcome(_doc(f"{cid}-1"), "duplicate", article=Article(ORIGINAL), cluster=dup)
        )
    s = Summary(documents=len(outcomes), outcomes=outcomes, clusters=MAX_CLUSTERS + 3)
    html = render_report(s, Config())
    assert html.count('class="cluster"') == MAX_CLUSTERS
    other = html[html.index('id="other-clusters"') : html.index('id="problems"')]
    assert "the other 3 clusters" in other
    dups = re.findall(r"<code>in/(c\d+-1)\.txt</code>", other)
    assert dups == [f"c{c:02d}-1" for c in range(MAX_CLUSTERS, MAX_CLUSTERS + 3)]
    assert "similar: at or above threshold 0.7" in other


def test_report_shows_config_values_as_a_user_writes_them() -> None:
    html = render_report(_summary(), Config(language=None, exact_jaccard=False))
    config = html[html.index('id="config"') :]
    cell = dict(re.findall(r"<tr><td>([\w-]+)</td><td><code>(.*?)</code></td></tr>", config))
    assert cell["punctuation"] == "fullwidth"
    assert cell["language"] == "none"
    assert cell["exact-jaccard"] == "false" and cell["merge-clusters"] == "true"
    assert cell["threshold"] == "0.7" and cell["num-perm"] == "128"
    assert "&#x27;" not in config and "None" not in config


def _reprints(seed_paths: list[Path], root: Path) -> None:
    """Seeds plus reprints made the way syndication makes them (docs/contracts.md §4)."""
    for p in seed_paths:
        text = p.read_text("utf-8")
        (root / "site-a").mkdir(parents=True, exist_ok=True)
        (root / "site-a" / p.name).write_text(text, "utf-8")
    base = seed_paths[0].read_text("utf-8")
    paras = [x for x in base.split("\n") if x.strip()]
    (root / "site-b").mkdir(exist_ok=True)
    (root / "site-b" / "reprint1.txt").write_text(
        "原标题:" + paras[0] + "\n\n" + "\n\n".join(paras[1:]) + "\n\n来源:人民日报\n", "utf-8"
    )
    cut = "\n\n".join(paras[: max(3, int(len(paras) * 0.7))]) + "\n\n阅读全文\n"
    (root / "site-b" / "reprint2.txt").write_text(cut.replace(",", ","), "utf-8")


@pytest.mark.browser
def test_report_renders_in_headless_chromium(tmp_path: Path, seed_paths: list[Path]) -> None:
    chromium = require_program("chromium")
    driver_path = require_program("chromedriver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.common.by import By

    from newsclean.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    _reprints(seed_paths, src)
    assert main(["run", str(src), "-o", str(out), "-q", "-j", "2"]) == 0
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--window-size=1280,2000",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=opts, service=service)
    try:
        driver.get((out / "report.html").as_uri())
        assert driver.title == "newsclean report"
        clusters = driver.find_elements(By.CSS_SELECTOR, "#clusters ~ .cluster")
        assert clusters, "the cluster section shows no cluster"
        assert clusters[0].is_displayed() and "site-" in clusters[0].text
        driver.find_element(By.CSS_SELECTOR, ".cluster details summary").click()
        assert driver.find_elements(By.CSS_SELECTOR, ".cluster details[open] table.diff td")
        assert driver.find_element(By.CSS_SELECTOR, "#removed + svg rect").is_displayed()
        _check_filter_box(driver)
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == []
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        driver.execute_script("window.scrollTo(0, 0)")
        shot = driver.get_screenshot_as_png()
        (artifacts / "report.png").write_bytes(shot)
        # Non-blank: a page of text, bars and diffs compresses far worse than an empty one.
        driver.get("about:blank")
        blank = driver.get_screenshot_as_png()
        assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 5 * len(blank), (
            len(shot),
            len(blank),
        )
    finally:
        driver.quit()


def _check_filter_box(driver: Any) -> None:
    """Typing a duplicate's path leaves only that duplicate (and its cluster) shown."""
    from selenium.webdriver.common.by import By

    def shown(css: str) -> list[Any]:
        return [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]

    box = driver.find_element(By.ID, "filter")
    clusters_before = len(shown(".cluster"))
    dup_summaries = driver.find_elements(By.CSS_SELECTOR, ".cluster details[data-filter] summary")
    assert dup_summaries, "no duplicate to filter for"
    path = dup_summaries[-1].find_element(By.TAG_NAME, "code").text
    box.send_keys(path)
    visible = shown("[data-filter]")
    assert visible and all(path in e.text for e in visible)
    assert len(shown(".cluster")) == 1
    assert "items match" in driver.find_element(By.ID, "filter-count").text
    box.clear()
    box.send_keys("no-such-path-anywhere")
    assert shown(".cluster") == [] and shown("[data-filter]") == []
    assert driver.find_element(By.ID, "filter-count").text.startswith("0 of ")
    for _ in range(len("no-such-path-anywhere")):  # clear() fires no input event
        box.send_keys("\b")
    assert len(shown(".cluster")) == clusters_before
