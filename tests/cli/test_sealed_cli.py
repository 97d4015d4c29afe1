"""Sealed fields from the command line: two members with keys, a clone with none, and every message without a value."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from allytui.model.records import Conversation, FieldConflict, Group, Kind, Person, Team
from allytui.model.sealed import SEALED_HIDDEN, SEALED_NOTE, Sealed
from allytui.store.location import identity_path
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, open_record, seal, sealed_values
from tests.cli.test_cli import run
from tests.helpers import commit_count, git
from tests.sealing_kit import damage

EMAILS = ("cy.private@example.org", "dee.private@example.org", "ana.home@example.org")
NOTE = "Worried about her landlord finding out"
SECRETS = (*EMAILS, NOTE)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@dataclass
class Team2:
    repo: DataRepo
    ana: Path  # the identity files of the two members
    bo: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def run(self, *argv: str, identity: Path | None = None, repo: DataRepo | None = None) -> tuple[int, str, str]:
        if identity is None:
            self.monkeypatch.delenv("ALLYTUI_IDENTITY", raising=False)
        else:
            self.monkeypatch.setenv("ALLYTUI_IDENTITY", str(identity))
        return run(self.capsys, "--repo", str((repo or self.repo).root), *argv)

    def recipient(self, identity: Path) -> str:
        return str(load_identities(identity)[0].to_public())


def keys_init(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: Path) -> str:
    monkeypatch.setenv("ALLYTUI_IDENTITY", str(path))
    code, out, _ = run(capsys, "keys", "init")
    assert code == 0
    return out.strip().splitlines()[-1]


@pytest.fixture
def team(repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Team2:
    """Members ana and bo, people cy and dee outside the team with contact details and notes, a conversation."""
    settings = repo.root / "allytui.toml"
    settings.write_text(settings.read_text().replace('"people.notes"', '"people.notes", "conversations.notes"'))
    repo.save(Team(id="riverton", name="Riverton"))
    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    repo.save(Person(id="ana", name="Ana", member_of="riverton", contact={"email": EMAILS[2]}))
    repo.save(Person(id="bo", name="Bo", member_of="riverton"))
    repo.save(Person(id="cy", name="Cy", groups=["st-marys"], contact={"email": EMAILS[0]}, notes=NOTE))
    repo.save(Person(id="dee", name="Dee", contact={"email": EMAILS[1], "phone": "07700 900999"}))
    repo.save(Conversation(id="2026-11-24-st-marys-k3f9", date=dt.date(2026, 11, 24), notes=NOTE))
    keys_init(capsys, monkeypatch, tmp_path / "ana.txt")
    keys_init(capsys, monkeypatch, tmp_path / "bo.txt")
    return Team2(repo, tmp_path / "ana.txt", tmp_path / "bo.txt", capsys, monkeypatch)


def turn_on(team: Team2) -> None:
    """The three commands of the README: each member's keys init (done), keys add for each, seal."""
    assert team.run("keys", "add", "ana", team.recipient(team.ana), identity=team.ana)[0] == 0
    assert team.run("keys", "add", "people/bo", team.recipient(team.bo), identity=team.ana)[0] == 0
    code, out, err = team.run("seal", identity=team.ana)
    assert code == 0, err
    assert "Older commits still hold the plain versions" in out


def head_values(repo: DataRepo) -> list[tuple[str, str, Sealed]]:
    loaded = repo.load()
    return [
        (kind.value, record.id, getattr(record, name))
        for kind in (Kind.PEOPLE, Kind.CONVERSATIONS)
        for record in loaded.records[kind].values()
        for name in sealed_values(record)
    ]


def sealed_blocks(root: Path) -> dict[str, list[str]]:
    """Every armored block of every record file, by file."""
    found = {}
    for path in sorted(root.rglob("*.toml")):
        blocks = re.findall(r"-----BEGIN AGE.*?-----END AGE ENCRYPTED FILE-----", path.read_text(), re.S)
        if blocks:
            found[str(path.relative_to(root))] = blocks
    return found


