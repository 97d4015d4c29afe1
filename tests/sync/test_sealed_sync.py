"""Sealed values through sync and merge: two members with keys and a clone without one, over a bare remote."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from allytui.model.conflicts import other_value, resolve
from allytui.model.field_diff import SEALED_CHANGED
from allytui.model.records import ContactDetails, Kind, Person, Team
from allytui.model.sealed import SEALED_NOTE, Sealed, looks_sealed
from allytui.store import scratch
from allytui.store.keyring import KeyRing
from allytui.store.keys import add_key, remove_key, seal_all
from allytui.store.repo import DataRepo
from allytui.store.sealing import NoKey, load_identities, seal, unseal
from allytui.sync import merge
from allytui.sync.driver import sync
from allytui.sync.edits import merge_edit, save_edit
from allytui.sync.merge import Sealing, Side, merge_record
from allytui.sync.review import review
from tests.helpers import git
from tests.sealing_kit import (
    EMAIL,
    NOTE,
    Key,
    armor_blocks,
    file_text,
    git_text,
    make_key,
    nothing_plain,
    seal_team,
)
from tests.sync.conftest import Shared

CY = "people/cy.toml"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Key]:
    return {name: make_key(tmp_path / "keys", name) for name in ("ana", "ben")}


@pytest.fixture
def team(shared: Shared, keys: dict[str, Key]) -> Shared:
    """Ana and Ben hold keys; Cy's contact details and notes are sealed; everyone has synced."""
    seal_team(shared.ana, ("ana", keys["ana"]), ("ben", keys["ben"]))
    sync(shared.ana)
    sync(shared.ben)
    return shared


def ring(key: Key) -> KeyRing:
    return KeyRing(load_identities(key.path))


def notes_of(repo: DataRepo, key: Key) -> str:
    person = repo.read(Kind.PEOPLE, "cy")
    assert isinstance(person.notes, Sealed)
    text = unseal(person.notes, load_identities(key.path))
    assert isinstance(text, str)
    return text


def edit_notes(repo: DataRepo, key: Key, text: str) -> None:
    base = repo.read(Kind.PEOPLE, "cy")
    mine = base.model_copy(update={"notes": text})
    assert save_edit(repo, base, mine, keyring=ring(key)).commit is not None


def everything_in(repo: DataRepo) -> str:
    """Every file in the work tree and every commit with its patch: where a plain value must never be."""
    files = "\n".join(p.read_text(errors="replace") for p in repo.root.rglob("*.toml") if ".git" not in p.parts)
    return files + git_text(repo, "log", "--all", "-p", "--format=%an %s%n%B")


def test_a_clone_without_a_key_syncs_edits_and_merges_keeping_every_sealed_value(
    team: Shared, keys: dict[str, Key]
) -> None:
    cat = team.third("cat")  # holds no key
    sealed_before = armor_blocks(file_text(cat, CY))
    assert len(sealed_before) == 2
    # cat changes a plain field of Cy while Ana changes Cy's notes: a field-by-field merge on cat's side
    edit_notes(team.ana, keys["ana"], NOTE + "\nmoved to the flats on Mill Lane")
    sync(team.ana)
    cy = cat.read(Kind.PEOPLE, "cy")
    assert save_edit(cat, cy, cy.model_copy(update={"role": "warden"}), keyring=KeyRing()).commit is not None
    assert armor_blocks(file_text(cat, CY)) == sealed_before  # written back byte for byte
    report = sync(cat, keyring=KeyRing())
    assert report.merged_records == [CY] and not report.conflicts
    merged = file_text(cat, CY)
    assert 'role = "warden"' in merged
    assert armor_blocks(merged) == armor_blocks(file_text(team.ana, CY))  # Ana's sealed values, unchanged
    sync(team.ana)
    sync(team.ben)
    for repo in (team.ana, team.ben, cat):
        assert file_text(repo, CY) == merged
        assert nothing_plain(everything_in(repo)) and "Mill Lane" not in everything_in(repo)
    assert notes_of(team.ben, keys["ben"]).endswith("Mill Lane")


def test_members_merge_concurrent_edits_of_one_sealed_note_line_by_line(team: Shared, keys: dict[str, Key]) -> None:
    edit_notes(team.ana, keys["ana"], "Ana's first line\n" + NOTE)
    edit_notes(team.ben, keys["ben"], NOTE + "\nBen's last line")
    sync(team.ana, keyring=ring(keys["ana"]))
    report = sync(team.ben, keyring=ring(keys["ben"]))
    assert report.merged_records == [CY] and not report.conflicts
    merged = "Ana's first line\n" + NOTE + "\nBen's last line"
    assert notes_of(team.ben, keys["ben"]) == merged
    sync(team.ana, keyring=ring(keys["ana"]))
    assert notes_of(team.ana, keys["ana"]) == merged  # sealed to both members' keys
    for repo in (team.ana, team.ben):
        text = everything_in(repo)
        assert nothing_plain(text) and "first line" not in text and "last line" not in text


