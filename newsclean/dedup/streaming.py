"""The streaming, persistent deduplicator for crawlers.

``Deduplicator.add(id, text)`` answers at once: ``None`` for a new article, or
``Match(duplicate_of, similarity)`` naming the first-seen article of its
cluster and the estimated Jaccard similarity to it.  It applies the same
candidate window, verification and anti-chaining rule as the batch
:func:`newsclean.cluster`, so on the same input order both give the same
clusters.

Where the index lives:

* ``path=None``: in memory (SQLite ``:memory:``);
* ``path="index.db"``: one SQLite file; reopen it tomorrow and it still knows
  today's articles;
* ``path="redis://host:6379/0"`` or ``redis=<redis.Redis client>``: shared by
  several processes or machines (``pip install newsclean[redis]``); ``prefix``
  namespaces the keys.

The parameters that signatures and bands depend on are saved in the index and
checked when it is reopened (``IndexMismatchError`` on a difference).
``window_days`` compares an article only with those dated at most that many
days before or after it: a reprint dated long before the story it copies (a
wrong date, a backfilled archive) is no reprint of it.  Articles dated more
than ``window_days`` before the newest date seen are dropped from the index in
the same transaction as the add that moved the newest date, so ``len`` counts
only what can still match.  Only dated articles advance the window: an undated
one is compared with the whole index, stored with the time it was added, and
never moves the window (stamping it "now" used to evict every older article at
the next prune).

Adding an id that is already in the index does not insert it again: the
answer is the one given the first time, or ``Match(id, 1.0)`` ("seen
already") when it was new then.

One ``Deduplicator`` may be shared by the threads of a process: a lock makes
each ``add``/``query``/``prune`` atomic, so a thread pool gets the answers of
some serial order of its adds.  Several processes share an index through the
SQLite file or Redis instead (each opens its own ``Deduplicator``).

Errors are newsclean's: :class:`~newsclean.errors.IndexCorruptError` for a
file that is not an index, :class:`~newsclean.errors.IndexUnavailableError`
for a Redis server that does not answer (the message names the URL),
:class:`~newsclean.errors.IndexMismatchError` for other parameters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from newsclean.config import Config, resolve_config
from newsclean.dedup.clustering import passes
from newsclean.dedup.lsh import (
    BAND_HASH,
    LEGACY_BAND_HASH,
    WINDOW,
    band_keys,
    bands_rows,
    lsh_threshold,
)
from newsclean.dedup.minhash import LEGACY, Params, check_saved, minhash_rows, preload
from newsclean.dedup.shingles import hash_batch
from newsclean.dedup.stores import RedisStore, SQLiteStore, StoredDoc
from newsclean.errors import InputError, document_id, require_text
from newsclean.limits import utf8_size_over

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsclean.config import OverridesBesideThreshold


@dataclass(frozen=True)
class Match:
    """An earlier document this one duplicates, and the estimated Jaccard similarity.

    >>> Match("https://example.com/a", 0.93).duplicate_of
    'https://example.com/a'
    """

    duplicate_of: str
    similarity: float


def timestamp(date: Any) -> float | None:
    """Seconds since the epoch of an ISO string, date, datetime or number; None stays None."""
    if date is None:
        return None
    if isinstance(date, bool):
        raise ValueError(f"date must be an ISO string, date, datetime or number, not {date!r}")
    if isinstance(date, (int, float)):
        if not np.isfinite(date):
            raise ValueError(f"date={date!r} is not a finite number of seconds since the epoch")
        return float(date)
    if isinstance(date, str):
        try:
            date = dt.datetime.fromisoformat(date.strip().replace("Z", "+00:00"))
        except ValueError as err:
            raise ValueError(
                f"date={date!r} is not ISO 8601; pass e.g. '2020-02-26' or '2020-02-26T14:51:00'"
            ) from err
    if isinstance(date, dt.datetime):
        if date.tzinfo is None:
            date = date.replace(tzinfo=dt.UTC)
        return date.timestamp()
    if isinstance(date, dt.date):
        return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
    raise ValueError(f"date must be an ISO string, date, datetime or number, not {date!r}")


_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class Deduplicator:
    """Streaming near-duplicate detection with a persistent index (see the module doc).

    ``config`` comes first, as in every entry point; keyword overrides
    (``threshold=0.8``) apply on top.  Safe to share between threads.

    Example::

        >>> from newsclean import Deduplicator
        >>> with Deduplicator(threshold=0.8) as dd:          # in memory
        ...     dd.add("a", "The council approved the budget on Monday after a long debate.")
        ...     dd.add("b", "The council approved the budget on Monday after a long debate.")
        ...     dd.query("Nothing like it at all, a different story about the weather.")
        ...     len(dd)
        Match(duplicate_of='a', similarity=1.0)
        2
    """

    def __init__(
        self,
        config: Config | None = None,
        path: str | None = None,
        *,
        threshold: float | None = None,
        redis: Any = None,
        prefix: str = "newsclean",
        window_days: float | None = None,
        durable: bool = False,
        **overrides: Unpack[OverridesBesideThreshold],
    ) -> None:
        if isinstance(config, (int, float)) and not isinstance(config, bool):
            raise ValueError(
                f"Deduplicator's first argument is the Config, not the threshold {config!r}; "
                f"pass threshold={config!r} as a keyword"
            )
        given = {**overrides} if threshold is None else {**overrides, "threshold": threshold}
        self.config = resolve_config(config, given)
        if window_days is not None and not window_days > 0:
            raise ValueError("window_days must be a positive number of days, or None for no window")
        self.window_days = window_days
        self.window = None if window_days is None else float(window_days) * 86400.0
        self.params = Params.from_config(self.config)
        self.band_hash = BAND_HASH
        # add() signs one text at a time: without the compiled kernels loaded up
        # front it takes numpy's path, ~10x slower for a Chinese article.
        preload(self.config)
        self.bands, self.rows = bands_rows(
            lsh_threshold(self.config.threshold, self.config.containment), self.config.num_perm
        )
        # Re-entrant: prune() takes it inside add().
        self._lock = threading.RLock()
        self.store: SQLiteStore | RedisStore
        if redis is not None:
            self.store = RedisStore(redis, prefix)
        elif path is not None and str(path).startswith(_REDIS_SCHEMES):
            try:
                import redis as redis_lib
            except ImportError as err:
                raise ImportError(
                    "a redis:// index needs the redis client: pip install newsclean[redis]"
                ) from err
            client = redis_lib.Redis.from_url(str(path))
            self.store = RedisStore(client, prefix, owned=True, name=str(path))
        else:
            self.store = SQLiteStore(None if path is None else str(path), durable=durable)
        try:
            with self._guard():
                self._check_meta()
        except BaseException:
            self.store.close()
            raise
        self._newest = -np.inf

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """One caller at a time, and the store's errors as newsclean errors."""
        with self._lock, self.store.errors():
            yield

    def _meta(self) -> dict[str, Any]:
        return {
            **self.params.to_dict(),
            "threshold": self.config.threshold,
            "containment": self.config.containment,
            "bands": self.bands,
            "rows": self.rows,
            "band_hash": self.band_hash,
        }

    def _check_meta(self) -> None:
        saved = self.store.get_meta()
        if saved is None:
            self.store.set_meta(self._meta())
            saved = self.store.get_meta() or self._meta()  # another process may have won
        # An index saved before a field existed was built the legacy way: keep
        # shingling and banding it so, or its documents would stop matching.
        # (A missing "scheme" is "datasketch", checked like every parameter.)
        if "shingling" not in saved:
            self.params = dataclasses.replace(self.params, shingling=LEGACY["shingling"])
        if "band_hash" not in saved:
            self.band_hash = LEGACY_BAND_HASH
        check_saved(
            {**LEGACY, "band_hash": LEGACY_BAND_HASH, **saved},
            self._meta(),
            "the index was built with other parameters",
            "start a new index",
        )

    def _sign(self, text: str, method: str) -> tuple[np.ndarray, int, list[int]]:
        require_text(text, f"Deduplicator.{method}")
        limit = self.config.max_input_bytes
        # The limit every other entry point applies (signing is linear, so with
        # the size bounded no timeout is needed).
        if utf8_size_over(text, limit):
            raise InputError("too-large", f"more than {limit} bytes (max_input_bytes)")
        p = self.params
        # hash_batch, not shingle_hashes: it takes the compiled kernel once loaded.
        h = hash_batch([text], p.char_ngram, p.word_ngram, run_min=p.run_min)[0]
        size = int(np.unique(h).size)
        sig = minhash_rows([h], self.params)[0]
        keys = (
            band_keys(sig[None, :], self.bands, self.rows, self.band_hash)[0]
            .view(np.int64)
            .tolist()
            if size
            else []
        )
        return sig, size, keys

    def _bounds(self, ts: float | None) -> tuple[float, float]:
        """The dates an article dated ``ts`` is compared with: the window on either side."""
        # An undated document has no place in time: it is compared with the whole index.
        if self.window is None or ts is None:
            return -np.inf, np.inf
        return ts - self.window, ts + self.window

    def add(self, doc_id: str, text: str, date: Any = None) -> Match | None:
        """Insert one article; None when it is new, else the Match it duplicates.

        ``date`` (ISO string, date, datetime or epoch seconds) places it in the
        time window; an undated article never moves the window.

        Example::

            >>> dd = Deduplicator(window_days=7)
            >>> dd.add("a", "Floods closed the coastal road for three days this week.", "2020-02-01")
            >>> dd.add("b", "Floods closed the coastal road for three days this week.")
            Match(duplicate_of='a', similarity=1.0)
        """
        doc_id = document_id(doc_id, "Deduplicator.add")  # None was stored as "None"
        sig, size, keys = self._sign(text, "add")  # outside the lock: the costly part
        ts = timestamp(date)
        bounds = self._bounds(ts)
        with self._guard(), self.store.transaction():
            seen = self.store.get(doc_id)
            if seen is not None:
                return self._answer_again(seen)
            root, sim = self._find_root(sig, size, keys, bounds)
            stamp = time.time() if ts is None else ts
            self.store.insert(doc_id, sig, size, root or doc_id, stamp, keys)
            self._advance(ts)
        return None if root is None else Match(root, sim)

    def query(self, text: str, date: Any = None) -> Match | None:
        """The Match ``text`` would get from :meth:`add`, without adding it.

        Example::

            >>> dd = Deduplicator()
            >>> dd.add("a", "The bridge reopened on Friday after repairs that lasted a year.")
            >>> dd.query("The bridge reopened on Friday after repairs that lasted a year.")
            Match(duplicate_of='a', similarity=1.0)
            >>> len(dd)
            1
        """
        sig, size, keys = self._sign(text, "query")
        bounds = self._bounds(timestamp(date))
        with self._guard():
            root, sim = self._find_root(sig, size, keys, bounds)
        return None if root is None else Match(root, sim)

    def _answer_again(self, seen: StoredDoc) -> Match:
        if seen.root == seen.doc_id:
            return Match(seen.doc_id, 1.0)
        root = self.store.get(seen.root)
        sim = 1.0 if root is None else float(np.mean(root.sig == seen.sig))
        return Match(seen.root, round(sim, 4))

    def _find_root(
        self, sig: np.ndarray, size: int, keys: list[int], bounds: tuple[float, float]
    ) -> tuple[str | None, float]:
        if not keys:
            return None, 0.0
        since, until = bounds
        cands = self.store.candidates(keys, WINDOW, since, until)
        if not cands:
            return None, 0.0
        sigs = np.stack([c.sig for c in cands])
        jac = (sigs == sig[None, :]).mean(axis=1)
        sizes = np.array([c.size for c in cands])
        ok = passes(jac, sizes, size, self.config.threshold, self.config.containment)
        # Best score first, then the earliest: the batch order exactly.
        for k in sorted(np.flatnonzero(ok).tolist(), key=lambda k: (-jac[k], cands[k].seq)):
            c = cands[k]
            if c.root == c.doc_id:
                return c.doc_id, round(float(jac[k]), 4)
            root = self.store.get(c.root)
            if root is None or not since <= root.ts <= until:
                continue  # pruned or out of the window: this candidate's cluster is gone
            rj = float(np.mean(root.sig == sig))
            if passes(rj, root.size, size, self.config.threshold, self.config.containment):
                return root.doc_id, round(rj, 4)
        return None, 0.0

    def _advance(self, ts: float | None) -> None:
        """Move the window to a new newest date and drop what fell out of it.

        Runs inside the add's transaction: no extra commit, and no moment when
        the index holds an article the window has passed.  Only a new newest
        date, or an article dated before the window, can leave anything to drop.
        """
        if ts is None or self.window is None:  # only dates move the window
            return
        newest = max(self._newest, ts)
        if newest == self._newest and ts >= newest - self.window:
            return
        self.store.delete_before(newest - self.window)
        self._newest = newest  # only once the delete went through

    def prune(self) -> int:
        """Drop articles older than the window (relative to the newest date added).

        Returns how many were dropped.  ``add`` already drops them whenever the
        newest date moves, so this finds something only in an index that other
        processes, with a newer newest date, also add to.

        >>> with Deduplicator(window_days=7) as dd:
        ...     _ = dd.add("old", "An article from January about the council budget.", date="2020-01-01")
        ...     _ = dd.add("new", "An article from March about the harbour works.", date="2020-03-01")
        ...     dd.prune(), len(dd)
        (0, 1)
        """
        with self._guard():
            if self.window is None or self._newest == -np.inf:
                return 0
            return self.store.prune(self._newest - self.window)

    def __len__(self) -> int:
        """How many documents the index holds."""
        with self._guard():
            return len(self.store)

    def __repr__(self) -> str:
        default = Config()
        changed = [
            f"{k}={v!r}"
            for k, v in self.config.to_dict().items()
            if k in self._meta() and v != getattr(default, k)
        ]
        window = [] if self.window_days is None else [f"window_days={self.window_days!r}"]
        return f"Deduplicator({', '.join([f'path={self.store.name!r}', *changed, *window])})"

    def close(self) -> None:
        """Close the index (the file or the Redis client it opened; a caller's client stays open).

        Example::

            >>> dd = Deduplicator()
            >>> dd.close()
        """
        with self._lock:
            self.store.close()

    def __enter__(self) -> Deduplicator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
