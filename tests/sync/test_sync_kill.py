"""A sync killed at any step (SIGKILL, in a real process): the next run finishes the job and loses nothing.

Above all, files a half-finished sync checked out must never be committed as this member's hand edits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from allytui.model.enums import Stage
from allytui.model.records import Kind, Person
from allytui.store.repo import DataRepo
from allytui.sync.driver import sync
from allytui.sync.moves import PAUSE_AT, PAUSE_FILE
from tests.cli.test_cli import run
from tests.helpers import git
from tests.sync.conftest import Shared
from tests.sync.test_sync import edit, group

SYNC_IN_A_PROCESS = (
    "import sys; from pathlib import Path; from allytui.store.repo import DataRepo; "
    "from allytui.sync.driver import sync; sync(DataRepo.open(Path(sys.argv[1])))"
)


def kill_sync_at(repo: DataRepo, step: str, tmp: Path) -> None:
    """Run a sync in its own process, wait until it reaches step, and SIGKILL it there."""
    marker = tmp / f"paused-{step}"
    env = {**os.environ, PAUSE_AT: step, PAUSE_FILE: str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-c", SYNC_IN_A_PROCESS, str(repo.root)], env=env, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"the sync ended before reaching {step}: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the sync never reached {step}")
        time.sleep(0.05)
    process.kill()
    process.wait()
    assert process.stderr is not None
    process.stderr.close()


def hand_edit_commits(repo: DataRepo) -> list[str]:
    return [s for s in git(repo.root, "log", "--format=%s").splitlines() if "(edited by hand)" in s]


STEPS = ["hand-edits-committed", "fetched", "sync: checked out", "sync: HEAD moved", "merged", "pushed"]


@pytest.mark.parametrize("ben_edits", [True, False], ids=["merge", "fast-forward"])
@pytest.mark.parametrize("step", STEPS)
def test_a_sync_killed_at_any_step_is_finished_by_the_next(shared: Shared, step: str, ben_edits: bool) -> None:
    edit(shared.ana, stage=Stage.CONTACTED, next_action="Ring the vicar")
    sync(shared.ana)
    if ben_edits:
        edit(shared.ben, influence=4)
    elif step in ("merged", "pushed"):
        pytest.skip("a fast-forward has nothing to push")
    kill_sync_at(shared.ben, step, shared.tmp)

    report = sync(shared.ben)
    assert report.hand_edits == [] and hand_edit_commits(shared.ben) == []
    merged = group(shared.ben)
    assert (merged.stage, merged.next_action) == (Stage.CONTACTED, "Ring the vicar")
    assert merged.influence == (4 if ben_edits else None)
    assert git(shared.ben.root, "status", "--porcelain") == ""
    assert git(shared.ben.root, "rev-parse", "HEAD") == git(shared.remote, "rev-parse", "main")
    assert not (Path(shared.ben.git_repo.git_dir) / "allytui-move.json").exists()


def test_a_kill_between_checkout_and_head_is_finished_by_any_command(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app and every command finish the move first, so a save in between cannot build on the old HEAD."""
    edit(shared.ana, stage=Stage.CONTACTED)
    shared.ana.save(Person(id="rev-helen", name="Rev. Helen"))
    sync(shared.ana)
    kill_sync_at(shared.ben, "sync: checked out", shared.tmp)

    assert run(capsys, "--repo", str(shared.ben.root), "set", "groups/st-marys", "influence=2")[0] == 0
    assert git(shared.ben.root, "log", "-1", "--format=%s %an") == "group st-marys: influence (none) → 2 Ben\n"
    assert sync(shared.ben).pushed
    assert hand_edit_commits(shared.ben) == []
    assert shared.ben.exists(Kind.PEOPLE, "rev-helen")
    assert group(shared.ben).stage is Stage.CONTACTED and group(shared.ben).influence == 2
    assert git(shared.ben.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("step", ["sync failed, put back: checked out", "sync failed, put back: HEAD moved"])
def test_a_sync_killed_while_putting_the_repo_back_keeps_the_hand_edit(shared: Shared, step: str) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)
    sync(shared.ana)
    path = shared.ben.root / "groups" / "st-marys.toml"
    path.write_text(path.read_text().replace("St Mary's", "St Mary's Church"))  # a hand edit, not committed
    git(shared.remote, "config", "receive.maxInputSize", "10")  # the shared repo refuses the push
    start = git(shared.ben.root, "rev-parse", "HEAD")
    kill_sync_at(shared.ben, step, shared.tmp)  # merged, the push refused, killed while putting things back

    half_way = git(shared.ben.root, "rev-parse", "HEAD") != start or "Church" not in path.read_text()
    assert half_way
    git(shared.remote, "config", "--unset", "receive.maxInputSize")
    report = sync(shared.ben)
    assert report.pushed and report.hand_edits == ["groups/st-marys.toml"]
    assert len(hand_edit_commits(shared.ben)) == 1
    assert group(shared.ben).name == "St Mary's Church" and group(shared.ben).stage is Stage.CONTACTED
    assert git(shared.ben.root, "status", "--porcelain") == ""


def test_a_journal_naming_commits_this_repo_lacks_is_dropped(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = Path(shared.ben.git_repo.git_dir) / "allytui-move.json"
    journal.write_text(json.dumps({"from": "1" * 40, "to": "2" * 40, "put_back": {}}))
    assert run(capsys, "--repo", str(shared.ben.root), "check")[0] == 0
    assert not journal.exists()
    assert sync(shared.ben).nothing_to_push


def test_an_index_left_behind_by_a_save_killed_after_its_commit_does_not_wedge_the_sync(shared: Shared) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)
    sync(shared.ana)
    root = shared.ben.root
    before = git(root, "rev-parse", "HEAD:groups/st-marys.toml").strip()
    edit(shared.ben, influence=4)
    git(root, "update-index", "--cacheinfo", f"100644,{before},groups/st-marys.toml")  # as such a kill leaves it
    report = sync(shared.ben)
    assert report.pushed and report.hand_edits == [] and hand_edit_commits(shared.ben) == []
    assert (group(shared.ben).stage, group(shared.ben).influence) == (Stage.CONTACTED, 4)
    assert git(root, "status", "--porcelain") == ""


def test_a_move_that_cannot_be_finished_yet_is_one_clear_line(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)
    sync(shared.ana)
    kill_sync_at(shared.ben, "sync: checked out", shared.tmp)
    lock = Path(shared.ben.git_repo.git_dir) / "index.lock"
    lock.write_text("")  # git's own lock, left by some other program
    code, _, err = run(capsys, "--repo", str(shared.ben.root), "check")
    assert code == 1 and "a sync that stopped part way could not be finished" in err
    assert "index.lock" in err and "unexpected" not in err
    lock.unlink()
    assert sync(shared.ben).hand_edits == [] and group(shared.ben).stage is Stage.CONTACTED
    assert hand_edit_commits(shared.ben) == []
