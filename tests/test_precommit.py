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

import pytest

from tests.helpers import ROOT, require_program

yaml = pytest.importorskip("yaml")


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=300)


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_hook_manifest_is_valid_and_matches_the_corpus_files() -> None:
    res = _pre_commit(ROOT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"))
    assert res.returncode == 0, res.stdout + res.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"newsclean-check", "newsclean-fix"}
    for h in hooks.values():
        assert h["require_serial"] is True
        pattern = re.compile(h["files"])
        for name in ("a.txt", "b/c.html", "d.htm", "e.jsonl", "f.jsonl.gz"):
            assert pattern.search(name), name
        for name in ("a.py", "b.json", "c.txt.bak", "d.gz"):
            assert not pattern.search(name), name


@pytest.mark.slow
def test_dirty_commit_is_rejected_then_fixed_and_accepted(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    require_program("git")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    me = f"{shlex.quote(sys.executable)} -m newsclean"
    local = []
    for h in hooks:
        hook = dict(h, language="system", entry=h["entry"].replace("newsclean", me, 1))
        if h["id"] == "newsclean-fix":
            hook["stages"] = ["manual"]
        local.append(hook)
    repo = tmp_path / "corpus-repo"
    repo.mkdir()
    assert _git(repo, "init", "-q").returncode == 0
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    _git(repo, "config", "commit.gpgsign", "false")
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]})
    )
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"))
    res = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )
    assert res.returncode == 0, res.stderr
    _git(repo, "add", ".pre-commit-config.yaml")
    assert _git(repo, "commit", "-q", "-m", "config").returncode == 0

    # A scraped page as it came off the crawler: indentation, chrome lines and all.
    (repo / "news").mkdir()
    (repo / "news" / "a.txt").write_bytes(seed_paths[0].read_bytes())
    _git(repo, "add", "news/a.txt")
    rejected = _git(repo, "commit", "-m", "add a dirty article")
    assert rejected.returncode != 0
    assert "news/a.txt:" in rejected.stdout + rejected.stderr
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 1

    fixed = _pre_commit(
        repo, "run", "--hook-stage", "manual", "newsclean-fix", "--files", "news/a.txt"
    )
    assert fixed.returncode == 1  # files were modified: pre-commit reports that as a failure
    assert (repo / "news" / "a.txt").read_bytes() != seed_paths[0].read_bytes()
    _git(repo, "add", "news/a.txt")
    accepted = _git(repo, "commit", "-m", "add the cleaned article")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 2
