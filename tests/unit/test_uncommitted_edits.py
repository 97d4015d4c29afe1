"""A change that writes several records never commits someone's uncommitted hand edit under its own message:
a merge of duplicates, an import and a membership change each refuse, naming the file, and change nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from allytui.model.enums import Category
from allytui.model.records import Group, Kind, Person, Team
from allytui.store.errors import UncommittedEdits
from allytui.store.importing import apply_import, plan_import
from allytui.store.repo import DataRepo
from allytui.sync.combine import combine
from tests.helpers import git

HAND_EDIT = '\nrole = "treasurer (typed by hand, not yet committed)"\n'


@pytest.fixture
def team(repo: DataRepo) -> DataRepo:
    repo.save(Team(id="us", name="Us"), create=True)
    repo.save(Group(id="food-bank", name="Food Bank", category=Category.FOOD_BANK), create=True)
    repo.save(Group(id="the-food-bank", name="The Food Bank", category=Category.FOOD_BANK), create=True)
    repo.save(Person(id="ana", name="Ana", groups=["the-food-bank"]), create=True)
    return repo


def hand_edit(repo: DataRepo, rel: str) -> tuple[bytes, str]:
    path = repo.root / rel
    path.write_text(path.read_text() + HAND_EDIT)
    return path.read_bytes(), git(repo.root, "rev-parse", "HEAD")


def unchanged(repo: DataRepo, rel: str, edited: bytes, head: str) -> bool:
    return (repo.root / rel).read_bytes() == edited and git(repo.root, "rev-parse", "HEAD") == head


def test_merging_duplicates_refuses_while_a_record_it_would_rewrite_holds_a_hand_edit(team: DataRepo) -> None:
    edited, head = hand_edit(team, "people/ana.toml")
    with pytest.raises(UncommittedEdits, match=re.escape("people/ana.toml: changed but not committed")):
        combine(team, Kind.GROUPS, "food-bank", "the-food-bank")
    assert unchanged(team, "people/ana.toml", edited, head)
    assert (team.root / "groups/the-food-bank.toml").is_file()
    git(team.root, "commit", "-qam", "Ana's role")
    combine(team, Kind.GROUPS, "food-bank", "the-food-bank")
    assert "treasurer" in git(team.root, "show", "HEAD~1:people/ana.toml")  # committed as its own change


def test_an_import_refuses_to_update_a_record_holding_a_hand_edit(team: DataRepo) -> None:
    edited, head = hand_edit(team, "people/ana.toml")
    plan = plan_import(team, Kind.PEOPLE, [{"id": "ana", "name": "Ana", "role": "chair"}], update=True)
    with pytest.raises(UncommittedEdits, match=re.escape("people/ana.toml")):
        apply_import(team, plan)
    assert unchanged(team, "people/ana.toml", edited, head)


def test_a_membership_change_refuses_while_the_team_file_holds_a_hand_edit(team: DataRepo, tmp_path: Path) -> None:
    path = team.root / "teams/us.toml"
    path.write_text(path.read_text() + 'area = "typed by hand"\n')
    edited, head = path.read_bytes(), git(team.root, "rev-parse", "HEAD")
    with pytest.raises(UncommittedEdits, match=re.escape("teams/us.toml")):
        team.save(Person(id="ana", name="Ana", groups=["the-food-bank"], member_of="us"))
    assert unchanged(team, "teams/us.toml", edited, head)
    assert not (team.root / "people/ana.toml").read_text().count("member_of")
