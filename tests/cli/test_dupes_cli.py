"""`allytui dupes` and `allytui merge` on a real data repo: the pairs, and a merge as one commit."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from allytui.model.records import Activity, Conversation, Group, Knows, Partner, Person, Team
from allytui.model.sealed import looks_sealed
from allytui.store.repo import DataRepo
from tests.cli.test_cli import run
from tests.helpers import commit_count, git
from tests.sealing_kit import EMAIL, PHONE, Key, make_key, no_key, seal_team


@pytest.fixture
def twins(repo: DataRepo) -> DataRepo:
    """A repo where a group and a person were each entered twice, and other records refer to both copies."""
    repo.save(Team(id="team", name="Riverton Climate"))
    repo.save(Person(id="ana", name="Ana López", member_of="team", contact={"email": "ana@example.org"}))
    repo.save(Person(id="ana-lopez", name="Anna Lopez", role="organiser", contact={"email": "ANA@example.org"}))
    repo.save(Team(id="team", name="Riverton Climate", members=["ana", "ana-lopez"]))
    repo.save(Group(id="food", name="Riverton Food Bank", category="food_bank", area="North", stage="contacted"))
    repo.save(
        Group(
            id="the-food-bank",
            name="The Riverton Foodbank Ltd",
            category="food_bank",
            area="North",
            stage="meeting",
            influence=4,
            tags=["food"],
            lead="ana-lopez",
        )
    )
    repo.save(Group(id="food-south", name="Riverton Food Bank", category="food_bank", area="South"))
    repo.save(
        Person(
            id="bo",
            name="Bo",
            groups=["food", "the-food-bank"],
            knows=[Knows(person="ana"), Knows(person="ana-lopez", how="choir"), Knows(group="the-food-bank")],
        )
    )
    repo.save(
        Conversation(
            id="2026-11-24-food-k3f9",
            date=dt.date(2026, 11, 24),
            group="the-food-bank",
            their_people=["bo"],
            our_people=["ana-lopez", "ana"],
        )
    )
    repo.save(Activity(id="cafe", title="Climate café", partners=[Partner(group="the-food-bank", role="soup")]))
    return repo


def read(repo: DataRepo, rel: str) -> dict[str, Any]:
    return tomllib.loads((repo.root / rel).read_text(encoding="utf-8"))


def test_dupes_lists_pairs_with_reasons_never_the_contact(twins: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--repo", str(twins.root), "dupes")
    assert code == 0
    # the fuller of the two comes first: the one to keep
    assert "groups/the-food-bank  The Riverton Foodbank Ltd\ngroups/food  Riverton Food Bank\n" in out
    assert "  same name, same area (North)\n  allytui merge groups/the-food-bank groups/food\n" in out
    assert "people/ana-lopez  Anna Lopez\npeople/ana  Ana López\n  same email\n" in out
    assert "food-south" not in out and "example.org" not in out
    assert out.endswith("2 likely duplicate pair(s): 1 groups, 1 people\n")

    code, out, _ = run(capsys, "--repo", str(twins.root), "dupes", "people", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "kind": "people",
            "keep": "ana-lopez",
            "drop": "ana",
            "keep_label": "Anna Lopez",
            "drop_label": "Ana López",
            "reasons": ["same email"],
            "score": 100.0,
        }
    ]


def test_merge_groups_moves_every_reference_in_one_commit(twins: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = twins.root
    before = commit_count(root)
    code, out, err = run(capsys, "--repo", str(root), "merge", "groups/food", "groups/the-food-bank")
    assert code == 0, err
    assert commit_count(root) == before + 1
    message = git(root, "log", "-1", "--format=%s").strip()
    assert message.startswith("group the-food-bank merged into group food (4 reference(s) moved; 2 field(s) differed")
    changed = set(git(root, "show", "--name-status", "--format=", "HEAD").split())
    assert changed >= {"D", "groups/the-food-bank.toml", "groups/food.toml", "people/bo.toml", "activities/cafe.toml"}
    assert not (root / "groups" / "the-food-bank.toml").exists()

    food = read(twins, "groups/food.toml")
    assert food["stage"] == "contacted" and food["influence"] == 4 and food["tags"] == ["food"]
    assert food["lead"] == "ana-lopez"
    assert [(c["field"], c["other"]) for c in food["conflicts"]][:1] == [("name", "The Riverton Foodbank Ltd")]
    assert [c["field"] for c in food["conflicts"]] == ["name", "stage"]
    bo = read(twins, "people/bo.toml")
    assert bo["groups"] == ["food"]  # both copies were listed: now once
    assert bo["knows"][2] == {"group": "food"}
    assert read(twins, "activities/cafe.toml")["partners"][0]["group"] == "food"
    talks = list((root / "conversations").rglob("*.toml"))
    assert tomllib.loads(talks[0].read_text())["group"] == "food"
    code, out, _ = run(capsys, "--repo", str(root), "check")
    assert "does not exist" not in out and "groups/food stage" in out  # the differing stage: a conflict to choose


def test_merge_people_rewrites_knows_members_and_conversations(
    twins: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--repo", str(twins.root), "merge", "people/ana", "people/ana-lopez")
    assert code == 0, err
    assert "people/ana-lopez goes; people/ana keeps both records' fields" in out
    assert read(twins, "teams/team.toml")["members"] == ["ana"]
    assert read(twins, "groups/the-food-bank.toml")["lead"] == "ana"
    bo = read(twins, "people/bo.toml")
    assert bo["knows"] == [{"person": "ana"}, {"group": "the-food-bank"}]
    talk = tomllib.loads(next((twins.root / "conversations").rglob("*.toml")).read_text())
    assert talk["our_people"] == ["ana"]
    ana = read(twins, "people/ana.toml")
    assert ana["role"] == "organiser" and ana["member_of"] == "team"
    assert [c["field"] for c in ana["conflicts"]] == ["name", "contact.email"]
    assert "Ana" not in git(twins.root, "log", "-1", "--format=%B")  # ids only, never a name


def test_merge_refuses_unknown_ids_and_says_what_was_meant(twins: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(twins.root)
    before = commit_count(twins.root)
    code, _, err = run(capsys, "--repo", root, "merge", "groups/food", "groups/the-food-bnk")
    assert code == 1
    assert "groups/the-food-bnk: no such group; did you mean the-food-bank or food?" in err
    code, _, err = run(capsys, "--repo", root, "merge", "groups/food", "people/ana")
    assert code == 1 and "both must be of one kind" in err
    code, _, err = run(capsys, "--repo", root, "merge", "groups/food", "groups/food")
    assert code == 1 and "cannot be merged with itself" in err
    code, out, _ = run(capsys, "--repo", root, "merge", "groups/food", "groups/the-food-bank", "--dry-run")
    assert code == 0 and "dry run" in out
    assert commit_count(twins.root) == before
    assert (twins.root / "groups" / "the-food-bank.toml").exists()


def test_set_new_warns_when_the_name_is_like_an_existing_one(
    twins: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(twins.root)
    code, out, err = run(capsys, "--repo", root, "set", "groups/new", "name=Riverton food-bank", "category=food_bank")
    assert code == 0 and out.startswith("groups/riverton-food-bank: group riverton-food-bank: created")
    assert (
        "warning: groups/riverton-food-bank looks like existing groups/food (Riverton Food Bank): "
        "allytui show groups/food; if it is the same, allytui merge groups/food groups/riverton-food-bank"
    ) in err
    code, out, err = run(capsys, "--repo", root, "set", "people/new", "name=Bo")
    assert code == 0 and "looks like existing people/bo (Bo)" in err
    code, out, err = run(capsys, "--repo", root, "set", "groups/new", "name=Riverton Cycle Club", "category=sports")
    assert code == 0 and err == ""
    code, out, err = run(capsys, "--repo", root, "set", "groups/food", "name=Riverton Food Bank (North)")
    assert code == 0 and err == ""  # an edit, not a new record


@pytest.fixture
def sealed_twins(repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DataRepo, Key]:
    """Cy entered twice, the two sharing an email, both sealed to the member Ana's key."""
    key = make_key(tmp_path / "keys", "ana")
    seal_team(repo, ("ana", key))
    repo.save(Person(id="cy-morgan", name="C. Morgan", contact={"email": EMAIL.upper(), "phone": "01632 960000"}))
    for person_id in ("cy", "cy-morgan"):
        assert looks_sealed(tomllib.loads((repo.root / f"people/{person_id}.toml").read_text())["contact"])
    no_key(monkeypatch, tmp_path)
    return repo, key


