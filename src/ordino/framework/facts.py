"""What a session records about itself: its id, the git commit, the command line.

Cheap by design: the commit is read from ``.git`` directly (no ``git`` process) and
the command line is looked up only when click is already imported.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = ["cli_facts", "generate_session_id", "git_facts"]


def generate_session_id() -> str:
    """A UTC timestamp in the dataset version format (``%Y-%m-%dT%H.%M.%S.%fZ``, ms)."""
    from datetime import datetime, timezone

    now = datetime.now(tz=timezone.utc)
    return now.strftime("%Y-%m-%dT%H.%M.%S.") + f"{now.microsecond // 1000:03d}Z"


def git_facts(project_path: Path) -> dict[str, Any]:
    """The project's git commit, read from ``.git`` without starting a process."""
    for directory in (project_path, *project_path.parents):
        git = directory / ".git"
        if git.is_file():  # a worktree: "gitdir: <path>"
            text = git.read_text(encoding="utf-8").strip()
            git = (directory / text.partition("gitdir:")[2].strip()).resolve()
        if git.is_dir():
            return _read_head(git)
    return {}


def _read_head(git: Path) -> dict[str, Any]:
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return {"git": {"commit_sha": head[:7]}}
        ref = head.partition("ref:")[2].strip()
        ref_file = git / ref
        if ref_file.is_file():
            sha = ref_file.read_text(encoding="utf-8").strip()
        else:
            packed = (git / "packed-refs").read_text(encoding="utf-8")
            sha = next(
                line.split()[0]
                for line in packed.splitlines()
                if line.endswith(" " + ref)
            )
        return {"git": {"commit_sha": sha[:7], "branch": ref.rpartition("/")[2]}}
    except (OSError, StopIteration, IndexError):
        return {}


def cli_facts() -> dict[str, Any] | None:
    click = sys.modules.get("click")  # only when running under the CLI
    if click is None:
        return None
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    return {
        "args": list(ctx.args),
        "params": dict(ctx.params),
        "command_name": ctx.command.name,
        "command_path": " ".join(["ordino", *sys.argv[1:]]),
    }
