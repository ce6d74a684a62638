"""Does ``check --fix`` leave clean articles alone?

Writes every ground-truth body of the given benchmark sets into its own
``.txt`` file (the body as a person cut it out: clean by definition), runs
``newsclean check --fix`` over them, and counts what it did: files changed,
files emptied, letters and digits removed (a fix may normalize spacing and
punctuation, never remove a letter or a digit), findings per reason.

With ``--peer PATH`` the same is done, in the same run, with the newsclean
checkout at PATH (for example the main branch before this check engine).

    python bench/check_bodies.py --data ../shared/bench/article-extraction-benchmark \\
        --data ../shared/bench/zh-content-extraction [--peer ../main]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [
    ROOT.parent / "shared" / "bench" / "article-extraction-benchmark",
    ROOT.parent / "shared" / "bench" / "zh-content-extraction",
]


def alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


def write_bodies(sets: Sequence[Path], folder: Path) -> dict[str, str]:
    bodies: dict[str, str] = {}
    for data in sets:
        truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
        for key in sorted(truth):
            body = truth[key].get("articleBody") or ""
            name = f"{data.name}/{key}.txt"
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(body + "\n", "utf-8")
            bodies[name] = body + "\n"
    return bodies


def measure(
    label: str, root: Path, sets: Sequence[Path], quiet: bool, extra: Sequence[str] = ()
) -> str:
    with tempfile.TemporaryDirectory(prefix="nc-bodies-") as tmp:
        folder = Path(tmp)
        bodies = write_bodies(sets, folder)
        env = dict(os.environ, PYTHONPATH=str(root))
        cmd = [sys.executable, "-m", "newsclean", "check", "-q"]
        t0 = time.perf_counter()
        report = subprocess.run(
            [*cmd, *bodies], cwd=folder, env=env, capture_output=True, text=True
        )
        subprocess.run([*cmd, "--fix", *extra, *bodies], cwd=folder, env=env, capture_output=True)
        elapsed = time.perf_counter() - t0
        reasons: Counter[str] = Counter()
        for line in report.stdout.splitlines():
            parts = line.split(": ", 2)
            if len(parts) >= 2:
                reasons[parts[1].split(":")[0]] += 1
        changed = emptied = lost = 0
        worst: list[tuple[int, str]] = []
        for name, before in bodies.items():
            after = (folder / name).read_text("utf-8")
            if after != before:
                changed += 1
            if before.strip() and not after.strip():
                emptied += 1
            gone = alnum(before) - alnum(after)
            if gone > 0:
                lost += gone
                worst.append((gone, name))
        total = sum(map(alnum, bodies.values()))
    line = (
        f"{label:24} {len(bodies):6d} {changed:7d} {emptied:7d} {lost:9d} "
        f"{100 * lost / max(total, 1):7.3f}% {elapsed:7.1f}s  "
        + (", ".join(f"{r} {n}" for r, n in reasons.most_common(8)) or "-")
    )
    if worst and not quiet:
        line += "\n" + "\n".join(
            f"    -{n} letters/digits: {name}" for n, name in sorted(worst)[-5:]
        )
    return line


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, action="append", help="a benchmark set (repeatable)")
    ap.add_argument("--peer", type=Path, help="another newsclean checkout to measure alongside")
    ap.add_argument("-q", "--quiet", action="store_true", help="no list of the worst files")
    args = ap.parse_args(argv)
    sets = args.data or DEFAULT_SETS
    for data in sets:
        if not (data / "ground-truth.json").is_file():
            print(f"no ground-truth.json under {data}; pass --data", file=sys.stderr)
            return 2
    print(f"{'newsclean':24} {'files':>6} {'changed':>7} {'emptied':>7} {'alnum lost':>9} "
          f"{'share':>8} {'time':>8}  findings (check without --fix)")  # fmt: skip
    print(measure("this checkout", ROOT, sets, args.quiet))
    # what the opt-in unsafe fixes (chrome and template lines) would take
    print(measure("  with --unsafe-fixes", ROOT, sets, args.quiet, ["--unsafe-fixes"]))
    if args.peer:
        print(measure(f"peer {args.peer.name}", args.peer.resolve(), sets, args.quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
