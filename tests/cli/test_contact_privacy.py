"""Contact details stay out of every command's output unless --reveal asks for them: one test per path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allytui.model.records import FieldConflict, Group, Person
from allytui.store.repo import DataRepo
from tests.cli.test_cli import run
from tests.helpers import git

EMAIL = "ana.private@example.org"
PHONE = "07700 900461"
OLD_EMAIL = "ana.old@example.org"
SECRETS = (EMAIL, PHONE, OLD_EMAIL, "Mill Lane")


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def ana(**changes: object) -> Person:
    base = {
        "name": "Ana López",
        "groups": ["st-marys"],
        "contact": {"email": EMAIL, "phone": PHONE, "address": "Flat 2\n14 Mill Lane"},
    }
    return Person.model_validate({**base, **changes, "id": "ana"})


@pytest.fixture
def people(repo: DataRepo) -> DataRepo:
    """Ana's contact details recorded, then changed, and a sync conflict on her phone left open."""
    repo.save(Group(id="st-marys", name="St Mary's", category="faith"))
    repo.save(ana(contact={"email": OLD_EMAIL, "phone": PHONE}))
    repo.save(ana())
    conflict = FieldConflict(field="contact.phone", other=json.dumps(PHONE + "9"), author="Ben", commit="abc")
    repo.save(ana(conflicts=[conflict]))
    return repo


def cli(repo: DataRepo, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code, out, err = run(capsys, "--repo", str(repo.root), *argv)
    return code, out + err


def test_log_field_diffs_hide_contact_details(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(people, capsys, "log", "people/ana")
    assert code == 0 and leaks(out) == []
    assert "contact.email changed" in out and "contact details are hidden; add --reveal" in out
    code, out = cli(people, capsys, "log", "people/ana", "--reveal")
    assert f"contact.email: {OLD_EMAIL} → {EMAIL}" in out and "hidden" not in out


def test_log_json_hides_contact_details(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(people, capsys, "log", "people/ana", "--json")
    assert code == 0 and leaks(out) == []
    code, out = cli(people, capsys, "log", "people/ana", "--json", "--reveal")
    assert EMAIL in out and OLD_EMAIL in out


def test_log_raw_masks_contact_lines_in_gits_patches(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(people, capsys, "log", "people/ana", "--raw")
    assert code == 0 and leaks(out) == []
    assert "-email = (hidden; --reveal to show)" in out and "+email = (hidden; --reveal to show)" in out
    assert '+name = "Ana López"' in out and "[contact]" in out  # the rest of git's patch is as git gave it
    assert out.count("diff --git") == 3 and "contact details are hidden; add --reveal" in out
    code, out = cli(people, capsys, "log", "people/ana", "--raw", "--reveal")
    assert f'-email = "{OLD_EMAIL}"' in out and f'+email = "{EMAIL}"' in out and PHONE in out


def test_log_raw_masks_contact_written_by_hand_in_any_toml_form(
    repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo.root / "people" / "ana.toml"
    path.parent.mkdir(exist_ok=True)
    for text in (
        f'name = "Ana"\ncontact = {{ email = "{EMAIL}" }}\n',
        f'name = "Ana"\ncontact.email = "{EMAIL}"\ncontact.phone = "{PHONE}"\n',
        'name = "Ana"\ncontact.address = """\nFlat 2\n14 Mill Lane\n"""\n',
    ):
        path.write_text(text)
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "-q", "-m", "by hand")
    code, out = cli(repo, capsys, "log", "people/ana", "--raw")
    assert code == 0 and leaks(out) == [] and out.count("diff --git") == 3


def test_show_hides_contact_details_and_their_conflicts(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    for args in ((), ("--json",)):
        code, out = cli(people, capsys, "show", "people/ana", *args)
        assert code == 0 and leaks(out) == [] and "(hidden; --reveal to show)" in out
    code, out = cli(people, capsys, "show", "people/ana", "--json", "--reveal")
    data = json.loads(out)
    assert data["contact"]["email"] == EMAIL and data["conflicts"][0]["other"] == json.dumps(PHONE + "9")


def test_list_json_hides_contact_details(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(people, capsys, "list", "people", "--json")
    assert code == 0 and leaks(out) == [] and json.loads(out)[0]["name"] == "Ana López"
    code, out = cli(people, capsys, "list", "people")
    assert code == 0 and leaks(out) == []


@pytest.mark.parametrize("form", ["json", "csv"])
def test_export_hides_contact_details_unless_revealed(
    people: DataRepo, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    code, out = cli(people, capsys, "export", "people", "--format", form)
    assert code == 0 and leaks(out) == [] and "St Mary" not in out and "ana" in out
    for flag in ("--reveal", "--include-contact"):
        code, out = cli(people, capsys, "export", "people", "--format", form, flag)
        assert code == 0 and EMAIL in out and PHONE in out


def test_brief_leaves_out_contact_details(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(people, capsys, "brief", "st-marys", "--today", "2026-11-26")
    assert code == 0 and "Ana López" in out and leaks(out) == []


def test_commit_messages_name_the_field_not_its_value(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(people, capsys, "set", "people/ana", f"contact.email={EMAIL}x", f"contact.phone={PHONE}0")
    assert code == 0 and leaks(out) == []
    assert leaks(git(people.root, "log", "--format=%B")) == []


@pytest.mark.parametrize("value", [f"{EMAIL}\tx", f"{PHONE}\x1b[2J", "\x07" + EMAIL])
def test_an_invalid_contact_value_is_not_echoed_in_the_error(
    people: DataRepo, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, out = cli(people, capsys, "set", "people/ana", f"contact.email={value}")
    assert code != 0 and "contact.email" in out and leaks(out) == []


def test_problems_in_a_file_do_not_echo_contact_details(people: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    (people.root / "people" / "bad.toml").write_text(
        f'name = "Bad"\n\n[contact]\nemial = "{EMAIL}"\nphone = ["{PHONE}"]\n'
    )
    (people.root / "people" / "worse.toml").write_text(f'name = "Worse"\n\n[contact]\nemail = "{EMAIL}\n')
    for args in (("check",), ("check", "--json"), ("list", "people")):
        _, out = cli(people, capsys, *args)
        assert leaks(out) == [], args
    _, out = cli(people, capsys, "check")
    assert "bad.toml" in out and "contact.emial" in out and "worse.toml" in out


def test_import_problems_do_not_echo_contact_details(
    people: DataRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        f'id,name,contact.email,contact.phone\nzed,Zed,"{EMAIL}\tx",{PHONE}\nyan,Yan,{EMAIL},"{PHONE}\x07"\n'
    )
    code, out = cli(people, capsys, "import", "people", str(sheet))
    assert code == 1 and "row 2, contact.email" in out and "row 3, contact.phone" in out and leaks(out) == []
