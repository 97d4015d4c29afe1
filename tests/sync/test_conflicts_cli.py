"""Open sync conflicts and an unfinished plain git pull, seen and settled from the command line."""

from __future__ import annotations

import json

import pytest

from allytui.cli.main import main
from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.sync.driver import sync
from tests.helpers import commit_count, git
from tests.sync.conftest import Shared


def run(capsys: pytest.CaptureFixture[str], repo: DataRepo, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--repo", str(repo.root), *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def group(repo: DataRepo) -> Group:
    record = repo.read(Kind.GROUPS, "st-marys")
    assert isinstance(record, Group)
    return record


def conflicting(shared: Shared, monkeypatch: pytest.MonkeyPatch) -> DataRepo:
    """Ana and Ben change the stage and the aims' same line differently; Ben's later change wins in both."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-20T10:00:00")
    shared.ana.save(group(shared.ana).model_copy(update={"stage": Stage.CONTACTED, "aims": "Ours\nSecond\n"}))
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-21T10:00:00")
    shared.ben.save(group(shared.ben).model_copy(update={"stage": Stage.IN_CONVERSATION, "aims": "Theirs\n"}))
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    sync(shared.ana)
    sync(shared.ben)
    sync(shared.ana)
    return shared.ana


def test_check_and_conflicts_list_open_conflicts(
    shared: Shared, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = conflicting(shared, monkeypatch)
    code, out, _ = run(capsys, ana, "check")
    assert code == 3
    assert out.splitlines() == [
        "ok: 2 records, no problems",
        "2 open sync conflicts: choose with allytui resolve KIND/ID FIELD --keep (this value) or --take-other, "
        "or in the app (C)",
        "  groups/st-marys stage",
        "    this value: in conversation",
        "    the other:  contacted (from Ana)",
        "  groups/st-marys aims",
        "    this value: Theirs",
        "    the other:  Ours",
        "                Second (from Ana)",
    ]
    code, out, _ = run(capsys, ana, "check", "--json")
    assert code == 3
    assert [(p["path"], p["field"], p["message"]) for p in json.loads(out)] == [
        ("groups/st-marys.toml", "stage", "open sync conflict"),
        ("groups/st-marys.toml", "aims", "open sync conflict"),
    ]
    code, listing, _ = run(capsys, ana, "conflicts")
    assert code == 0 and listing.splitlines()[1:] == out_lines_after_heading(ana, capsys)
    code, out, _ = run(capsys, ana, "conflicts", "--json")
    first = json.loads(out)[0]
    assert (first["record"], first["field"], first["value"], first["other"], first["author"]) == (
        "groups/st-marys",
        "stage",
        "in conversation",
        "contacted",
        "Ana",
    )


def out_lines_after_heading(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> list[str]:
    _, out, _ = run(capsys, repo, "check")
    return out.splitlines()[2:]


def test_resolve_keeps_or_takes_the_other_in_one_commit_each(
    shared: Shared, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = conflicting(shared, monkeypatch)
    before = commit_count(ana.root)
    code, out, _ = run(capsys, ana, "resolve", "groups/st-marys", "stage", "--take-other")
    assert code == 0 and out.startswith("groups/st-marys: ")
    assert group(ana).stage is Stage.CONTACTED and [c.field for c in group(ana).conflicts] == ["aims"]
    assert commit_count(ana.root) == before + 1
    code, _, _ = run(capsys, ana, "resolve", "groups/st-marys", "aims", "--keep")
    assert code == 0 and group(ana).aims == "Theirs\n" and group(ana).conflicts == []
    assert commit_count(ana.root) == before + 2
    assert git(ana.root, "status", "--porcelain") == ""
    code, out, _ = run(capsys, ana, "check")
    assert (code, out.strip()) == (0, "ok: 2 records, no problems")
    code, _, err = run(capsys, ana, "resolve", "groups/st-marys", "aims", "--keep")
    assert code == 1 and "groups/st-marys has no open sync conflicts" in err


def test_resolve_names_the_conflicts_a_record_has(
    shared: Shared, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = conflicting(shared, monkeypatch)
    code, _, err = run(capsys, ana, "resolve", "groups/st-marys", "stag", "--keep")
    assert code == 1 and "groups/st-marys: no open conflict on stag; did you mean stage?" in err
    code, _, err = run(capsys, ana, "resolve", "groups/st-mary", "stage", "--keep")
    assert code == 1 and "no such group; did you mean st-marys?" in err
    code, _, err = run(capsys, ana, "resolve", "groups/st-marys", "stage")
    assert code == 2 and "one of the arguments --keep --take-other is required" in err


def test_check_reports_a_plain_git_pull_left_unfinished(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    ana, ben = shared.ana, shared.ben
    ana.save(group(ana).model_copy(update={"notes": "Ana's note"}))
    git(ana.root, "push", "-q", "origin", "main")
    ben.save(group(ben).model_copy(update={"notes": "Ben's note"}))
    pulled = git(ben.root, "-c", "pull.rebase=false", "pull", "-q", "--no-edit", "origin", "main", check=False)
    assert "groups/st-marys.toml" in git(ben.root, "ls-files", "-u"), pulled  # a real unmerged state
    code, out, _ = run(capsys, ben, "check")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        "A plain git pull (or git merge) stopped part way: 1 file is marked unmerged in git (groups/st-marys.toml). "
        "Run allytui sync to finish it"
    )
    assert "git add them and git commit" in first
    code, out, _ = run(capsys, ben, "check", "--json")
    assert code == 1 and json.loads(out)[0]["path"] == ".git"
    sync(ben)  # finishes it the allytui way
    code, out, _ = run(capsys, ben, "check")
    assert "stopped part way" not in out
