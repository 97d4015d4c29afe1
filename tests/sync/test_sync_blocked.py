"""Files that stop a sync: what others push with plain git (links, odd names, broken settings, invalid
records) and invalid hand edits here. Each is named with who changed it last and the ways forward;
`--skip-bad` takes everything else and lists what it left out."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from allytui.model.enums import Stage
from allytui.model.records import Kind, Person
from allytui.sync.blockers import SyncBlocked
from allytui.sync.driver import sync
from tests.cli.test_cli import run
from tests.helpers import git
from tests.sync.conftest import Shared
from tests.sync.test_sync import edit, group


def mallory(shared: Shared) -> Path:
    """A plain git clone of the shared repo, for pushing what allytui itself never would."""
    work = shared.tmp / "mallory"
    git(shared.tmp, "clone", "-q", str(shared.remote), str(work))
    git(work, "config", "user.name", "Mallory")
    git(work, "config", "user.email", "mallory@example.org")
    (work / "groups" / "cats.toml").write_text('name = "Cats"\ncategory = "other"\n')  # good, with the bad
    git(work, "add", "groups/cats.toml")
    return work


def commit_and_push(work: Path) -> None:
    git(work, "commit", "-qm", "by hand")
    git(work, "push", "-q", "origin", "main")


def git_in(work: Path, text: str, *args: str) -> str:
    """Run git with text on its standard input; its output, stripped."""
    return subprocess.run(
        ["git", *args], cwd=work, input=text, capture_output=True, text=True, check=True
    ).stdout.strip()


def blob(work: Path, text: str) -> str:
    return git_in(work, text, "hash-object", "-w", "--stdin")


def push_tree_lines(work: Path, lines: list[str]) -> None:
    """Commit a root tree of raw `mode type sha<TAB>name` entries on HEAD (what `git add` refuses), push it."""
    tree = git_in(work, "\n".join(lines) + "\n", "mktree")
    commit = git(work, "commit-tree", tree, "-p", "HEAD", "-m", "by hand").strip()
    git(work, "push", "-q", "origin", f"{commit}:refs/heads/main")


def with_entry(work: Path, folder: str, entry: str) -> None:
    """Commit the good part, then push HEAD's tree with one more raw entry in folder ("" for the root)."""
    git(work, "commit", "-qm", "the good part")
    if not folder:
        push_tree_lines(work, [*git(work, "ls-tree", "HEAD").splitlines(), entry])
        return
    inner = git_in(work, "\n".join([*git(work, "ls-tree", f"HEAD:{folder}").splitlines(), entry]) + "\n", "mktree")
    lines = [e for e in git(work, "ls-tree", "HEAD").splitlines() if not e.endswith(f"\t{folder}")]
    push_tree_lines(work, [*lines, f"040000 tree {inner}\t{folder}"])


def dot_dot(work: Path) -> str:
    with_entry(work, "", f"100644 blob {blob(work, 'x = 1')}\t..")
    return ".."


def folder_link(work: Path) -> str:
    outside = work.parent / "outside"
    outside.mkdir()
    (outside / "eve.toml").write_text('name = "Eve"\n')
    git(work, "rm", "-rqf", "people")
    (work / "people").symlink_to(outside)
    git(work, "add", "people")
    commit_and_push(work)
    return "people"


def record_link(work: Path) -> str:
    """A symbolic link whose target text is itself a valid record."""
    target = blob(work, 'name = "Evil"\ncategory = "faith"\n')
    with_entry(work, "groups", f"120000 blob {target}\tevil.toml")
    return "groups/evil.toml"


def submodule(work: Path) -> str:
    with_entry(work, "groups", f"160000 commit {git(work, 'rev-parse', 'HEAD').strip()}\tsub")
    return "groups/sub"


def settings_deleted(work: Path) -> str:
    git(work, "rm", "-q", "allytui.toml")
    commit_and_push(work)
    return "allytui.toml"


def settings_broken(work: Path) -> str:
    (work / "allytui.toml").write_text("name = [\n")
    git(work, "add", "allytui.toml")
    commit_and_push(work)
    return "allytui.toml"


