"""The Dask engine gives exactly the clusters of newsclean.cluster on the same input.

Generated corpus (fixed seed): random CJK articles, reprints of some (prefix
cut at 60-100 %, an added 原标题 line and a source outro, full-width
punctuation), and "roundups" that quote half of one article and half of
another, which touch two clusters and must merge neither (the anti-chaining
guard, where a candidate's root has to be verified too), and "early" copies
(78 % of an article plus a 22 % tail) that fail against their original while a
"late" copy (the article plus the same tail) passes against both: when the
early copy comes first, only the guarded merge pass joins the two clusters.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import require_module

require_module("distributed", "dask")
require_module("pandas", "dask")

import dask.bag as db  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402

from newsclean.article import ClusterInfo  # noqa: E402
from newsclean.contrib.dask import cluster_bag  # noqa: E402
from newsclean.dedup import cluster  # noqa: E402

CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
)


def corpus(n: int, seed: int = 7) -> list[tuple[str, str, str | None]]:
    rng = random.Random(seed)
    bodies = ["".join(rng.choice(CHARS) for _ in range(rng.randint(300, 900))) for _ in range(n)]
    docs: list[tuple[str, str, str | None]] = []
    for k, body in enumerate(bodies):
        docs.append((f"a{k}", body, f"2020-02-{1 + k % 28:02d}"))
        if rng.random() < 0.35:
            cut = body[: int(len(body) * rng.uniform(0.6, 1.0))]
            docs.append((f"r{k}", f"原标题：{cut}（来源：人民日报）", None))
        if k and rng.random() < 0.1:
            a, b = bodies[k - 1], body
            docs.append((f"mix{k}", a[: len(a) // 2] + b[len(b) // 2 :], None))
        if rng.random() < 0.2:
            tail = "".join(rng.choice(CHARS) for _ in range(int(len(body) * 0.22)))
            docs.append((f"early{k}", body[: int(len(body) * 0.78)] + tail, None))
            docs.append((f"late{k}", body + tail, None))
    rng.shuffle(docs)
    return docs


def write_sites(root: Path, n: int, seed: int = 5) -> None:
    """``n`` articles as text pages of five sites, with reprints: a generated crawl.

    Each site prints its own chrome lines that the chrome detector keeps (so
    only the learned site templates remove them), 30 % of the articles are
    reprinted (title changed, a paragraph or more dropped) under another site,
    and 10 % have an early partial copy (``0agg/``, read first) and a late full
    one (``zagg/``, read last) with the same extra paragraph, for the merge
    pass.  Plus a JSONL feed that repeats an id and an empty file (an error).
    """
    rng = random.Random(seed)
    sites = [f"site{k}" for k in range(5)] + ["0agg", "zagg"]

    def para() -> str:
        words = ("".join(rng.choice(CHARS) for _ in range(rng.randint(8, 20))) for _ in range(5))
        return "，".join(words) + "。"

    def page(site: str, title: str, paras: list[str]) -> str:
        k = sites.index(site)
        head = [
            f"{site}观察 第{k + 3}频道",
            f"{site}晨报记者站位于城东新区建设路{k + 1}号，欢迎读者来访交流。",
        ]
        foot = [f"{site}晨报是一家关注城市发展的综合新闻网站，每天为读者提供本地新闻和深度报道。"]
        return "\n\n".join([*head, title, *paras, *foot]) + "\n"

    def write(site: str, name: str, text: str) -> None:
        (root / site).mkdir(parents=True, exist_ok=True)
        (root / site / name).write_text(text, "utf-8")

    for i in range(n):
        site = sites[i % 5]
        title = "".join(rng.choice(CHARS) for _ in range(12))
        paras = [para() for _ in range(rng.randint(3, 7))]
        write(site, f"{i:05d}.txt", page(site, title, paras))
        if rng.random() < 0.3:
            other = rng.choice([s for s in sites[:5] if s != site])
            copy = paras[: max(2, round(len(paras) * rng.uniform(0.7, 1.0)))]
            write(other, f"{i:05d}r.txt", page(other, "原标题：" + title, copy))
        if rng.random() < 0.1:
            tail = [para()]
            write("0agg", f"{i:05d}.txt", page("0agg", title, paras[: len(paras) * 3 // 4] + tail))
            write("zagg", f"{i:05d}.txt", page("zagg", title, paras + tail))
    feed = [{"id": "feed", "text": page("site1", "快讯", [para(), para()])} for _ in range(3)]
    (root / "feed.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in feed), "utf-8")  # fmt: skip
    (root / "site2" / "empty.txt").write_text("", "utf-8")


def _newsclean(*args: str) -> subprocess.CompletedProcess[str]:
    # A subprocess: the engines fork (local) and spawn (dask) workers, which is
    # best done from a process without this test session's threads.
    return subprocess.run(
        [sys.executable, "-m", "newsclean", *args], capture_output=True, text=True, timeout=600
    )


def _files(root: Path) -> dict[str, bytes]:
    # .newsclean/journal.jsonl is the local engine's resume log, in completion order.
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "journal.jsonl"
    }


@pytest.mark.slow
def test_run_engine_dask_writes_the_local_engines_bytes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_sites(src, 1500)
    local, dask = tmp_path / "local", tmp_path / "dask"
    r1 = _newsclean("run", str(src), "-o", str(local), "-j", "2", "-q")
    r2 = _newsclean("run", str(src), "-o", str(dask), "-j", "2", "-q", "--engine", "dask")
    assert (r1.returncode, r2.returncode) == (1, 1), (r1.stderr[-2000:], r2.stderr[-2000:])
    manifest = [json.loads(line) for line in (local / "manifest.jsonl").open(encoding="utf-8")]
    assert len(manifest) > 1900
    statuses = [m["status"] for m in manifest]
    assert statuses.count("duplicate") > 400 and statuses.count("error") == 1
    assert sum("site-template" in m["removed"] for m in manifest) > 1800  # templates learned
    assert [m["id"] for m in manifest if m["id"].startswith("feed")] == ["feed", "feed~2", "feed~3"]
    cid = {m["id"]: m["cluster_id"] for m in manifest}
    early = [k[5:] for k in cid if k.startswith("0agg/")]
    # Early copies in their original's cluster (with --no-merge-clusters, 34 fewer).
    assert sum(cid[f"0agg/{k}"] == cid[f"site{int(k) % 5}/{k}"] for k in early) > 50
    expected, got = _files(local), _files(dask)
    assert sorted(got) == sorted(expected)
    assert [k for k in expected if got[k] != expected[k]] == []


@pytest.mark.slow
def test_run_engine_dask_workers_write_the_local_engines_shards(tmp_path: Path) -> None:
    # Several shards, so both workers write; a relative OUT, which the workers
    # must resolve as this process does; duplicates kept, so shards carry clusters.
    src = tmp_path / "in"
    write_sites(src, 150)
    args = ["--layout", "jsonl", "--shard-size", "40", "--keep-duplicates", "-j", "2", "-q"]
    runs = [
        subprocess.run(
            [sys.executable, "-m", "newsclean", "run", "in", "-o", name, *args, *extra],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )
        for name, extra in (("local", []), ("dask", ["--engine", "dask"]))
    ]  # fmt: skip
    assert [r.returncode for r in runs] == [1, 1], [r.stderr[-2000:] for r in runs]
    expected, got = _files(tmp_path / "local"), _files(tmp_path / "dask")
    assert len([k for k in expected if k.startswith("data/part-")]) > 4
    assert sorted(got) == sorted(expected)
    assert [k for k in expected if got[k] != expected[k]] == []


@pytest.fixture(scope="module")
def client() -> Any:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=":0", processes=True
        ) as lc,
        Client(lc) as c,
    ):
        yield c


@pytest.mark.slow
def test_dask_clusters_equal_local_engine(client: Any) -> None:
    docs = corpus(80)
    expected = cluster(docs)  # the default config: with the guarded merge pass
    assert sum(c.cluster_size > 1 and c.is_representative for c in expected) >= 15
    assert any(d[0].startswith("mix") for d in docs)
    # The corpus exercises the merge pass: merging changes some clusters.
    assert expected != cluster(docs, merge_clusters=False)
    got = cluster_bag(db.from_sequence(docs, npartitions=3)).compute()
    assert [g[0] for g in got] == [d[0] for d in docs]  # input order
    assert [g[1] for g in got] == [d[1] for d in docs]
    assert [g[2] for g in got] == expected  # clusters, representatives, similarities


def test_dask_bad_options_fail_before_any_work() -> None:
    bag = db.from_sequence([("a", "x")])
    with pytest.raises(ValueError, match="kind"):
        cluster_bag(bag, kind="pdf")
    with pytest.raises(ValueError, match="threshold"):
        cluster_bag(bag, threshold=2.0)
    with pytest.raises(ValueError, match="exact_jaccard"):
        cluster_bag(bag, exact_jaccard=True)


def test_run_engine_dask_refuses_exact_jaccard_before_any_work(tmp_path: Path) -> None:
    from newsclean.cli import main

    (tmp_path / "in").mkdir()
    out = tmp_path / "o"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--engine", "dask", "--exact-jaccard"]
    assert main(args) == 2
    assert not out.exists()


@pytest.mark.slow
def test_run_engine_dask_reports_progress_and_equals_cluster(client: Any, tmp_path: Path) -> None:
    from newsclean.batch import RunOptions, run_batch

    write_sites(tmp_path / "in", 40)
    ticks: list[int] = []
    phases: list[str] = []
    # --scheduler: the run connects to the module's cluster instead of starting one.
    opts = RunOptions(progress=False, engine="dask", scheduler=client.scheduler.address)
    summary = run_batch([str(tmp_path / "in")], tmp_path / "o", options=opts, on_progress=lambda d, t: ticks.append(d), on_phase=phases.append)  # fmt: skip
    assert ticks and ticks == sorted(ticks) and ticks[-1] == summary.documents
    # Every phase after cleaning is announced: the bar never sits on a stale count.
    assert phases == ["templates", "clustering", "writing"]
    # The clusters are cluster()'s on the clean texts, in input order.
    live = [o for o in summary.outcomes if o.cluster is not None]
    assert any(o.status == "duplicate" for o in live)
    texts = [(o.doc.id, o.load_article().text, o.date) for o in live if o.has_article]
    assert [o.cluster for o in live] == cluster(texts)


#: A mixed batch: reprints, an empty text, whitespace-only ones (space, tab,
#: newline, ideographic space), a punctuation-only text (not empty: a text
#: without shingles, alone in its cluster) and an empty partition's worth of blanks.
MIXED = [
    ("blank-first", ""),
    ("a", "".join(CHARS[(7 * k) % len(CHARS)] for k in range(400))),
    ("spaces", "   "),
    ("b", "".join(CHARS[(7 * k) % len(CHARS)] for k in range(400)) + "。"),
    ("c", ""),
    ("tabs", "\t\n \u3000"),
    ("bangs", "!!!"),
    ("d", "".join(CHARS[(11 * k) % len(CHARS)] for k in range(300))),
    ("blank-last", "\n\n"),
]


@pytest.mark.parametrize("npartitions", [1, 2, 4, 9])
@pytest.mark.parametrize("representative", ["longest", "earliest", "first"])
def test_cluster_bag_and_cluster_agree_that_an_empty_text_is_nobodys_representative(
    npartitions: int, representative: str
) -> None:
    """The README: an empty text is nobody's representative, in cluster() as in
    cluster_bag (which once alone said so; cluster() called it a representative)."""
    import dask

    expected = cluster(MIXED, representative=representative)
    with dask.config.set(scheduler="sync"):
        bag = db.from_sequence(MIXED, npartitions=npartitions)
        got = cluster_bag(bag, representative=representative).compute()
    assert [g[0] for g in got] == [d[0] for d in MIXED]
    assert [g[2] for g in got] == expected
    info = dict(zip([d[0] for d in MIXED], expected, strict=True))
    for blank in ("blank-first", "spaces", "c", "tabs", "blank-last"):
        assert info[blank] == ClusterInfo(blank, 1, is_representative=False), blank
    assert info["bangs"] == ClusterInfo("bangs")  # no shingles, but a text: its own article
    # Keeping the representatives keeps one of each real article and nothing blank
    # (b's "。" adds no shingle: a tie, which goes to the earlier a).
    assert [g[0] for g in got if g[2].is_representative] == ["a", "bangs", "d"]


def test_cluster_bag_with_clean_makes_no_representative_of_a_page_of_chrome() -> None:
    import dask

    chrome = "<html><body><p>版权所有 © 2020 海报新闻网</p><p>首页 | 新闻 | 体育</p></body></html>"
    body = "".join(CHARS[(7 * k) % len(CHARS)] for k in range(400))
    docs = [("page", f"{body[:200]}。\n\n{body[200:]}。"), ("chrome", chrome)]
    with dask.config.set(scheduler="sync"):
        got = cluster_bag(db.from_sequence(docs, npartitions=2), clean=True).compute()
    assert [(g[0], g[1] == "", g[2].is_representative) for g in got] == [
        ("page", False, True),
        ("chrome", True, False),
    ]
    assert [g[2] for g in got] == cluster([(g[0], g[1]) for g in got])


@pytest.mark.slow
def test_readme_python_api_snippet_runs_as_printed(tmp_path: Path) -> None:
    import gzip
    import re

    from tests.helpers import FIXTURES, ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### Dask\n") : readme.index("<!-- /section:integrations -->")]
    snippet = next(
        b for b in re.findall(r"```python\n(.*?)```", section, re.S) if "cluster_bag" in b
    )
    (tmp_path / "dedup_dask.py").write_text(snippet, "utf-8")
    (tmp_path / "crawl").mkdir()
    pages = ("a1", "a2", "a3", "a4", "b1", "c1", "e1")  # b1 reprints a1, c1 truncates a3
    with open(tmp_path / "crawl" / "pages.jsonl", "w", encoding="utf-8") as f:
        for name in pages:
            html = (FIXTURES / "crawl" / f"{name}.html").read_text("utf-8")
            f.write(json.dumps({"id": name, "html": html}, ensure_ascii=False) + "\n")
    proc = subprocess.run(
        [sys.executable, "dedup_dask.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    kept = []
    for path in sorted((tmp_path / "clean").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            kept += [json.loads(line)["id"] for line in f]
    assert {"a2", "a4", "e1"} <= set(kept) and len(kept) == 5
    assert len({"a1", "b1"} & set(kept)) == 1 and len({"a3", "c1"} & set(kept)) == 1


class _FakeClient:
    def __init__(self, link: str | None) -> None:
        self._link = link

    @property
    def dashboard_link(self) -> str | None:
        if self._link is None:
            raise KeyError("dashboard")  # what a scheduler without a dashboard gives
        return self._link


def test_the_dashboard_link_is_printed_once_unless_quiet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newsclean.batch import RunOptions
    from newsclean.contrib.dask import _announce

    link = "http://127.0.0.1:40123/status"
    _announce(_FakeClient(link), RunOptions(engine="dask"))
    assert capsys.readouterr().err == f"newsclean: Dask dashboard at {link}\n"
    _announce(_FakeClient(link), RunOptions(engine="dask", progress=False))  # -q
    assert capsys.readouterr().err == ""
    _announce(_FakeClient(None), RunOptions(engine="dask"))
    assert "not served" in capsys.readouterr().err


def _slow_input_on_workers() -> None:
    """On a worker: a document holding HANG spends 3 s before cleaning's first stage."""
    import importlib
    import time

    explain = importlib.import_module("newsclean.explain")
    original = explain.decode_input

    def slow(raw: Any, cfg: Any) -> tuple[str, Any]:
        text, doubt = original(raw, cfg)
        if "HANG" in text:
            time.sleep(3)
        return text, doubt

    slow.original = original  # type: ignore[attr-defined]
    explain.decode_input = slow


