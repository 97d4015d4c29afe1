"""Team membership is one fact: a person's member_of, with the team's members list following it on every save."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.model.membership import HoldsKey, follow_person, follow_team, mismatches
from allytui.model.records import Kind, Person, Team
from allytui.store.errors import InvalidRecord
from allytui.store.repo import DataRepo

TEAM = Team(id="us", name="Us", members=["ana"])


def team_of(repo: DataRepo, team_id: str) -> Team:
    team = repo.read(Kind.TEAMS, team_id)
    assert isinstance(team, Team)
    return team


def person_of(repo: DataRepo, person_id: str) -> Person:
    person = repo.read(Kind.PEOPLE, person_id)
    assert isinstance(person, Person)
    return person


def test_a_person_joining_or_leaving_moves_the_teams_list_with_them() -> None:
    other = Team(id="them", name="Them", members=["ben"])
    teams = {"us": TEAM, "them": other}
    ben = Person(id="ben", name="Ben", member_of="them")
    moved = follow_person(ben, ben.model_copy(update={"member_of": "us"}), teams)
    assert [(t.id, t.members) for t in moved] == [("them", []), ("us", ["ana", "ben"])]
    assert follow_person(None, Person(id="cy", name="Cy", member_of="us"), teams)[0].members == ["ana", "cy"]
    ana = Person(id="ana", name="Ana", member_of="us")
    assert follow_person(ana, ana.model_copy(update={"role": "chair"}), teams) == []


def test_the_teams_list_edited_moves_member_of_for_those_added_and_taken_off() -> None:
    people = {
        "ana": Person(id="ana", name="Ana", member_of="us"),
        "ben": Person(id="ben", name="Ben"),
        "cy": Person(id="cy", name="Cy", member_of="them"),  # one team per person: stays where they are
    }
    changed = follow_team(TEAM.model_copy(update={"members": ["ben", "cy"]}), people)
    assert sorted((p.id, p.member_of) for p in changed) == [("ana", None), ("ben", "us")]


def test_a_member_holding_a_key_is_not_taken_off_by_editing_the_list() -> None:
    people = {"ana": Person(id="ana", name="Ana", member_of="us", recipient="age1" + "q" * 58)}
    with pytest.raises(HoldsKey, match="keys remove ana"):
        follow_team(TEAM.model_copy(update={"members": []}), people)


def test_check_names_each_side_that_disagrees() -> None:
    people = {"ana": Person(id="ana", name="Ana"), "ben": Person(id="ben", name="Ben", member_of="us")}
    found = mismatches([TEAM], people)
    assert [(path, field) for path, field, _ in found] == [
        ("people/ana.toml", "member_of"),
        ("teams/us.toml", "members"),
    ]
    assert "allytui set people/ana member_of=us" in found[0][2]


def test_saving_either_side_commits_both_in_one_commit(tmp_path: Path) -> None:
    repo = DataRepo.init(tmp_path / "data", name="Us")
    team_id = "us"
    repo.save(Team(id=team_id, name="Us"), create=True)
    commits = int(repo.git_repo.git.rev_list("--count", "HEAD"))
    repo.save(Person(id="ana", name="Ana", member_of=team_id), create=True)
    assert team_of(repo, team_id).members == ["ana"]
    assert int(repo.git_repo.git.rev_list("--count", "HEAD")) == commits + 1
    assert repo.git_repo.git.show("--name-only", "--format=").split() == ["people/ana.toml", f"teams/{team_id}.toml"]
    assert repo.git_repo.head.commit.message.strip() == "person ana: created; team us: members"

    repo.save(Person(id="ben", name="Ben"), create=True)
    team = team_of(repo, team_id)
    repo.save(team.model_copy(update={"members": ["ben"]}))
    assert person_of(repo, "ben").member_of == team_id
    assert person_of(repo, "ana").member_of is None
    assert repo.load().problems == []
    assert repo.git_repo.git.status("--porcelain") == ""


def test_a_refused_membership_change_writes_nothing(tmp_path: Path) -> None:
    repo = DataRepo.init(tmp_path / "data", name="Us")
    team_id = "us"
    repo.save(Team(id=team_id, name="Us"), create=True)
    repo.save(Person(id="ana", name="Ana", member_of=team_id, recipient="age1" + "q" * 58), create=True)
    head = repo.git_repo.head.commit.hexsha
    team = team_of(repo, team_id)
    with pytest.raises(InvalidRecord, match="keys remove ana"):
        repo.save(team.model_copy(update={"members": []}))
    assert repo.git_repo.head.commit.hexsha == head and repo.git_repo.git.status("--porcelain") == ""
