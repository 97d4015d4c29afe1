"""A full disk, for real: the data repo on a small tmpfs filled up. A save, an import, a delete or a
hand-edit commit that does not fit says the disk is full and leaves every file as it was."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from allytui.model.records import Kind
from allytui.store.errors import DiskFull
from allytui.store.repo import DataRepo
from allytui.sync.driver import prepare
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.record_form import RecordForm
from tests.cli.test_cli import run
from tests.helpers import commit_count, git, save_all
from tests.ui.conftest import TODAY, settle

PAGE = 4096
FULL = "the disk is full"


class Disk:
    """A small tmpfs: fill it up, leaving a number of pages free, and empty it again."""

    def __init__(self, mount: Path) -> None:
        self.mount = mount
        self.filler = mount / "filler"

    def fill(self, leave_pages: int = 0) -> None:
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * PAGE)
        except OSError as error:
            assert error.errno == errno.ENOSPC
        finally:
            os.close(fd)
        size = self.filler.stat().st_size
        os.truncate(self.filler, max(size - size % PAGE - leave_pages * PAGE, 0))

    def empty(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield Disk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def full_repo(disk: Disk) -> DataRepo:
    repo = DataRepo.init(disk.mount / "data", name="Riverton")
    save_all(repo)
    prepare(repo)  # the per-clone settings every command checks, made while there is room
    return repo


def snapshot(repo: DataRepo) -> dict[str, bytes]:
    """Every file in the work tree (hidden ones too), by path."""
    return {
        str(p.relative_to(repo.root)): p.read_bytes()
        for p in repo.root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(repo.root).parts
    }


def assert_untouched(repo: DataRepo, files: dict[str, bytes], commits: int) -> None:
    assert snapshot(repo) == files
    assert commit_count(repo.root) == commits
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_save_whose_file_fits_but_whose_git_objects_do_not(full_repo: DataRepo, disk: Disk) -> None:
    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    changed = full_repo.read(Kind.GROUPS, "st-marys").model_copy(update={"influence": 2})
    disk.fill(leave_pages=1)  # room for the new file, none for the objects
    with pytest.raises(DiskFull, match=r"groups/st-marys\.toml is as before"):
        full_repo.save(changed)
    assert_untouched(full_repo, files, commits)
    disk.empty()
    assert full_repo.save(changed) is not None
    assert "influence = 2" in (full_repo.root / "groups" / "st-marys.toml").read_text()


@pytest.mark.parametrize("pages", [0, 1, 2, 3])
def test_a_save_on_a_full_disk_never_leaves_a_half_change(full_repo: DataRepo, disk: Disk, pages: int) -> None:
    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    changed = full_repo.read(Kind.GROUPS, "st-marys").model_copy(update={"influence": 2})
    disk.fill(leave_pages=pages)
    try:
        full_repo.save(changed)
    except DiskFull:
        disk.empty()
        assert_untouched(full_repo, files, commits)
    else:  # it fitted after all: then it is committed, whole
        assert git(full_repo.root, "show", "HEAD:groups/st-marys.toml").count("influence = 2") == 1


def test_an_import_that_does_not_fit(full_repo: DataRepo, disk: Disk, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = disk.mount.parent / "groups.csv"
    sheet.write_text("id,name,category\nallotments,Allotment Society,gardening\ncyclists,Cycle Club,sports\n")
    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    for pages in (0, 2):  # 2: both files fit, their objects do not
        disk.fill(leave_pages=pages)
        code, _, err = run(capsys, "--repo", str(full_repo.root), "import", "groups", str(sheet))
        disk.empty()
        assert code == 1 and FULL in err and "unexpected" not in err, err
        assert_untouched(full_repo, files, commits)


def test_a_delete_that_does_not_fit(full_repo: DataRepo, disk: Disk, capsys: pytest.CaptureFixture[str]) -> None:
    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    disk.fill()
    code, _, err = run(capsys, "--repo", str(full_repo.root), "rm", "activities/winter-climate-cafe")
    assert code == 1 and FULL in err and "activities/winter-climate-cafe.toml is as before" in err, err
    disk.empty()
    assert_untouched(full_repo, files, commits)


def test_a_hand_edit_that_cannot_be_committed_stays_in_its_file(
    full_repo: DataRepo, disk: Disk, capsys: pytest.CaptureFixture[str]
) -> None:
    path = full_repo.root / "groups" / "st-marys.toml"
    edited = path.read_text().replace("influence = 4", "influence = 5")
    path.write_text(edited)
    commits = commit_count(full_repo.root)
    disk.fill()
    with pytest.raises(DiskFull, match=r"your edit to groups/st-marys\.toml is still in the file"):
        full_repo.commit_file("groups/st-marys.toml")
    disk.empty()
    assert path.read_text() == edited and commit_count(full_repo.root) == commits
    assert full_repo.commit_file("groups/st-marys.toml") is not None


def test_the_set_command_says_the_disk_is_full(
    full_repo: DataRepo, disk: Disk, capsys: pytest.CaptureFixture[str]
) -> None:
    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    disk.fill(leave_pages=1)
    code, _, err = run(capsys, "--repo", str(full_repo.root), "set", "groups/st-marys", "influence=2")
    disk.empty()
    assert code == 1 and err.startswith(f"allytui: error: {FULL}") and "unexpected" not in err, err
    assert_untouched(full_repo, files, commits)


async def test_the_app_says_the_disk_is_full_and_keeps_the_form(full_repo: DataRepo, disk: Disk) -> None:
    from textual.widgets import Input

    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    app = AllytuiApp(full_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.edit_record(Kind.GROUPS, full_repo.read(Kind.GROUPS, "st-marys"))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-influence", Input).value = "2"
        disk.fill(leave_pages=1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        disk.empty()
        assert app.screen is form  # still editing: the change is in the form, not lost
        shown = [str(n.message) for n in app._notifications]
        assert any(FULL in text for text in shown), shown
    assert_untouched(full_repo, files, commits)


def test_init_on_a_full_disk_leaves_nothing(disk: Disk, capsys: pytest.CaptureFixture[str]) -> None:
    for pages in (0, 4, 8):
        disk.fill(leave_pages=pages)
        code, _, err = run(capsys, "init", str(disk.mount / "data"))
        disk.empty()
        assert code == 1 and FULL in err and "unexpected" not in err, err
        assert sorted(p.name for p in disk.mount.iterdir()) == []


def diverging_clones(repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """repo shared through a bare remote, which then has a colleague's changes while repo has its own."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo.root, "remote", "add", "origin", str(remote))
    assert run(capsys, "--repo", str(repo.root), "sync", "--quiet")[0] == 0
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    theirs = other / "groups" / "st-marys.toml"
    theirs.write_text(theirs.read_text().replace("influence = 4", "influence = 1"))
    (other / "groups" / "new-one.toml").write_text('name = "New One"\ncategory = "faith"\n')
    git(other, "add", "-A")
    git(other, "commit", "-qm", "their changes")
    git(other, "push", "-q", "origin", "main")
    repo.save(repo.read(Kind.PEOPLE, "ana").model_copy(update={"notes": "ours"}))  # so a merge is needed


