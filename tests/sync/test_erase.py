"""Erasing a person: out of the work tree, out of every branch's history, off the shared repo and every clone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from allytui.cli.main import main
from allytui.model.erasure import ERASURES_FILE
from allytui.model.records import ContactDetails, Conversation, Group, Knows, Person, Team
from allytui.store.errors import RecordNotFound
from allytui.store.repo import DataRepo
from allytui.sync.driver import sync
from allytui.sync.erase import MentionsFound, erase, pending_lease
from allytui.sync.moves import PAUSE_AT, PAUSE_FILE
from allytui.sync.remote import SyncError
from tests.helpers import git
from tests.sealing_kit import EMAIL as SEALED_EMAIL
from tests.sealing_kit import make_key, seal_team
from tests.sync.conftest import Shared

NAME, EMAIL, PHONE, OLD_PHONE = "Zoe Quill", "zoe@quill.example", "+44 7700 900123", "07700 900999"
TRACES = ("zoe quill", "zoe-quill", "quill.example", "900123", "900999")


def _everything(root: Path) -> bytes:
    """Every byte a clone (or the bare remote) could give back: history with patches, every object in the
    store (reachable or not, packed or loose), the reflogs, the packs' raw bytes, and every plain file in .git."""
    git_dir = root / ".git" if (root / ".git").is_dir() else root

    def run(*args: str) -> bytes:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout

    found = [
        run("log", "--all", "-p", "--format=fuller"),
        run("reflog", "--all", "--format=%H %gs %s"),
        run("cat-file", "--batch-all-objects", "--batch"),
        run("verify-pack", "-v", *[str(p) for p in git_dir.glob("objects/pack/*.idx")])
        if any(git_dir.glob("objects/pack/*.idx"))
        else b"",
    ]
    objects = run("rev-list", "--all", "--objects").split()
    listed = b"\n".join(sha for sha in objects if len(sha) == 40)
    found.append(
        subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=listed + b"\n", capture_output=True).stdout
    )
    for path in git_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            found.append(raw)
            if path.suffix == ".pack":
                found.append(_inflated(raw))
    if (root / ".git").is_dir():
        found += [p.read_bytes() for p in root.rglob("*.toml") if ".git" not in p.parts]
    return b"\n".join(found).lower()


def _inflated(pack: bytes) -> bytes:
    """Every zlib stream in a pack, inflated: what `strings` would see if git did not compress."""
    out, position = [], 12
    while position < len(pack):
        start = pack.find(b"\x78", position)
        if start < 0:
            break
        try:
            stream = zlib.decompressobj()
            out.append(stream.decompress(pack[start:]))
            position = len(pack) - len(stream.unused_data) if stream.eof else start + 1
        except zlib.error:
            position = start + 1
    return b"".join(out)


def _traces(root: Path) -> list[str]:
    everything = _everything(root)
    return [trace for trace in TRACES if trace.encode() in everything]


def _set_up(shared: Shared) -> None:
    """Zoe, a person of a group, with two versions of her contact details, referred to and mentioned around."""
    ana = shared.ana
    ana.save(Person(id="zoe-quill", name=NAME, contact=ContactDetails(email=EMAIL, phone=OLD_PHONE)))
    ana.save(Person(id="zoe-quill", name=NAME, role="chair", contact=ContactDetails(email=EMAIL, phone=PHONE)))
    ana.save(Team(id="riverton", name="Riverton", members=["ana"]))
    ana.save(Group(id="st-marys", name="St Mary's", category="faith", lead="zoe-quill", notes="Zoe Quill runs it"))
    ana.save(Person(id="bob", name="Bob", knows=[Knows(person="zoe-quill", how="friends"), Knows(group="st-marys")]))
    ana.save(
        Conversation(
            id="2026-11-02-st-marys-a1b2c3",
            date=dt.date(2026, 11, 2),
            group="st-marys",
            their_people=["zoe-quill"],
            our_people=["ana"],
            notes=f"call zoe on {PHONE}",
        )
    )
    sync(ana)
    sync(shared.ben)


