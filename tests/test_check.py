"""check_text and `newsclean check`: strong evidence only, never body, never empty."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from newsclean.check import check_text, split_lines
from newsclean.cli import main
from tests.conftest import FIXTURES

BODY = (
    "The city council voted on Monday to extend the late-night bus service for another "
    "year, after a trial showed that ridership had doubled since the spring."
)
BODY2 = (
    "Officials said the extra buses had cost less than expected because fuel prices fell, "
    "and that the savings would pay for two more routes in the eastern districts."
)


def _alnum(s: str) -> int:
    return sum(c.isalnum() for c in s)


def test_findings_are_typed_and_fixes_are_safe_unless_asked() -> None:
    text = f"{BODY}\n\nShare this article\n\n{BODY2}  \n"
    res = check_text(text)
    assert [(f.line, f.reason) for f in res.findings] == [
        (3, "share-widget"),
        (5, "not-normalized"),
    ]
    assert res.fixed == f"{BODY}\n\nShare this article\n\n{BODY2}\n"  # normalized only
    assert [f.reason for f in res.left] == ["share-widget"]
    unsafe = check_text(text, unsafe_fixes=True)
    assert unsafe.fixed == f"{BODY}\n\n{BODY2}\n" and unsafe.left == ()
    assert check_text(unsafe.fixed).findings == ()  # a fixed text checks clean
    assert check_text(text, ignore={"share-widget", "not-normalized"}).findings == ()


def test_body_sentences_are_never_chrome() -> None:
    # prose that starts like chrome or mentions it stays, in every mode
    text = (
        "Share prices fell sharply on Monday after the company warned that its profits "
        "would be lower than expected this year.\n\n"
        "Copyright lawyers said the ruling could change how news sites quote each other, "
        "and that appeals were likely.\n"
    )
    assert check_text(text, unsafe_fixes=True).findings == ()


def test_a_short_note_is_no_body_and_left_alone() -> None:
    res = check_text("Just a short note.", unsafe_fixes=True)
    assert [f.reason for f in res.findings] == ["no-body"]
    assert res.fixed == "Just a short note."
    # nothing but chrome: reported as no-body, not emptied
    only = check_text("Share this article\n© 2019 Example\n", unsafe_fixes=True)
    assert [f.reason for f in only.findings] == ["no-body"] and only.fixed.strip()


def test_a_text_without_body_is_still_normalized() -> None:
    res = check_text("相关新闻\n企业 , 复工 。", unsafe_fixes=True)
    assert [(f.line, f.reason) for f in res.findings] == [(1, "no-body"), (2, "not-normalized")]
    assert res.fixed == "相关新闻\n企业，复工。"  # normalized; no line removed
    assert check_text(res.fixed).findings == (res.findings[0],)  # stable once fixed
    # a text whose only line normalizes to nothing is not emptied
    junk = check_text("\u200b\u200b")
    assert junk.fixed == "\u200b\u200b" and [f.reason for f in junk.findings] == ["no-body"]


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r"])
def test_line_breaks_are_kept(brk: str) -> None:
    text = brk.join([BODY, "", "Share this article", "", BODY2 + "  ", ""])
    fixed = check_text(text, unsafe_fixes=True).fixed
    assert fixed == brk.join([BODY, "", BODY2, ""])
    assert "".join(a + b for a, b in split_lines(text)) == text


def test_site_templates_are_findings_when_given() -> None:
    from newsclean.article import Article
    from newsclean.template import SiteTemplates

    footer = "Follow the Example Daily newsroom, which has covered this county since 1901."
    towns = ["Ashford", "Brampton", "Carlow", "Dunmore"]
    texts = [
        f"The council of {t} voted to repave roads this summer.\n\n"
        f"Residents of {t} have complained about potholes for years.\n\n{footer}"
        for t in towns
    ]
    st = SiteTemplates.learn(("g", Article(text=t)) for t in texts)
    res = check_text(texts[0], templates=st, group="g", unsafe_fixes=True)
    assert [(f.line, f.reason) for f in res.findings] == [(5, "site-template")]
    assert footer not in res.fixed and "Residents of Ashford" in res.fixed
    assert check_text(texts[0], templates=st, unsafe_fixes=True) == res  # its one group


def _bodies() -> dict[str, str]:
    out = {}
    for gt in sorted((FIXTURES / "bench").glob("*/ground-truth.json")):
        for key, item in json.loads(gt.read_text("utf-8")).items():
            out[f"{gt.parent.name}-{key}.txt"] = (item.get("articleBody") or "") + "\n"
    return out


def test_fix_over_ground_truth_bodies_removes_no_letter_or_digit(
    tmp_path: Path, capsys: Any
) -> None:
    bodies = _bodies()
    assert len(bodies) == 40
    for name, body in bodies.items():
        (tmp_path / name).write_text(body, "utf-8")
    main(["check", "--fix", "-q", str(tmp_path)])
    capsys.readouterr()
    for name, body in bodies.items():
        after = (tmp_path / name).read_text("utf-8")
        assert after.strip(), f"{name} was emptied"
        assert _alnum(after) == _alnum(body), name


def test_check_on_runs_output_finds_nothing(
    tmp_path: Path, seed_paths: list[Path], capsys: Any
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for seed in seed_paths:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    for page in sorted((FIXTURES / "bench").glob("*/html/*.html.gz")):
        (corpus / f"{page.parent.parent.name}-{page.name}").write_bytes(page.read_bytes())
    out = tmp_path / "out"
    assert main(["run", str(corpus), "-o", str(out), "-q", "-j", "2"]) == 0
    capsys.readouterr()
    assert len(list(out.glob("*.txt"))) >= 40
    assert main(["check", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["check", "--templates", str(out)]) == 0
    assert capsys.readouterr().out == ""


def test_fix_writes_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text(f"{BODY}\n\nShare this article\n", "utf-8")
    link = tmp_path / "link.txt"
    os.symlink(target.name, link)
    assert main(["check", "--fix", "--unsafe-fixes", "-q", str(link)]) == 0
    assert link.is_symlink()
    assert target.read_text("utf-8") == f"{BODY}\n"


def test_messages_count_in_singular_and_plural(tmp_path: Path, capsys: Any) -> None:
    a = tmp_path / "a.txt"
    a.write_text(f"{BODY}\n\nShare this article\n", "utf-8")
    assert main(["check", str(a)]) == 1
    assert "1 finding; would change 0 files" in capsys.readouterr().err
    b = tmp_path / "b.txt"
    b.write_text(f"{BODY2}  \n\nShare this article\n", "utf-8")
    assert main(["check", str(a), str(b)]) == 1
    assert "3 findings; would change 1 file" in capsys.readouterr().err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    data = f"{BODY}\n\nShare this article\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "-q", "-"]) == 1
    assert capsys.readouterr().out == "-:3: share-widget: Share this article\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "-q", "--fix", "--unsafe-fixes", "-"]) == 0
    assert capsys.readouterr().out == f"{BODY}\n"


def test_jsonl_gz_records(tmp_path: Path, capsys: Any) -> None:
    recs = [{"id": "a", "text": BODY}, {"id": "b", "text": f"{BODY2}\n\n© 2019 Example"}]
    f = tmp_path / "c.jsonl.gz"
    f.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in recs).encode()))
    assert main(["check", "-q", str(f)]) == 1
    assert capsys.readouterr().out == f"{f}:2: copyright: © 2019 Example\n"
    assert main(["check", "-q", "--fix", "--unsafe-fixes", str(f)]) == 0
    got = [json.loads(x) for x in gzip.decompress(f.read_bytes()).decode().splitlines()]
    assert got == [recs[0], {"id": "b", "text": BODY2}]


def test_jsonl_bad_line_is_reported_and_the_other_records_still_checked(
    tmp_path: Path, capsys: Any
) -> None:
    # One line that is not JSON used to stop the file: its good records went
    # unchecked and unfixed.  As in run, the bad line is named and the rest goes on.
    recs = [{"id": "a", "text": f"{BODY}\n\n© 2019 Example"}, {"id": "c", "text": BODY2}]
    lines = [json.dumps(recs[0]), '{"id": "b", "text": ', json.dumps(recs[1])]
    f = tmp_path / "c.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", "-q", str(f)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{f}:1: copyright: © 2019 Example",
        f"{f}:2: malformed-json: line 2 is not JSON",
    ]
    assert main(["check", "-q", "--fix", "--unsafe-fixes", str(f)]) == 1  # the bad line is left
    got = f.read_text(encoding="utf-8").splitlines()
    assert json.loads(got[0]) == {"id": "a", "text": BODY}
    assert got[1:] == lines[1:]  # the broken line and the clean record, byte for byte


def test_fix_of_a_jsonl_record_changes_only_its_text_value(tmp_path: Path) -> None:
    # json.loads + json.dumps of the whole record wrote 1e400 as Infinity (not
    # JSON), rounded big numbers, re-escaped other strings and respaced the line.
    bad, good = (
        "企业 , 复工 。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成以上。",
        ("企业，复工。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成以上。"),
    )
    esc = json.dumps(bad)  # "\u4f01\u4e1a , ..."
    lines = [
        '{"id": 1, "meta": {"text": "企业 , 复工"}, "score": 1e400, '
        f'"big": 12345678901234567890.123456789, "text": "{bad}", "n": NaN}}',
        f'{{"id":2,"text":{esc},"t2":"\\u4e2d","x":-Infinity}}',
        '{"id": 3,  "text": "记者从有关部门获悉，全市累计开复工企业一千余家。", "k": "\\u4e2d", "s": 1e400}',
        f'{{"text": "{bad}", "text": "{bad}",\t"id": 4}}',  # json.loads keeps the last
    ]
    f = tmp_path / "c.jsonl"
    f.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    main(["check", "-q", "--fix", str(f)])
    got = f.read_bytes().decode("utf-8").split("\r\n")
    assert got == [
        lines[0].replace(f'"text": "{bad}"', f'"text": "{good}"'),
        lines[1].replace(esc, json.dumps(good)),  # still \u escapes
        lines[2],  # nothing to fix: byte for byte
        f'{{"text": "{bad}", "text": "{good}",\t"id": 4}}',
        "",
    ]
    assert json.loads(got[1])["text"] == good


def test_string_value_span_is_where_json_loads_reads_the_value() -> None:
    from newsclean.cli import _string_value_span

    line = ' { "a" : [1, {"text": "no"}], "text" : "x\\"y" , "b": {} } '
    start, end = _string_value_span(line, "text") or (0, 0)
    assert line[start:end] == '"x\\"y"'
    assert _string_value_span('{"text": 3}', "text") is None
    assert _string_value_span('{"text": "a", "text": null}', "text") is None
    assert _string_value_span('["text", "a"]', "text") is None
    assert _string_value_span("{}", "text") is None


def test_format_json_prints_one_object_per_finding(tmp_path: Path, capsys: Any) -> None:
    from newsclean.cli import main

    body = "记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成以上。" * 2
    (tmp_path / "a.txt").write_text(f"{body}\n责任编辑：张三\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"企业 , 复工 。{body}\n", encoding="utf-8")
    assert main(["check", str(tmp_path), "-q"]) == 1
    as_text = capsys.readouterr().out.splitlines()
    assert main(["check", str(tmp_path), "-q", "--format", "json"]) == 1
    objects = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(objects) == len(as_text) >= 2
    assert {tuple(o) for o in objects} == {("path", "line", "reason", "detail")}
    assert {(o["path"].rsplit("/", 1)[-1], o["line"], o["reason"]) for o in objects} >= {
        ("a.txt", 2, "editor-line"),
        ("b.txt", 1, "not-normalized"),
    }
    # the text form is the same findings, PATH:LINE: REASON: DETAIL
    assert [
        f"{o['path']}:{o['line']}: {o['reason']}" + (f": {o['detail']}" if o["detail"] else "")
        for o in objects
    ] == as_text


def test_a_raw_page_record_that_cannot_be_cleaned_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """check cleans a raw page found in a JSONL text field (as run does); when that
    fails (a timeout), the record gets a finding naming its line, the file's other
    records are still checked, and --fix leaves the file as it was."""
    import importlib

    from newsclean.errors import InputError

    def too_slow(*args: Any, **kwargs: Any) -> Any:
        raise InputError("timeout", "cleaning took longer than 1s")

    monkeypatch.setattr(importlib.import_module("newsclean.clean"), "clean", too_slow)
    page = "<!DOCTYPE html><html><body><p>" + "A sentence of the page. " * 20 + "</p></body></html>"
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": page}) + "\n" + json.dumps({"text": "责任编辑：张三"}) + "\n", "utf-8"
    )
    assert main(["check", "--fix", str(feed)]) == 1
    out = capsys.readouterr().out
    assert f"{feed}:1: timeout: cleaning took longer than 1s" in out
    assert f"{feed}:2: no-body" in out  # the next record (chrome only) was still checked
    assert json.loads(feed.read_text("utf-8").splitlines()[0]) == {"text": page}


def test_a_jsonl_record_with_a_raw_line_separator_is_read_and_fixed(tmp_path: Path) -> None:
    # json.dumps(ensure_ascii=False) writes U+2028 raw, which is legal inside
    # a JSON string; it once broke the record in two (malformed-json).
    record = {
        "id": 1,
        "title": "A\u2028B",
        "text": "企业 , 复工 。记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成以上。",
    }
    feed = tmp_path / "feed.jsonl"
    line = json.dumps(record, ensure_ascii=False)
    feed.write_text(line + "\n", encoding="utf-8")
    assert main(["check", "--fix", str(tmp_path)]) == 0
    fixed = feed.read_text(encoding="utf-8")
    assert fixed == line.replace("企业 , 复工 。", "企业，复工。") + "\n"


def test_a_fixed_jsonl_text_breaks_its_line_separators_as_clean_does(tmp_path: Path) -> None:
    # A hostile test: the fix of a record with a raw U+2028 in its text wrote
    # a space there, where clean() and normalize() break the line.
    text = (
        "企业 , 复工 。记者从有关部门获悉，全市累计开复工企业一千余家。\u2028复工率达到九成以上。"
    )
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n", "utf-8")
    main(["check", "--fix", str(tmp_path)])
    fixed = json.loads(feed.read_text(encoding="utf-8"))["text"]
    assert (
        fixed
        == "企业，复工。记者从有关部门获悉，全市累计开复工企业一千余家。\n复工率达到九成以上。"
    )