SYNC_PAGES = [0, 4, 8, 10, 12, 16, 24]
"""Free pages to leave: the disk fills up fetching, writing merged files, at the merge commit or moving HEAD."""


@pytest.mark.parametrize("pages", SYNC_PAGES)
def test_a_sync_on_a_full_disk_loses_nothing(
    full_repo: DataRepo, disk: Disk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pages: int
) -> None:
    diverging_clones(full_repo, tmp_path, capsys)
    disk.fill(leave_pages=pages)
    _, _, err = run(capsys, "--repo", str(full_repo.root), "sync", "--quiet")
    disk.empty()
    assert "Traceback" not in err
    assert run(capsys, "--repo", str(full_repo.root), "sync", "--quiet")[0] == 0  # with room, it finishes
    assert git(full_repo.root, "status", "--porcelain") == ""
    assert "influence = 1" in (full_repo.root / "groups" / "st-marys.toml").read_text()
    assert 'notes = "ours"' in (full_repo.root / "people" / "ana.toml").read_text()
    assert (full_repo.root / "groups" / "new-one.toml").exists()


REFUSED_PAGES = sorted({*range(13), *SYNC_PAGES})
"""Every fill up to where the sync fits: each step of the sync in turn is the one that meets the full disk
(the fetch, its ref, refreshing the index, checking out, moving HEAD)."""


@pytest.mark.parametrize("pages", REFUSED_PAGES)
def test_a_sync_refused_by_a_full_disk_leaves_the_clone_as_it_was(
    full_repo: DataRepo, disk: Disk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pages: int
) -> None:
    diverging_clones(full_repo, tmp_path, capsys)
    files, head = snapshot(full_repo), git(full_repo.root, "rev-parse", "HEAD")
    disk.fill(leave_pages=pages)
    code, _, err = run(capsys, "--repo", str(full_repo.root), "sync", "--quiet")
    disk.empty()
    if code != 0:
        assert FULL in err and "as it was" in err, err
        assert git(full_repo.root, "rev-parse", "HEAD") == head
        assert snapshot(full_repo) == files  # hidden files too: nothing kept aside is left behind
        assert git(full_repo.root, "status", "--porcelain") == ""
        assert not (full_repo.root / ".git" / "allytui-move.json").exists()


def test_without_hard_links_the_old_file_is_copied_aside_first(
    full_repo: DataRepo, disk: Disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links (a FAT stick; none can be mounted here, so link() is made to
    refuse as FAT's does) the old file is copied aside before anything changes: a disk too full for
    the copy refuses the save at once, and one with room for it puts the file back by a rename."""

    def no_links(*_: object, **__: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    files, commits = snapshot(full_repo), commit_count(full_repo.root)
    changed = full_repo.read(Kind.GROUPS, "st-marys").model_copy(update={"influence": 2})
    for pages in (0, 1, 2, 3):
        disk.fill(leave_pages=pages)
        try:
            full_repo.save(changed)
        except DiskFull:
            disk.empty()
            assert_untouched(full_repo, files, commits)
        else:
            disk.empty()
            assert git(full_repo.root, "show", "HEAD:groups/st-marys.toml").count("influence = 2") == 1
            return