def _restore_input_on_workers() -> None:
    import importlib

    explain = importlib.import_module("newsclean.explain")
    explain.decode_input = getattr(explain.decode_input, "original", explain.decode_input)


@pytest.mark.slow
def test_run_engine_dask_times_out_one_document_and_goes_on(client: Any, tmp_path: Path) -> None:
    from newsclean.batch import RunOptions, run_batch

    src = tmp_path / "in"
    write_sites(src, 12)
    (src / "site0" / "hang.txt").write_text("HANG\n\n" + "，".join(CHARS[:40]) + "。\n", "utf-8")
    opts = RunOptions(progress=False, engine="dask", scheduler=client.scheduler.address)
    client.run(_slow_input_on_workers)
    try:
        summary = run_batch([str(src)], tmp_path / "o", options=opts, timeout=2.0)
    finally:
        client.run(_restore_input_on_workers)
    manifest = {
        Path(m["path"]).name: m
        for m in map(json.loads, (tmp_path / "o" / "manifest.jsonl").open(encoding="utf-8"))
    }
    hang = manifest.pop("hang.txt")
    assert (hang["status"], hang["reason"]) == ("timeout", "timeout")
    assert "timeout=2s" in hang["detail"]
    assert summary.counts["timeout"] == 1
    # The rest went on: every other page was cleaned (the one empty file is an error).
    statuses = [m["status"] for m in manifest.values()]
    assert statuses.count("error") == 1 and "timeout" not in statuses
    assert len(statuses) > 12 and statuses.count("ok") >= 12


