"""File names near the file system's limit (255 bytes: 80 CJK characters and ``.txt``).

A name that fits as an input must not stop a run: the temporary name an atomic
write uses always fits, and an output name that would not fit (``x.html.txt``
next to ``x.txt``, ``x.jsonl.d/``) is shortened to a readable prefix and a hash,
the same in every run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main
from newsclean.io import atomic_write
from newsclean.io.names import NAME_MAX, fit_part, fit_path

BODY = (
    "记者从市住房和城乡建设局获悉，我市首套住房购房补贴于本周一起开始受理申请，"
    "符合条件的家庭最高可获得5万元补贴，预计将有上万户家庭受益。"
    "据介绍，申请人须在本市连续缴纳社保满两年。\n"
)
OTHER = (
    "记者从烟台市工业和信息化局获悉，截至2月25日，全市累计开复工规上工业企业1867家，"
    "开复工率达97.6%。下一步，烟台市将继续加大服务力度，推动企业达产满产。\n"
)
PAGE = "<html><body><article><p>{}</p></article></body></html>"

#: 80 CJK characters: 240 bytes, a name any Linux file system takes with ``.txt``.
LONG = ("应开尽开烟台累计开复工规上工业企业家开复工率达百分之九十七点六" * 3)[:80]


def _size(name: str) -> int:
    return len(os.fsencode(name))


def _manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_an_atomic_write_to_a_name_near_the_limit_succeeds(tmp_path: Path) -> None:
    target = tmp_path / f"{LONG}.txt"
    assert _size(target.name) == 244
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp left behind


def test_fit_part_keeps_a_fitting_name_and_shortens_a_long_one_deterministically() -> None:
    assert fit_part(f"{LONG}.txt") == f"{LONG}.txt"
    long = f"{LONG}{LONG}.html.txt"
    short = fit_part(long)
    assert _size(short) <= NAME_MAX
    assert short.startswith(LONG[:40]) and short.endswith(".txt")
    assert fit_part(long) == short  # the same in every run
    # two long names with one prefix differ by their hash
    assert fit_part(f"{LONG}{LONG}.htm.txt") != short
    assert _size(fit_part("x" * 300 + ".d", 100)) <= 100
    assert fit_path(f"a/{long}/b.txt") == f"a/{short}/b.txt"


@pytest.mark.parametrize("verb", ["run", "clean"])
def test_a_long_input_name_is_cleaned_with_the_others(
    tmp_path: Path, capsys: Any, verb: str
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / f"{LONG}.txt").write_text(BODY, "utf-8")
    (src / "ok.txt").write_text(OTHER, "utf-8")
    assert main([verb, str(src), "-o", str(out), "-q"]) == 0
    rows = {r["id"]: r for r in _manifest(out)}
    assert rows[LONG]["status"] == "ok" and rows["ok"]["status"] == "ok"
    assert (out / rows[LONG]["output"]).read_text("utf-8").startswith("记者从市住房")
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_output_names_too_long_for_the_file_system_are_shortened_unique_and_stable(
    tmp_path: Path, capsys: Any
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    stem = LONG + "x" * 7  # 247 bytes: x.txt fits, x.html fits, x.html.txt does not
    (src / f"{stem}.txt").write_text(OTHER, "utf-8")
    (src / f"{stem}.html").write_text(PAGE.format(BODY.strip()), "utf-8")
    jl = LONG + "y" * 9  # x.jsonl fits (254 bytes), its records' folder x.jsonl.d does not
    records = [{"id": "r1", "text": BODY}, {"id": "r2", "text": OTHER.replace("烟台", "威海")}]
    (src / f"{jl}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    argv = ["run", str(src), "-o", str(out), "-q", "--keep-duplicates"]
    assert main(argv) == 0
    rows = _manifest(out)
    assert len(rows) == 4 and all(r["status"] in ("ok", "duplicate") for r in rows), rows
    names = [r["output"] for r in rows]
    assert len(set(names)) == 4
    for name in names:
        assert all(_size(part) <= NAME_MAX for part in name.split("/")), name
        assert (out / name).is_file()
    html = next(r for r in rows if r["path"].endswith(".html"))["output"]
    assert html.startswith(LONG[:60]) and html.endswith(".txt") and "~" in html
    assert {n.split("/")[0] for n in names if "/" in n} == {fit_part(f"{jl}.jsonl.d")}
    # a rerun (forced: everything again) names every output the same
    before = {n: (out / n).read_bytes() for n in names}
    assert main([*argv, "--force"]) == 0
    assert [r["output"] for r in _manifest(out)] == names
    assert {n: (out / n).read_bytes() for n in names} == before


def test_check_fix_fixes_a_file_with_a_long_name(tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / f"{LONG}.txt"
    target.write_text("企业 , 复工 。\n", "utf-8")
    assert main(["check", "--fix", str(target)]) in (0, 1)
    assert "not fixed" not in capsys.readouterr().err
    assert target.read_text("utf-8") == "企业，复工。\n"
