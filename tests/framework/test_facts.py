from __future__ import annotations

import re

from ordino.framework.facts import generate_session_id, git_facts

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_session_id_is_a_dataset_version_timestamp():
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d\.\d{3}Z", generate_session_id()
    )


def test_git_commit_from_a_branch_ref(tmp_path):
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    nested = tmp_path / "sub"
    nested.mkdir()
    assert git_facts(nested) == {"git": {"commit_sha": "0123456", "branch": "main"}}


def test_git_commit_from_packed_refs_and_detached_head(tmp_path):
    git = tmp_path / ".git"
    git.mkdir()
    (git / "HEAD").write_text("ref: refs/heads/dev\n")
    (git / "packed-refs").write_text(f"# pack-refs\n{SHA} refs/heads/dev\n")
    assert git_facts(tmp_path)["git"]["commit_sha"] == "0123456"
    (git / "HEAD").write_text(SHA + "\n")
    assert git_facts(tmp_path) == {"git": {"commit_sha": "0123456"}}


def test_no_repository(tmp_path):
    (tmp_path / ".git").mkdir()  # broken: no HEAD
    assert git_facts(tmp_path) == {}
