"""Sealing in the store: the member's identity, sealing and opening values, and every write sealing what it must."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
from pathlib import Path

import pyrage
import pytest
from pyrage import x25519

from allytui.model.records import Conversation, Kind, Person, Team
from allytui.model.sealed import Sealed
from allytui.store.codec import dump_record
from allytui.store.history import restore
from allytui.store.importing import apply_import, plan_import
from allytui.store.location import identity_path
from allytui.store.repo import DataRepo
from allytui.store.sealing import (
    NoKey,
    SealingError,
    Unreadable,
    load_identities,
    make_identity,
    open_record,
    seal,
    unseal,
)
from allytui.sync.edits import save_edit
from tests.helpers import git

EMAIL = "cy.private@example.org"
NOTE = "Lives above the bakery; prefers calls after six"


def sealed_repo(repo: DataRepo, recipient: str) -> DataRepo:
    """A repo whose one member, ana, holds a key: sealing is on."""
    repo.save(Team(id="riverton", name="Riverton"))
    repo.save(Person(id="ana", name="Ana", member_of="riverton", recipient=recipient))
    return repo


def test_keys_init_makes_a_private_identity_once(isolated_user: Path) -> None:
    made = make_identity()
    assert made.created and made.path == identity_path()
    assert made.path.is_relative_to(isolated_user)
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    again = make_identity()
    assert not again.created and again.recipient == made.recipient
    assert [str(i.to_public()) for i in load_identities()] == [made.recipient]


def test_an_identity_is_never_made_inside_a_data_repo(repo: DataRepo) -> None:
    with pytest.raises(SealingError, match="inside the data repo"):
        make_identity(repo.root / "identity.txt")
    assert not (repo.root / "identity.txt").exists()


def test_allytui_identity_names_a_missing_file_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLYTUI_IDENTITY", str(tmp_path / "nowhere.txt"))
    with pytest.raises(SealingError, match=r"ALLYTUI_IDENTITY names .*nowhere\.txt, which does not exist"):
        load_identities()


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_an_ssh_ed25519_key_serves_as_identity_and_one_with_a_passphrase_is_named(tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    public = (tmp_path / "id_ed25519.pub").read_text().strip()
    sealed = seal(NOTE, [public])
    assert unseal(sealed, load_identities(key)) == NOTE
    locked = tmp_path / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", str(locked)], check=True)
    with pytest.raises(SealingError, match="without a passphrase"):
        load_identities(locked)


def test_seal_and_unseal_round_trip_text_and_tables() -> None:
    key = x25519.Identity.generate()
    for value in (NOTE, {"email": EMAIL, "phone": "07700 900123"}):
        sealed = seal(value, [str(key.to_public())])
        assert isinstance(sealed, Sealed) and EMAIL not in sealed
        assert unseal(sealed, [key]) == value


def test_the_wrong_key_or_a_damaged_value_is_a_message_without_the_value() -> None:
    key, other = x25519.Identity.generate(), x25519.Identity.generate()
    sealed = seal(NOTE, [str(key.to_public())])
    for identities in ([other], []):
        with pytest.raises(NoKey) as raised:
            unseal(sealed, identities)
        assert str(raised.value) == "sealed — you hold no key for it"
    damaged = sealed.replace(sealed.split("\n")[3], "A" * 64)
    with pytest.raises(Unreadable) as broken:
        unseal(damaged, [key])
    assert NOTE not in str(broken.value)
    not_ours = pyrage.encrypt(b"\xff not json", [key.to_public()], armored=True).decode()
    with pytest.raises(Unreadable):
        unseal(not_ours, [key])


def test_a_save_seals_plain_values_once_a_member_holds_a_key(repo: DataRepo) -> None:
    key = x25519.Identity.generate()
    sealed_repo(repo, str(key.to_public()))
    repo.save(Person(id="cy", name="Cy", contact={"email": EMAIL}, notes=NOTE))
    text = (repo.root / "people/cy.toml").read_text()
    assert EMAIL not in text and NOTE not in text
    cy = repo.read(Kind.PEOPLE, "cy")
    assert isinstance(cy, Person) and isinstance(cy.contact, Sealed) and isinstance(cy.notes, Sealed)
    opened = open_record(cy, [key])
    assert opened.closed == {}
    assert opened.record.notes == NOTE
    assert opened.record.contact.email == EMAIL


def test_without_any_member_key_values_stay_plain(repo: DataRepo) -> None:
    repo.save(Person(id="cy", name="Cy", contact={"email": EMAIL}))
    assert EMAIL in (repo.root / "people/cy.toml").read_text()


def test_an_unchanged_sealed_value_is_written_back_byte_for_byte(repo: DataRepo) -> None:
    sealed_repo(repo, str(x25519.Identity.generate().to_public()))
    repo.save(Person(id="cy", name="Cy", contact={"email": EMAIL}, notes=NOTE))
    before = (repo.root / "people/cy.toml").read_text()
    cy = repo.read(Kind.PEOPLE, "cy")
    outcome = save_edit(repo, cy, cy.model_copy(update={"role": "caretaker"}))
    assert outcome.commit is not None
    after = (repo.root / "people/cy.toml").read_text()
    assert after == before.replace('name = "Cy"\n', 'name = "Cy"\nrole = "caretaker"\n')


def test_an_edit_of_a_sealed_field_is_sealed_before_it_is_written(repo: DataRepo) -> None:
    key = x25519.Identity.generate()
    sealed_repo(repo, str(key.to_public()))
    repo.save(Person(id="cy", name="Cy", notes="old note"))
    cy = repo.read(Kind.PEOPLE, "cy")
    outcome = save_edit(repo, cy, cy.model_copy(update={"notes": NOTE}))
    assert outcome.commit is not None and NOTE not in outcome.commit.message
    assert NOTE not in (repo.root / "people/cy.toml").read_text()
    assert unseal(repo.read(Kind.PEOPLE, "cy").notes, [key]) == NOTE


def test_an_import_seals_what_it_writes(repo: DataRepo) -> None:
    sealed_repo(repo, str(x25519.Identity.generate().to_public()))
    rows = [{"name": "Cy", "contact.email": EMAIL, "notes": NOTE}]
    apply_import(repo, plan_import(repo, Kind.PEOPLE, rows, update=False, source="people.csv"))
    text = (repo.root / "people/cy.toml").read_text()
    assert "BEGIN AGE ENCRYPTED FILE" in text and EMAIL not in text and NOTE not in text


def test_a_team_can_seal_more_fields_and_leave_others_plain(repo: DataRepo) -> None:
    settings = repo.root / "allytui.toml"
    settings.write_text(settings.read_text().replace('"people.notes"', '"people.notes", "conversations.concerns"'))
    sealed_repo(repo, str(x25519.Identity.generate().to_public()))
    talk = Conversation(id="2026-11-24-chat-k3f9", date=dt.date(2026, 11, 24), concerns=NOTE, outcome="agreed")
    repo.save(talk)
    text = (repo.root / "conversations/2026/2026-11-24-chat-k3f9.toml").read_text()
    assert NOTE not in text and 'outcome = "agreed"' in text


def test_dump_of_an_unopened_record_never_holds_plain_text(repo: DataRepo) -> None:
    key = x25519.Identity.generate()
    sealed_repo(repo, str(key.to_public()))
    repo.save(Person(id="cy", name="Cy", contact={"email": EMAIL}, notes=NOTE))
    assert EMAIL not in dump_record(repo.read(Kind.PEOPLE, "cy"))


def test_a_hand_edit_typing_a_plain_value_into_a_sealed_field_is_committed_sealed(repo: DataRepo) -> None:
    sealed_repo(repo, str(x25519.Identity.generate().to_public()))
    repo.save(Person(id="cy", name="Cy"))
    path = repo.root / "people/cy.toml"
    path.write_text(path.read_text() + f'notes = "{NOTE}"\n')
    commit = repo.commit_file("people/cy.toml")
    assert commit is not None
    assert NOTE not in path.read_text() and "BEGIN AGE ENCRYPTED FILE" in path.read_text()
    assert NOTE not in git(repo.root, "log", "-p", "--format=%B")


def test_restoring_a_version_from_before_sealing_brings_it_back_sealed(repo: DataRepo) -> None:
    first = repo.save(Person(id="cy", name="Cy", contact={"email": EMAIL}))
    assert first is not None
    sealed_repo(repo, str(x25519.Identity.generate().to_public()))
    repo.save(Person(id="cy", name="Cy", role="caretaker", contact={"email": EMAIL}))
    assert EMAIL not in (repo.root / "people/cy.toml").read_text()
    commit = restore(repo, Kind.PEOPLE, "cy", first.sha)
    assert commit is not None and EMAIL not in commit.message
    text = (repo.root / "people/cy.toml").read_text()
    assert EMAIL not in text and "BEGIN AGE ENCRYPTED FILE" in text and "role" not in text
