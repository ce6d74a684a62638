"""Text mode across languages on synthetic pages (issue 12: fr, es, de, pt, it, ru, ja, ko at the level of en).

Every language gets the same pages built from ``bench/data/textmode_langs.json``
(one story written in each language, with its menu, dateline, related list,
comment thread and footer): 24 layouts, from a one-paragraph body to four
paragraphs, the related list before or after the body, with and without
section headings, with and without comments.  Side by side in one run:

* the flattened page itself (baseline);
* ``newsclean.clean(page, kind="text")`` with the language guessed (stop words
  from jusText's lists for fr/es/de/pt/it, en.json's for en; ru is guessed but
  scored without its list, ja and ko by their script, lexicons ja.json/ko.json);
* the same with no stop-word list (``Config(language="und")``), as before the
  lists were wired in.

    python bench/textmode_langs.py [--langs en,fr,...]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import match
from extraction import score as extraction_score

import newsclean
from newsclean.config import Config

DATA = Path(__file__).resolve().parent / "data" / "textmode_langs.json"


def pages(parts: dict, lang_count: int = 0) -> list[tuple[str, str]]:
    """(page text, gold body) for every layout."""
    out = []
    for n_body, related_first, headings, comments in itertools.product(
        (1, 2, 4), (False, True), (True, False), (True, False)
    ):
        body = parts["body"][:n_body]
        related = [parts["related_heading"]] if headings else []
        for head, teaser in parts["related"]:
            related += [head, teaser]
        thread = [parts["comments_heading"]] if headings and comments else []
        if comments:
            for name, when, text in parts["comments"]:
                thread += [name, when, "", text, "", parts["reply"]]
        blocks = [parts["menu"], [parts["headline"], parts["dateline"]]]
        blocks += [related, body] if related_first else [body, related]
        blocks += [thread, parts["footer"]]
        lines: list[str] = []
        for block in blocks:
            for line in block:
                # body paragraphs are separated by blank lines, chrome lines are not
                lines += [line, ""] if line in body else [line]
            lines.append("")
        out.append(("\n".join(lines), "\n\n".join(body)))
    return out


def score(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """(P, R, F1) of (truth, prediction) pairs: bench/extraction.py's metric itself."""
    s = extraction_score([match(t, p) for t, p in pairs], [not t.strip() for t, _ in pairs])
    return s.precision, s.recall, s.f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data = json.loads(DATA.read_text("utf-8"))
    langs = [k for k in data if not k.startswith("_")]
    ap.add_argument("--langs", default=",".join(langs))
    args = ap.parse_args(argv)
    nostop = Config(language="und")
    print("| lang | system | P | R | F1 | guessed | docs/s |\n|---|---|---:|---:|---:|---|---:|")
    for lang in args.langs.split(","):
        built = pages(data[lang])
        t0 = time.process_time()
        arts = [newsclean.clean(page, kind="text") for page, _ in built]
        dt = time.process_time() - t0
        plain = [newsclean.clean(page, kind="text", config=nostop).text for page, _ in built]
        guessed = ",".join(sorted({a.language or "-" for a in arts}))
        rows = [
            ("flattened page", score([(g, p) for p, g in built]), "", ""),
            (
                "newsclean text",
                score([(g, a.text) for (_, g), a in zip(built, arts, strict=True)]),
                guessed,
                f"{len(built) / dt:.0f}",
            ),
            (
                "newsclean, no stop words",
                score([(g, t) for (_, g), t in zip(built, plain, strict=True)]),
                "",
                "",
            ),
        ]
        for name, (p, r, f), g, speed in rows:
            print(f"| {lang} | {name} | {p:.3f} | {r:.3f} | {f:.3f} | {g} | {speed} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
