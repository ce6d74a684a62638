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

import random
from typing import Any

import pytest

from tests.conftest import require_module

require_module("distributed", "dask")
require_module("pandas", "dask")

import dask.bag as db  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402

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


@pytest.fixture(scope="module")
def client() -> Any:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None, processes=True
        ) as lc,
        Client(lc) as c,
    ):
        yield c


@pytest.mark.slow
@pytest.mark.parametrize("merge", [True, False], ids=["default", "no-merges"])
def test_dask_clusters_equal_local_engine(client: Any, merge: bool) -> None:
    docs = corpus(80)
    expected = cluster(docs, merge_clusters=merge)
    assert sum(c.cluster_size > 1 and c.is_representative for c in expected) >= 15
    assert any(d[0].startswith("mix") for d in docs)
    # The corpus exercises the merge pass: merging changes some clusters.
    assert expected != cluster(docs, merge_clusters=not merge)
    bag = db.from_sequence(docs, npartitions=3)
    got = (cluster_bag(bag) if merge else cluster_bag(bag, merge_clusters=False)).compute()
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
