"""Scrapy pipelines: unit checks in process, and real crawls of a local server.

A crawl runs in a subprocess so that every crawl gets a fresh Twisted reactor
(it cannot be restarted in one process).  The server is http.server in a thread
of the test process, bound to 127.0.0.1 only, serving fixtures/crawl/:

* a1-a4: four different articles on the same event in one site template
  (a4 is the hard negative: same topic and week, different article);
* b1: a1 reprinted under other chrome (new title + 原标题, full-width
  punctuation, last paragraph dropped, an outro line);
* c1: a3 truncated at about 70% by a content farm, with 阅读全文;
* e1: a new article, linked only from index2.html (the second crawl).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, ROOT, require_module, require_program

CRAWL = FIXTURES / "crawl"
README = ROOT / "README.md"


require_module("scrapy", "scrapy")

from scrapy.exceptions import DropItem, NotConfigured  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from newsclean.clean import clean  # noqa: E402  (the package attribute can be the module)
from newsclean.contrib.scrapy import CleanPipeline, DedupPipeline  # noqa: E402

# --------------------------------------------------------------------------- the crawl

CRAWL_SCRIPT = r"""
import json, sys
from dataclasses import dataclass
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess

class Page(scrapy.Item):
    url = scrapy.Field(); html = scrapy.Field(); text = scrapy.Field()
    title = scrapy.Field(); date = scrapy.Field(); source = scrapy.Field(); author = scrapy.Field()
    cluster_id = scrapy.Field(); duplicate_of = scrapy.Field()

@dataclass
class PageDC:
    url: str
    html: bytes
    date: str | None = None
    text: str | None = None
    title: str | None = None
    cluster_id: str | None = None
    duplicate_of: str | None = None

class NewsSpider(scrapy.Spider):
    name = "news"
    item_kind = "dict"
    dates = None

    def parse(self, response):
        # Falling priorities + one request at a time: pages arrive in index order.
        for i, href in enumerate(response.css("a.article::attr(href)").getall()):
            yield response.follow(href, self.parse_page, priority=-i)

    def parse_page(self, response):
        fields = {"url": response.url, "html": response.body}
        if self.dates:
            fields["date"] = self.dates.get(response.url.rsplit("/", 1)[-1])
        if self.item_kind == "item":
            return Page(**fields)
        if self.item_kind == "dataclass":
            return PageDC(**fields)
        return fields

args = json.loads(sys.argv[1])
process = CrawlerProcess({
    "ITEM_PIPELINES": {
        "newsclean.contrib.scrapy.CleanPipeline": 300,
        "newsclean.contrib.scrapy.DedupPipeline": 310,
    },
    "CONCURRENT_REQUESTS": 1,
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,  # no listening ports besides the test server
    "REMOTE_CONTROL_ENABLED": False,
    "LOG_LEVEL": "INFO",
    **args["settings"],
})
crawler = process.create_crawler(NewsSpider)
scraped, dropped = [], []

def as_dict(item):
    from itemadapter import ItemAdapter
    return ItemAdapter(item).asdict()

def on_scraped(item, **kw):
    scraped.append(as_dict(item))

def on_dropped(item, exception, **kw):
    dropped.append({"url": as_dict(item)["url"], "why": str(exception)})

# Signal receivers are weak references: module-level functions stay alive.
crawler.signals.connect(on_scraped, signals.item_scraped)
crawler.signals.connect(on_dropped, signals.item_dropped)
process.crawl(
    crawler, start_urls=[args["start"]], item_kind=args["item_kind"], dates=args.get("dates")
)
process.start()
stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
json.dump({"scraped": scraped, "dropped": dropped, "stats": stats}, open(args["out"], "w"))
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(CRAWL))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Crawl:
    scraped: list[dict[str, Any]]
    dropped: list[dict[str, str]]
    stats: dict[str, Any]
    log: str

    def urls(self, base: str) -> list[str]:
        return [i["url"].removeprefix(base + "/") for i in self.scraped]

    def drops(self, base: str) -> dict[str, str]:
        return {d["url"].removeprefix(base + "/"): d["why"] for d in self.dropped}


