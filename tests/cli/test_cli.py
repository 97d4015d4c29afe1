"""The `allytui` command on real data repos: exit codes, refusals that write nothing, import/export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from allytui.cli.main import main
from allytui.model.records import Kind
from allytui.store.repo import DataRepo
from tests.helpers import commit_count, git


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors and --help
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_exit_codes(full_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(full_repo.root)
    code, out, _ = run(capsys, "--repo", root, "check")
    assert (code, out.strip()) == (0, "ok: 6 records, no problems")

    (full_repo.root / "groups" / "bad.toml").write_text('name = "x"\ncategory = "bakery"\n')
    code, out, _ = run(capsys, "--repo", root, "check")
    assert code == 1
    assert out.splitlines() == [
        "groups/bad.toml:2: category: unknown value; expected 'environmental', "
        + out.split("expected 'environmental', ")[1].strip()
    ]

    code, out, _ = run(capsys, "--repo", root, "check", "--json")
    assert code == 1
    assert [(p["path"], p["line"], p["field"]) for p in json.loads(out)] == [("groups/bad.toml", 2, "category")]

    code, _, err = run(capsys, "--repo", root, "check", "--bogus")
    assert code == 2 and "unrecognized arguments" in err


def test_check_output_cannot_drive_the_terminal(full_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    (full_repo.root / "groups" / "bad.toml").write_text('name = "x"\ncategory = "faith"\n"\\u001b[2J" = 1\n')
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "check")
    assert code == 1
    assert "\x1b" not in out and "\\x1b[2J" in out


def test_set_creates_and_updates_with_one_commit_each(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(repo.root)
    before = commit_count(repo.root)
    code, out, _ = run(
        capsys,
        "--repo",
        root,
        "set",
        "groups/st-marys",
        "name=St Mary's Church",
        "category=faith",
        "stage=researched",
        "tags=faith,town-centre",
    )
    assert code == 0, out
    code, out, _ = run(capsys, "--repo", root, "set", "groups/st-marys", "stage=contacted", "tags+=hall")
    assert code == 0
    assert commit_count(repo.root) == before + 2
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "group st-marys: stage researched → contacted; tags"
    group = repo.read(Kind.GROUPS, "st-marys")
    assert group.model_dump()["tags"] == ["faith", "town-centre", "hall"]


def test_set_new_makes_ids(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(repo.root)
    assert run(capsys, "--repo", root, "set", "groups/new", "name=St Mary's Church", "category=faith")[0] == 0
    assert run(capsys, "--repo", root, "set", "groups/new", "name=St Mary's Church", "category=faith")[0] == 0
    assert sorted(repo.load().records[Kind.GROUPS]) == ["st-marys-church", "st-marys-church-2"]
    code, _out, _ = run(capsys, "--repo", root, "set", "conversations/new", "date=2026-11-24", "group=st-marys-church")
    assert code == 0
    [conversation] = repo.load().records[Kind.CONVERSATIONS]
    assert (
        conversation.startswith("2026-11-24-st-marys-church-")
        and len(conversation) == len("2026-11-24-st-marys-church-") + 6
    )
    assert (repo.root / "conversations" / "2026" / f"{conversation}.toml").is_file()


@pytest.mark.parametrize(
    ("assignments", "error_part"),
    [
        (["stage=bogus"], "stage: unknown value"),
        (["influence=9"], "influence: Input should be less than or equal to 5"),
        (["lead=nobody"], "lead: refers to people/nobody, which does not exist"),
        (["colour=green"], "colour: not a field of a group"),
        (["stage+=x"], "stage: += works only on lists"),
        (["name"], "expected FIELD=VALUE"),
        (["name="], "name: required field is missing"),
    ],
)
def test_set_refuses_bad_data_and_writes_nothing(
    full_repo: DataRepo, capsys: pytest.CaptureFixture[str], assignments: list[str], error_part: str
) -> None:
    path = full_repo.root / "groups" / "st-marys.toml"
    text, before = path.read_text(), commit_count(full_repo.root)
    code, _, err = run(capsys, "--repo", str(full_repo.root), "set", "groups/st-marys", *assignments)
    assert code == 1
    assert error_part in err
    assert "Traceback" not in err
    assert path.read_text() == text and commit_count(full_repo.root) == before
    assert git(full_repo.root, "status", "--porcelain") == ""


def test_show_hides_contact_details_unless_asked(full_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "show", "people/ana")
    assert code == 0 and "ana@example.org" not in out and "contact: (hidden" in out
    assert "  - person: rev-okafor; how: choir; strength: 3" in out
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "show", "people/ana", "--json", "--reveal")
    assert json.loads(out)["contact"]["email"] == "ana@example.org"


def test_list_with_where(full_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--repo", str(full_repo.root), "set", "groups/food-bank", "name=Food Bank", "category=food_bank")
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "list", "groups", "--where", "category=faith", "--json")
    assert code == 0 and [g["id"] for g in json.loads(out)] == ["st-marys"]
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "list", "groups", "--where", "tags=faith")
    assert code == 0 and out.splitlines()[1].startswith("st-marys") and len(out.splitlines()) == 2


def test_rm_refuses_while_referred_to(full_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(full_repo.root)
    code, _, err = run(capsys, "--repo", root, "rm", "groups/st-marys")
    assert code == 1
    for referrer in (
        "people/rev-okafor (groups[0])",
        "conversations/2026-11-24-st-marys-k3f9 (group)",
        "activities/winter-climate-cafe (partners[0].group)",
    ):
        assert referrer in err
    assert (full_repo.root / "groups" / "st-marys.toml").exists()
    code, _out, _ = run(capsys, "--repo", root, "rm", "groups/st-marys", "--force")
    assert code == 0 and not (full_repo.root / "groups" / "st-marys.toml").exists()
    assert run(capsys, "--repo", root, "check")[0] == 1


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_spreadsheet_in_one_commit(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(
        tmp_path / "groups.csv",
        [
            {
                "Name": "Riverton Food Bank",
                "Category": "food_bank",
                "Influence": "3",
                "Tags": "food, mutual-aid",
                "Red lines": "no photos of clients; no politics, please",
                "Lead": "ana",
            },
            {
                "Name": "Mill Lane Residents",
                "Category": "residents_association",
                "Influence": "",
                "Tags": "",
                "Red lines": "",
                "Lead": "",
            },
        ],
    )
    before = commit_count(full_repo.root)
    code, _out, err = run(capsys, "--repo", str(full_repo.root), "import", "groups", str(sheet))
    assert code == 0, err
    assert commit_count(full_repo.root) == before + 1
    assert git(full_repo.root, "log", "-1", "--format=%s").strip() == "groups: import 2 (2 new, 0 updated)"
    food = full_repo.read(Kind.GROUPS, "riverton-food-bank").model_dump()
    assert food["tags"] == ["food", "mutual-aid"]
    assert food["red_lines"] == ["no photos of clients", "no politics, please"]
    assert full_repo.exists(Kind.GROUPS, "mill-lane-residents")


def test_import_refuses_bad_rows_and_writes_nothing(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(
        tmp_path / "groups.csv",
        [
            {"name": "Good One", "category": "faith", "lead": ""},
            {"name": "Bad Category", "category": "bakery", "lead": ""},
            {"name": "Bad Lead", "category": "pta", "lead": "nobody"},
        ],
    )
    before = commit_count(full_repo.root)
    code, _, err = run(capsys, "--repo", str(full_repo.root), "import", "groups", str(sheet))
    assert code == 1
    assert "groups.csv, row 3, category: 'bakery' is not a category" in err
    assert "groups.csv, row 4, lead: refers to people/nobody" in err
    assert "nothing imported" in err
    assert commit_count(full_repo.root) == before
    assert not full_repo.exists(Kind.GROUPS, "good-one")
    assert git(full_repo.root, "status", "--porcelain") == ""

    code, _, err = run(capsys, "--repo", str(full_repo.root), "import", "groups", str(sheet), "--skip-bad")
    assert code == 0
    assert full_repo.exists(Kind.GROUPS, "good-one") and not full_repo.exists(Kind.GROUPS, "bad-category")
    assert commit_count(full_repo.root) == before + 1


def test_import_ignores_unknown_columns_with_one_note(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(
        tmp_path / "groups.csv",
        [{"name": "X", "category": "faith", "favourite colour": "red"}, {"name": "Y", "category": "pta"}],
    )
    code, _, err = run(capsys, "--repo", str(full_repo.root), "import", "groups", str(sheet))
    assert code == 0 and err.count("favourite colour") == 1
    assert "note: groups.csv: ignoring column(s) groups do not have: favourite colour" in err
    assert "favourite" not in (full_repo.root / "groups" / "x.toml").read_text()


def test_export_then_import_round_trips(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "people.csv"
    assert (
        run(capsys, "--repo", str(full_repo.root), "export", "people", "-o", str(out_file), "--include-contact")[0] == 0
    )
    other = DataRepo.init(tmp_path / "other")
    # people refer to groups and teams: bring those over first, through JSON-free CSV too
    for kind in ("teams", "groups"):
        sheet = tmp_path / f"{kind}.csv"
        run(capsys, "--repo", str(full_repo.root), "export", kind, "-o", str(sheet))
    # teams and groups refer to people: import people without links first, then the rest with --update
    code, _, err = run(capsys, "--repo", str(other.root), "import", "people", str(_strip_links(out_file, tmp_path)))
    assert code == 0, err
    for kind in ("teams", "groups"):
        assert run(capsys, "--repo", str(other.root), "import", kind, str(tmp_path / f"{kind}.csv"))[0] == 0
    code, _, err = run(capsys, "--repo", str(other.root), "import", "people", str(out_file), "--update")
    assert code == 0, err
    for person in ("ana", "rev-okafor"):
        assert other.read(Kind.PEOPLE, person) == full_repo.read(Kind.PEOPLE, person)


def _strip_links(sheet: Path, tmp_path: Path) -> Path:
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    for row in rows:
        row.update(member_of="", groups="", knows="")
    return write_csv(tmp_path / "people-plain.csv", rows)


def test_export_json_leaves_out_contact_details(full_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "export", "people", "--format", "json")
    assert code == 0 and "ana@example.org" not in out
    assert {p["id"] for p in json.loads(out)} == {"ana", "rev-okafor"}


def test_repo_selection(
    full_repo: DataRepo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_user: Path,
) -> None:
    monkeypatch.setenv("ALLYTUI_REPO", str(full_repo.root))
    assert "6 records" in run(capsys, "check")[1]
    monkeypatch.delenv("ALLYTUI_REPO")
    monkeypatch.chdir(full_repo.root / "groups")
    assert "6 records" in run(capsys, "check")[1]
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check")
    assert code == 0 and "0 records" in out and "creating your data repo" in err
    assert (isolated_user / ".local" / "share" / "allytui" / "data" / "allytui.toml").is_file()


def test_not_a_data_repo_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--repo", str(tmp_path), "list", "groups")
    assert code == 1 and err.count("\n") == 1 and "not an allytui data repo" in err


def test_init_and_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, _, _ = run(capsys, "init", str(tmp_path / "new"), "--name", "Riverton")
    assert code == 0 and (tmp_path / "new" / "allytui.toml").is_file()
    assert run(capsys, "init", str(tmp_path / "new"))[0] == 1
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "problems: 0" in out


def test_console_script_version_and_help() -> None:
    exe = Path(sys.executable).parent / "allytui"
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("allytui ")
    for command in ("init", "check", "set", "show", "list", "rm", "export", "import", "demo"):
        result = subprocess.run([str(exe), command, "--help"], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "usage: allytui" in result.stdout
