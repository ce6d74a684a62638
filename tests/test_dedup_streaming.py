"""The streaming Deduplicator: persistence, crash safety, time window, Redis, batch parity."""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.synchronize
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsclean import Config, Deduplicator, IndexMismatchError, Match, cluster
from tests.helpers import ROOT, require_program
from tests.test_dedup import english_bodies, reprint, seed_bodies


def corpus(n_english: int = 12, seed: int = 11) -> list[tuple[str, str]]:
    """Originals, reprints and truncated copies, shuffled with a fixed seed."""
    rng = random.Random(seed)
    bodies = seed_bodies() + english_bodies(n_english)
    docs = []
    for k, body in enumerate(bodies):
        docs.append((f"a{k}", body))
        for c in range(rng.randrange(0, 3)):
            docs.append((f"a{k}-r{c}", reprint(body, rng)))
        if rng.random() < 0.4:
            docs.append(
                (f"a{k}-cut", body[: int(len(body) * rng.uniform(0.6, 0.85))] + " 阅读全文")
            )
    rng.shuffle(docs)
    return docs


def story(doc_id: str) -> str:
    return doc_id.split("-")[0]


def test_new_articles_are_none_and_reprints_name_the_first_seen() -> None:
    docs = corpus()
    first: dict[str, str] = {}
    with Deduplicator() as dd:
        for doc_id, text in docs:
            m = dd.add(doc_id, text)
            if story(doc_id) in first:
                assert m is not None and m.duplicate_of == first[story(doc_id)], doc_id
                assert 0.4 < m.similarity <= 1.0
            else:
                assert m is None, (doc_id, m)
                first[story(doc_id)] = doc_id
        assert len(dd) == len(docs)


def test_streaming_and_batch_without_merges_give_the_same_clusters() -> None:
    # Streaming has already answered when a later bridge would merge two
    # clusters, so it matches batch clustering with merge_clusters=False.
    docs = corpus(n_english=20, seed=4)
    with Deduplicator() as dd:
        stream = [dd.add(i, t) for i, t in docs]
    batch = cluster(docs, representative="first", merge_clusters=False)
    for (doc_id, _), m, info in zip(docs, stream, batch, strict=True):
        if m is None:
            assert info.is_representative and info.cluster_id == doc_id
        else:
            assert info.duplicate_of == m.duplicate_of
            assert info.similarity == m.similarity


def test_the_index_persists_across_reopening(tmp_path: Path) -> None:
    a, b = english_bodies(2)
    path = tmp_path / "index.db"
    with Deduplicator(path=str(path)) as dd:
        assert dd.add("a", a) is None
        assert dd.add("b", b) is None
    with Deduplicator(path=str(path)) as dd:
        m = dd.add("a-copy", reprint(a, random.Random(1)))
        assert m is not None and m.duplicate_of == "a"
        assert len(dd) == 3


def test_reopening_with_other_parameters_raises(tmp_path: Path) -> None:
    path = str(tmp_path / "index.db")
    Deduplicator(path=path).close()
    with pytest.raises(IndexMismatchError, match="num_perm"):
        Deduplicator(path=path, num_perm=64)
    with pytest.raises(IndexMismatchError, match="char_ngram"):
        Deduplicator(path=path, config=Config(char_ngram=3))
    Deduplicator(path=path, config=Config()).close()  # the same parameters reopen fine


def test_adding_a_known_id_again_does_not_insert_it_twice() -> None:
    a = english_bodies(1)[0]
    with Deduplicator() as dd:
        assert dd.add("a", a) is None
        m = dd.add("b", a)
        assert m == Match("a", 1.0)
        assert dd.add("a", a) == Match("a", 1.0)  # seen already
        assert dd.add("b", a) == m  # the same answer as the first time
        assert len(dd) == 2


def test_time_window_only_compares_recent_articles_and_prunes_old_ones() -> None:
    a, b = english_bodies(2)
    with Deduplicator(window_days=3) as dd:
        assert dd.add("a", a, date="2020-02-01") is None
        assert dd.add("a-late", a, date="2020-02-10") is None  # 9 days later: out of the window
        m = dd.add("a-soon", a, date="2020-02-12T08:00:00")
        assert m is not None and m.duplicate_of == "a-late"
        dd.add("b", b, date="2020-02-20")
        # the add that moved the newest date dropped the three older ones
        assert len(dd) == 1 and dd.prune() == 0
    with pytest.raises(ValueError, match="window_days"):
        Deduplicator(window_days=0)
    with pytest.raises(ValueError, match="ISO 8601"):
        Deduplicator().add("x", a, date="26/02/2020")