def start_crawl(
    tmp_path: Path,
    start: str,
    settings: dict[str, Any],
    item_kind: str = "dict",
    dates: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[str], Path]:
    out = tmp_path / f"crawl-{len(list(tmp_path.glob('crawl-*')))}.json"
    out.touch()  # claims the name, so crawls started together get distinct files
    script = tmp_path / "crawl.py"
    script.write_text(CRAWL_SCRIPT)
    args = {
        "start": start,
        "settings": settings,
        "item_kind": item_kind,
        "out": str(out),
        "dates": dates,
    }
    proc = subprocess.Popen(
        [sys.executable, str(script), json.dumps(args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    return proc, out


def finish_crawl(proc: subprocess.Popen[str], out: Path) -> Crawl:
    try:
        _, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr[-3000:]
    data = json.loads(out.read_text())
    return Crawl(data["scraped"], data["dropped"], data["stats"], stderr)


def crawl(
    tmp_path: Path,
    start: str,
    settings: dict[str, Any],
    item_kind: str = "dict",
    dates: dict[str, str] | None = None,
) -> Crawl:
    return finish_crawl(*start_crawl(tmp_path, start, settings, item_kind, dates))


def test_crawl_drops_reprints_then_second_crawl_drops_pages_seen(tmp_path: Path, site: str) -> None:
    index = str(tmp_path / "index.db")
    first = crawl(tmp_path, f"{site}/index.html", {"NEWSCLEAN_DEDUP_INDEX": index})

    assert first.urls(site) == ["a1.html", "a2.html", "a3.html", "a4.html"]
    drops = first.drops(site)
    assert set(drops) == {"b1.html", "c1.html"}
    assert drops["b1.html"].startswith(f"near-duplicate of {site}/a1.html")
    assert drops["c1.html"].startswith(f"near-duplicate of {site}/a3.html")
    s = first.stats
    assert (s["newsclean/cleaned"], s["newsclean/unique"], s["newsclean/duplicate"]) == (6, 4, 2)
    assert "newsclean/seen" not in s
    assert s["item_dropped_count"] == 2
    # Dropped reprints are routine, logged at INFO rather than WARNING.
    assert f"INFO: Dropped: near-duplicate of {site}/a1.html" in first.log
    assert "WARNING: Dropped" not in first.log

    # Each kept item carries the clean text and the metadata newsclean extracts,
    # and not the raw page: a feed exporter cannot write bytes.
    for item in first.scraped:
        assert "html" not in item
        expected = clean((CRAWL / Path(item["url"]).name).read_bytes(), url=item["url"])
        assert item["text"] == expected.text and item["text"]
        for name in ("title", "date", "source", "author"):
            assert item.get(name) == getattr(expected, name)

    # Same index, a crawl that also links a new page: only the new page gets through.
    second = crawl(tmp_path, f"{site}/index2.html", {"NEWSCLEAN_DEDUP_INDEX": index})
    assert second.urls(site) == ["e1.html"]
    again = second.drops(site)
    assert set(again) == {f"{p}.html" for p in ("a1", "a2", "a3", "a4", "b1", "c1")}
    # A page the index holds as an article of its own is "already seen", never a
    # near-duplicate of itself; the reprints stay near-duplicates of their originals.
    for page in ("a1", "a2", "a3", "a4"):
        assert again[f"{page}.html"] == f"already seen: {site}/{page}.html"
    assert again["b1.html"].startswith(f"near-duplicate of {site}/a1.html")
    assert again["c1.html"].startswith(f"near-duplicate of {site}/a3.html")
    assert f"near-duplicate of {site}/a2.html" not in second.log
    assert (second.stats["newsclean/seen"], second.stats["newsclean/duplicate"]) == (4, 2)


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = require_program("redis-server")
    with socket.socket() as sock:  # a free port on loopback
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def test_two_spiders_at_once_share_a_redis_index(tmp_path: Path, site: str, redis_url: str) -> None:
    settings = {"NEWSCLEAN_DEDUP_INDEX": redis_url}
    runs = [
        start_crawl(tmp_path, f"{site}/{page}", settings) for page in ("index.html", "index2.html")
    ]
    one, two = (finish_crawl(*r) for r in runs)
    kept = one.urls(site) + two.urls(site)
    # Five distinct articles (a1 = b1 and a3 = c1) on the two sites: each gets through
    # exactly once across both spiders, whichever fetched it first.
    articles = {"a1.html": "a1", "b1.html": "a1", "a3.html": "a3", "c1.html": "a3"}
    assert sorted(articles.get(p, p.removesuffix(".html")) for p in kept) == [
        "a1",
        "a2",
        "a3",
        "a4",
        "e1",
    ]
    assert len(one.dropped) + len(two.dropped) == 13 - 5


@pytest.mark.parametrize("item_kind", ["item", "dataclass"])
def test_crawl_annotate_mode_keeps_duplicates_with_cluster_ids(
    tmp_path: Path, site: str, item_kind: str
) -> None:
    feed = tmp_path / "items.jsonl"
    settings = {"NEWSCLEAN_DEDUP_MODE": "annotate", "FEEDS": {str(feed): {"format": "jsonlines"}}}
    run = crawl(tmp_path, f"{site}/index.html", settings, item_kind)
    assert run.dropped == []
    # Scrapy's feed exporter wrote every item: no bytes left on them.
    exported = [json.loads(line) for line in feed.read_text("utf-8").splitlines()]
    assert [Path(i["url"]).name for i in exported] == [Path(i["url"]).name for i in run.scraped]
    assert all(i["text"] and not i.get("html") for i in exported)
    assert "ERROR:" not in run.log
    by_page = {Path(i["url"]).name: i for i in run.scraped}
    assert list(by_page) == ["a1.html", "a2.html", "a3.html", "a4.html", "b1.html", "c1.html"]
    a1, a3 = by_page["a1.html"]["url"], by_page["a3.html"]["url"]
    assert (by_page["b1.html"]["duplicate_of"], by_page["c1.html"]["duplicate_of"]) == (a1, a3)
    assert by_page["b1.html"]["cluster_id"] == by_page["a1.html"]["cluster_id"]
    assert by_page["c1.html"]["cluster_id"] == by_page["a3.html"]["cluster_id"]
    for page in ("a1.html", "a2.html", "a3.html", "a4.html"):
        assert by_page[page]["duplicate_of"] is None
    assert len({i["cluster_id"] for i in run.scraped}) == 4
    assert run.stats["newsclean/duplicate"] == 2


def test_crawl_with_dedup_disabled_keeps_everything(tmp_path: Path, site: str) -> None:
    run = crawl(tmp_path, f"{site}/index.html", {"NEWSCLEAN_DEDUP_ENABLED": False})
    assert len(run.scraped) == 6 and run.dropped == []
    assert run.stats["newsclean/cleaned"] == 6
    assert "newsclean/unique" not in run.stats


# --------------------------------------------------------------------------- in process


def test_disabled_pipelines_are_not_configured() -> None:
    with pytest.raises(NotConfigured):
        CleanPipeline.from_crawler(get_crawler(settings_dict={"NEWSCLEAN_ENABLED": False}))
    with pytest.raises(NotConfigured):
        DedupPipeline.from_crawler(get_crawler(settings_dict={"NEWSCLEAN_DEDUP_ENABLED": False}))
    # Turning dedup off leaves cleaning on.
    CleanPipeline.from_crawler(get_crawler(settings_dict={"NEWSCLEAN_DEDUP_ENABLED": False}))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"NEWSCLEAN_DEDUP_MODE": "mark"}, "NEWSCLEAN_DEDUP_MODE"),
        ({"NEWSCLEAN_KIND": "pdf"}, "NEWSCLEAN_KIND"),
        ({"NEWSCLEAN_CONFIG": {"treshold": 0.5}}, "threshold"),
        ({"NEWSCLEAN_CONFIG": "threshold=0.5"}, "NEWSCLEAN_CONFIG"),
        ({"NEWSCLEAN_DEDUP_WINDOW": -3}, "NEWSCLEAN_DEDUP_WINDOW"),
    ],
)
def test_bad_settings_fail_eagerly(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CleanPipeline.from_crawler(get_crawler(settings_dict=settings))


@dataclass
class Narrow:
    """An item that declares no metadata fields: they must not be forced onto it."""

    html: str
    text: str | None = None


def test_clean_pipeline_adapts_items_and_respects_their_fields() -> None:
    page = (CRAWL / "a2.html").read_text(encoding="utf-8")
    crawler = get_crawler(settings_dict={"NEWSCLEAN_CONFIG": {"punctuation": "keep"}})
    pipe = CleanPipeline.from_crawler(crawler)
    expected = clean(page, punctuation="keep")

    narrow = pipe.process_item(Narrow(html=page))  # no spider argument needed
    assert narrow.text == expected.text

    mine = {"url": "http://example.test/a2", "html": page, "title": "the spider's title"}
    out = pipe.process_item(mine, None)
    assert out["text"] == expected.text
    assert out["title"] == "the spider's title"  # the spider's own value wins

    untouched = {"url": "http://example.test/other", "body": "no html field"}
    assert pipe.process_item(untouched) == {
        "url": "http://example.test/other",
        "body": "no html field",
    }
    assert crawler.stats.get_value("newsclean/skipped") == 1
    assert crawler.stats.get_value("newsclean/cleaned") == 2


#: The item fields the README shows for every exported article.
README_FIELDS = {"url", "date", "text", "title", "source", "author", "encoding_doubt"}


def test_every_cleaned_item_has_every_metadata_field_none_when_unknown() -> None:
    import scrapy

    class Page(scrapy.Item):  # declares source and author, not editor
        url = scrapy.Field()
        html = scrapy.Field()
        text = scrapy.Field()
        title = scrapy.Field()
        date = scrapy.Field()
        source = scrapy.Field()
        author = scrapy.Field()
        encoding_doubt = scrapy.Field()

    pipe = CleanPipeline.from_crawler(get_crawler())
    page = (CRAWL / "a2.html").read_bytes()  # no author on the page
    assert clean(page).author is None
    as_dict = pipe.process_item({"url": "u", "html": page})
    assert set(as_dict) == README_FIELDS and as_dict["author"] is None
    as_item = pipe.process_item(Page(url="u", html=page))
    assert set(as_item) == README_FIELDS and as_item["author"] is None
    # The spider's own value still wins.
    mine = pipe.process_item({"url": "u", "html": page, "author": "Mine", "source": "Ours"})
    assert (mine["author"], mine["source"]) == ("Mine", "Ours")


def test_a_csv_export_keeps_the_author_column_when_the_first_page_has_none() -> None:
    import csv
    import io

    from scrapy.exporters import CsvItemExporter

    pipe = CleanPipeline.from_crawler(get_crawler())
    items = [pipe.process_item({"url": n, "html": (CRAWL / n).read_bytes()}) for n in ("a2.html", "a1.html")]  # fmt: skip
    out = io.BytesIO()
    exporter = CsvItemExporter(out)  # its columns: the first item's fields
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert set(rows[0]) == README_FIELDS
    # a1's author, in a column that a2 (no author) opened
    assert [r["author"] for r in rows] == ["", "苑菲菲"]


def test_clean_pipeline_drops_unusable_input_with_its_reason() -> None:
    crawler = get_crawler()
    pipe = CleanPipeline.from_crawler(crawler)
    with pytest.raises(DropItem) as info:
        pipe.process_item({"html": b"\x00\x01\x02binary\xff" * 50})
    assert info.value.log_level == "INFO"
    reasons = [k for k in crawler.stats.get_stats() if k.startswith("newsclean/input_error/")]
    assert len(reasons) == 1, crawler.stats.get_stats()


@pytest.mark.parametrize("value", [["<p>one</p>", "<p>two</p>"], 42, {"body": "x"}])
def test_a_field_that_is_not_text_drops_the_item_naming_the_field(value: Any) -> None:
    # A selector's getall() gives a list: it used to end in a bare TypeError deep in
    # the cleaner (CleanPipeline) or in hashing (DedupPipeline), logged as a crash.
    crawler = get_crawler()
    clean_pipe = CleanPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=f"'html' field holds a {type(value).__name__}"):
        clean_pipe.process_item({"url": "u", "html": value})
    dedup_pipe = DedupPipeline.from_crawler(crawler)
    try:
        with pytest.raises(DropItem, match=f"'text' field holds a {type(value).__name__}"):
            dedup_pipe.process_item({"url": "u", "text": value})
    finally:
        dedup_pipe.close_spider()
    assert crawler.stats.get_value("newsclean/input_error/not-text") == 2


