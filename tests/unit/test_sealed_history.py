"""A sealed field's history: diffed opened for a member (shown when revealed), "sealed value changed" otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.model.field_diff import SEALED_CHANGED
from allytui.model.records import Kind
from allytui.store.history import raw_diff, raw_log, record_history
from allytui.store.keyring import KeyRing
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities
from allytui.sync.edits import save_edit
from tests.cli.test_cli import run
from tests.sealing_kit import NOTE, Key, make_key, no_key, nothing_plain, seal_team


@pytest.fixture
def key(tmp_path: Path) -> Key:
    return make_key(tmp_path / "keys", "ana")


@pytest.fixture
def team(repo: DataRepo, key: Key) -> DataRepo:
    """Cy's notes sealed, then changed by a member: one line added."""
    seal_team(repo, ("ana", key))
    cy = repo.read(Kind.PEOPLE, "cy")
    ring = KeyRing(load_identities(key.path))
    save_edit(repo, cy, cy.model_copy(update={"notes": NOTE + "\nmoving in spring"}), keyring=ring)
    return repo


def test_a_member_sees_the_sealed_diff_opened_when_revealed(team: DataRepo, key: Key) -> None:
    changes = record_history(team, Kind.PEOPLE, "cy", keyring=KeyRing(load_identities(key.path)))
    notes = next(d for d in changes[0].diffs if d.field == "notes")
    assert notes.kind == "text" and notes.sensitive
    assert notes.summary() == "notes changed" and notes.body() == ()
    assert ("+", "moving in spring") in notes.body(reveal=True)
    assert "BEGIN AGE" not in repr(notes.body(reveal=True))


def test_without_a_key_the_diff_says_the_sealed_value_changed(team: DataRepo) -> None:
    for keyring in (None, KeyRing()):
        changes = record_history(team, Kind.PEOPLE, "cy", keyring=keyring)
        notes = next(d for d in changes[0].diffs if d.field == "notes")
        assert notes.summary(reveal=True) == f"notes: {SEALED_CHANGED}"
        assert notes.body(reveal=True) == ()
        created = changes[-1].diffs
        assert all("BEGIN AGE" not in d.summary(reveal=True) + repr(d.body(reveal=True)) for d in created)


def test_git_patches_show_a_sealed_value_as_one_line(team: DataRepo) -> None:
    sha = record_history(team, Kind.PEOPLE, "cy")[0].sha
    for patch in (raw_diff(team, sha, "people/cy.toml", reveal=True), raw_log(team, Kind.PEOPLE, "cy", reveal=True)):
        assert "BEGIN AGE" not in patch and "END AGE" not in patch
        lines = patch.splitlines()
        assert " notes = '''" in lines and "-(sealed value)" in lines and "+(sealed value)" in lines
        assert all(len(line) < 60 or " " in line for line in patch.splitlines())  # no base64 lines


def test_log_on_the_command_line_opens_only_with_reveal_and_a_key(
    team: DataRepo, key: Key, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key.use(monkeypatch)
    code, out, err = run(capsys, "--repo", str(team.root), "log", "people/cy", "--reveal")
    assert code == 0 and "+ moving in spring" in out
    code, out, err = run(capsys, "--repo", str(team.root), "log", "people/cy")
    assert code == 0 and f"notes: {SEALED_CHANGED}" in out  # not opened unless asked to reveal
    assert nothing_plain(out + err) and "spring" not in out
    no_key(monkeypatch, tmp_path)
    code, out, err = run(capsys, "--repo", str(team.root), "log", "people/cy", "--reveal")
    assert code == 0 and f"notes: {SEALED_CHANGED}" in out
    assert nothing_plain(out + err) and "spring" not in out and "BEGIN AGE" not in out