def test_members_changing_the_same_lines_keep_the_other_value_sealed_in_conflicts(
    team: Shared, keys: dict[str, Key]
) -> None:
    edit_notes(team.ana, keys["ana"], "Ana says: moved away")
    edit_notes(team.ben, keys["ben"], "Ben says: still here")
    sync(team.ana, keyring=ring(keys["ana"]))
    report = sync(team.ben, keyring=ring(keys["ben"]))
    assert [(rel, c.field) for rel, c in report.conflicts] == [(CY, "notes")]
    person = team.ben.read(Kind.PEOPLE, "cy")
    other = other_value(person.conflicts[0])
    assert looks_sealed(other)
    chosen = {notes_of(team.ben, keys["ben"]), unseal(other, load_identities(keys["ana"].path))}
    assert chosen == {"Ana says: moved away", "Ben says: still here"}
    text = everything_in(team.ben)
    assert "moved away" not in text and "still here" not in text


def test_without_a_key_a_same_field_change_is_an_opaque_conflict(keys: dict[str, Key]) -> None:
    recipients = [keys["ana"].recipient]
    base = Person(id="cy", name="Cy", notes=seal("one", recipients))
    ours = base.model_copy(update={"notes": seal("two", recipients)})
    theirs = base.model_copy(update={"notes": seal("three", recipients)})
    result = merge_record(Person, base, ours, theirs, Side("ana", "a1", 1), Side("ben", "b2", 2), Sealing())
    assert result.data is not None
    assert result.data["notes"] == theirs.notes  # the later change wins, byte for byte
    assert [c.field for c in result.conflicts] == ["notes"]
    assert other_value(result.conflicts[0]) == ours.notes


def test_a_plain_value_meeting_a_sealed_one_is_never_kept_plain(keys: dict[str, Key]) -> None:
    """One side sealed the repo (allytui seal) while the other, without a key, changed the plain note."""
    recipients = (keys["ana"].recipient,)
    base = Person(id="cy", name="Cy", notes="plain before")
    ours = base.model_copy(update={"notes": seal("plain before", recipients)})
    theirs = base.model_copy(update={"notes": "plain after"})
    sealing = Sealing(recipients=recipients)
    result = merge_record(Person, base, ours, theirs, Side("ana", "a1", 1), Side("ben", "b2", 2), sealing)
    assert result.data is not None
    assert looks_sealed(result.data["notes"])
    assert all(looks_sealed(other_value(c)) for c in result.conflicts)
    opened = Sealing(opener=ring(keys["ana"]).open_value, recipients=recipients)
    result = merge_record(Person, base, ours, theirs, Side("ana", "a1", 1), Side("ben", "b2", 2), opened)
    assert result.data is not None and not result.conflicts
    assert unseal(result.data["notes"], load_identities(keys["ana"].path)) == "plain after"


def test_a_clash_in_a_save_shows_sealed_values_opened_or_as_a_note(keys: dict[str, Key]) -> None:
    recipients = [keys["ana"].recipient]
    base = Person(id="cy", name="Cy", notes=seal("one", recipients))
    mine = base.model_copy(update={"notes": "mine"})
    theirs = base.model_copy(update={"notes": seal("theirs", recipients)})
    _, clashes = merge_edit(base, mine, theirs, Sealing(opener=ring(keys["ana"]).open_value))
    assert [(c.field, c.mine, c.theirs) for c in clashes] == [("notes", "mine", "theirs")]
    _, clashes = merge_edit(base, mine, theirs, Sealing())
    assert [(c.mine, c.theirs) for c in clashes] == [("mine", SEALED_NOTE)]


def test_a_hand_edit_committed_by_sync_has_its_plain_sealed_values_sealed(team: Shared, keys: dict[str, Key]) -> None:
    path = team.ben.root / "people" / "ana.toml"
    path.write_text(path.read_text() + 'notes = "Ana\'s spare key is under the pot"\n')
    sync(team.ben)
    sync(team.ana)
    for repo in (team.ben, team.ana):
        assert "spare key" not in everything_in(repo)
    ana = team.ana.read(Kind.PEOPLE, "ana")
    assert unseal(ana.notes, load_identities(keys["ana"].path)) == "Ana's spare key is under the pot"


def test_the_review_since_the_last_sync_opens_a_sealed_diff_for_a_member_only(
    team: Shared, keys: dict[str, Key]
) -> None:
    cat = team.third("cat")  # holds no key
    edit_notes(team.ana, keys["ana"], NOTE + "\nmoved to the flats on Mill Lane")
    sync(team.ana, keyring=ring(keys["ana"]))
    for repo, keyring in ((team.ben, ring(keys["ben"])), (cat, KeyRing())):
        report = sync(repo, keyring=keyring)
        assert report.after is not None and report.incoming
        (item,) = review(repo, report.before, report.after, report.incoming, keyring=keyring)
        notes = next(d for d in item.diffs if d.field == "notes")
        shown = notes.summary(reveal=True) + repr(notes.body(reveal=True)) + notes.summary() + repr(notes.body())
        assert "BEGIN AGE" not in shown
        if keyring.holds_key:
            assert notes.sensitive and ("+", "moved to the flats on Mill Lane") in notes.body(reveal=True)
            assert "Mill Lane" not in notes.summary() + repr(notes.body())  # shown only when revealed
        else:
            assert notes.summary(reveal=True) == f"notes: {SEALED_CHANGED}" and "Mill Lane" not in shown