def test_a_url_that_is_not_text_is_ignored_and_the_page_still_cleaned() -> None:
    crawler = get_crawler()
    pipe = CleanPipeline.from_crawler(crawler)
    page = "<html><body><p>" + "The council approved the harbour budget on Monday. " * 3
    item = pipe.process_item({"url": ["https://a.example/x"], "html": page + "</p></body></html>"})
    assert item["text"].startswith("The council approved")
    assert crawler.stats.get_value("newsclean/bad_url") == 1


def test_dedup_pipeline_without_text_passes_items_on() -> None:
    crawler = get_crawler()
    pipe = DedupPipeline.from_crawler(crawler)
    pipe.open_spider()
    try:
        assert pipe.process_item({"url": "u", "text": ""}) == {"url": "u", "text": ""}
    finally:
        pipe.close_spider()
    assert crawler.stats.get_value("newsclean/no_text") == 1


def test_a_missing_framework_names_the_extra_to_install() -> None:
    from newsclean.contrib import require

    with pytest.raises(ImportError, match=r"pip install 'newsclean\[scrapy\]'"):
        require("newsclean_no_such_framework.exceptions", "scrapy")


# --------------------------------------------------------------------------- the README


def _readme_scrapy() -> tuple[str, str, str]:
    """The README's settings block, spider block and crawl command, exactly as printed."""
    text = README.read_text("utf-8")
    section = text[text.index("### Scrapy\n") : text.index("### datatrove\n")]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2, "the Scrapy section shows settings.py, then the spider"
    command = re.search(r"`(scrapy crawl [^`]+ -O items\.jsonl)`", section)
    assert command, "the Scrapy section shows the `scrapy crawl ... -O items.jsonl` command"
    return blocks[0], blocks[1], command[1]