def test_sealed_contact_is_compared_only_with_a_key_and_never_shown(
    sealed_twins: tuple[DataRepo, Key], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, key = sealed_twins
    code, out, _ = run(capsys, "--repo", str(repo.root), "dupes", "people")
    assert code == 0 and out == "no likely duplicates among people\n"  # no key: nothing to compare
    key.use(monkeypatch)
    code, out, _ = run(capsys, "--repo", str(repo.root), "dupes", "people")
    assert code == 0 and "  same email\n" in out
    assert EMAIL not in out.lower() and PHONE not in out and "01632" not in out


def test_merging_sealed_contacts_keeps_the_other_sealed(
    sealed_twins: tuple[DataRepo, Key], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = sealed_twins
    code, out, err = run(capsys, "--repo", str(repo.root), "merge", "people/cy", "people/cy-morgan")
    assert code == 0, err
    text = (repo.root / "people" / "cy.toml").read_text()
    assert EMAIL not in text.lower() and PHONE not in text and "01632" not in text  # nothing sealed written plain
    cy = tomllib.loads(text)
    assert [c["field"] for c in cy["conflicts"]] == ["name", "contact"]  # no key: the whole value, sealed
    assert looks_sealed(cy["contact"]) and looks_sealed(cy["conflicts"][1]["other"])
    assert EMAIL not in out.lower() + err.lower() + git(repo.root, "log", "-1", "-p").lower()