_SLOW_READ = """
import signal, sys, time
# A test runner started in the background passes SIGINT on as ignored; a
# user's Ctrl-C at a terminal always has a handler.
signal.signal(signal.SIGINT, signal.default_int_handler)
import newsclean.batch.run as run
read = run.read_documents
def slow(*a, **k):
    for doc in read(*a, **k):
        time.sleep(0.02)  # slow enough to interrupt mid-batch, even on a loaded machine
        yield doc
run.read_documents = slow
from newsclean.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _journal_lines(out: Path) -> int:
    j = out / ".newsclean" / "journal.jsonl"
    return j.read_bytes().count(b"\n") if j.exists() else 0


@pytest.mark.slow
def test_run_engine_dask_interrupted_then_rerun_writes_the_local_engines_bytes(
    client: Any, tmp_path: Path
) -> None:
    import os
    import signal
    import time

    src = tmp_path / "in"
    write_sites(src, 200)
    local = tmp_path / "local"
    assert _newsclean("run", str(src), "-o", str(local), "-j", "2", "-q").returncode == 1
    n = len((local / "manifest.jsonl").read_bytes().splitlines())

    out = tmp_path / "dask"
    args = ["run", str(src), "-o", str(out), "-q", "--engine", "dask"]
    args += ["--scheduler", client.scheduler.address]
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_READ, *args], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _journal_lines(out) < 40 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, (
        f"the run ended before it was interrupted: {proc.communicate()[1]!r}"
    )
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    done = _journal_lines(out)
    assert proc.returncode == 130 and b"rerun the same command" in err, err[-2000:]
    assert 0 < done < n and not (out / "manifest.jsonl").exists()

    rerun = _newsclean(*[a for a in args if a != "-q"])  # its summary says what resumed
    assert rerun.returncode == 1, rerun.stderr[-2000:]
    resumed = int(rerun.stderr.split(" resumed")[0].rsplit(", ", 1)[-1])
    assert resumed >= done - 2  # a torn last journal line is redone
    assert _journal_lines(out) == n  # one line per document: none was cleaned twice
    assert _files(out) == _files(local)


@pytest.mark.slow
def test_run_engine_dask_writes_the_local_engines_bytes_on_the_seeds(
    client: Any, tmp_path: Path
) -> None:
    from newsclean.batch import RunOptions, run_batch
    from tests.helpers import SEEDS

    local = tmp_path / "local"
    assert _newsclean("run", str(SEEDS), "-o", str(local), "-j", "2", "-q").returncode == 0
    opts = RunOptions(progress=False, engine="dask", scheduler=client.scheduler.address)
    summary = run_batch([str(SEEDS)], tmp_path / "dask", options=opts)
    assert summary.documents == len(list(SEEDS.glob("*.txt"))) and summary.exit_code == 0
    assert _files(tmp_path / "dask") == _files(local)


def test_cluster_bag_refuses_an_input_that_changes_when_read_again() -> None:
    import dask

    calls: list[int] = []

    def partition() -> list[tuple[str, str]]:  # another id each time it is computed
        calls.append(1)
        return [(f"d{len(calls)}", "".join(CHARS[:200]))]

    with dask.config.set(scheduler="sync"):
        result = cluster_bag(db.from_delayed([dask.delayed(partition)()]))
        with pytest.raises(ValueError, match="persist"):
            result.compute()
        # A persisted bag is read once: the same documents both times.
        calls.clear()
        got = cluster_bag(db.from_delayed([dask.delayed(partition)()]).persist()).compute()
    assert [g[0] for g in got] == ["d1"] and got[0][2].is_representative


def test_cluster_bag_applies_max_input_bytes_as_cluster_does() -> None:
    # Every limit applies to every entry point: signing raw text on the
    # workers (clean=False) refuses a text over the limit, naming it, exactly
    # as newsclean.cluster does in one process.
    import dask

    from newsclean.errors import InputError

    docs = [("small", "字" * 300), ("big", "字" * 400)]  # 900 and 1,200 bytes
    with pytest.raises(InputError, match=r"'big'.*max_input_bytes") as local:
        cluster(docs, max_input_bytes=1000)
    with dask.config.set(scheduler="sync"), pytest.raises(InputError) as on_dask:
        cluster_bag(db.from_sequence(docs, npartitions=2), max_input_bytes=1000)
    assert str(on_dask.value) == str(local.value)
    with dask.config.set(scheduler="sync"):
        got = cluster_bag(db.from_sequence(docs[:1]), max_input_bytes=1000).compute()
    assert [g[0] for g in got] == ["small"]