def invalid_record(work: Path) -> str:
    path = work / "groups" / "st-marys.toml"
    path.write_text(path.read_text().replace('category = "faith"', 'category = "bakery"'))
    git(work, "add", "groups/st-marys.toml")
    commit_and_push(work)
    return "groups/st-marys.toml"


HOSTILE: dict[str, Callable[[Path], str]] = {
    "dot-dot": dot_dot,
    "folder-link": folder_link,
    "record-link": record_link,
    "submodule": submodule,
    "settings-deleted": settings_deleted,
    "settings-broken": settings_broken,
    "invalid-record": invalid_record,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_push_is_named_and_changes_nothing_then_skip_bad_takes_the_rest(shared: Shared, name: str) -> None:
    bad = HOSTILE[name](mallory(shared))
    edit(shared.ben, influence=4)
    head, status = git(shared.ben.root, "rev-parse", "HEAD"), git(shared.ben.root, "status", "--porcelain")

    with pytest.raises(SyncBlocked) as raised:
        sync(shared.ben)
    assert [b.path for b in raised.value.blockers] == [bad]
    assert "changed last by Mallory" in str(raised.value) and "--skip-bad" in str(raised.value)
    assert git(shared.ben.root, "rev-parse", "HEAD") == head
    assert git(shared.ben.root, "status", "--porcelain") == status

    report = sync(shared.ben, skip_bad=True)
    assert report.pushed and [p.path for p in report.skipped] == [bad]
    assert any(line.startswith(f"LEFT OUT {bad}") for line in report.summary())
    assert shared.ben.exists(Kind.GROUPS, "cats") and group(shared.ben).influence == 4
    assert git(shared.ben.root, "status", "--porcelain") == ""
    tree = git(shared.ben.root, "ls-tree", "-r", "HEAD").splitlines()
    assert all(line.startswith("100644 blob") for line in tree)
    assert all(not p.is_symlink() for p in shared.ben.root.rglob("*"))
    assert shared.ben.load().problems == []
    assert sync(shared.ben).skipped == []  # left out once; nothing blocks the next sync
    assert sync(shared.ana).skipped == []


def test_the_cli_names_the_file_who_changed_it_and_what_to_do(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    invalid_record(mallory(shared))
    code, _, err = run(capsys, "--repo", str(shared.ben.root), "sync", "--quiet")
    assert code == 1
    assert "groups/st-marys.toml: category: incoming:" in err
    assert "changed last by Mallory" in err and "ask Mallory to fix it" in err
    assert "allytui sync --skip-bad" in err and "unexpected" not in err

    code, out, err = run(capsys, "--repo", str(shared.ben.root), "sync", "--quiet", "--skip-bad")
    assert "LEFT OUT groups/st-marys.toml: category" in out and "pushed" in out
    assert "1 change(s) from others to 1 file(s)" in out and "groups/cats.toml (Cats) by Mallory" in out
    assert "st-marys.toml (" not in out  # the file left out is not reviewed as if it had come in
    assert code == 1 and err == ""
    assert shared.ben.exists(Kind.GROUPS, "cats")


def test_a_tree_entry_named_dot_dot_is_one_clear_message(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    dot_dot(mallory(shared))
    code, _, err = run(capsys, "--repo", str(shared.ben.root), "sync", "--quiet")
    assert code == 1 and "..: -: incoming: a file name that is not safe" in err
    assert "GitCommandError" not in err and "unexpected" not in err


def test_an_invalid_hand_edit_is_named_as_yours_and_skip_bad_leaves_it_as_it_is(shared: Shared) -> None:
    edit(shared.ana, stage=Stage.CONTACTED)  # others change the same file, validly
    shared.ana.save(Person(id="dan", name="Dan"))
    sync(shared.ana)
    shared.ben.save(Person(id="eve", name="Eve"))
    path = shared.ben.root / "groups" / "st-marys.toml"
    path.write_text(path.read_text() + "colour = 'red'\n")
    mine = path.read_bytes()

    with pytest.raises(SyncBlocked) as raised:
        sync(shared.ben)
    text = str(raised.value)
    assert "groups/st-marys.toml:12: colour: unknown field" in text and "your own edit" in text and "discard it" in text

    report = sync(shared.ben, skip_bad=True)
    assert report.pushed and [p.path for p in report.skipped] == ["groups/st-marys.toml"]
    assert any("your edit is left as it is, not committed" in line for line in report.summary())
    assert path.read_bytes() == mine  # the edit stays, exactly as written
    assert git(shared.ben.root, "status", "--porcelain") == " M groups/st-marys.toml\n"
    assert 'stage = "contacted"' in git(shared.ben.root, "show", "HEAD:groups/st-marys.toml")
    assert shared.ben.exists(Kind.PEOPLE, "dan")
    assert "people/eve.toml" in git(shared.remote, "ls-tree", "-r", "--name-only", "main")
    assert "colour" not in git(shared.remote, "show", "main:groups/st-marys.toml")


@pytest.mark.parametrize("ben_edits", [True, False], ids=["merge", "fast-forward"])
def test_a_dropped_merge_rule_is_kept(shared: Shared, ben_edits: bool) -> None:
    work = mallory(shared)
    (work / ".gitattributes").write_text("*.csv text\n")
    (work / "notes.txt").write_text("minutes of the last meeting\n")  # unknown files are allowed, as they are
    git(work, "add", ".gitattributes", "notes.txt")
    commit_and_push(work)
    if ben_edits:
        edit(shared.ben, influence=4)
    report = sync(shared.ben)
    assert report.kept_merge_rule and report.pushed
    for text in (
        (shared.ben.root / ".gitattributes").read_text(),
        git(shared.remote, "show", "main:.gitattributes"),
    ):
        assert "*.csv text" in text and "*.toml merge=binary" in text
    assert shared.ben.exists(Kind.GROUPS, "cats")
    assert (shared.ben.root / "notes.txt").read_text() == "minutes of the last meeting\n"
    assert git(shared.ben.root, "status", "--porcelain") == ""


async def test_the_sync_screen_says_the_same_and_k_syncs_leaving_the_file_out(shared: Shared) -> None:
    from textual.widgets import Static

    from allytui.tui.app import AllytuiApp
    from allytui.tui.screens.sync import SyncScreen
    from tests.ui.conftest import TODAY, settle

    invalid_record(mallory(shared))
    app = AllytuiApp(shared.ben, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SyncScreen) and screen.blocked
        result = str(screen.query_one("#sync-result", Static).render())
        assert "Not synced" in result and "groups/st-marys.toml" in result
        assert "changed last by Mallory" in result and "press k to sync again" in result
        await pilot.press("k")
        await settle(pilot)
        result = str(screen.query_one("#sync-result", Static).render())
        assert screen.finished and not screen.blocked
        assert "LEFT OUT groups/st-marys.toml" in result and "pushed" in result
    assert shared.ben.exists(Kind.GROUPS, "cats")


@pytest.mark.parametrize("what", ["invalid-record", "link"])
def test_a_bad_commit_made_here_with_plain_git_is_not_shared(shared: Shared, what: str) -> None:
    path = shared.ben.root / "groups" / "st-marys.toml"
    good = path.read_text()
    if what == "link":
        path.unlink()
        path.symlink_to(shared.tmp / "elsewhere.toml")
    else:
        path.write_text(good.replace('category = "faith"', 'category = "bakery"'))
    git(shared.ben.root, "commit", "-qam", "by hand with git")
    remote_head = git(shared.remote, "rev-parse", "main")

    with pytest.raises(SyncBlocked) as raised:
        sync(shared.ben, skip_bad=True)  # a commit already made cannot be left out
    assert [(b.path, b.source) for b in raised.value.blockers] == [("groups/st-marys.toml", "commit")]
    text = str(raised.value)
    assert "yours:" in text and "committed here, not shared yet; changed last by Ben" in text
    assert "fix the file here" in text and "--skip-bad" not in text
    assert git(shared.remote, "rev-parse", "main") == remote_head

    path.unlink()
    path.write_text(good)  # fixed by hand: the next sync commits the fix and shares it
    assert sync(shared.ben).pushed
    assert git(shared.remote, "show", "main:groups/st-marys.toml") == good
