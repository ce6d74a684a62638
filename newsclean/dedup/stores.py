"""Where a streaming :class:`~newsclean.dedup.Deduplicator` keeps its index.

``SQLiteStore`` (the default; ``path=None`` keeps it in memory) is one file:

* ``meta``: the signature and LSH parameters, checked when the file is reopened;
* ``docs``: one row per document: id, signature (num_perm x uint32 bytes),
  shingle-set size, cluster root, timestamp;
* ``bands``: (band key, doc seq), indexed by key.

Every ``add`` is one ``BEGIN IMMEDIATE`` transaction (look up, decide,
insert), so several processes may share a file and a process killed at any
point loses nothing that was committed: the journal is a write-ahead log, and
with ``synchronous=NORMAL`` a commit is in the log before ``add`` returns
(durable against a crash of the process; pass ``durable=True`` for
``synchronous=FULL``, which also survives power loss, at one fsync per add).

``RedisStore`` is for several crawler processes on several machines: a doc
hash per document, a sorted set per band key (member = doc id, score = seq),
a sorted set of timestamps for the time window, and a Redis lock that makes
look-up + insert atomic across processes, so two crawlers adding the same
story at the same moment cannot both call it new.

Both translate their backend's failures into newsclean errors inside
``errors()``: a file that is not a (newsclean) SQLite database, truncated or
malformed, is :class:`~newsclean.errors.IndexCorruptError`; a Redis server
that does not answer is :class:`~newsclean.errors.IndexUnavailableError`
naming the URL; other I/O trouble (read-only or full disk) is
:class:`~newsclean.errors.EnvironmentProblem`.  Neither is thread-safe on its
own: :class:`~newsclean.dedup.Deduplicator` serializes calls with a lock.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from newsclean.errors import EnvironmentProblem, IndexCorruptError, IndexUnavailableError

_NOT_AN_INDEX = "is not a newsclean index ({}); move it away or pass another path"


@dataclass(frozen=True)
class StoredDoc:
    seq: int
    doc_id: str
    sig: np.ndarray  # uint32, num_perm
    size: int
    root: str
    ts: float


def _parse_meta(raw: str | bytes, where: str) -> dict[str, Any]:
    try:
        meta = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested too deep for json
        meta = None
    if not isinstance(meta, dict):
        raise IndexCorruptError(where, _NOT_AN_INDEX.format("its saved parameters are unreadable"))
    return meta


class SQLiteStore:
    def __init__(self, path: str | None, durable: bool = False) -> None:
        self.name = path or ":memory:"
        with self.errors():
            self._open(durable)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """sqlite3's exceptions as newsclean errors naming the file."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            msg = str(exc)
            if "no such" in msg or "malformed" in msg or "has no column" in msg:
                raise IndexCorruptError(self.name, _NOT_AN_INDEX.format(msg)) from exc
            raise EnvironmentProblem(self.name, f"cannot use the index: {msg}") from exc
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError:
                raise  # IntegrityError, ProgrammingError ...: a bug here, not the file
            raise IndexCorruptError(self.name, _NOT_AN_INDEX.format(exc)) from exc

    def _open(self, durable: bool) -> None:
        # The Deduplicator's lock serializes every call, so one connection may
        # serve every thread; sqlite3's own same-thread check would refuse that.
        self.conn = sqlite3.connect(
            self.name, isolation_level=None, timeout=60, check_same_thread=False
        )
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self.conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS docs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                sig BLOB NOT NULL, size INTEGER NOT NULL, root TEXT NOT NULL,
                ts REAL NOT NULL, keys BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, seq INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS bands_key ON bands (key, seq);
            CREATE INDEX IF NOT EXISTS docs_ts ON docs (ts);
            """
        )

    def get_meta(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()
        return _parse_meta(row[0], self.name) if row else None

    def set_meta(self, meta: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('params', ?)",
            (json.dumps(meta, sort_keys=True),),
        )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _doc(self, row: tuple[Any, ...]) -> StoredDoc:
        seq, doc_id, sig, size, root, ts = row
        return StoredDoc(seq, doc_id, np.frombuffer(sig, dtype=np.uint32), size, root, ts)

    def get(self, doc_id: str) -> StoredDoc | None:
        row = self.conn.execute(
            "SELECT seq, id, sig, size, root, ts FROM docs WHERE id = ?", (doc_id,)
        ).fetchone()
        return self._doc(row) if row else None

    def candidates(
        self, keys: Sequence[int], window: int, since: float, until: float = float("inf")
    ) -> list[StoredDoc]:
        seqs: set[int] = set()
        for key in keys:
            rows = self.conn.execute(
                "SELECT seq FROM bands WHERE key = ? ORDER BY seq DESC LIMIT ?", (key, window)
            ).fetchall()
            seqs.update(r[0] for r in rows)
        if not seqs:
            return []
        marks = ",".join("?" * len(seqs))
        rows = self.conn.execute(
            f"SELECT seq, id, sig, size, root, ts FROM docs WHERE seq IN ({marks})"
            " AND ts >= ? AND ts <= ?",
            (*sorted(seqs), since, until),
        ).fetchall()
        return [self._doc(r) for r in rows]

    def insert(
        self, doc_id: str, sig: np.ndarray, size: int, root: str, ts: float, keys: Sequence[int]
    ) -> None:
        cur = self.conn.execute(
            "INSERT INTO docs (id, sig, size, root, ts, keys) VALUES (?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                sig.astype(np.uint32).tobytes(),
                size,
                root,
                ts,
                np.asarray(keys, dtype=np.int64).tobytes(),
            ),
        )
        seq = cur.lastrowid
        self.conn.executemany(
            "INSERT INTO bands (key, seq) VALUES (?, ?)", [(k, seq) for k in keys]
        )

    def prune(self, before: float) -> int:
        with self.transaction():
            return self.delete_before(before)

    def delete_before(self, before: float) -> int:
        """Drop documents dated before ``before``, inside the caller's transaction.

        Band rows go by (key, seq), the index they have: ``seq IN (...)`` alone
        scanned the whole bands table, too slow to prune on every add.
        """
        old = self.conn.execute("SELECT seq, keys FROM docs WHERE ts < ?", (before,)).fetchall()
        if not old:
            return 0
        self.conn.executemany(
            "DELETE FROM bands WHERE key = ? AND seq = ?",
            [(k, seq) for seq, keys in old for k in np.frombuffer(keys, dtype=np.int64).tolist()],
        )
        return self.conn.execute("DELETE FROM docs WHERE ts < ?", (before,)).rowcount

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def close(self) -> None:
        self.conn.close()


def redact(url: str) -> str:
    """``url`` without its password, fit for an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