def test_after_seal_no_email_is_in_head(team: Team2) -> None:
    turn_on(team)
    for secret in SECRETS:
        assert git(team.repo.root, "grep", "-c", secret, "HEAD", check=False).strip() == ""
    assert len(head_values(team.repo)) == 5  # ana's, cy's and dee's contact, cy's and the conversation's notes
    log = git(team.repo.root, "log", "--format=%s")
    assert "sealed 4 values for 2 members" in log and not leaks(log)
    assert team.run("check")[0] == 0


def test_seal_says_what_it_did_and_needs_a_key_in_the_team(team: Team2) -> None:
    code, _, err = team.run("seal")
    assert code == 1 and "no member holds a key yet" in err
    turn_on(team)
    assert team.run("seal")[1].startswith("nothing to seal")


def test_a_member_added_with_keys_add_reads_every_value(team: Team2) -> None:
    turn_on(team)
    values = head_values(team.repo)
    for identity in (team.ana, team.bo):
        loaded = team.repo.load()
        for kind in (Kind.PEOPLE, Kind.CONVERSATIONS):
            for record in loaded.records[kind].values():
                assert open_record(record, load_identities(identity)).closed == {}
    assert values
    code, out, _ = team.run("show", "people/dee", "--reveal", identity=team.bo)
    assert code == 0 and EMAILS[1] in out and "07700 900999" in out


def test_keys_add_is_one_commit_that_reseals_everything(team: Team2) -> None:
    team.run("keys", "add", "ana", team.recipient(team.ana), identity=team.ana)
    team.run("seal", identity=team.ana)
    before = commit_count(team.repo.root)
    code, out, _ = team.run("keys", "add", "bo", team.recipient(team.bo), identity=team.ana)
    assert code == 0 and "re-sealed 5 values for 2 members" in out
    assert commit_count(team.repo.root) == before + 1
    # git's index knows the rewritten files as they are: a load's record cache need not read them again
    assert git(team.repo.root, "diff-files", "--name-only").split() == ["allytui.toml"]  # changed by the fixture


def test_a_removed_member_reads_none_of_the_values_in_head(team: Team2) -> None:
    turn_on(team)
    code, out, _ = team.run("keys", "remove", "ana", identity=team.bo)
    assert code == 0
    assert "re-sealed 5 values for 1 member" in out
    assert "Older commits still hold the values sealed to ana's key" in out
    assert "No allytui command re-seals or removes all of the old history" in out
    assert "allytui erase people/ID takes one person's record and details out of every commit" in out
    ana = load_identities(team.ana)
    loaded = team.repo.load()
    for kind in (Kind.PEOPLE, Kind.CONVERSATIONS):
        for record in loaded.records[kind].values():
            assert set(open_record(record, ana).closed) == set(sealed_values(record))
    assert loaded.get(Kind.PEOPLE, "ana").recipient == ""
    code, out, _ = team.run("show", "people/cy", "--reveal", identity=team.ana)
    assert code == 0 and "sealed — you hold no key for it" in out and not leaks(out)


def test_the_last_key_cannot_be_removed_while_values_are_sealed(team: Team2) -> None:
    team.run("keys", "add", "ana", team.recipient(team.ana), identity=team.ana)
    team.run("seal", identity=team.ana)
    before = (team.repo.root / "people/cy.toml").read_bytes()
    code, _, err = team.run("keys", "remove", "ana", identity=team.ana)
    assert code == 1 and "holds the last key" in err
    assert (team.repo.root / "people/cy.toml").read_bytes() == before


def test_only_a_member_who_can_read_everything_adds_a_key(team: Team2, tmp_path: Path) -> None:
    turn_on(team)
    stranger = tmp_path / "stranger.txt"
    keys_init(team.capsys, team.monkeypatch, stranger)
    before = commit_count(team.repo.root)
    for identity in (stranger, None):
        code, out, err = team.run("keys", "add", "bo", team.recipient(stranger), identity=identity)
        assert code == 1
        assert "sealed — you hold no key for it" in err and "nothing was changed" in err
        assert "Traceback" not in out + err and not leaks(out + err)
    assert commit_count(team.repo.root) == before


