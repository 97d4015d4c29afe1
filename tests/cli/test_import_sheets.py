"""`allytui import` on spreadsheets as people save them, re-imports that never duplicate, and Excel's CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from allytui.cli.main import main
from allytui.model.records import Group, Kind
from allytui.model.sealed import SEALED_NOTE
from allytui.store.repo import DataRepo
from tests.helpers import commit_count, git
from tests.sealing_kit import EMAIL, make_key, no_key, seal_team

KINDS = ("teams", "groups", "people", "conversations", "activities")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def sheet(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    """A file as a spreadsheet program saves it: text with the line ends and byte-order mark asked for."""
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


EUROPEAN = """\
Name;Category;Stage;Website;Favourite colour;Area
Riverton Food Bank;Food Bank;Contacted;www.riverton-fb.org;red;Mill Lane
;;;;;
Café Müller Readers;reading group;in conversation;;blue;Northfield
;;;;;
"""


def test_a_semicolon_sheet_with_a_bom_blank_rows_labels_and_an_extra_column(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheet(tmp_path / "groups.csv", EUROPEAN, bom=True, crlf=True)
    before = commit_count(repo.root)
    code, out, err = run(capsys, "--repo", str(repo.root), "import", "groups", str(path))
    assert code == 0, err
    assert err.splitlines() == ["note: groups.csv: ignoring column(s) groups do not have: Favourite colour"]
    assert out.startswith("groups.csv: 2 new, 0 updated [")
    assert commit_count(repo.root) == before + 1
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "groups: import 2 (2 new, 0 updated)"
    food = repo.read(Kind.GROUPS, "riverton-food-bank")
    assert isinstance(food, Group)
    assert (food.category, food.stage, food.website, food.area) == (
        "food_bank",
        "contacted",
        "https://www.riverton-fb.org",
        "Mill Lane",
    )
    readers = repo.read(Kind.GROUPS, "cafe-muller-readers")
    assert isinstance(readers, Group) and readers.name == "Café Müller Readers" and readers.stage == "in_conversation"


def test_a_tab_separated_sheet(repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sheet(
        tmp_path / "groups.tsv", "name\tcategory\ttags\nMill Lane Residents\tResidents Association\tflood, roads\n"
    )
    code, _, err = run(capsys, "--repo", str(repo.root), "import", "groups", str(path))
    assert code == 0, err
    mill = repo.read(Kind.GROUPS, "mill-lane-residents")
    assert isinstance(mill, Group) and mill.category == "residents_association" and mill.tags == ["flood", "roads"]


def test_a_typo_is_answered_with_a_suggestion_and_the_values_once(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"Team {n},sprots,contacted\n" for n in range(1, 6))
    path = sheet(tmp_path / "groups.csv", "Name,Category,Stage\n" + rows + "Town Choir,Faith,bogus\n")
    before = commit_count(repo.root)
    code, _, err = run(capsys, "--repo", str(repo.root), "import", "groups", str(path))
    assert code == 1 and commit_count(repo.root) == before
    lines = err.splitlines()
    assert "groups.csv, row 2, Category: 'sprots' is not a category; did you mean sports?" in lines
    assert "groups.csv, row 7, Stage: 'bogus' is not a stage" in lines
    allowed = [line for line in lines if line.startswith("category takes:")]
    assert len(allowed) == 1 and "food bank" in allowed[0] and "sports" in allowed[0]
    assert [line for line in lines if line.startswith("stage takes:")] == [
        "stage takes: researched, shortlisted, contacted, in conversation, meeting, allied, paused, declined"
    ]
    # what the app shows in its 70-column dialog: each values line wraps to a few lines, never once per row
    assert len(allowed[0]) < 5 * 66
    code, _, err = run(capsys, "--repo", str(repo.root), "import", "groups", str(path), "--skip-bad")
    assert code == 1 and "skipped 6 row(s) with errors" in err and commit_count(repo.root) == before  # none was good


def test_reimporting_never_duplicates_and_updates_only_with_update(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(full_repo.root)
    first = sheet(
        tmp_path / "groups.csv",
        "name,category,website,area\n"
        "Riverton Food Bank,food bank,https://riverton-fb.org,Mill Lane\n"
        "Mill Lane Residents,residents association,,\n",
    )
    assert run(capsys, "--repo", root, "import", "groups", str(first))[0] == 0
    before = commit_count(full_repo.root)

    # the same sheet again: nothing made, no commit
    code, out, _ = run(capsys, "--repo", root, "import", "groups", str(first))
    assert code == 0 and out.strip() == "groups.csv: nothing changed, 2 already present"
    assert commit_count(full_repo.root) == before

    # typed differently: found by website (the name changed), by name (any case, "the", punctuation),
    # by id; one row is new
    second = sheet(
        tmp_path / "groups-2.csv",
        "id,name,category,website,area\n"
        ",Riverton Community Food Bank,food_bank,http://www.riverton-fb.org/,Mill Lane\n"
        ",THE MILL LANE RESIDENTS,Residents association,,Town centre\n"
        "st-marys,St Mary's Church,faith,,\n"
        ",Northfield Allotments,gardening,,\n",
    )
    code, out, _ = run(capsys, "--repo", root, "import", "groups", str(second), "--dry-run")
    assert code == 0 and commit_count(full_repo.root) == before
    assert out.splitlines() == [
        "groups-2.csv, row 2: already present groups/riverton-food-bank, matched by website; "
        "differs in name (--update to change)",
        "groups-2.csv, row 3: already present groups/mill-lane-residents, matched by name; "
        "differs in area (--update to change)",
        "groups-2.csv, row 4: already present groups/st-marys, matched by id",
        "groups-2.csv, row 5: new groups/northfield-allotments",
        "groups-2.csv: 1 new, 3 already present; dry run, nothing written",
    ]

    code, out, _ = run(capsys, "--repo", root, "import", "groups", str(second))
    assert code == 0 and out.startswith("groups-2.csv: 1 new, 0 updated, 3 already present (2 differ")
    assert commit_count(full_repo.root) == before + 1
    assert git(full_repo.root, "log", "-1", "--format=%s").strip() == "groups: import 1 (1 new, 0 updated)"
    assert full_repo.read(Kind.GROUPS, "mill-lane-residents").model_dump()["area"] == ""

    code, out, _ = run(capsys, "--repo", root, "import", "groups", str(second), "--update", "--dry-run")
    assert out.splitlines()[:2] == [
        "groups-2.csv, row 2: update groups/riverton-food-bank, matched by website (name)",
        "groups-2.csv, row 3: update groups/mill-lane-residents, matched by name (area)",
    ]
    code, out, _ = run(capsys, "--repo", root, "import", "groups", str(second), "--update")
    assert code == 0 and out.startswith("groups-2.csv: 0 new, 2 updated, 2 already present [")
    assert git(full_repo.root, "log", "-1", "--format=%s").strip() == "groups: import 2 (0 new, 2 updated)"
    mill = full_repo.read(Kind.GROUPS, "mill-lane-residents")
    assert isinstance(mill, Group) and (mill.name, mill.area) == ("Mill Lane Residents", "Town centre")
    food = full_repo.read(Kind.GROUPS, "riverton-food-bank")
    assert isinstance(food, Group) and (food.name, food.website) == (
        "Riverton Community Food Bank",
        "https://riverton-fb.org",
    )
    assert len(list((full_repo.root / "groups").glob("*.toml"))) == 4  # st-marys and the three imported

    after = commit_count(full_repo.root)
    code, out, _ = run(capsys, "--repo", root, "import", "groups", str(second), "--update")
    assert code == 0 and out.strip() == "groups-2.csv: nothing changed, 4 already present"
    assert commit_count(full_repo.root) == after


def test_the_same_record_twice_in_a_file_or_a_name_two_records_share_is_an_error(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full_repo.save(Group(id="choir", name="Town Choir", category="other"))
    full_repo.save(Group(id="choir-2", name="The Town Choir", category="other"))
    path = sheet(
        tmp_path / "groups.csv",
        "name,category\nNew Hall,other\nnew hall,other\nTown Choir,other\n",
    )
    code, out, _ = run(capsys, "--repo", str(full_repo.root), "import", "groups", str(path), "--dry-run")
    assert code == 1
    assert out.splitlines()[1:3] == [
        "groups.csv, row 3, name: the same group as row 2; if they differ, fill in an id for each",
        "groups.csv, row 4, name: 2 groups have this name (choir, choir-2); fill in the id",
    ]


def test_an_excel_export_opens_with_accents_and_imports_back_unchanged(
    sample_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(sample_repo.root)
    before = commit_count(sample_repo.root)
    for kind in KINDS:
        out = tmp_path / f"{kind}.csv"
        code, _, err = run(capsys, "--repo", root, "export", kind, "--excel", "--include-contact", "-o", str(out))
        assert code == 0, err
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfid,")  # UTF-8 with a byte-order mark: Excel reads accents right
        assert data.endswith(b"\r\n") and b"\n" not in data.split(b"\r\n", 1)[0]  # lines end in CRLF
        code, out_text, err = run(capsys, "--repo", root, "import", kind, str(out), "--update", "--dry-run")
        assert code == 0, err
        statuses = {line.split(": ", 1)[1].split(" ")[0] for line in out_text.splitlines()[:-1]}
        assert statuses <= {"already"}, out_text
        code, out_text, err = run(capsys, "--repo", root, "import", kind, str(out), "--update")
        assert code == 0 and "nothing changed" in out_text, (out_text, err)
    assert commit_count(sample_repo.root) == before
    assert "é" in (tmp_path / "groups.csv").read_text(encoding="utf-8-sig")


def test_an_excel_export_to_standard_output(full_repo: DataRepo, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["--repo", str(full_repo.root), "export", "groups", "--excel"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbfid,name,") and b"St Mary's Church" in out and b"\r\n" in out


def test_sealed_contact_details_export_and_import_back_unchanged_with_the_key_or_without(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_key(tmp_path / "keys", "ana")
    key.use(monkeypatch)
    seal_team(repo, ("ana", key))
    assert "BEGIN AGE ENCRYPTED FILE" in (repo.root / "people/cy.toml").read_text()
    root, out = str(repo.root), tmp_path / "people.csv"
    before = commit_count(repo.root)
    assert run(capsys, "--repo", root, "export", "people", "--excel", "--include-contact", "-o", str(out))[0] == 0
    assert EMAIL in out.read_text(encoding="utf-8-sig")
    code, text, err = run(capsys, "--repo", root, "import", "people", str(out), "--update")
    assert code == 0 and "nothing changed, 2 already present" in text, err
    assert commit_count(repo.root) == before

    no_key(monkeypatch, tmp_path)  # a member without the key exports "sealed" where the values are
    assert run(capsys, "--repo", root, "export", "people", "--include-contact", "-o", str(out))[0] == 0
    assert EMAIL not in out.read_text() and SEALED_NOTE in out.read_text()
    code, text, err = run(capsys, "--repo", root, "import", "people", str(out), "--update")
    assert code == 0 and "nothing changed, 2 already present" in text, err
    assert commit_count(repo.root) == before


def test_an_excel_export_never_hands_excel_a_formula_and_still_imports_back(
    full_repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full_repo.save(
        Group(
            id="trap",
            name='=HYPERLINK("https://evil.example","click")',
            category="other",
            next_action="+44 7700 900123 after six",
            alignment=-1,
            notes="@everyone\n=1+1",
        )
    )
    root, out = str(full_repo.root), tmp_path / "groups.csv"
    before = commit_count(full_repo.root)
    assert run(capsys, "--repo", root, "export", "groups", "--excel", "-o", str(out))[0] == 0
    rows = {row["id"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig", newline=""))}
    trap = rows["trap"]
    assert trap["name"] == '\'=HYPERLINK("https://evil.example","click")'
    assert trap["next_action"] == "'+44 7700 900123 after six" and trap["notes"] == "'@everyone\n=1+1"
    assert trap["alignment"] == "-1"  # a number stays a number
    code, text, err = run(capsys, "--repo", root, "import", "groups", str(out), "--update")
    assert code == 0 and "nothing changed" in text, err
    assert commit_count(full_repo.root) == before