def test_erase_everywhere(shared: Shared) -> None:
    _set_up(shared)
    ana, ben = shared.ana, shared.ben
    late = shared.third("cat")  # syncs only after everyone else
    # unshared work on both sides
    ana.save(Group(id="food-bank", name="Food bank", category="food_bank", notes="new ally"))
    git(ana.root, "commit", "--allow-empty", "-q", "-m", f"note: phoned {NAME}")  # a message naming her
    ben.save(Group(id="st-marys", name="St Mary's", category="faith", lead="zoe-quill", stage="contacted",
                   notes="Zoe Quill runs it"))  # fmt: skip
    ben.save(Group(id="allotments", name="Allotments", category="gardening", notes=f"ask Zoe Quill ({EMAIL})"))
    ben.save(Person(id="zoe-quill", name=NAME, role="treasurer", contact=ContactDetails(email=EMAIL, phone=PHONE)))
    ben.save(Person(id="dee", name="Dee", role="organiser"))
    ana_team = ana.read(Team.KIND, "riverton")
    assert set(_traces(ana.root)) == set(TRACES)  # the search below finds what is there

    report = erase(ana, "zoe-quill", redact_mentions=True, push=True)

    assert report.pushed and report.first_rewritten
    assert ("groups/st-marys.toml", "lead") in report.plan.references
    assert ("people/bob.toml", "knows[0].person") in report.plan.references
    assert not (ana.root / "people/zoe-quill.toml").exists()
    bob = ana.read(Person.KIND, "bob")
    assert [k.group for k in bob.knows] == ["st-marys"]  # the link to her went whole; the other stayed
    assert "[erased]" in (ana.root / "groups/st-marys.toml").read_text()
    assert ana.read(Team.KIND, "riverton") == ana_team
    assert (ana.root / "groups/food-bank.toml").exists()  # her own unshared work went out with it

    ben_report = sync(ben)
    late_report = sync(late)
    sync(ana)

    assert any("replayed" in line for line in ben_report.erasure)
    assert any("erased person's own record was dropped" in line for line in ben_report.erasure)
    assert late_report.erasure  # a clone that syncs later converges too
    for repo in (ana, ben, late):
        assert git(repo.root, "rev-parse", "HEAD") == git(shared.remote, "rev-parse", "main")
        assert not (repo.root / "people/zoe-quill.toml").exists()
        assert DataRepo.open(repo.root).load().problems == []
    group = ben.read(Group.KIND, "st-marys")
    assert (group.stage, group.lead) == ("contacted", None)  # ben's field survives; her reference does not
    allotments = ana.read(Group.KIND, "allotments")
    assert allotments.notes == "ask [erased] ([erased])"
    assert ana.read(Person.KIND, "dee").role == "organiser"
    assert (ben.root / "groups/food-bank.toml").exists()
    assert "note: phoned [erased]" in git(ben.root, "log", "--format=%s")
    for root in (ana.root, ben.root, late.root, shared.remote):
        assert _traces(root) == [], root
    assert git(shared.remote, "cat-file", "-p", f"main:{ERASURES_FILE}").count("[[erasure]]") == 1