def _redis_name(client: Any) -> str:
    """redis://host:port/db of a client, for messages (never its password)."""
    try:
        kw = client.connection_pool.connection_kwargs
    except AttributeError:
        return repr(client)
    if "path" in kw:
        return f"unix://{kw['path']}"
    return f"redis://{kw.get('host', 'localhost')}:{kw.get('port', 6379)}/{kw.get('db', 0)}"


class RedisStore:
    def __init__(
        self, client: Any, prefix: str = "newsclean", owned: bool = False, name: str | None = None
    ) -> None:
        self.r = client
        self.p = prefix
        self.owned = owned  # close only a client we opened, not the caller's
        self.name = redact(name) if name else _redis_name(client)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """redis-py's exceptions as newsclean errors naming the server."""
        import redis

        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise IndexUnavailableError(
                self.name, f"no Redis server answers ({exc}); start one or pass another URL"
            ) from exc
        except redis.RedisError as exc:
            raise EnvironmentProblem(self.name, f"cannot use the index: {exc}") from exc

    def _k(self, *parts: object) -> str:
        return ":".join((self.p, *map(str, parts)))

    def get_meta(self) -> dict[str, Any] | None:
        raw = self.r.get(self._k("meta"))
        return _parse_meta(raw, f"{self.name} {self._k('meta')}") if raw else None

    def set_meta(self, meta: dict[str, Any]) -> None:
        self.r.set(self._k("meta"), json.dumps(meta, sort_keys=True), nx=True)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # One lock for look-up + insert: the only way two processes adding
        # reprints of one story at once cannot both see "new".
        with self.r.lock(self._k("lock"), timeout=60, blocking_timeout=120, sleep=0.001):
            yield

    def _fetch(self, ids: Sequence[str]) -> list[StoredDoc]:
        pipe = self.r.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hmget(self._k("d", doc_id), "seq", "sig", "size", "root", "ts")
        out = []
        for doc_id, (seq, sig, size, root, ts) in zip(ids, pipe.execute(), strict=True):
            if seq is not None:
                out.append(
                    StoredDoc(
                        int(seq),
                        doc_id,
                        np.frombuffer(sig, dtype=np.uint32),
                        int(size),
                        root.decode(),
                        float(ts),
                    )
                )
        return out

    def get(self, doc_id: str) -> StoredDoc | None:
        found = self._fetch([doc_id])
        return found[0] if found else None

    def candidates(
        self, keys: Sequence[int], window: int, since: float, until: float = float("inf")
    ) -> list[StoredDoc]:
        pipe = self.r.pipeline(transaction=False)
        for key in keys:
            pipe.zrevrange(self._k("b", key), 0, window - 1)
        ids = sorted({m.decode() for members in pipe.execute() for m in members})
        return [d for d in self._fetch(ids) if since <= d.ts <= until]

    def insert(
        self, doc_id: str, sig: np.ndarray, size: int, root: str, ts: float, keys: Sequence[int]
    ) -> None:
        seq = int(self.r.incr(self._k("seq")))
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(
            self._k("d", doc_id),
            mapping={
                "seq": seq,
                "sig": sig.astype(np.uint32).tobytes(),
                "size": size,
                "root": root,
                "ts": ts,
                "keys": np.asarray(keys, dtype=np.int64).tobytes(),
            },
        )
        for key in keys:
            pipe.zadd(self._k("b", key), {doc_id: seq})
        pipe.zadd(self._k("ts"), {doc_id: ts})
        pipe.execute()

    def prune(self, before: float) -> int:
        with self.transaction():
            return self.delete_before(before)

    def delete_before(self, before: float) -> int:
        """Drop documents dated before ``before``, inside the caller's transaction."""
        old = [m.decode() for m in self.r.zrangebyscore(self._k("ts"), "-inf", f"({before}")]
        for doc_id in old:
            raw = self.r.hget(self._k("d", doc_id), "keys")
            pipe = self.r.pipeline(transaction=True)
            for key in np.frombuffer(raw or b"", dtype=np.int64).tolist():
                pipe.zrem(self._k("b", key), doc_id)
            pipe.delete(self._k("d", doc_id))
            pipe.zrem(self._k("ts"), doc_id)
            pipe.execute()
        return len(old)

    def __len__(self) -> int:
        return int(self.r.zcard(self._k("ts")))

    def close(self) -> None:
        if self.owned:
            self.r.close()