def test_a_merge_of_opened_sealed_text_leaves_no_file_behind(
    team: Shared, keys: dict[str, Key], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git merge-file is given the opened texts in a private folder: after the merge nothing of it is left."""
    ram, temp = tmp_path / "ram", tmp_path / "temp"
    ram.mkdir()
    temp.mkdir()
    monkeypatch.setattr(scratch, "RAM_FOLDERS", (str(ram),))  # where the RAM-backed folder would be
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    edit_notes(team.ana, keys["ana"], "Ana's first line\n" + NOTE)
    edit_notes(team.ben, keys["ben"], NOTE + "\nBen's last line")
    sync(team.ana, keyring=ring(keys["ana"]))
    seen: list[str] = []
    real = merge.merge_lines

    def noting(base: str, ours: str, theirs: str) -> str | None:
        seen.append(scratch.private_temp_root() or "")
        return real(base, ours, theirs)

    monkeypatch.setattr(merge, "merge_lines", noting)
    report = sync(team.ben, keyring=ring(keys["ben"]))
    assert report.merged_records == [CY] and seen and set(seen) == {str(ram)}  # the merge ran, in the RAM folder
    assert list(ram.iterdir()) == [] and list(temp.iterdir()) == []


def test_conflicts_kept_before_sealing_are_sealed_and_resealed_with_the_values(
    shared: Shared, keys: dict[str, Key]
) -> None:
    """Two clones clash on Cy's phone and notes before anyone holds a key: the conflicts keep the other
    values plain. allytui seal seals them too (a part's conflict becomes one on the whole contact table),
    keys remove re-seals them without the removed key, and taking the other value still works."""
    ana, ben = shared.ana, shared.ben
    ana.save(Team(id="riverton", name="Riverton"))
    ana.save(Person(id="ana", name="Ana López", member_of="riverton"))
    ana.save(Person(id="ben", name="Ben", member_of="riverton"))
    ana.save(Person(id="cy", name="Cy", contact=ContactDetails(email=EMAIL, phone="07700 900001"), notes="one"))
    sync(ana)
    sync(ben)
    for repo, phone, note in ((ana, "07700 900002", "Ana's version"), (ben, "07700 900003", "Ben's version")):
        cy = repo.read(Kind.PEOPLE, "cy")
        assert cy.contact is not None and not isinstance(cy.contact, Sealed)
        contact = cy.contact.model_copy(update={"phone": phone})
        assert save_edit(repo, cy, cy.model_copy(update={"contact": contact, "notes": note})).commit is not None
    sync(ana)
    report = sync(ben)
    assert sorted(c.field for _, c in report.conflicts) == ["contact.phone", "notes"]
    loser = {c.field: other_value(c) for c in ben.read(Kind.PEOPLE, "cy").conflicts}
    assert not looks_sealed(loser["notes"])  # plain: nobody sealed anything yet
    add_key(ben, "ana", keys["ana"].recipient, [])
    add_key(ben, "ben", keys["ben"].recipient, [])
    outcome = seal_all(ben)
    assert outcome.values == 4  # Cy's contact and notes, and the other value of each of the two conflicts
    for secret in ("07700 90000", "version", EMAIL):
        assert git(ben.root, "grep", "-c", secret, "HEAD", check=False).strip() == "", secret
    cy = ben.read(Kind.PEOPLE, "cy")
    conflicts = {c.field: c for c in cy.conflicts}
    assert set(conflicts) == {"contact", "notes"} and all(looks_sealed(c.other) for c in cy.conflicts)
    ana_key, ben_key = load_identities(keys["ana"].path), load_identities(keys["ben"].path)
    assert unseal(conflicts["notes"].other, ana_key) == loser["notes"]
    assert unseal(conflicts["contact"].other, ben_key) == {"email": EMAIL, "phone": loser["contact.phone"]}
    assert remove_key(ben, "ana", ben_key).values == 4
    cy = ben.read(Kind.PEOPLE, "cy")
    for conflict in cy.conflicts:
        with pytest.raises(NoKey):
            unseal(conflict.other, ana_key)
        assert unseal(conflict.other, ben_key)
    contact_conflict = next(c for c in cy.conflicts if c.field == "contact")
    taken = resolve(cy, contact_conflict, take_other=True)
    assert taken is not None and isinstance(taken.contact, Sealed)
    ben.save(taken)
    assert unseal(ben.read(Kind.PEOPLE, "cy").contact, ben_key)["phone"] == loser["contact.phone"]
