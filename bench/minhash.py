"""MinHash signatures per second on 2,000-character news documents, peers side by side.

Every row is end to end (text in, signature out, shingling included), single
process and thread, so docs per CPU-second is docs/s per core; wall-clock
docs/s is printed too (on a shared machine it mostly measures the load).  Each
row is the best of ``--repeat`` runs, for every system alike.  Chinese
documents are windows of the seed pages, English ones windows of the
benchmark's ground-truth bodies.  The datasketch rows shingle the way a user
of datasketch would (Python slices: character 5-grams for Chinese, word
3-grams for English) and hash with its default sha1; rensa (if installed) gets
the same shingles.  The machine is shared, so only the ratios within one run
mean anything.

The header says which install ran (newsclean's path, numba's version or its
absence) and which kernel each newsclean row used: ``numba`` when the
compiled kernels ran, ``numpy`` otherwise.  Run it in a fresh default install
(``pip install newsclean``, plus datasketch and rensa for their rows) to see
what a user gets.  ``--cold`` also times cold starts in new processes: ``newsclean check FILE``
(the pre-commit hook's case) and ``newsclean run`` on a one-file folder, with
numba's cache cold and warm; neither must load numba.

    python bench/minhash.py [--data PATH] [--docs 2000] [--num-perm 128] [--repeat 3] [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_DATA, ROOT

import newsclean
from newsclean import Config
from newsclean.dedup import _kernels, minhash, shingles

DOC_CHARS = 2000
BATCH = 2048  # documents newsclean.cluster signs per step


def windows(text: str, n: int, step: int) -> list[str]:
    text = " ".join(text.split())
    out = []
    k = 0
    while len(out) < n:
        start = (k * step) % max(1, len(text) - DOC_CHARS)
        out.append(text[start : start + DOC_CHARS])
        k += 1
    return out


def chinese_docs(n: int) -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    return windows(text, n, 97)


def english_docs(data: Path, n: int) -> list[str]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    text = "\n".join(truth[k]["articleBody"] for k in sorted(truth))
    return windows(text, n, 1013)


def user_shingles(text: str, zh: bool) -> list[bytes]:
    """How a datasketch user shingles: char 5-grams (Chinese) or word 3-grams."""
    if zh:
        return [text[i : i + 5].encode() for i in range(len(text) - 4)]
    words = text.split()
    return [" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)]


def ds_update(texts: list[str], zh: bool, num_perm: int) -> None:
    from datasketch import MinHash

    for t in texts:
        m = MinHash(num_perm=num_perm, scheme="legacy")
        for s in user_shingles(t, zh):
            m.update(s)


def ds_update_batch(texts: list[str], zh: bool, num_perm: int) -> None:
    from datasketch import MinHash

    for t in texts:
        m = MinHash(num_perm=num_perm, scheme="legacy")
        m.update_batch(user_shingles(t, zh))


def ds_update_batch_affine(texts: list[str], zh: bool, num_perm: int) -> None:
    from datasketch import MinHash

    for t in texts:
        m = MinHash(num_perm=num_perm)  # datasketch 2's default scheme, affine32
        m.update_batch(user_shingles(t, zh))


def rensa_run(texts: list[str], zh: bool, num_perm: int) -> None:
    import rensa

    for t in texts:
        m = rensa.RMinHash(num_perm=num_perm, seed=1)
        m.update([s.decode() for s in user_shingles(t, zh)])
        m.digest()


def newsclean_run(
    texts: list[str], zh: bool, num_perm: int, compiled: bool = True, scheme: str = "datasketch"
) -> None:
    """What ``newsclean.signatures`` does, in the batches ``newsclean.cluster`` signs."""
    params = minhash.Params.from_config(Config(num_perm=num_perm, scheme=scheme))
    for k in range(0, len(texts), BATCH):
        batch = texts[k : k + BATCH]
        hv, offsets = shingles.hash_batch(
            batch, params.char_ngram, params.word_ngram, compiled, run_min=params.run_min
        )
        minhash.minhash_packed(hv, offsets, params, compiled=compiled)


def install() -> str:
    """Where newsclean was imported from, and whether numba is there."""
    try:
        import numba

        nb = f"numba {numba.__version__}"
    except ImportError:
        nb = "numba not installed"
    where = Path(newsclean.__file__).resolve().parent.parent
    kind = "site-packages" if "site-packages" in where.parts else "source tree"
    return (
        f"newsclean {getattr(newsclean, '__version__', '?')} from {where} ({kind}); {nb}; "
        f"numpy {np.__version__}; Python {platform.python_version()} on {platform.machine()}"
    )


def _cold_run(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, str]:
    """Wall and CPU time (user + system, its workers included) of ``newsclean *argv``
    in a fresh process, and whether it loaded numba.

    ``cwd`` must not hold a newsclean package: ``python -c`` imports from it first.
    """
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['newsclean', *{argv!r}]\n"
        "try:\n    runpy.run_module('newsclean', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('numba' in sys.modules, file=sys.stderr)\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    lines = done.stderr.strip().splitlines()
    return wall, cpu, lines[-1] if lines else "?"


def cold_check(repeat: int) -> str:
    """Cold starts: ``newsclean check FILE`` (the pre-commit hook's case) and
    ``newsclean run DIR -o OUT`` on a one-file folder, each in a fresh process,
    with numba's cache cold (an empty NUMBA_CACHE_DIR per run) and warm (one
    directory filled by a first, untimed run).  Medians of ``repeat`` runs; on a
    shared machine the CPU time is the steadier number."""
    import statistics
    import tempfile

    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    base = {**os.environ, "PYTHONPATH": str(Path(newsclean.__file__).parent.parent)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp, "one")
        one.mkdir()
        (one / seed.name).write_bytes(seed.read_bytes())
        warm = {**base, "NUMBA_CACHE_DIR": str(Path(tmp, "numba-warm"))}
        commands = {
            f"check {seed.name}": lambda k: ["check", str(seed)],
            "run one-file/ -o out/": lambda k: ["run", str(one), "-o", str(Path(tmp, f"out{k}"))],
        }
        for name, argv in commands.items():
            _cold_run(argv(-1), warm, tmp)  # fills the warm cache (if it loads numba at all)
            for cache in ("cold", "warm"):
                walls, cpus, loaded = [], [], "?"
                for k in range(repeat):
                    env = (
                        warm
                        if cache == "warm"
                        else {
                            **base,
                            "NUMBA_CACHE_DIR": str(Path(tmp, f"numba-cold-{name[:3]}{k}")),
                        }
                    )
                    wall, cpu, loaded = _cold_run(argv(len(rows) * 100 + k), env, tmp)
                    walls.append(wall)
                    cpus.append(cpu)
                rows.append(
                    f"  {name:24} numba cache {cache}: {statistics.median(walls):5.2f} s wall, "
                    f"{statistics.median(cpus):5.2f} s CPU (medians of {repeat}); "
                    f"numba loaded: {loaded}"
                )
    return "cold starts:\n" + "\n".join(rows)


def measure(fn: Callable[[], None], n: int, repeat: int) -> tuple[float, float]:
    """Documents per CPU-second (this process, one thread) and per wall second, best run."""
    cpu = wall = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu = min(cpu, time.process_time() - c)
        wall = min(wall, time.perf_counter() - t)
    return n / cpu, n / wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=2000, help="documents per language for newsclean")
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--repeat", type=int, default=3, help="runs per row; the best is printed")
    ap.add_argument(
        "--cold", action="store_true", help="also time cold `check FILE` and one-file `run`"
    )
    ap.add_argument("--cold-only", action="store_true", help="only the cold starts")
    args = ap.parse_args()
    print(install())
    if args.cold or args.cold_only:  # before this process loads anything
        print(cold_check(args.repeat))
    if args.cold_only:
        return
    n = args.docs
    corpora = {"zh": chinese_docs(n), "en": english_docs(args.data, n)}

    # One-time costs, reported apart: static tables and the numba kernel load.
    t = time.perf_counter()
    newsclean_run(corpora["en"][:64], False, args.num_perm)  # 64 texts: the compiled kernels
    newsclean_run(corpora["en"][:64], False, args.num_perm, scheme="oph")
    newsclean_run(corpora["en"][:1], False, args.num_perm, compiled=False)
    setup = time.perf_counter() - t
    kernel = "numba" if _kernels.loaded() else "numpy"

    have_rensa = True
    try:
        import rensa  # noqa: F401
    except ImportError:
        have_rensa = False
    systems: list[tuple[str, Callable[[list[str], bool, int], None], int]] = [
        ("datasketch update() per shingle", ds_update, max(20, n // 20)),
        ("datasketch update_batch (legacy)", ds_update_batch, max(50, n // 5)),
        ("datasketch update_batch (affine32)", ds_update_batch_affine, max(50, n // 5)),
    ]
    if have_rensa:
        systems.append(("rensa RMinHash", rensa_run, max(50, n // 2)))
    systems.append(("newsclean [numpy]", lambda t, z, p: newsclean_run(t, z, p, False), n // 2))
    systems.append((f"newsclean [{kernel}]", newsclean_run, n))
    systems.append(
        (
            "newsclean oph [numpy]",
            lambda t, z, p: newsclean_run(t, z, p, False, scheme="oph"),
            n // 2,
        )
    )
    systems.append(
        (f"newsclean oph [{kernel}]", lambda t, z, p: newsclean_run(t, z, p, scheme="oph"), n)
    )

    mb = DOC_CHARS * 3 / 1e6  # ~MB of UTF-8 per Chinese doc; English below
    print(
        f"MinHash, {DOC_CHARS}-char docs, num_perm={args.num_perm}, one process, one thread, "
        f"best of {args.repeat}"
    )
    print(f"newsclean one-time setup (tables, {kernel} kernels): {setup:.2f} s")
    print("[numba] / [numpy]: the kernel the row ran; oph: Config(scheme='oph')")
    print("docs/s and MB/s per core = per CPU-second of this process; wall docs/s beside it\n")
    print(
        f"{'system':38} {'lang':4} {'docs':>6} {'docs/s':>9} {'MB/s':>7} "
        f"{'x update_batch':>15} {'wall docs/s':>12}"
    )
    for lang, docs in corpora.items():
        per_doc_mb = np.mean([len(d.encode()) for d in docs[:200]]) / 1e6 if lang == "en" else mb
        base = None
        for name, fn, count in systems:
            sub = docs[:count]
            run = partial(fn, sub, lang == "zh", args.num_perm)
            rate, wall = measure(run, len(sub), args.repeat)
            if name == "datasketch update_batch (legacy)":
                base = rate
            ratio = f"{rate / base:.1f}x" if base else ""
            print(
                f"{name:38} {lang:4} {len(sub):6d} {rate:9.0f} {rate * per_doc_mb:7.2f} "
                f"{ratio:>15} {wall:12.0f}"
            )
        print()
    if not have_rensa:
        print("rensa not installed (pip install rensa) - row skipped")


if __name__ == "__main__":
    main()
