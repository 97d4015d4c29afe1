"""`allytui paths TARGET`: lines by default, JSON with --json, advice when there is no path, exit codes."""

from __future__ import annotations

import argparse
import json

import pytest

from allytui.cli.arguments.thinking import add_paths_parser
from allytui.cli.pathways import cmd_paths
from allytui.model.pathways import NATIONAL_WARNING
from allytui.model.records import Group
from allytui.store.repo import DataRepo


@pytest.fixture
def sample(sample_repo: DataRepo) -> DataRepo:
    return sample_repo


def paths(repo: DataRepo, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Parse argv as the CLI would (with the real subparser), run cmd_paths, capture its output."""
    parser = argparse.ArgumentParser(prog="allytui")
    add_paths_parser(parser.add_subparsers(dest="command"))
    code = cmd_paths(repo, parser.parse_args(["paths", *argv]))
    out, err = capsys.readouterr()
    return code, out, err


def test_paths_to_a_group_best_first(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = paths(sample, capsys, "st-marys-church")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Pathways to St Mary's Parish Church (groups/st-marys-church)"
    assert lines[1] == "5 paths from our members to St Mary's Parish Church, best first:"
    assert (
        lines[2] == " 1. Gareth Lewis —knows (Member of the congregation for 20 years, close)→ St Mary's Parish Church"
    )
    assert lines[3] == "    1 hop, cost 2"
    assert lines[4].startswith(" 2. Maya Okafor —knows")
    assert "—member (Vicar)→ St Mary's Parish Church" in lines[4]


def test_paths_as_json_with_a_limit(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = paths(sample, capsys, "groups/riverton-renters-union", "--json", "--limit", "2")
    assert code == 0
    data = json.loads(out)
    assert data["target"] == {"kind": "groups", "id": "riverton-renters-union", "name": "Riverton Renters Union"}
    assert data["warning"] is None and data["advice"] == []
    assert [p["from"]["id"] for p in data["paths"]] == ["ellen-brooks", "maya-okafor"]
    first = data["paths"][0]
    assert (first["hops"], first["cost"]) == (2, 5)
    assert [s["link"] for s in first["steps"]] == ["knows", "member"]
    assert first["steps"][0]["to"]["id"] == "lucy-fernandes" and first["steps"][0]["strength"] == 3


def test_no_path_says_so_and_suggests_step_5(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = paths(sample, capsys, "arle-valley-motor-club")
    assert code == 0
    assert "No path from our members to Arle Valley Motor Club yet" in out
    assert "Other ways to reach out (the guide's step 5):" in out
    assert "social media" in out and "one-to-one with their leaders" in out
    code, out, _ = paths(sample, capsys, "arle-valley-motor-club", "--json")
    data = json.loads(out)
    assert data["paths"] == [] and len(data["advice"]) > 3


def test_national_contact_and_people(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = paths(sample, capsys, "neu-western-region")
    assert code == 0 and out.splitlines()[1] == f"⚠ {NATIONAL_WARNING}"
    code, out, _ = paths(sample, capsys, "people/maya-okafor")
    assert code == 0 and out.splitlines()[1:] == ["Maya Okafor is one of our members."]
    code, out, _ = paths(sample, capsys, "karen-osei")  # a bare id: not a group, so a person
    assert (
        code == 0
        and " 1. Tom Hargreaves —knows (Taught together at Castle Street for ten years, close)→ Karen Osei" in out
    )


def test_an_unknown_target_is_one_clear_line(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    for target in ("nope", "groups/maya-okafor", "activities/mending-workshops", "people/"):
        code, out, err = paths(sample, capsys, target)
        assert (code, out) == (1, "")
        assert err.splitlines() == [
            f"allytui: error: no group or person {target!r} (give groups/ID, people/ID or an ID)"
        ]


def test_record_text_is_shown_literally(sample: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    sample.save(Group(id="odd", name="Odd [bold]x[/]", category="other"))
    (sample.root / "people" / "maya-okafor.toml").write_text(
        'name = "Maya \\u001b[2J"\nmember_of = "riverton-climate-action"\ngroups = ["odd"]\n'
    )  # a control character: the loader rejects the file, and says so
    (sample.root / "people" / "sam-whitfield.toml").write_text(
        'name = "Sam [red]W[/]"\nmember_of = "riverton-climate-action"\ngroups = ["odd"]\n'
    )
    code, out, _ = paths(sample, capsys, "odd")
    assert code == 0
    assert "\x1b" not in out
    assert " 1. Sam [red]W[/] —member→ Odd [bold]x[/]" in out
    assert out.splitlines()[-1].endswith("problem(s) in the repo: run allytui check)")  # Maya's file, and references
    code, out, _ = paths(sample, capsys, "odd", "--json")
    assert json.loads(out)["paths"][0]["from"]["name"] == "Sam [red]W[/]"  # nothing but JSON on stdout
