"""`allytui shortlist` and `allytui gaps` on a copy of the sample data and on hand-made repos."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from allytui.cli.arguments.thinking import add_gaps_parser, add_shortlist_parser
from allytui.cli.planning import cmd_gaps, cmd_shortlist
from allytui.model.records import Group, Person, Team
from allytui.store.repo import DataRepo


@pytest.fixture
def sample(sample_repo: DataRepo) -> DataRepo:
    return sample_repo


def parse(*argv: str) -> argparse.Namespace:
    """The arguments as the real command line would give them, through the add_*_parser functions."""
    parser = argparse.ArgumentParser(prog="allytui")
    commands = parser.add_subparsers(dest="command")
    add_shortlist_parser(commands)
    add_gaps_parser(commands)
    return parser.parse_args(argv)


def table_rows(out: str) -> list[list[str]]:
    """The rows of a printed table, split on runs of two or more spaces, before the first blank line."""
    lines = out.split("\n\n")[0].splitlines()
    return [[cell for cell in line.split("  ") if cell.strip()] for line in lines]


def test_shortlist_table_ranks_those_still_to_decide_on(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_shortlist(sample, parse("shortlist")) == 0
    out = capsys.readouterr().out
    rows = table_rows(out)
    assert [cell.strip() for cell in rows[0]] == ["RANK", "SCORE", "GROUP", "STAGE", "REASONS"]
    ranked = [(row[0].strip(), row[2].strip(), row[3].strip()) for row in rows[1:]]
    assert ranked[0] == ("1", "Riverton Town FC", "shortlisted")
    assert {stage for _, _, stage in ranked} == {"researched", "shortlisted"}
    assert ranked[-1][0] == "-" and ranked[-1][1].startswith("National Education Union")
    town_fc = rows[1][4]
    assert "influence 4 (+4.0)" in town_fc and "known: 1 of our members knows it or its people (+1.0)" in town_fc
    assert "alignment 0" not in town_fc  # reasons that add nothing are left out of the table
    assert "national contact: route via the national relationships team" in rows[-1][4]
    assert "Weights: [shortlist] in allytui.toml. 16 group(s) further on: --all shows them." in out


def test_shortlist_all_and_json(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_shortlist(sample, parse("shortlist", "--all", "--json")) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 21  # every group but the declined one
    assert found[0]["rank"] == 1 and found[0]["id"] == "st-marys-church"
    assert found[0]["reasons"][0] == {"label": "similar aims", "points": 2.0}
    assert found[0]["known_by"] == [
        {"member": "gareth-lewis", "name": "Gareth Lewis", "via": ["knows the group", "knows Rev. Helen Carter"]}
    ]
    assert [item["rank"] for item in found] == [*range(1, 21), None]
    assert found[-1]["national_contact"] is True
    assert all(item["score"] == round(sum(r["points"] for r in item["reasons"]), 2) for item in found[:-1])


def test_shortlist_weights_come_from_allytui_toml(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    settings = sample.root / "allytui.toml"
    settings.write_text(settings.read_text().replace("alignment = 1.5", "alignment = 10.0"))
    cmd_shortlist(sample, parse("shortlist", "--json"))
    found = json.loads(capsys.readouterr().out)
    assert found[0]["id"] == "riverton-quaker-meeting"  # alignment +2 now outweighs the football club's reach


def test_shortlist_with_nothing_to_rank(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_shortlist(repo, parse("shortlist")) == 0
    assert capsys.readouterr().out.startswith("No groups to rank.\n")
    repo.save(Group(id="allies", name="Allies", category="faith", stage="allied"), create=True)
    cmd_shortlist(repo, parse("shortlist"))
    out = capsys.readouterr().out
    assert "No group is researched or shortlisted; --all ranks the rest." in out
    cmd_shortlist(repo, parse("shortlist", "--all"))
    assert table_rows(capsys.readouterr().out)[1][2].strip() == "Allies"


def test_shortlist_shows_names_literally(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.save(Team(id="us", name="Us"), create=True)
    repo.save(Group(id="odd", name="[bold]Odd[/] club", category="faith"), create=True)
    repo.save(Person(id="ana", name="[@click=app.quit]Ana", member_of="us", groups=["odd"]), create=True)
    cmd_shortlist(repo, parse("shortlist"))
    assert "[bold]Odd[/] club" in capsys.readouterr().out
    cmd_shortlist(repo, parse("shortlist", "--json"))
    assert json.loads(capsys.readouterr().out)[0]["known_by"][0]["name"] == "[@click=app.quit]Ana"


def test_gaps_table(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_gaps(sample, parse("gaps")) == 0
    rows = table_rows(capsys.readouterr().out)
    assert [cell.strip() for cell in rows[0]] == [
        "CATEGORY",
        "GROUPS",
        "PAST RESEARCHED",
        "IN CONVERSATION OR ALLIED",
        "GAP",
    ]
    by_category = {row[0].strip(): [cell.strip() for cell in row[1:]] for row in rows[1:]}
    assert by_category["human rights"] == ["0", "0", "0", "no group yet"]
    assert by_category["sports"] == ["2", "1", "0", "no contact yet"]
    assert by_category["faith"] == ["3", "3", "2"]  # no gap: the cell is empty
    assert "other" not in by_category


def test_gaps_json(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_gaps(sample, parse("gaps", "--json")) == 0
    found = {item["category"]: item for item in json.loads(capsys.readouterr().out)}
    assert found["local_campaign"] == {
        "category": "local_campaign",
        "groups": 3,
        "past_researched": 3,
        "contacted": 2,
        "in_conversation_or_allied": 2,
        "declined": 1,
        "gap": "",
    }
    assert found["reading_group"]["gap"] == "no contact yet"
    assert found["political"]["gap"] == "no group yet"


def test_the_planning_commands_load_no_textual() -> None:
    code = "import sys, allytui.cli.planning; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
