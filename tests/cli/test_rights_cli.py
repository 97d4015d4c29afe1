"""People's rights from the command line, on real repos: do-not-contact, privacy, retention, about, sharing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from allytui.model.records import Conversation, Group, Kind, Person, Team
from allytui.store.repo import DataRepo
from allytui.store.sealing import make_identity, seal
from tests.cli.test_cli import run
from tests.helpers import commit_count, git

EMAIL = "ana.private@example.org"


def cli(repo: DataRepo, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--repo", str(repo.root), *argv)


@pytest.fixture
def town(repo: DataRepo) -> DataRepo:
    """A chapel where Ana asked not to be contacted, a national union, our member Me, and some talk."""
    repo.save(Team(id="us", name="Us"))
    repo.save(Group(id="chapel", name="The Chapel", category="faith", notes="Ana Diaz runs the choir."))
    repo.save(Group(id="union", name="Big Union", category="trade_union", national_contact=True))
    repo.save(
        Person(
            id="ana",
            name="Ana Diaz",
            role="Choir leader",
            groups=["chapel"],
            do_not_contact=True,
            contact={"email": EMAIL},
            notes="prefers letters",
        )
    )
    repo.save(Person(id="rep", name="Rob Rep", groups=["union"], contact={"phone": "0161 496 0000"}, consent=True))
    repo.save(
        Person(
            id="me",
            name="Me Member",
            member_of="us",
            knows=[{"person": "ana", "how": "neighbours"}, {"person": "rep", "strength": 3}],
        )
    )
    repo.save(
        Conversation.model_validate(
            {
                "id": "2026-10-01-union-aaaaaa",
                "date": dt.date(2026, 10, 1),
                "group": "union",
                "channel": "stall",
                "our_people": ["me"],
                "outcome": "will ask their branch",
                "concerns": "Ana Diaz said no",
            }
        )
    )
    return repo


# do not contact


def test_set_refuses_a_conversation_with_a_do_not_contact_person_unless_forced(
    town: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    before = commit_count(town.root)
    code, _, err = cli(town, capsys, "set", "conversations/new", "date=2026-11-02", "their_people=ana")
    assert code == 1
    assert "Ana Diaz asked not to be contacted" in err and "--force" in err and "Nothing was written" in err
    assert commit_count(town.root) == before
    code, _out, err = cli(town, capsys, "set", "conversations/new", "date=2026-11-02", "group=chapel")
    assert code == 1 and "Everyone we know at The Chapel (Ana Diaz) asked not to be contacted" in err
    code, _, err = cli(town, capsys, "set", "conversations/new", "date=2026-11-02", "their_people=ana", "--force")
    assert code == 0 and commit_count(town.root) == before + 1
    # another group, or editing an old conversation, is not held back
    code, _, _ = cli(town, capsys, "set", "conversations/new", "date=2026-11-03", "group=union")
    assert code == 0
    assert cli(town, capsys, "set", "conversations/2026-10-01-union-aaaaaa", "outcome=maybe")[0] == 0


def test_set_refuses_adding_a_do_not_contact_person_to_a_logged_conversation_unless_forced(
    town: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    talk = "conversations/2026-10-01-union-aaaaaa"
    before = commit_count(town.root)
    code, _, err = cli(town, capsys, "set", talk, "their_people+=ana")
    assert code == 1 and "Ana Diaz asked not to be contacted" in err and "--force" in err
    code, _, err = cli(town, capsys, "set", talk, "group=chapel")  # nobody named, and only Ana known there
    assert code == 1 and "Everyone we know at The Chapel (Ana Diaz) asked not to be contacted" in err
    assert commit_count(town.root) == before
    saved = town.read(Kind.CONVERSATIONS, "2026-10-01-union-aaaaaa")
    assert isinstance(saved, Conversation) and (saved.group, saved.their_people) == ("union", [])
    code, _, _ = cli(town, capsys, "set", talk, "their_people+=ana", "--force")
    assert code == 0 and commit_count(town.root) == before + 1
    assert cli(town, capsys, "set", talk, "outcome=no reply")[0] == 0  # she is already on it: not asked again


def test_import_refuses_conversations_with_a_do_not_contact_person_unless_forced(
    town: DataRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "talks.csv"
    sheet.write_text(
        "date,group,their_people,channel,outcome\n"
        "02/11/2026,chapel,ana,one_to_one,talked\n"
        "03/11/2026,chapel,,stall,flyer\n"
        "04/11/2026,union,,stall,leaflets taken\n"
    )
    before = commit_count(town.root)
    code, out, err = cli(town, capsys, "import", "conversations", str(sheet))
    assert code == 1 and commit_count(town.root) == before
    assert "talks.csv, row 2: Ana Diaz asked not to be contacted." in out + err and "--force" in out + err
    assert "talks.csv, row 3: Everyone we know at The Chapel (Ana Diaz) asked not to be contacted." in out + err
    assert "row 4" not in out + err  # another group's conversation is fine
    code, out, err = cli(town, capsys, "import", "conversations", str(sheet), "--force")
    assert code == 0, err
    assert commit_count(town.root) == before + 1
    assert len(town.load().records[Kind.CONVERSATIONS]) == 4


def test_flagging_do_not_contact_records_since_when(town: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = cli(town, capsys, "set", "people/rep", "do_not_contact=yes")
    rep = town.read(Kind.PEOPLE, "rep")
    assert code == 0 and isinstance(rep, Person) and rep.do_not_contact_since == dt.date.today()
    cli(town, capsys, "set", "people/rep", "do_not_contact_since=2026-01-05")
    rep = town.read(Kind.PEOPLE, "rep")
    assert isinstance(rep, Person) and rep.do_not_contact_since == dt.date(2026, 1, 5)  # a date given is kept


def test_agenda_cli_leaves_out_do_not_contact_follow_ups_with_a_note(
    town: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    talk = {"date": "2026-11-01", "their_people": ["ana"], "our_people": ["me"], "follow_up": "2026-11-20"}
    cli(
        town,
        capsys,
        "set",
        "conversations/new",
        *(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in talk.items()),
        "--force",
    )
    code, out, _ = cli(town, capsys, "agenda", "--today", "2026-11-21")
    assert code == 0
    assert "1 follow-up left out: it is with someone who asked not to be contacted." in out
    code, out, _ = cli(town, capsys, "agenda", "--today", "2026-11-21", "--json")
    assert json.loads(out)["left_out_do_not_contact"] == 1


# privacy


def test_privacy_lists_contact_details_without_a_basis_and_never_the_details(
    town: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(town, capsys, "privacy")
    assert code == 0 and "people/ana" in out and "people/rep" not in out and EMAIL not in out
    code, out, _ = cli(town, capsys, "privacy", "--json")
    assert [row["id"] for row in json.loads(out)] == ["ana"]
    cli(town, capsys, "set", "people/ana", "lawful_basis=legitimate_interest", "basis_note=asked at the stall")
    code, out, _ = cli(town, capsys, "privacy", "--json")
    assert json.loads(out) == []


def test_a_sealed_contact_counts_without_a_key(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = make_identity(tmp_path / "keys" / "ana.txt")
    repo.save(Person(id="bo", name="Bo", contact=seal({"email": EMAIL}, [made.recipient])), recipients=[made.recipient])
    _, out, _ = cli(repo, capsys, "privacy", "--json")
    assert json.loads(out) == [{"id": "bo", "name": "Bo", "member": False, "consent": False, "contact_sealed": True}]


# retention


def test_retention_lists_what_is_due_with_reason_and_age(town: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(town, capsys, "retention", "--today", "2030-01-01", "--json")
    assert code == 0
    due = {(d["id"], d["reason"]) for d in json.loads(out)["due"]}
    assert ("ana", "no_basis") in due and ("ana", "inactive") in due and ("rep", "inactive") in due
    assert ("2026-10-01-union-aaaaaa", "old_notes") in due
    assert not any(pid == "me" and reason == "inactive" for pid, reason in due)  # our member
    code, out, _ = cli(town, capsys, "retention")  # today: everything was just added
    assert "Nothing is due for review." in out
    code, out, _ = cli(town, capsys, "retention", "--today", "2030-01-01")
    assert "contact details with no lawful basis" in out and "old conversation notes" in out and EMAIL not in out


def test_bad_retention_settings_are_check_problems(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    settings = repo.root / "allytui.toml"
    text = settings.read_text()
    assert "no_basis_days = 90" in text  # init writes the defaults, for a coordinator to see and change
    settings.write_text(text.replace("no_basis_days = 90", "no_basis_days = -5"))
    code, out, _ = cli(repo, capsys, "check")
    assert code == 1 and "allytui.toml" in out and "retention.no_basis_days" in out


# about


def test_about_holds_the_record_references_mentions_and_dates(
    town: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(town, capsys, "about", "people/ana", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["record"]["contact"]["email"] == EMAIL  # it is their own data
    assert [(m["record"], m["fields"]) for m in data["referred_to_by"]] == [("people/me", ["knows[0].person"])]
    mentioned = {m["record"]: m["fields"] for m in data["mentioned_in"]}
    assert mentioned == {"groups/chapel": ["notes"], "conversations/2026-10-01-union-aaaaaa": ["concerns"]}
    assert [c["what"] for c in data["changes"]] == ["created"]
    code, out, _ = cli(town, capsys, "about", "people/ana", "--markdown")
    assert out.startswith("# What we hold about Ana Diaz") and "## Records that mention your name" in out
    code, out, _ = cli(town, capsys, "about", "people/ana")
    assert "groups/chapel (The Chapel)" in out and "created by" in out


def test_about_an_unknown_person_or_kind_says_so(town: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(town, capsys, "about", "people/nobody")
    assert code == 1 and "people/nobody: no such person" in err and "unexpected" not in err
    code, _, err = cli(town, capsys, "about", "groups/chapel")
    assert code == 1 and "about is for a person" in err


def test_about_opens_sealed_values_only_with_a_key(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_identity(tmp_path / "keys" / "me.txt")
    repo.save(Person(id="bo", name="Bo", contact=seal({"email": EMAIL}, [made.recipient])), recipients=[made.recipient])
    _code, out, _ = cli(repo, capsys, "about", "people/bo", "--json")
    data = json.loads(out)
    assert data["record"]["contact"].startswith("sealed") and "BEGIN AGE" not in out and EMAIL not in out
    assert data["sealed_note"]
    monkeypatch.setenv("ALLYTUI_IDENTITY", str(made.path))
    _, out, _ = cli(repo, capsys, "about", "people/bo", "--json")
    assert json.loads(out)["record"]["contact"]["email"] == EMAIL


# sharing


def test_export_redact_keeps_only_what_may_be_shared(town: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(town, capsys, "export", "people", "--redact")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == {"id": "ana", "role": "Choir leader", "groups": "chapel"}
    assert EMAIL not in out and "prefers letters" not in out and "Ana Diaz" not in out
    code, out, _ = cli(town, capsys, "export", "conversations", "--redact", "--format", "json")
    assert json.loads(out) == [
        {
            "id": "2026-10-01-union-aaaaaa",
            "date": "2026-10-01",
            "group": "union",
            "channel": "stall",
            "outcome": "will ask their branch",
        }
    ]
    code, _, err = cli(town, capsys, "export", "people", "--redact", "--include-contact")
    assert code == 1 and "--redact" in err


def test_national_report_lists_who_knows_someone_there(town: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(town, capsys, "national-report")
    assert code == 0
    assert "Big Union (groups/union) — last conversation: 2026-10-01" in out
    assert "Me Member knows Rob Rep (close)" in out and "0161" not in out and "The Chapel" not in out
    code, out, _ = cli(town, capsys, "national-report", "--include-contact", "--markdown")
    assert out.startswith("# National contacts") and "0161 496 0000" in out
    code, out, _ = cli(town, capsys, "national-report", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == [
        {
            "group": "union",
            "group_name": "Big Union",
            "last_conversation": "2026-10-01",
            "member": "Me Member",
            "knows": "Rob Rep",
            "strength": "close",
            "people_there": "Rob Rep",
        }
    ]


def test_no_contact_detail_reaches_a_commit_message(town: DataRepo) -> None:
    assert EMAIL not in git(town.root, "log", "--format=%B")
    assert Kind.PEOPLE.value  # the fixture's commits were made by the store, with its messages