def test_time_window_looks_both_ways() -> None:
    """A copy dated long before the original is outside the window, not its reprint."""
    a, b, c = english_bodies(3)
    with Deduplicator(window_days=7) as dd:
        assert dd.add("B", a, date="2020-03-01") is None
        assert dd.add("early", a, date="2019-01-01") is None  # 14 months before B
        assert dd.query(a, date="2020-03-05") == Match("B", 1.0)
        # a copy dated a few days before its original is still within the window
        assert dd.add("C", b, date="2020-03-02") is None
        assert dd.add("C-earlier", b, date="2020-02-28") == Match("C", 1.0)
        assert dd.query(c, date="2020-03-03") is None


def test_len_counts_only_articles_still_in_the_window() -> None:
    a, b, c, d = english_bodies(4)
    with Deduplicator(window_days=7) as dd:
        for doc_id, text in (("a", a), ("b", b), ("c", c)):
            dd.add(doc_id, text, date="2020-01-01")
        assert len(dd) == 3
        dd.add("d", d, date="2020-03-01")  # 60 days on: a, b and c fell out
        assert len(dd) == 1
        assert dd.add("a-again", a, date="2020-03-02") is None
        dd.add("late", a, date="2020-01-02")  # dated before the window: dropped at once
        assert len(dd) == 2 and dd.prune() == 0


_WRITER = """
import sys
from newsclean import Deduplicator
from tests.test_dedup import english_bodies
bodies = english_bodies(40)
dd = Deduplicator(path=sys.argv[1])
for k in range(10**6):
    dd.add(f"d{k}", bodies[k % len(bodies)] + f" edition {k}")
    print(f"d{k}", flush=True)
"""


def test_kill_9_mid_insert_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    done = []
    for line in proc.stdout:
        done.append(line.strip())
        if len(done) == 60:
            break
    os.kill(proc.pid, signal.SIGKILL)  # while it is adding the next documents
    proc.wait()
    done += [ln.strip() for ln in proc.stdout.read().splitlines() if ln.strip()]
    with Deduplicator(path=str(path)) as dd:
        assert dd.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in dd.store.conn.execute("SELECT id FROM docs")}
        assert set(done) <= stored  # every add that returned is there
        assert len(stored) - len(done) <= 1  # at most the one in flight, and whole
        # The reopened index keeps working.
        assert dd.add("after", english_bodies(1)[0] + " edition 0") is not None