def test_keys_are_for_members_and_set_cannot_change_one(team: Team2) -> None:
    code, _, err = team.run("keys", "add", "cy", team.recipient(team.ana), identity=team.ana)
    assert code == 1 and "only one of our members" in err
    code, _, err = team.run("keys", "add", "ana", "age1notakey", identity=team.ana)
    assert code == 1 and "not a public key" in err
    code, _, err = team.run("set", "people/bo", f"recipient={team.recipient(team.bo)}")
    assert code == 1 and "allytui keys add" in err
    assert team.repo.read(Kind.PEOPLE, "bo").recipient == ""


def test_a_keyless_clone_edits_a_plain_field_and_every_sealed_value_survives(team: Team2, tmp_path: Path) -> None:
    turn_on(team)
    clone_root = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(team.repo.root), str(clone_root)], check=True)
    clone = DataRepo.open(clone_root)
    team.monkeypatch.delenv("ALLYTUI_IDENTITY")
    assert not identity_path().exists()
    before = sealed_blocks(clone_root)
    code, out, err = team.run("set", "people/cy", "role=caretaker", "influence=3", repo=clone)
    assert code == 0, err
    assert sealed_blocks(clone_root) == before
    diff = git(clone_root, "diff", "HEAD~1", "--", "people/cy.toml")
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        '+role = "caretaker"',
        "+influence = 3",
    ]
    code, out, err = team.run("show", "people/cy", "--reveal", repo=clone)
    assert code == 0 and "contact: sealed — you hold no key for it" in out and not leaks(out + err)
    code, _, err = team.run("set", "people/cy", "contact.email=new@example.org", repo=clone)
    assert code == 1 and "sealed — you hold no key for it" in err and "nothing was written" in err
    assert sealed_blocks(clone_root) == before


def test_a_member_edits_a_sealed_field_and_it_is_sealed_again(team: Team2) -> None:
    turn_on(team)
    code, out, err = team.run("set", "people/cy", "contact.phone=07700 900111", identity=team.bo)
    assert code == 0, err
    assert "07700 900111" not in (team.repo.root / "people/cy.toml").read_text() and not leaks(out)
    code, out, _ = team.run("show", "people/cy", "--reveal", "--json", identity=team.ana)
    shown = json.loads(out)
    assert shown["contact"] == {"email": EMAILS[0], "phone": "07700 900111", "address": "", "other": ""}
    assert shown["notes"] == NOTE


def test_show_and_export_open_only_with_a_key(team: Team2) -> None:
    turn_on(team)
    code, out, _ = team.run("show", "people/cy")
    assert code == 0 and "notes: (sealed; --reveal to open it)" in out and "BEGIN AGE" not in out
    code, out, _ = team.run("export", "people", "--include-contact", identity=team.ana)
    assert code == 0 and EMAILS[0] in out and NOTE in out
    for identity in (None,):
        code, out, err = team.run("export", "people", "--include-contact", "--format", "json", identity=identity)
        assert code == 0 and not leaks(out + err)
        assert {r["id"]: r["contact"] for r in json.loads(out)}["cy"] == "sealed — you hold no key for it"
        assert "BEGIN AGE" not in out
    code, out, _ = team.run("export", "people")
    assert code == 0 and "BEGIN AGE" not in out and not leaks(out)


def test_a_wrong_identity_is_a_message_without_traceback_or_values(team: Team2, tmp_path: Path) -> None:
    turn_on(team)
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("AGE-SECRET-KEY-1NOTAKEY\n")
    for identity in (garbage, tmp_path / "missing.txt"):
        code, out, err = team.run("show", "people/cy", "--reveal", identity=identity)
        assert code == 1 and "Traceback" not in out + err and not leaks(out + err)
        assert str(identity) in err


def test_bad_armor_is_a_check_problem_naming_file_and_field(team: Team2) -> None:
    turn_on(team)
    path = team.repo.root / "people/cy.toml"
    lines = path.read_text().split("\n")
    start = lines.index("notes = '''")
    lines[start + 3] = lines[start + 3][:30]
    path.write_text("\n".join(lines))
    code, out, _ = team.run("check")
    assert code == 1
    assert re.search(r"people/cy\.toml:\d+: notes: sealed value line 3: armor lines hold 64 characters", out)


def test_a_sealed_setting_that_cannot_be_is_a_check_problem(team: Team2) -> None:
    settings = team.repo.root / "allytui.toml"
    settings.write_text(settings.read_text().replace('"people.notes"', '"people.notes", "groups.notes"'))
    code, out, _ = team.run("check")
    assert code == 1 and "allytui.toml: sealed.fields[2]: 'groups.notes' cannot be sealed" in out


