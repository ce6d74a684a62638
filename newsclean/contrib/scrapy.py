"""Scrapy item pipelines: clean pages as they are scraped, drop reprints.

Enable them in ``settings.py`` (clean first, then deduplicate the clean text)::

    ITEM_PIPELINES = {
        "newsclean.contrib.scrapy.CleanPipeline": 300,
        "newsclean.contrib.scrapy.DedupPipeline": 310,
    }
    NEWSCLEAN_DEDUP_INDEX = "index.db"        # or "redis://127.0.0.1:6379/0" for several spiders

Settings (all optional):

==========================  ===========  ==============================================
``NEWSCLEAN_ENABLED``        ``True``     ``False`` turns both pipelines off
``NEWSCLEAN_CONFIG``         ``{}``       a ``newsclean.Config`` or a dict of its options
``NEWSCLEAN_INPUT_FIELD``    ``"html"``   the item field holding the raw page
``NEWSCLEAN_TEXT_FIELD``     ``"text"``   where the clean text goes (and what dedup reads)
``NEWSCLEAN_URL_FIELD``      ``"url"``    the page URL, also the document id by default
``NEWSCLEAN_ID_FIELD``       ``None``     the document id; None uses the URL field
``NEWSCLEAN_KIND``           ``"auto"``   ``"html"``, ``"text"`` or ``"auto"``
``NEWSCLEAN_DROP_EMPTY``     ``True``     drop items whose clean text is empty
``NEWSCLEAN_KEEP_INPUT``     ``False``    keep the raw page on the item (decoded to str,
                                          so feed exporters can write it); by default
                                          the input field is removed after cleaning
``NEWSCLEAN_DEDUP_ENABLED``  ``True``     ``False`` turns only ``DedupPipeline`` off
``NEWSCLEAN_DEDUP_MODE``     ``"drop"``   ``"annotate"`` keeps duplicates and sets
                                          ``cluster_id`` / ``duplicate_of`` instead
``NEWSCLEAN_DEDUP_INDEX``    ``None``     persistent index: SQLite path or Redis URL;
                                          None keeps it in memory for this crawl
``NEWSCLEAN_DEDUP_WINDOW``   ``None``     compare only with articles dated at most this
                                          many days earlier (and prune older ones)
==========================  ===========  ==============================================

Items can be dicts, ``scrapy.Item`` or dataclasses (through ``ItemAdapter``).
Metadata fields are filled only when the item declares them (or is a dict) and
has no value yet, so a spider's own title wins over the extracted one; a value
newsclean does not find is None, so every cleaned item has the same fields.  No
bytes stay on a cleaned item: the raw page is removed (set to None on a
dataclass, whose fields cannot be deleted) or, with ``NEWSCLEAN_KEEP_INPUT``,
replaced by its decoded text, so ``scrapy crawl -O items.jsonl`` exports it.
Page bytes whose charset was a guess among equally likely ones (a short GBK
page reads as well in Shift_JIS) give the item an ``encoding_doubt`` field
``{"chosen": ..., "alternatives": [...]}`` (None otherwise, where the item
can take the field), the ``newsclean/ambiguous_encoding`` stat and a warning.

A spider's own ``date`` may be in any common format ("26 Feb 2020",
"2020/02/26 14:51", RFC 2822, ISO 8601, 2020年2月26日); ``DedupPipeline`` reads it
with :func:`newsclean.contrib.dates.iso_date`.  A date it cannot read is
ignored with a warning and the item goes on as an undated one: compared with
the whole index, and never moving the dedup window.  A page whose id is already in the index (a re-crawl) is dropped
as "already seen", not as a near-duplicate of itself.

Stats: ``newsclean/cleaned``, ``newsclean/empty``, ``newsclean/input_error/<reason>``,
``newsclean/removed_chars/<reason>``, ``newsclean/ambiguous_encoding``,
``newsclean/unique``, ``newsclean/duplicate``, ``newsclean/no_text``,
``newsclean/skipped`` (no input field: passed on unchanged),
``newsclean/seen`` (already in the index), ``newsclean/bad_date``, ``newsclean/bad_url`` (a
URL field that is not a string: ignored), ``newsclean/input_error/not-text`` (a page or
text field holding a list or a number: the item is dropped, naming the field).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsclean.config import KINDS, Config, Kind, check_kind
from newsclean.contrib import require
from newsclean.contrib.dates import DateError, iso_date
from newsclean.errors import InputError

_exceptions = require("scrapy.exceptions", "scrapy")
_itemadapter = require("itemadapter", "scrapy")
DropItem = _exceptions.DropItem
NotConfigured = _exceptions.NotConfigured
ItemAdapter = _itemadapter.ItemAdapter

logger = logging.getLogger(__name__)

#: Article fields CleanPipeline copies onto the item.
METADATA_FIELDS = ("title", "date", "source", "author")
DEDUP_MODES = ("drop", "annotate")


@dataclass(frozen=True)
class Settings:
    """The ``NEWSCLEAN_*`` settings, read once and validated eagerly.

    >>> from scrapy.settings import Settings as ScrapySettings
    >>> Settings.from_scrapy(ScrapySettings({"NEWSCLEAN_CONFIG": {"threshold": 0.6}})).config.threshold
    0.6
    >>> Settings.from_scrapy(ScrapySettings({"NEWSCLEAN_KIND": "pdf"}))
    Traceback (most recent call last):
    ...
    ValueError: NEWSCLEAN_KIND='pdf'; use one of auto, html, text
    """

    config: Config
    input_field: str = "html"
    text_field: str = "text"
    url_field: str = "url"
    id_field: str | None = None
    kind: Kind = "auto"
    drop_empty: bool = True
    keep_input: bool = False
    dedup_mode: str = "drop"
    dedup_index: str | None = None
    dedup_window: float | None = None

    @classmethod
    def from_scrapy(cls, settings: Any) -> Settings:
        raw = settings.get("NEWSCLEAN_CONFIG") or {}
        if isinstance(raw, Config):
            config = raw
        elif isinstance(raw, Mapping):
            config = Config.from_mapping(raw)
        else:
            raise ValueError(
                "NEWSCLEAN_CONFIG must be a newsclean.Config or a dict of its options, "
                f"not {type(raw).__name__}"
            )
        out = cls(
            config=config,
            input_field=settings.get("NEWSCLEAN_INPUT_FIELD", "html"),
            text_field=settings.get("NEWSCLEAN_TEXT_FIELD", "text"),
            url_field=settings.get("NEWSCLEAN_URL_FIELD", "url"),
            id_field=settings.get("NEWSCLEAN_ID_FIELD") or None,
            kind=_kind(settings.get("NEWSCLEAN_KIND", "auto")),
            drop_empty=settings.getbool("NEWSCLEAN_DROP_EMPTY", True),
            keep_input=settings.getbool("NEWSCLEAN_KEEP_INPUT", False),
            dedup_mode=settings.get("NEWSCLEAN_DEDUP_MODE", "drop"),
            dedup_index=settings.get("NEWSCLEAN_DEDUP_INDEX") or None,
            dedup_window=settings.getfloat("NEWSCLEAN_DEDUP_WINDOW") or None,
        )
        if out.dedup_window is not None and out.dedup_window < 0:
            raise ValueError("NEWSCLEAN_DEDUP_WINDOW must be a positive number of days, or None")
        if out.dedup_mode not in DEDUP_MODES:
            raise ValueError(
                f"NEWSCLEAN_DEDUP_MODE={out.dedup_mode!r}; use one of {', '.join(DEDUP_MODES)}"
            )
        return out


def _kind(value: str) -> Kind:
    try:
        return check_kind(value)
    except ValueError:
        raise ValueError(f"NEWSCLEAN_KIND={value!r}; use one of {', '.join(KINDS)}") from None


def _enabled(crawler: Any, *names: str) -> None:
    for name in names:
        if not crawler.settings.getbool(name, True):
            raise NotConfigured(f"{name} is False")


def _settable(adapter: Any, name: str) -> bool:
    """Whether the item can take field ``name`` (dicts take anything; Items their fields)."""
    if isinstance(adapter.item, dict):
        return True
    return name in adapter.field_names()


def _remove(adapter: Any, name: str) -> None:
    """Take field ``name`` off the item: deleted where the item type allows it.

    A dataclass (or attrs/pydantic) item cannot lose a declared field without
    breaking its exporters, so the field is set to None instead.
    """
    if isinstance(adapter.item, dict) or _is_scrapy_item(adapter.item):
        adapter.pop(name, None)
    elif name in adapter.field_names():
        adapter[name] = None


def _is_scrapy_item(item: Any) -> bool:
    from scrapy import Item

    return isinstance(item, Item)


def _fill(adapter: Any, name: str, value: Any, overwrite: bool = False) -> None:
    """Set field ``name`` where the item can take it and has no value yet (or ``overwrite``).

    An unknown value (None) still adds a field the item lacks: every item then
    has the same fields, and a CSV export, whose columns are the first item's
    fields, does not lose the ``author`` column because the first page had none.
    """
    if not _settable(adapter, name):
        return
    if overwrite or (not adapter.get(name) and (value is not None or name not in adapter)):
        adapter[name] = value


class _Base:
    def __init__(self, settings: Settings, stats: Any = None) -> None:
        self.settings = settings
        self.stats = stats

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"newsclean/{key}", count)

    def _text(self, value: Any, field: str, pages: bool = False) -> Any:
        """``value`` when it is text (or, for ``pages``, a page's bytes); else the item is dropped.

        A list (what a selector's ``getall()`` gives) or a number would fail deep
        inside the cleaner with a bare TypeError that Scrapy logs as a crash;
        the item is dropped naming the field instead, and counted.
        """
        if isinstance(value, str) or (pages and isinstance(value, (bytes, bytearray))):
            return bytes(value) if isinstance(value, bytearray) else value
        self._inc("input_error/not-text")
        what = "text or bytes" if pages else "text"
        raise DropItem(
            f"newsclean: the {field!r} field holds a {type(value).__name__}, not {what}",
            log_level="WARNING",
        )


class CleanPipeline(_Base):
    """Clean ``NEWSCLEAN_INPUT_FIELD`` into ``NEWSCLEAN_TEXT_FIELD``; lift title, date, source, author.

    The raw page is taken off the item (see the module doc), so it exports.
    Title, date, source and author are always set where the item takes them
    (None when unknown), so the items of a crawl share one schema.

    >>> from scrapy.utils.test import get_crawler
    >>> pipe = CleanPipeline.from_crawler(get_crawler())
    >>> page = ("<html><body><p>" + "The council approved the harbour budget on Monday. " * 3
    ...         + "</p><p>Share on Facebook</p></body></html>")
    >>> item = pipe.process_item({"url": "https://example.com/a", "html": page.encode()})
    >>> sorted(item), item["text"].endswith("on Monday."), item["author"]
    (['author', 'date', 'encoding_doubt', 'source', 'text', 'title', 'url'], True, None)
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        _enabled(crawler, "NEWSCLEAN_ENABLED")
        return cls(Settings.from_scrapy(crawler.settings), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        from newsclean.clean import clean
        from newsclean.decode import decode_bytes

        s = self.settings
        adapter = ItemAdapter(item)
        raw = adapter.get(s.input_field)
        if raw is None:  # another item type of the same spider: not ours to judge
            self._inc("skipped")
            return item
        raw = self._text(raw, s.input_field, pages=True)
        url = adapter.get(s.url_field)
        if url is not None and not isinstance(url, str):
            # Only metadata and the template group: the page is still cleaned.
            self._inc("bad_url")
            logger.warning("newsclean: ignoring a %s URL field (%r)", type(url).__name__, url)
            url = None
        try:
            if s.keep_input and isinstance(raw, bytes):
                # Decoded once here so the item keeps text an exporter can write;
                # clean() takes the Decoded, so it records the same charset doubt
                # (ambiguous-encoding) as for the bytes.
                decoded = decode_bytes(raw, path=url, config=s.config)
                art = clean(decoded, url=url, kind=s.kind, config=s.config)
                raw = decoded.text
            else:
                art = clean(raw, url=url, kind=s.kind, config=s.config)
        except InputError as exc:
            self._inc(f"input_error/{exc.reason}")
            raise DropItem(f"newsclean: {exc}", log_level="INFO") from exc
        self._inc("cleaned")
        for reason, chars in art.removed_chars().items():
            self._inc(f"removed_chars/{reason}", chars)
        doubt = art.encoding_doubt
        if doubt is not None:
            # The text is a guess among equally likely charsets: said where a
            # crawl's operator looks (stats, log), and on the item below.
            self._inc("ambiguous_encoding")
            logger.warning(
                "newsclean: %s: its bytes read as %s as well as %s; the text may be misread",
                url or "an item without a URL",
                doubt.chosen,
                ", ".join(doubt.alternatives),
            )
        if not art.text:
            self._inc("empty")
            if s.drop_empty:
                flags = ", ".join(art.flags) or "no body"
                raise DropItem(f"newsclean: empty after cleaning ({flags})", log_level="INFO")
        if s.keep_input:
            adapter[s.input_field] = raw
        elif s.input_field != s.text_field:
            _remove(adapter, s.input_field)
        adapter[s.text_field] = art.text
        for name in METADATA_FIELDS:
            _fill(adapter, name, getattr(art, name))
        # None when the charset was sure: every cleaned item has the same fields
        _fill(adapter, "encoding_doubt", doubt.to_json() if doubt else None, overwrite=True)
        return item


class DedupPipeline(_Base):
    """Drop (or annotate) near-duplicates of documents already in the index.

    >>> from scrapy.utils.test import get_crawler
    >>> pipe = DedupPipeline.from_crawler(get_crawler())
    >>> text = "The council approved the harbour budget on Monday after a long debate."
    >>> pipe.process_item({"url": "a", "text": text})["url"]
    'a'
    >>> pipe.process_item({"url": "b", "text": text})
    Traceback (most recent call last):
    ...
    scrapy.exceptions.DropItem: near-duplicate of a (similarity 1.00)
    >>> pipe.process_item({"url": "a", "text": text})
    Traceback (most recent call last):
    ...
    scrapy.exceptions.DropItem: already seen: a
    >>> pipe.close_spider()
    """

    def __init__(self, settings: Settings, stats: Any = None) -> None:
        super().__init__(settings, stats)
        self.dedup: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        _enabled(crawler, "NEWSCLEAN_ENABLED", "NEWSCLEAN_DEDUP_ENABLED")
        return cls(Settings.from_scrapy(crawler.settings), crawler.stats)

    def open_spider(self, spider: Any = None) -> None:
        from newsclean.dedup import Deduplicator

        s = self.settings
        self.dedup = Deduplicator(path=s.dedup_index, config=s.config, window_days=s.dedup_window)

    def close_spider(self, spider: Any = None) -> None:
        if self.dedup is not None:
            self.dedup.close()
            self.dedup = None

    def _doc_id(self, adapter: Any, text: str) -> str:
        s = self.settings
        value = adapter.get(s.id_field or s.url_field)
        if value:
            return str(value)
        # No URL: the text itself is the identity, so a re-crawl still matches.
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def _date(self, adapter: Any, doc_id: str) -> str | None:
        """The item's date for the dedup window, in ISO form; None when absent or unreadable."""
        value = adapter.get("date")
        try:
            return iso_date(value)
        except DateError as exc:
            self._inc("bad_date")
            logger.warning("newsclean: ignoring the date of %s: %s", doc_id, exc)
            return None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if self.dedup is None:  # used outside a crawl, e.g. in a unit test
            self.open_spider(spider)
        s = self.settings
        adapter = ItemAdapter(item)
        text = adapter.get(s.text_field)
        if not text:
            self._inc("no_text")
            return item
        text = self._text(text, s.text_field)
        doc_id = self._doc_id(adapter, text)
        try:
            match = self.dedup.add(doc_id, text, date=self._date(adapter, doc_id))
        except InputError as exc:  # over max_input_bytes: a per-item failure, as in clean
            self._inc(f"input_error/{exc.reason}")
            raise DropItem(f"newsclean: {exc}", log_level="INFO") from exc
        if match is not None and match.duplicate_of == doc_id:
            # A re-crawl: the index already holds this very page, as a new article.
            self._inc("seen")
            if s.dedup_mode == "drop":
                raise DropItem(f"already seen: {doc_id}", log_level="INFO")
            match = None
        if match is None:
            self._inc("unique")
            if s.dedup_mode == "annotate":
                _fill(adapter, "cluster_id", doc_id, overwrite=True)
                _fill(adapter, "duplicate_of", None, overwrite=True)
            return item
        self._inc("duplicate")
        if s.dedup_mode == "drop":
            raise DropItem(
                f"near-duplicate of {match.duplicate_of} (similarity {match.similarity:.2f})",
                log_level="INFO",
            )
        cluster_id = getattr(match, "cluster_id", None) or match.duplicate_of
        _fill(adapter, "cluster_id", cluster_id, overwrite=True)
        _fill(adapter, "duplicate_of", match.duplicate_of, overwrite=True)
        return item
