"""Messages that say what to do: a typo in an id or a field name names what was probably meant."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from allytui.cli.main import main
from allytui.store.repo import DataRepo
from tests.helpers import commit_count


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["set", "groups/st-mary-church", "stage=contacted"],
        ["show", "groups/st-mary-church"],
        ["rm", "groups/st-mary-church"],
        ["log", "groups/st-mary-church"],
        ["log", "--raw", "groups/st-mary-church"],
    ],
)
def test_a_typo_in_an_id_says_which_record_was_meant(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = commit_count(sample_repo.root)
    code, _, err = run(capsys, "--repo", str(sample_repo.root), *argv)
    assert code == 1
    assert err.strip() == "allytui: error: groups/st-mary-church: no such group; did you mean st-marys-church?"
    assert commit_count(sample_repo.root) == before
    assert not (sample_repo.root / "groups" / "st-mary-church.toml").exists()


def test_set_on_an_unknown_id_nothing_like_says_how_to_add_one(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--repo", str(sample_repo.root), "set", "groups/zzzz", "stage=contacted")
    assert code == 1
    assert "groups/zzzz: no such group; to add one: allytui set groups/new name=..." in err
    assert "required" not in err


def test_set_with_a_new_id_of_ones_own_still_creates(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--repo", str(sample_repo.root), "set", "groups/bakers", "name=Bakers", "category=other")
    assert code == 0, out
    assert (sample_repo.root / "groups" / "bakers.toml").is_file()


def test_an_unknown_field_in_set_says_which_was_meant(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--repo", str(sample_repo.root), "set", "groups/st-marys-church", "catgory=faith")
    assert code == 1
    assert "catgory: not a field of a group; did you mean category?" in err
    code, _, err = run(capsys, "--repo", str(sample_repo.root), "set", "groups/st-marys-church", "zzzzz=1")
    assert "zzzzz: not a field of a group; the fields are name, " in err


def test_agenda_member_by_part_of_a_name(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(sample_repo.root)
    code, out, _ = run(capsys, "--repo", root, "agenda", "--member", "maya-okafor", "--json", "--today", "2026-11-20")
    assert code == 0
    by_id = json.loads(out)
    code, out, _ = run(capsys, "--repo", root, "agenda", "--member", "Okafor", "--json", "--today", "2026-11-20")
    assert code == 0
    assert json.loads(out) == by_id
    code, _, err = run(capsys, "--repo", root, "agenda", "--member", "maya-okafr")
    assert code == 1 and "people/maya-okafr: no such person; did you mean maya-okafor?" in err


def test_set_making_a_record_of_ones_own_id_names_its_problems(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--repo", str(sample_repo.root), "set", "groups/bakers", "name=Bakers", "category=bizz")
    assert code == 1
    assert "category: unknown value" in err and "no such group" not in err


def test_a_repo_path_that_is_not_there_says_so(
    sample_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = sample_repo.root.parent / "rivertn"
    code, _, err = run(capsys, "--repo", str(typo), "list", "groups")
    assert code == 1
    assert err.strip() == f"allytui: error: {typo} does not exist (named by --repo); did you mean {sample_repo.root}?"
    assert "init" not in err and not typo.exists()
    monkeypatch.setenv("ALLYTUI_REPO", str(tmp_path / "elsewhere"))
    code, _, err = run(capsys, "check")
    assert code == 1 and "elsewhere does not exist (named by $ALLYTUI_REPO)" in err and "init" not in err


def test_outside_a_data_repo_says_which_it_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated_user: Path
) -> None:
    monkeypatch.delenv("ALLYTUI_REPO", raising=False)
    monkeypatch.chdir(tmp_path)
    run(capsys, "check")  # makes the member's own repo
    code, out, err = run(capsys, "list", "groups", "--json")
    own = isolated_user / ".local" / "share" / "allytui" / "data"
    assert code == 0 and json.loads(out) == []
    assert err.strip() == f"(not inside a data repo: using your own, {own})"


def test_set_takes_dates_as_people_type_them(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(sample_repo.root)
    code, _, _ = run(capsys, "--repo", root, "set", "groups/st-marys-church", "next_action_due=31/12/2026")
    assert code == 0
    assert "next_action_due = 2026-12-31" in (sample_repo.root / "groups" / "st-marys-church.toml").read_text()
    code, _, err = run(capsys, "--repo", root, "set", "groups/st-marys-church", "next_action_due=31/13/2026")
    assert code == 1
    assert "next_action_due: not a date; write YYYY-MM-DD or DD/MM/YYYY (or today, tomorrow)" in err
    assert "Input should" not in err
    code, out, _ = run(capsys, "--repo", root, "set", "conversations/new", "date=today", "group=st-marys-church")
    assert code == 0 and f"conversations/{dt.date.today().isoformat()}-st-marys-church-" in out
    code, out, err = run(capsys, "--repo", root, "list", "groups", "--where", "next_action_due=31/12/2026")
    assert code == 0 and "st-marys-church" in out


def test_show_prints_values_as_people_read_them(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(sample_repo.root)
    run(capsys, "--repo", root, "set", "groups/st-marys-church", "stage=in_conversation")
    code, out, _ = run(capsys, "--repo", root, "show", "groups/st-marys-church")
    lines = out.splitlines()
    assert code == 0
    assert "stage: in conversation" in lines and "national_contact: no" in lines
    assert "shortlist_reasons: similar aims, local influence, large network" in lines
    at = lines.index("red_lines:")
    assert lines[at + 1 : at + 3] == [
        "  - Nothing that disrupts Sunday services or funerals",
        "  - No party-political material in the church or hall",
    ]
    assert "True" not in out and "False" not in out and "['" not in out and "{'" not in out
    code, out, _ = run(capsys, "--repo", root, "show", "people/maya-okafor", "--reveal")
    lines = out.splitlines()
    at = lines.index("contact:")
    assert lines[at + 1 : at + 3] == ["  email: maya.okafor@example.org", "  phone: 01632 960101"]
    assert "consent: yes" in lines


def test_list_where_names_the_field_or_value_meant(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(sample_repo.root)
    code, out, err = run(capsys, "--repo", root, "list", "groups", "--where", "stage=bogus")
    assert code == 1 and out == ""
    assert "stage: no stage is “bogus”; it is one of researched, shortlisted" in err
    code, _, err = run(capsys, "--repo", root, "list", "groups", "--where", "stage=alied")
    assert code == 1 and "did you mean allied?" in err
    code, _, err = run(capsys, "--repo", root, "list", "groups", "--where", "catgory=faith")
    assert code == 1 and "catgory" in err and "category" in err


def test_a_typo_in_a_kind_or_a_part_field_names_what_was_meant(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(sample_repo.root)
    code, _, err = run(capsys, "--repo", root, "show", "group/st-marys-church")
    assert code == 1 and "'group' is not a kind; did you mean groups?" in err
    code, _, err = run(capsys, "--repo", root, "set", "people/maya-okafor", "contact.emial=x@example.org")
    assert code == 1 and "emial: not a field of contact details; did you mean email?" in err