# --- Redis ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = require_program("redis-server")
    pytest.importorskip("redis")
    import redis

    port = _free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", ""]
    proc = subprocess.Popen([server, *args, "--appendonly", "no"], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.redis
def test_redis_backend_finds_reprints_and_checks_parameters(redis_url: str) -> None:
    a, b = english_bodies(2)
    with Deduplicator(path=redis_url, prefix="t1") as dd:
        assert dd.add("a", a) is None
        assert dd.add("b", b) is None
    with Deduplicator(path=redis_url, prefix="t1") as dd:
        m = dd.add("a-copy", reprint(a, random.Random(2)))
        assert m is not None and m.duplicate_of == "a"
        assert len(dd) == 3
    with pytest.raises(IndexMismatchError):
        Deduplicator(path=redis_url, prefix="t1", seed=2)
    import redis

    client = redis.Redis.from_url(redis_url)
    with Deduplicator(redis=client, prefix="t1") as dd:  # a caller's client
        assert dd.add("b-copy", b) == Match("b", 1.0)
    assert client.ping()  # still open: the caller owns it


def _redis_worker(
    url: str, docs: list[tuple[str, str]], barrier: mp.synchronize.Barrier, out: mp.Queue
) -> None:
    with Deduplicator(path=url, prefix="conc") as dd:
        results = []
        for doc_id, text in docs:
            barrier.wait(timeout=60)  # all workers add a copy of the same story at once
            results.append((doc_id, dd.add(doc_id, text)))
        out.put(results)


@pytest.mark.redis
def test_concurrent_processes_find_every_duplicate_exactly_once(redis_url: str) -> None:
    bodies = seed_bodies() + english_bodies(15)
    workers = 4
    # Worker w adds copy w of story k in round k: four copies of one story race.
    # The copies change chrome and spacing only, so each matches every other
    # whichever wins the race.
    parts = [
        [
            (f"a{k}-c{w}", f"标题 {w}\n" + body.replace(". ", " . " * w) + f"\n来源: {w}")
            for k, body in enumerate(bodies)
        ]
        for w in range(workers)
    ]
    # fork: the workers start at once, without re-importing numpy and the tables.
    ctx = mp.get_context("fork")
    with Deduplicator() as warm:  # build the static tables once, before forking
        warm.add("warm", bodies[0])
    out: mp.Queue = ctx.Queue()
    barrier = ctx.Barrier(workers)
    procs = [ctx.Process(target=_redis_worker, args=(redis_url, p, barrier, out)) for p in parts]
    for p in procs:
        p.start()
    results = [r for _ in procs for r in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert len(results) == workers * len(bodies)
    new = sorted(doc_id for doc_id, m in results if m is None)
    assert sorted(map(story, new)) == sorted(f"a{k}" for k in range(len(bodies)))
    for doc_id, m in results:  # every other copy names the one new copy of its story
        if m is not None:
            assert m.duplicate_of in new and story(m.duplicate_of) == story(doc_id)


JA = "東京都は二十六日、新型コロナウイルスの感染拡大を受けて、都内の大規模なイベントの中止や延期を要請した。"


def test_a_new_index_records_its_scheme_shingling_and_band_hash(tmp_path: Path) -> None:
    from newsclean.dedup.stores import SQLiteStore

    path = str(tmp_path / "index.db")
    Deduplicator(path=path, scheme="oph").close()
    store = SQLiteStore(path)
    meta = store.get_meta()
    store.close()
    assert meta is not None
    assert (meta["scheme"], meta["band_hash"]) == ("oph", "splitmix64")
    assert meta["shingling"].startswith("script-runs")
    with pytest.raises(IndexMismatchError, match="scheme: saved 'oph', now 'datasketch'"):
        Deduplicator(path=path)
    a, b = english_bodies(2)
    with Deduplicator(path=path, scheme="oph") as dd:  # an oph index finds reprints too
        assert dd.add("a", a) is None and dd.add("b", b) is None
        m = dd.add("a-copy", reprint(a, random.Random(3)))
        assert m is not None and m.duplicate_of == "a"


def test_an_index_saved_before_those_fields_opens_and_still_matches(tmp_path: Path) -> None:
    # Written by newsclean 0.1.0 (fixtures/dedup/README): murmur band keys and
    # one shingle mode per document.  Reopened, it must keep both.
    path = tmp_path / "legacy.db"
    path.write_bytes((ROOT / "fixtures" / "dedup" / "legacy-index-0.1.0.db").read_bytes())
    e = english_bodies(4)
    mixed = e[3][:700] + "\n\n" + JA * 3 + "\n\n" + e[3][700:1400]
    with Deduplicator(path=str(path)) as dd:
        assert len(dd) == 4
        m = dd.add("copy0", reprint(e[0], random.Random(2)))
        assert m is not None and m.duplicate_of == "doc0"
        # Signed the legacy way, the mixed-script text equals its stored signature.
        assert dd.add("copy3", mixed) == Match("doc3", 1.0)
    with pytest.raises(IndexMismatchError, match="scheme: saved 'datasketch', now 'oph'"):
        Deduplicator(path=str(path), scheme="oph")
    # A new index signs that text per script segment: the stored row would differ.
    with Deduplicator() as fresh:
        assert fresh.params.shingling != "document" and fresh.band_hash == "splitmix64"


def test_the_oph_scheme_finds_the_same_reprints_as_the_default() -> None:
    docs = corpus(n_english=20, seed=4)
    default = cluster(docs)
    oph = cluster(docs, scheme="oph")
    agree = sum(a.cluster_id == b.cluster_id for a, b in zip(default, oph, strict=True))
    assert agree >= len(docs) - 2, (agree, len(docs))
    assert all(story(i.cluster_id) == story(d[0]) for i, d in zip(oph, docs, strict=True))


def test_add_and_query_refuse_a_text_over_max_input_bytes() -> None:
    # Every entry point applies the limits: a crawler's giant text is an InputError
    # naming the limit, as clean() and run give, not minutes of signing.
    from newsclean.errors import InputError

    dd = Deduplicator(max_input_bytes=1000)
    with pytest.raises(InputError, match="too-large"):
        dd.add("big", "字" * 400)  # 1,200 bytes in 400 characters
    with pytest.raises(InputError, match="too-large"):
        dd.query("x" * 1001)
    assert dd.add("small", "字" * 300) is None and len(dd) == 1
    dd.close()


def test_cluster_refuses_a_text_over_max_input_bytes_naming_it() -> None:
    from newsclean.dedup import cluster
    from newsclean.errors import InputError

    with pytest.raises(InputError, match=r"'big'.*max_input_bytes") as err:
        cluster([("small", "字" * 300), ("big", "字" * 400)], max_input_bytes=1000)
    assert err.value.reason == "too-large"
    assert len(cluster([("small", "字" * 300)], max_input_bytes=1000)) == 1