def test_a_damaged_value_is_said_to_be_damaged_in_show_and_export_never_a_crash(team: Team2) -> None:
    turn_on(team)
    damage(team.repo.root / "people/cy.toml", "notes")
    damage(team.repo.root / "people/dee.toml", "contact")
    assert team.run("check")[0] == 0  # the shape is right: only opening it finds the damage
    damaged = "sealed value not readable: it is damaged or was not made by allytui"
    code, out, err = team.run("show", "people/cy", "--reveal", identity=team.bo)
    assert code == 0 and f"notes: {damaged}" in out and EMAILS[0] in out  # the contact still opens
    assert "Traceback" not in out + err and NOTE not in out + err
    code, out, err = team.run("show", "people/cy", "--reveal", "--json", identity=team.ana)
    assert json.loads(out)["notes"] == damaged
    code, out, err = team.run("export", "people", "--include-contact", "--format", "json", identity=team.ana)
    exported = {r["id"]: r for r in json.loads(out)}
    assert code == 0 and exported["dee"]["contact"] == damaged and exported["cy"]["notes"] == damaged
    assert exported["cy"]["contact"]["email"] == EMAILS[0]
    assert "2 sealed value(s) could not be opened" in err
    code, out, err = team.run("export", "people", "--include-contact", identity=team.ana)
    row = next(line for line in out.splitlines() if line.startswith("dee,"))
    assert code == 0 and row.count(damaged) == 4  # each contact column says so
    assert "BEGIN AGE" not in out and "Traceback" not in err
    code, out, _ = team.run("show", "people/cy", "--reveal")  # no key at all: the usual note
    assert "notes: sealed — you hold no key for it" in out


@pytest.fixture
def talks(team: Team2) -> Team2:
    """Conversations with St Mary's whose notes, red lines and next steps are sealed too; sealing on."""
    settings = team.repo.root / "allytui.toml"
    sealed = '"conversations.notes", "conversations.red_lines", "conversations.next_steps"'
    settings.write_text(settings.read_text().replace('"conversations.notes"', sealed))
    team.repo.save(
        Conversation(
            id="2026-11-20-st-marys-a1b2c3",
            date=dt.date(2026, 11, 20),
            group="st-marys",
            red_lines="No party banners in the hall",
            next_steps="Ask the vicar about the hall in January",
            concerns="The hall roof",
        )
    )
    turn_on(team)
    return team


def test_the_brief_opens_sealed_conversation_text_for_a_member_and_never_shows_armor(talks: Team2) -> None:
    talk = talks.repo.read(Kind.CONVERSATIONS, "2026-11-20-st-marys-a1b2c3")
    assert isinstance(talk.red_lines, Sealed) and isinstance(talk.next_steps, Sealed)
    code, out, err = talks.run("brief", "st-marys", identity=talks.bo)
    assert code == 0, err
    assert "No party banners in the hall" in out and "Ask the vicar about the hall in January" in out
    assert "The hall roof" in out and "BEGIN AGE" not in out and "YWdl" not in out
    code, out, err = talks.run("brief", "st-marys")
    assert code == 0 and "BEGIN AGE" not in out and "YWdl" not in out
    assert "No party banners" not in out and "Ask the vicar" not in out
    assert out.count("sealed — you hold no key for it") == 4  # red lines and next steps, each said twice
    damage(talks.repo.root / "conversations/2026/2026-11-20-st-marys-a1b2c3.toml", "red_lines")
    code, out, err = talks.run("brief", "st-marys", identity=talks.ana)
    assert code == 0 and "sealed value not readable" in out and "Ask the vicar" in out
    assert "Traceback" not in err and "No party banners" not in out