def test_erase_unknown_person_says_so_and_changes_nothing(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    head = git(shared.ana.root, "rev-parse", "HEAD")
    with pytest.raises(RecordNotFound, match="people/nobody: no such person"):
        erase(shared.ana, "nobody")
    assert main(["--repo", str(shared.ana.root), "erase", "people/nobody"]) == 1
    assert "no such person" in capsys.readouterr().err
    assert main(["--repo", str(shared.ana.root), "erase", "groups/st-marys"]) == 1
    assert "only a person can be erased" in capsys.readouterr().err
    assert git(shared.ana.root, "rev-parse", "HEAD") == head


def _state(root: Path) -> tuple[str, str, str]:
    return (
        git(root, "for-each-ref", "--format=%(refname) %(objectname)"),
        git(root, "count-objects", "-v"),
        git(root, "status", "--porcelain") if (root / ".git").is_dir() else "",
    )


def test_dry_run_changes_nothing(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    _set_up(shared)
    before = _state(shared.ana.root), _state(shared.remote)
    assert main(["--repo", str(shared.ana.root), "erase", "people/zoe-quill", "--dry-run", "--push"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing was changed" in out
    assert "groups/st-marys.toml: lead" in out and "people/bob.toml: knows[0].person" in out
    assert (_state(shared.ana.root), _state(shared.remote)) == before
    assert (shared.ana.root / "people/zoe-quill.toml").exists()


def test_mentions_stop_the_erasure_and_are_listed_without_the_name(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up(shared)
    before = _state(shared.ana.root)
    with pytest.raises(MentionsFound) as stopped:
        erase(shared.ana, "zoe-quill")
    assert {(m.path, m.field) for m in stopped.value.mentions} >= {
        ("groups/st-marys.toml", "notes"),
        ("conversations/2026/2026-11-02-st-marys-a1b2c3.toml", "notes"),
    }
    assert main(["--repo", str(shared.ana.root), "erase", "people/zoe-quill"]) == 1
    err = capsys.readouterr().err
    assert "--redact-mentions" in err and "groups/st-marys.toml: notes" in err
    assert "zoe" not in err.lower() and "900123" not in err
    assert _state(shared.ana.root) == before


def test_uncommitted_edits_stop_the_erasure(shared: Shared) -> None:
    _set_up(shared)
    path = shared.ana.root / "groups/st-marys.toml"
    path.write_text(path.read_text() + 'area = "north"\n')
    with pytest.raises(Exception, match="uncommitted changes"):
        erase(shared.ana, "zoe-quill", redact_mentions=True)
    assert 'area = "north"' in path.read_text()


def test_a_stash_or_changes_shared_but_not_taken_stop_the_erasure_and_change_nothing(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up(shared)
    ana, ben = shared.ana, shared.ben
    path = ana.root / "groups/st-marys.toml"
    path.write_text(path.read_text() + 'area = "north"\n')
    git(ana.root, "stash", "-q")  # an erasure clears the reflogs a stash lives in
    before = _state(ana.root), _state(shared.remote)
    assert main(["--repo", str(ana.root), "erase", "people/zoe-quill", "--redact-mentions"]) == 1
    err = capsys.readouterr().err
    assert "stashed changes" in err and "nothing was changed" in err and "zoe" not in err.lower()
    assert (_state(ana.root), _state(shared.remote)) == before
    git(ana.root, "stash", "pop", "-q")
    git(ana.root, "checkout", "--", "groups/st-marys.toml")

    ben.save(Group(id="library", name="Library", category="other", notes="ask Zoe Quill"))  # shared, not taken
    sync(ben)
    branches, status, remote = git(ana.root, "for-each-ref", "refs/heads"), _state(ana.root)[2], _state(shared.remote)
    assert main(["--repo", str(ana.root), "erase", "people/zoe-quill", "--redact-mentions", "--push"]) == 1
    err = capsys.readouterr().err
    assert "others have shared changes this clone has not taken yet; run allytui sync first" in err
    assert "zoe" not in err.lower()
    assert (git(ana.root, "for-each-ref", "refs/heads"), _state(ana.root)[2], _state(shared.remote)) == (
        branches,
        status,
        remote,
    )  # only what the shared repo has was fetched: no branch here or there moved
    assert (ana.root / "people/zoe-quill.toml").exists()

    sync(ana)  # as it says: sync first, then the erasure goes through and takes her mention in ben's record too
    assert erase(ana, "zoe-quill", redact_mentions=True, push=True).pushed
    sync(ben)
    assert ben.read(Group.KIND, "library").notes == "ask [erased]"
    for root in (ana.root, ben.root, shared.remote):
        assert _traces(root) == [], root


def test_a_push_refused_by_the_lease_overwrites_nothing_and_sync_finishes_it(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    _set_up(shared)
    ana, ben = shared.ana, shared.ben

    def meanwhile(step: str) -> None:  # ben shares a change while ana's erasure runs
        if step.startswith("pushing"):
            ben.save(Group(id="library", name="Library", category="other", notes=f"Zoe Quill ({PHONE}) suggested it"))
            sync(ben)

    report = erase(ana, "zoe-quill", redact_mentions=True, push=True, progress=meanwhile)

    theirs = git(shared.remote, "rev-parse", "main")
    assert not report.pushed and "nothing of theirs was overwritten" in report.push_refused
    assert theirs == git(ben.root, "rev-parse", "HEAD")  # ben's commit is still what the shared repo has
    assert git(ana.root, "cat-file", "-t", f"HEAD:{ERASURES_FILE}").strip() == "blob"  # the erasure is kept here
    assert pending_lease(ana.git_repo)
    assert main(["--repo", str(ana.root), "erase", "people/zoe-quill", "--push"]) == 1  # again: the lease holds
    assert "already erased" in capsys.readouterr().out
    assert git(shared.remote, "rev-parse", "main") == theirs

    sync(ana)  # brings ben's change onto the rewritten history, then shares it
    sync(ben)
    assert pending_lease(ana.git_repo) is None
    assert ben.read(Group.KIND, "library").notes == "[erased] ([erased]) suggested it"
    assert git(ben.root, "rev-parse", "HEAD") == git(shared.remote, "rev-parse", "main")
    for root in (ana.root, ben.root, shared.remote):
        assert _traces(root) == [], root


def test_erasures_file_is_checked(repo: DataRepo) -> None:
    (repo.root / ERASURES_FILE).write_text('[[erasure]]\ndate = 2026-12-01\nby = "Ana"\nsalt = "xyz"\nhash = "0"\n')
    problems = repo.load().problems
    assert {(p.path, p.field) for p in problems} >= {
        (ERASURES_FILE, "erasure[0].salt"),
        (ERASURES_FILE, "erasure[0].hash"),
    }


def _zoe_unreferenced(shared: Shared) -> None:
    """Zoe added last and referred to nowhere: the rewritten history differs from the old only after her."""
    shared.ana.save(Person(id="zoe-quill", name=NAME, contact=ContactDetails(email=EMAIL, phone=PHONE)))
    sync(shared.ana)
    sync(shared.ben)
    shared.ben.save(Group(id="allotments", name="Allotments", category="gardening"))  # ben's, not shared yet
    erase(shared.ana, "zoe-quill", push=True)


def test_plain_git_pull_merges_the_old_history_back_and_sync_takes_it_out(shared: Shared) -> None:
    _zoe_unreferenced(shared)
    ben = shared.ben

    pulled = subprocess.run(["git", "pull", "--no-edit"], cwd=ben.root, capture_output=True, text=True)

    # what plain git does: a merge of the two histories, which brings her record back without a word
    assert pulled.returncode == 0
    assert len(git(ben.root, "rev-list", "--parents", "-1", "HEAD").split()) == 3
    assert (ben.root / "people/zoe-quill.toml").exists()
    report = sync(ben)
    assert any("replayed" in line for line in report.erasure)
    assert not (ben.root / "people/zoe-quill.toml").exists()
    assert ben.read(Group.KIND, "allotments").name == "Allotments"
    assert git(ben.root, "rev-parse", "HEAD") == git(shared.remote, "rev-parse", "main")
    for root in (ben.root, shared.remote):
        assert _traces(root) == [], root


def test_sync_refuses_a_shared_history_that_brings_an_erased_person_back(shared: Shared) -> None:
    _zoe_unreferenced(shared)
    ben, ana = shared.ben, shared.ana
    git(ben.root, "pull", "--no-edit")
    git(ben.root, "push", "origin", "HEAD:main")  # plain git shares the old history again
    head = git(ana.root, "rev-parse", "HEAD")

    with pytest.raises(SyncError, match="brings back history an erasure removed"):
        sync(ana)

    assert git(ana.root, "rev-parse", "HEAD") == head
    assert not (ana.root / "people/zoe-quill.toml").exists()


def test_an_erasure_not_pushed_is_shared_by_the_next_sync(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    _set_up(shared)
    ana, ben = shared.ana, shared.ben
    assert main(["--repo", str(ana.root), "erase", "people/zoe-quill", "--redact-mentions", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "not pushed" in out and "zoe" not in out.lower()
    assert git(shared.remote, "cat-file", "-t", "main:people/zoe-quill.toml").strip() == "blob"  # not shared yet

    assert main(["--repo", str(ana.root), "sync", "--quiet"]) == 0
    assert main(["--repo", str(ben.root), "sync", "--quiet"]) == 0

    assert "erasure:" in capsys.readouterr().out
    for root in (ana.root, ben.root, shared.remote):
        assert _traces(root) == [], root


def test_a_shared_repo_that_refuses_rewrites_is_said_so_and_nothing_is_lost(shared: Shared) -> None:
    _set_up(shared)
    ana = shared.ana
    git(shared.remote, "config", "receive.denyNonFastForwards", "true")
    theirs = git(shared.remote, "rev-parse", "main")

    report = erase(ana, "zoe-quill", redact_mentions=True, push=True)

    assert not report.pushed and "refuses to have its history rewritten" in report.push_refused
    assert git(shared.remote, "rev-parse", "main") == theirs
    assert pending_lease(ana.git_repo) == theirs.strip()
    with pytest.raises(SyncError, match="refuses to have its history rewritten"):
        sync(ana)
    assert not (ana.root / "people/zoe-quill.toml").exists()  # the erasure is still here, as it was
    git(shared.remote, "config", "receive.denyNonFastForwards", "false")
    sync(ana)
    assert git(shared.remote, "rev-parse", "main") == git(ana.root, "rev-parse", "HEAD")
    assert _traces(shared.remote) == []


def test_sealed_contact_details_are_read_with_the_key_and_sealed_text_elsewhere_is_named(
    repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_key(tmp_path / "keys", "ana")
    key.use(monkeypatch)
    seal_team(repo, ("ana", key))
    repo.save(Group(id="bakery", name="Bakery", category="other", notes=f"Cy's email: {SEALED_EMAIL}"))
    repo.save(Person(id="dee", name="Dee", notes="sealed, so never searched"))
    assert SEALED_EMAIL not in (repo.root / "people/cy.toml").read_text()  # her details are sealed

    report = erase(repo, "cy", redact_mentions=True)

    assert repo.read(Group.KIND, "bakery").notes == "Cy's email: [erased]"  # found through her opened details
    assert "people/dee.toml" in report.plan.sealed
    assert any("cannot be searched" in line for line in report.summary())
    assert SEALED_EMAIL.encode() not in _everything(repo.root)


def test_every_branch_of_the_shared_repo_and_of_other_clones_loses_her(shared: Shared) -> None:
    _set_up(shared)
    ana = shared.ana
    git(ana.root, "push", "-q", "origin", "HEAD:refs/heads/archive")  # an old branch that holds her too
    cat = shared.third("cat")  # has origin/archive, and a branch of its own
    git(cat.root, "branch", "-q", "mine")
    cat.save(Group(id="library", name="Library", category="other"))

    report = erase(ana, "zoe-quill", redact_mentions=True, push=True)
    assert report.pushed
    assert git(shared.remote, "rev-parse", "archive") == git(ana.root, "rev-parse", "origin/archive")
    sync(cat)

    assert cat.read(Group.KIND, "library").name == "Library"
    assert git(cat.root, "rev-parse", "-q", "--verify", "refs/heads/mine").strip()  # rewritten, not deleted
    for root in (ana.root, cat.root, shared.remote):
        assert _traces(root) == [], root


ERASE_IN_A_PROCESS = (
    "import sys; from pathlib import Path; from allytui.store.repo import DataRepo; "
    "from allytui.sync.erase import erase; erase(DataRepo.open(Path(sys.argv[1])), 'zoe-quill', "
    "redact_mentions=True, push=True)"
)


@pytest.mark.parametrize("step", ["erase: committed", "erase: rewritten"])
def test_an_erasure_killed_part_way_is_finished_by_running_it_again(shared: Shared, step: str) -> None:
    _set_up(shared)
    ana = shared.ana
    marker = shared.tmp / "paused"
    env = {**os.environ, PAUSE_AT: step, PAUSE_FILE: str(marker)}
    process = subprocess.Popen([sys.executable, "-c", ERASE_IN_A_PROCESS, str(ana.root)], env=env)
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.kill()
    process.wait()
    assert marker.exists()

    erase(DataRepo.open(ana.root), "zoe-quill", redact_mentions=True, push=True)
    sync(shared.ben)

    assert git(shared.remote, "rev-parse", "main") == git(ana.root, "rev-parse", "HEAD")
    assert git(shared.ben.root, "rev-parse", "HEAD") == git(ana.root, "rev-parse", "HEAD")
    for root in (ana.root, shared.ben.root, shared.remote):
        assert _traces(root) == [], root
