"""The demo: a throwaway git copy of the shipped sample data, to try allytui without touching real data."""

from __future__ import annotations

import shutil
import tempfile
from importlib import resources
from pathlib import Path

import git

from allytui.store.git import no_hooks_env
from allytui.store.repo import DataRepo

DEMO_PREFIX = "allytui-demo-"


def sample_data() -> Path:
    """The shipped sample data: inside the installed package, or beside the source in a checkout."""
    packaged = Path(str(resources.files("allytui") / "groupdata"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "groupdata"


def make_demo_repo() -> DataRepo:
    """A throwaway git copy of the sample data, committed, with a demo identity if the user has none."""
    target = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX)) / "riverton"
    shutil.copytree(sample_data(), target)
    git_repo = git.Repo.init(target, initial_branch="main")
    git_repo.git.update_environment(**no_hooks_env())
    with git_repo.config_writer() as config:
        if not _has_identity(git_repo):
            config.set_value("user", "name", "allytui demo")
            config.set_value("user", "email", "demo@allytui.invalid")
    git_repo.git.add("-A")
    git_repo.git.commit("-q", "--no-verify", "-m", "allytui: sample data")
    return DataRepo.open(target)


def remove_demo_repo(repo: DataRepo) -> None:
    """Take away a copy make_demo_repo made, with the temporary folder it was made in."""
    repo.git_repo.close()
    folder = repo.root.parent
    if folder.name.startswith(DEMO_PREFIX):  # never anything but the demo's own temporary folder
        shutil.rmtree(folder, ignore_errors=True)


def _has_identity(git_repo: git.Repo) -> bool:
    try:
        git_repo.git.execute(["git", "-c", "user.useConfigOnly=true", "var", "GIT_AUTHOR_IDENT"])
        return True
    except git.GitCommandError:
        return False