def test_the_brief_says_when_the_key_file_cannot_be_used_and_still_prints(talks: Team2, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("not a key\n")
    code, out, err = talks.run("brief", "st-marys", identity=garbage)
    assert code == 0 and "holds no age secret key" in err and "stay sealed" in err
    assert "Brief: St Mary" in out and "BEGIN AGE" not in out


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_a_member_whose_key_is_an_ssh_ed25519_key_reads_every_value(team: Team2, tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bo@laptop", "-f", str(key)], check=True)
    public = (tmp_path / "id_ed25519.pub").read_text().strip()  # with its comment, as ssh-keygen writes it
    turn_on(team)
    code, out, err = team.run("keys", "add", "bo", public, identity=team.ana)
    assert code == 0 and "re-sealed 5 values for 2 members" in out, err
    assert team.repo.read(Kind.PEOPLE, "bo").recipient == public
    code, out, err = team.run("show", "people/dee", "--reveal", identity=key)
    assert code == 0 and EMAILS[1] in out and "07700 900999" in out, err
    code, out, err = team.run("export", "conversations", "--format", "json", "--include-contact", identity=key)
    assert code == 0 and json.loads(out)[0]["notes"] == NOTE
    code, out, err = team.run("keys", "remove", "ana", identity=key)  # an SSH key re-seals like an age one
    assert code == 0 and "re-sealed 5 values for 1 member" in out
    assert team.run("show", "people/cy", "--reveal", identity=team.ana)[1].count("you hold no key") == 2


def test_a_conflicts_sealed_other_value_is_opened_with_a_key_and_never_shown_as_armor(team: Team2) -> None:
    """A conflict on Cy's notes keeps the other value sealed (as a merge writes it): show, export and log."""
    turn_on(team)
    cy = team.repo.read(Kind.PEOPLE, "cy")
    recipients = [team.recipient(team.ana), team.recipient(team.bo)]
    other = "She would rather we wrote than rang"
    conflict = FieldConflict(field="notes", other=seal(other, recipients), author="Bo", commit="abc123")
    team.repo.save(cy.model_copy(update={"conflicts": [conflict]}))
    code, out, _ = team.run("show", "people/cy", "--reveal", identity=team.bo)
    assert code == 0 and f"the other:  {other} (from Bo)" in out, out
    code, out, _ = team.run("show", "people/cy", "--reveal", "--json", identity=team.ana)
    assert json.loads(out)["conflicts"][0]["other"] == other
    code, out, _ = team.run("export", "people", "--include-contact", "--format", "json", identity=team.ana)
    assert {r["id"]: r for r in json.loads(out)}["cy"]["conflicts"][0]["other"] == other
    for argv in (("show", "people/cy", "--json"), ("show", "people/cy", "--reveal", "--json")):
        code, out, _ = team.run(*argv)  # no key
        assert code == 0 and "BEGIN AGE" not in out and other not in out
        assert json.loads(out)["conflicts"][0]["other"] in (SEALED_HIDDEN, SEALED_NOTE)
    for identity in (None, team.ana):
        for argv in (("log", "people/cy"), ("log", "people/cy", "--reveal")):
            code, out, _ = team.run(*argv, identity=identity)
            assert code == 0 and "other=(sealed value)" in out
            assert "BEGIN AGE" not in out and other not in out


def test_seal_says_what_to_do_about_a_comment_inside_the_contact_table_and_changes_nothing(team: Team2) -> None:
    team.run("keys", "add", "ana", team.recipient(team.ana), identity=team.ana)
    path = team.repo.root / "people/dee.toml"
    text = path.read_text()
    path.write_text(text.replace("[contact]\n", "[contact]\n# her mobile, not the landline\n"))
    git(team.repo.root, "commit", "-qam", "a comment by hand")
    before, commits = path.read_bytes(), commit_count(team.repo.root)
    code, _, err = team.run("seal", identity=team.ana)
    assert code == 1 and "people/dee.toml: the hand-written comments on line" in err
    assert "move them out of it or delete them, then run this again; nothing was changed" in err
    assert path.read_bytes() == before and commit_count(team.repo.root) == commits
    assert "cy.private@example.org" in (team.repo.root / "people/cy.toml").read_text()  # all or nothing
    path.write_text(text)  # the comment taken out by hand, not committed: seal will not slip that edit in
    code, _, err = team.run("seal", identity=team.ana)
    assert code == 1 and "people/dee.toml: changed but not committed" in err
    assert commit_count(team.repo.root) == commits
    git(team.repo.root, "commit", "-qam", "comment taken out")
    assert team.run("seal", identity=team.ana)[0] == 0
