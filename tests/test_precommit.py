"""The shipped pre-commit hooks, driven by the real pre-commit tool in a throwaway repo.

The hooks are taken from this checkout's .pre-commit-hooks.yaml (validated by
pre-commit itself) and run as a ``repo: local`` config with ``language: system``
pointing at this interpreter, so the test needs no network to build a hook venv.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, require_program

yaml = pytest.importorskip("yaml")


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=300)


def _pre_commit(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _local_hooks() -> list[dict]:
    """The shipped hooks as a ``repo: local`` config running this interpreter."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    me = f"{shlex.quote(sys.executable)} -m newsclean"
    local = []
    for h in hooks:
        hook = dict(h, language="system", entry=h["entry"].replace("newsclean", me, 1))
        if h["id"].startswith("newsclean-fix"):
            hook["stages"] = ["manual"]
        local.append(hook)
    return local


def _new_repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir()
    assert _git(path, "init", "-q").returncode == 0
    _git(path, "config", "user.email", "t@example.com")
    _git(path, "config", "user.name", "t")
    _git(path, "config", "commit.gpgsign", "false")
    (path / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": _local_hooks()}]})
    )
    assert _pre_commit(path, "install", env=env).returncode == 0
    _git(path, "add", ".pre-commit-config.yaml")
    assert _git(path, "commit", "-q", "-m", "config").returncode == 0
    return path


def test_hook_manifest_is_valid_and_matches_the_corpus_files() -> None:
    res = _pre_commit(ROOT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"))
    assert res.returncode == 0, res.stdout + res.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"newsclean-check", "newsclean-fix", "newsclean-fix-unsafe"}
    for h in hooks.values():
        assert h["require_serial"] is True
        # the hook lists the corpus itself: pre-commit's chunks cannot split it
        assert h["pass_filenames"] is False and "--git-files" in h["entry"]
        pattern = re.compile(h["files"])
        for name in ("a.txt", "b/c.html", "d.htm", "e.jsonl", "f.jsonl.gz"):
            assert pattern.search(name), name
        for name in ("a.py", "b.json", "c.txt.bak", "d.gz"):
            assert not pattern.search(name), name


def _hook_argv(hook_id: str) -> list[str]:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    argv = shlex.split(hooks[hook_id]["entry"])
    assert argv[0] == "newsclean"
    return argv[1:]


def test_the_fix_hook_keeps_chrome_lines_and_only_the_unsafe_hook_deletes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hand-cleaned corpora keep `责任编辑：张三` on purpose: the hook named plainly
    `newsclean-fix` applies the safe fixes only; deleting lines needs the hook
    whose name says so."""
    from newsclean.cli import main

    require_program("git")
    body = "记者从有关部门获悉，全市累计开复工企业一千余家，复工率达到九成，经济运行总体平稳。" * 3
    text = f"{body}\n企业 , 复工 。{body}\n责任编辑：张三\n"
    results = {}
    for hook_id in ("newsclean-fix", "newsclean-fix-unsafe"):
        repo = tmp_path / hook_id
        repo.mkdir()
        assert _git(repo, "init", "-q").returncode == 0
        (repo / "a.txt").write_text(text, "utf-8")
        assert _git(repo, "add", "a.txt").returncode == 0
        monkeypatch.chdir(repo)
        main(_hook_argv(hook_id))
        results[hook_id] = (repo / "a.txt").read_text("utf-8")
    safe, unsafe = results["newsclean-fix"], results["newsclean-fix-unsafe"]
    assert safe != text  # it normalized the spaced punctuation
    assert "责任编辑：张三" in safe
    assert "责任编辑：张三" not in unsafe


@pytest.mark.slow
def test_dirty_commit_is_rejected_then_fixed_and_accepted(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    require_program("git")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"))
    repo = _new_repo(tmp_path / "corpus-repo", env)

    # A scraped page as it came off the crawler: indentation, chrome lines and all.
    (repo / "news").mkdir()
    (repo / "news" / "a.txt").write_bytes(seed_paths[0].read_bytes())
    _git(repo, "add", "news/a.txt")
    rejected = _git(repo, "commit", "-m", "add a dirty article")
    assert rejected.returncode != 0
    assert "news/a.txt:" in rejected.stdout + rejected.stderr
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 1

    fixed = _pre_commit(
        repo, "run", "--hook-stage", "manual", "newsclean-fix-unsafe", "--files", "news/a.txt"
    )
    assert fixed.returncode == 1  # files were modified: pre-commit reports that as a failure
    assert (repo / "news" / "a.txt").read_bytes() != seed_paths[0].read_bytes()
    _git(repo, "add", "news/a.txt")
    accepted = _git(repo, "commit", "-m", "add the cleaned article")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 2


def _article(rng: Any, words: list[str]) -> str:
    paras = []
    for _ in range(2):
        sentence = " ".join(rng.choice(words) for _ in range(28))
        paras.append(sentence[0].upper() + sentence[1:] + ".")
    return "\n\n".join(paras) + "\n"


@pytest.mark.slow
def test_near_duplicates_do_not_depend_on_how_pre_commit_chunks_the_files(
    tmp_path: Path,
) -> None:
    """5,200 committed files, 2,600 reprint pairs filed far apart: one hook run
    finds every pair (pre-commit would pass this list in several chunks)."""
    import random

    require_program("git")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"))
    repo = _new_repo(tmp_path / "corpus", env)
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(5000)]  # fmt: skip
    pairs = 2600
    for folder in ("agency", "reprints"):
        (repo / folder).mkdir()
    for i in range(pairs):
        text = _article(rng, words)
        (repo / "agency" / f"{i:05d}.txt").write_text(text, "utf-8")
        (repo / "reprints" / f"{i:05d}.txt").write_text(text, "utf-8")
    assert _git(repo, "add", "agency", "reprints").returncode == 0
    res = _git(repo, "commit", "-q", "-m", "5,200 articles")
    assert res.returncode != 0  # rejected: the reprints are near-duplicates
    output = res.stdout + res.stderr  # git shows the hook's output on either
    found = [x for x in output.splitlines() if ": near-duplicate: of " in x]
    assert len(found) == pairs, output[-3000:]
    assert all(x.startswith("reprints/") for x in found)