def test_readme_spider_exports_items_with_scrapy_crawl(tmp_path: Path, site: str) -> None:
    settings_block, spider_block, command = _readme_scrapy()
    scrapy = [sys.executable, "-m", "scrapy"]
    subprocess.run([*scrapy, "startproject", "news"], cwd=tmp_path, check=True, capture_output=True)
    project = tmp_path / "news"
    with open(project / "news" / "settings.py", "a", encoding="utf-8") as f:
        f.write("\n" + settings_block)
    (project / "news" / "spiders" / "articles.py").write_text(spider_block, "utf-8")

    argv = command.split()
    assert argv[:3] == ["scrapy", "crawl", "articles"] and argv[-2:] == ["-O", "items.jsonl"]
    index = argv.index("-a") + 1
    argv[index] = f"index={site}/index.html"  # the local server instead of example.com
    # The template's DOWNLOAD_DELAY = 1 is politeness towards real sites; not needed here.
    proc = subprocess.run(
        [*scrapy, *argv[1:], "-s", "DOWNLOAD_DELAY=0"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "ERROR:" not in proc.stderr, proc.stderr[-3000:]

    items = [json.loads(line) for line in (project / "items.jsonl").read_text("utf-8").splitlines()]
    # Six pages linked, two of them reprints (b1 of a1, c1 of a3): four articles exported,
    # each once, whichever page of a pair the default scheduler fetched first.
    article = {"b1.html": "a1.html", "c1.html": "a3.html"}
    pages = [Path(i["url"]).name for i in items]
    assert sorted(article.get(p, p) for p in pages) == ["a1.html", "a2.html", "a3.html", "a4.html"]
    for item in items:
        expected = clean((CRAWL / Path(item["url"]).name).read_bytes(), url=item["url"])
        assert set(item) == README_FIELDS  # as printed, null where a page has no author
        assert item["text"] == expected.text and item["text"]
        for name in ("title", "date", "source", "author"):
            assert item[name] == getattr(expected, name)
    assert (project / "index.db").exists()  # NEWSCLEAN_DEDUP_INDEX as printed


# --------------------------------------------------------------------------- dates


SPIDER_DATES = {
    "a1.html": "26 Feb 2020",
    "a2.html": "2020/02/26 14:51",
    "a3.html": "Wed, 26 Feb 2020 14:51:00 +0800",
    "a4.html": "not a date at all",
    "b1.html": "2020年2月27日",
    "c1.html": "2021-02-26T14:51:00Z",
}


def test_spider_dates_in_any_format_feed_dedup_and_unreadable_ones_are_ignored(
    tmp_path: Path, site: str
) -> None:
    # A 30-day window: b1 (a day after a1) is still its reprint; c1 reprints a3 a
    # year later, out of the window, so it is kept: the dates were read.
    run = crawl(tmp_path, f"{site}/index.html", {"NEWSCLEAN_DEDUP_WINDOW": 30}, dates=SPIDER_DATES)
    assert run.urls(site) == ["a1.html", "a2.html", "a3.html", "a4.html", "c1.html"]
    assert run.drops(site)["b1.html"].startswith(f"near-duplicate of {site}/a1.html")
    assert len(run.dropped) == 1
    # The spider's own date stays on the item as the spider wrote it; the unreadable
    # one costs a warning, not the item.
    assert {Path(i["url"]).name: i["date"] for i in run.scraped} == {
        p: d for p, d in SPIDER_DATES.items() if p != "b1.html"
    }
    assert run.stats["newsclean/bad_date"] == 1
    assert f"WARNING: newsclean: ignoring the date of {site}/a4.html" in run.log
    assert "Traceback" not in run.log


def test_dedup_pipeline_reads_dates_for_its_window(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(settings_dict={"NEWSCLEAN_DEDUP_WINDOW": 7})
    pipe = DedupPipeline.from_crawler(crawler)
    text = clean((CRAWL / "a1.html").read_bytes()).text
    pipe.open_spider()
    try:
        assert pipe.process_item({"url": "old", "text": text, "date": "1 Jan 2020"})
        # Two months later: outside the 7-day window, so not a duplicate of "old".
        assert pipe.process_item({"url": "new", "text": text, "date": "Sun, 1 Mar 2020 08:00 GMT"})
        with pytest.raises(DropItem, match="near-duplicate of new"):
            pipe.process_item({"url": "again", "text": text, "date": "2020/03/02"})
        with caplog.at_level(logging.WARNING):
            kept = pipe.process_item({"url": "undated", "text": "短文" * 40, "date": "soon"})
        assert kept["date"] == "soon"
    finally:
        pipe.close_spider()
    assert "ignoring the date of undated: cannot read 'soon' as a date" in caplog.text
    assert crawler.stats.get_value("newsclean/bad_date") == 1


def test_clean_pipeline_removes_or_decodes_the_raw_page() -> None:
    page = (CRAWL / "a2.html").read_bytes()
    expected = clean(page).text
    out = CleanPipeline.from_crawler(get_crawler()).process_item({"url": "u", "html": page})
    assert "html" not in out and out["text"] == expected
    narrow = CleanPipeline.from_crawler(get_crawler()).process_item(Narrow(html=page))  # type: ignore[arg-type]
    assert narrow.html is None and narrow.text == expected  # a dataclass keeps its field

    keep = get_crawler(settings_dict={"NEWSCLEAN_KEEP_INPUT": True})
    kept = CleanPipeline.from_crawler(keep).process_item({"url": "u", "html": page})
    assert kept["html"] == page.decode("utf-8") and kept["text"] == expected


def test_dedup_pipeline_drops_a_text_over_the_size_limit() -> None:
    crawler = get_crawler(settings_dict={"NEWSCLEAN_CONFIG": {"max_input_bytes": 100}})
    pipe = DedupPipeline.from_crawler(crawler)
    try:
        with pytest.raises(DropItem, match="too-large"):
            pipe.process_item({"url": "u", "text": "x" * 101})
    finally:
        pipe.close_spider()
    assert crawler.stats.get_value("newsclean/input_error/too-large") == 1


# Its GBK bytes read as well in Shift_JIS and EUC-KR (tests/test_encoding_doubt.py).
AMBIGUOUS = "我们的城市 , 你好 。".encode("gbk")


@pytest.mark.parametrize("keep_input", [False, True])
def test_clean_pipeline_records_a_charset_guessed_among_ties(
    keep_input: bool, caplog: pytest.LogCaptureFixture
) -> None:
    from newsclean.decode import decode_bytes

    decoded = decode_bytes(AMBIGUOUS)
    settings = {"NEWSCLEAN_DROP_EMPTY": False, "NEWSCLEAN_KEEP_INPUT": keep_input}
    crawler = get_crawler(settings_dict=settings)
    pipe = CleanPipeline.from_crawler(crawler)
    with caplog.at_level(logging.WARNING, logger="newsclean.contrib.scrapy"):
        item = pipe.process_item({"url": "u", "html": AMBIGUOUS})
    # what clean() records for these bytes, also when the pipeline decoded them itself
    doubt = clean(AMBIGUOUS).encoding_doubt
    assert doubt is not None and item["encoding_doubt"] == doubt.to_json()
    assert item["encoding_doubt"]["alternatives"] == list(decoded.alternatives)
    assert crawler.stats.get_value("newsclean/ambiguous_encoding") == 1
    assert any(decoded.encoding in r.getMessage() for r in caplog.records)
    # a page whose charset is sure: the field is there, and None
    sure = pipe.process_item({"url": "v", "html": (CRAWL / "a2.html").read_bytes()})
    assert "encoding_doubt" in sure and sure["encoding_doubt"] is None
    long_gbk = ("烟台累计开复工规上工业企业1867家，开复工率达97.6%。" * 8).encode("gbk")
    assert pipe.process_item({"url": "w", "html": long_gbk})["encoding_doubt"] is None
    assert crawler.stats.get_value("newsclean/ambiguous_encoding") == 1
