"""The region's exchange with real git: two local groups and a national participant share one bare repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.store.codec import dump, parse
from allytui.store.repo import DataRepo
from allytui.sync import region as region_sync
from allytui.sync.driver import sync
from allytui.sync.region import (
    RegionError,
    exchange_dir,
    join,
    leave,
    publish,
    pull,
    read_local,
    region_matches,
)
from allytui.sync.remote import RemoteUnreachable
from tests.helpers import git
from tests.sync.conftest import Shared
from tests.sync.region_kit import SECRETS, Region, exchange_history, make_region


@pytest.fixture
def region(tmp_path: Path) -> Region:
    return make_region(tmp_path)


def everyone_joins(region: Region) -> None:
    join(region.north, str(region.exchange))
    join(region.south, str(region.exchange))
    join(region.national, str(region.exchange), kind="national")


def test_join_keeps_the_clone_inside_git_and_the_settings_in_allytui_toml(region: Region) -> None:
    join(region.north, str(region.exchange))
    settings = parse((region.north.root / "allytui.toml").read_bytes())["region"]
    assert settings["url"] == str(region.exchange)
    assert settings["publish"] == ["name", "category", "area", "website", "stage", "last_contact_month"]
    assert (exchange_dir(region.north) / "HEAD").is_file()
    assert exchange_dir(region.north).is_relative_to(region.north.root / ".git")
    assert git(region.north.root, "status", "--porcelain") == ""
    leave(region.north)
    assert "region" not in parse((region.north.root / "allytui.toml").read_bytes())
    assert not exchange_dir(region.north).exists()


def test_join_an_unreachable_exchange_says_so_and_changes_nothing(region: Region) -> None:
    before = git(region.north.root, "rev-parse", "HEAD")
    with pytest.raises(RemoteUnreachable, match="cannot be reached"):
        join(region.north, str(region.tmp / "nowhere.git"))
    assert git(region.north.root, "rev-parse", "HEAD") == before
    assert not exchange_dir(region.north).exists()


def test_three_participants_publish_and_read_each_other(region: Region) -> None:
    everyone_joins(region)
    first = publish(region.north)
    assert first.pushed and first.changed
    publish(region.south)
    national = publish(region.national)
    assert sorted(national.files) == [
        "participants/national/groups/trades-council.toml",
        "participants/national/participant.toml",
    ]
    again = publish(region.north)
    assert not again.changed and not again.pushed  # nothing new of ours: no commit
    exchange = pull(region.north)
    assert sorted(exchange.views) == ["national", "southside"]
    assert exchange.problems == []
    assert sorted(exchange.views["southside"].groups) == ["mosque", "rfb", "trades"]
    tree = git(region.exchange, "ls-tree", "-r", "--name-only", "main")
    assert "participants/northfield/groups/chess.toml" not in tree  # tagged private
    assert "participants/northfield/groups/food-bank.toml" in tree
    food = parse(git(region.exchange, "show", "main:participants/northfield/groups/food-bank.toml").encode())
    assert food == {
        "name": "Riverton Food Bank",
        "category": "food_bank",
        "area": "Riverton",
        "website": "https://www.rfb.org.uk/",
        "stage": "meeting",
        "last_contact_month": "2026-10",
    }
    matches = region_matches(*reversed(read_local(region.south)))
    assert [(m.participant, m.theirs) for m in matches["rfb"]] == [("northfield", "food-bank")]


def test_nothing_beyond_the_allow_list_ever_reaches_the_exchange(region: Region) -> None:
    everyone_joins(region)
    for repo in (region.north, region.south, region.national):
        publish(repo)
    region.north.save(region.north.read(Kind.GROUPS, "food-bank").model_copy(update={"stage": Stage.ALLIED}))
    publish(region.north)
    history = exchange_history(region.exchange)
    assert "Riverton Food Bank" in history  # the search can find what is there
    for secret in SECRETS:
        assert secret not in history
    for field in ("influence", "alignment", "notes", "red_lines", "contact", "lead", "tags"):
        assert f"\n+{field} =" not in history


def test_dry_run_shows_exactly_what_is_shared_and_writes_nothing(region: Region) -> None:
    join(region.north, str(region.exchange))
    dry = publish(region.north, dry_run=True)
    assert git(region.exchange, "rev-list", "--all") == ""
    publish(region.north)
    for path, data in dry.files.items():
        assert git(region.exchange, "show", f"main:{path}").encode() == data


def test_the_lead_first_name_only_when_the_allow_list_names_it(region: Region) -> None:
    join(region.north, str(region.exchange))
    toml = region.north.root / "allytui.toml"
    settings = parse(toml.read_bytes())
    settings["region"]["publish"].append("lead_first_name")
    toml.write_text(dump(settings))
    git(region.north.root, "commit", "-qam", "share leads")
    publish(region.north)
    food = parse(git(region.exchange, "show", "main:participants/northfield/groups/food-bank.toml").encode())
    assert food["lead_first_name"] == "Samantha"
    assert "Okafor" not in exchange_history(region.exchange)


def test_a_national_match_sets_national_contact(region: Region) -> None:
    everyone_joins(region)
    publish(region.national)
    done = publish(region.south)
    assert done.national == ["trades"]
    trades = region.south.read(Kind.GROUPS, "trades")
    assert isinstance(trades, Group) and trades.national_contact
    mosque = region.south.read(Kind.GROUPS, "mosque")
    assert isinstance(mosque, Group) and not mosque.national_contact


def clone_exchange(region: Region, name: str) -> Path:
    work = region.tmp / name
    git(region.tmp, "clone", "-q", str(region.exchange), str(work))
    git(work, "config", "user.name", "Mallory")
    git(work, "config", "user.email", "mallory@example.org")
    return work


def test_a_commit_changing_two_participants_folders_is_refused(region: Region) -> None:
    everyone_joins(region)
    publish(region.north)
    publish(region.south)
    publish(region.national)
    work = clone_exchange(region, "mallory")
    food = work / "participants/northfield/groups/food-bank.toml"
    food.write_text(food.read_text().replace('stage = "meeting"', 'stage = "declined"'))
    (work / "participants/southside/groups/mosque.toml").unlink()
    git(work, "commit", "-qam", "tidy")
    git(work, "push", "-q", "origin", "HEAD:main")
    exchange = pull(region.national)
    assert [str(p) for p in exchange.problems] == [
        f"participants/{pid}: -: commit {git(work, 'rev-parse', 'HEAD')[:10]} changes the folders of "
        "northfield, southside: not applied"
        for pid in ("northfield", "southside")
    ]
    assert exchange.views["northfield"].groups["food-bank"].stage == "meeting"
    assert "mosque" in exchange.views["southside"].groups
    # southside publishes again (its own folder only): its folder is taken in again, northfield's still held
    publish(region.south)
    exchange = pull(region.national)
    assert [p.path for p in exchange.problems] == ["participants/northfield"]
    assert "mosque" in exchange.views["southside"].groups
    # our own publish put our folder right: the exchange holds our view again
    publish(region.north)
    assert 'stage = "meeting"' in git(region.exchange, "show", "main:participants/northfield/groups/food-bank.toml")
    assert pull(region.national).problems == []


def test_invalid_participant_files_are_problems_not_failures(region: Region) -> None:
    everyone_joins(region)
    publish(region.north)
    publish(region.south)
    work = clone_exchange(region, "broken")
    (work / "participants/southside/groups/mosque.toml").write_text('name = "Mosque"\nstage = "friends"\n')
    (work / "participants/southside/groups/bad.toml").write_text("not toml [")
    (work / "participants/southside/groups/x.toml").write_text('name = "X"\nphone = "0123"\n')
    git(work, "add", "-A")
    git(work, "commit", "-qm", "southside: broken")
    git(work, "push", "-q", "origin", "HEAD:main")
    stray = clone_exchange(region, "stray")
    (stray / "participants/nameless/groups").mkdir(parents=True)
    (stray / "participants/nameless/groups/a.toml").write_text('name = "A"\n')
    git(stray, "add", "-A")
    git(stray, "commit", "-qm", "nameless")
    git(stray, "pull", "-q", "--no-rebase", "origin", "main")
    git(stray, "push", "-q", "origin", "HEAD:main")
    exchange = publish(region.north).exchange
    assert exchange is not None
    paths = sorted({p.path for p in exchange.problems})
    assert paths == [
        "participants/nameless/participant.toml",
        "participants/southside/groups/bad.toml",
        "participants/southside/groups/mosque.toml",
        "participants/southside/groups/x.toml",
    ]
    assert sorted(exchange.views["southside"].groups) == ["rfb", "trades"]


def exchange_folders(region: Region) -> set[str]:
    names = git(region.exchange, "ls-tree", "-r", "--name-only", "main").splitlines()
    return {name.split("/")[1] for name in names if name.startswith("participants/")}


def test_leaving_takes_our_folder_out_of_the_exchange_and_leaves_the_others(region: Region) -> None:
    everyone_joins(region)
    for repo in (region.north, region.south):
        publish(repo)
    assert exchange_folders(region) == {"northfield", "southside"}
    assert "northfield" in pull(region.south).views
    assert leave(region.north) is True
    assert exchange_folders(region) == {"southside"}
    assert "left the region" in git(region.exchange, "log", "-1", "--format=%s", "main")
    assert "region" not in parse((region.north.root / "allytui.toml").read_bytes())
    assert "northfield" not in pull(region.south).views


def test_leaving_keeping_what_was_published_needs_no_exchange(region: Region) -> None:
    join(region.north, str(region.exchange))
    publish(region.north)
    shutil.move(region.exchange, region.tmp / "away.git")
    assert leave(region.north, withdraw=False) is False
    assert "region" not in parse((region.north.root / "allytui.toml").read_bytes())
    shutil.move(region.tmp / "away.git", region.exchange)
    assert exchange_folders(region) == {"northfield"}


def test_leaving_when_the_exchange_cannot_be_reached_changes_nothing(region: Region) -> None:
    join(region.north, str(region.exchange))
    publish(region.north)
    before = git(region.north.root, "rev-parse", "HEAD")
    shutil.move(region.exchange, region.tmp / "away.git")
    with pytest.raises(RemoteUnreachable):
        leave(region.north)
    assert git(region.north.root, "rev-parse", "HEAD") == before
    assert exchange_dir(region.north).exists()


def test_leaving_needs_joining_first(region: Region) -> None:
    with pytest.raises(RegionError, match="takes part in no region"):
        leave(region.north)


def test_an_exchange_that_vanished_is_unreachable(region: Region) -> None:
    join(region.north, str(region.exchange))
    shutil.rmtree(region.exchange)
    with pytest.raises(RemoteUnreachable):
        publish(region.north)


def test_a_repo_with_no_team_must_name_its_folder(tmp_path: Path) -> None:
    repo = DataRepo.init(tmp_path / "plain", name="Plain")
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "ex.git")
    with pytest.raises(RegionError, match="--as ID"):
        join(repo, str(tmp_path / "ex.git"))
    join(repo, str(tmp_path / "ex.git"), participant="plain-group")
    assert publish(repo).participant == "plain-group"


def test_a_wrong_allow_list_shares_nothing(region: Region) -> None:
    join(region.north, str(region.exchange))
    toml = region.north.root / "allytui.toml"
    settings = parse(toml.read_bytes())
    settings["region"]["publish"].append("notes")
    toml.write_text(dump(settings))
    with pytest.raises(RegionError, match=r"\[region\] has a problem.*region.publish\[6\]: 'notes' cannot be shared"):
        publish(region.north)
    assert git(region.exchange, "rev-list", "--all") == ""


def test_a_huge_exchange_is_read_within_limits_and_says_what_it_left_out(
    region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    everyone_joins(region)
    publish(region.south)
    work = clone_exchange(region, "huge")
    (work / "participants/southside/groups/big.toml").write_text('name = "Big"\narea = "' + "x" * 70_000 + '"\n')
    git(work, "add", "-A")
    git(work, "commit", "-qm", "southside: a huge file")
    git(work, "push", "-q", "origin", "HEAD:main")
    monkeypatch.setattr(region_sync, "MAX_GROUPS", 2)  # the limit is 20,000 groups a participant: try it small
    exchange = pull(region.north)
    assert [str(p) for p in exchange.problems] == [
        "participants/southside/groups/big.toml: -: larger than 64 KB: not read",
        "participants/southside: -: more than 2 groups: the rest are not read",
    ]
    assert len(exchange.views["southside"].groups) == 2


def test_a_participant_writing_into_anothers_folder_is_refused(region: Region) -> None:
    everyone_joins(region)
    publish(region.north)
    publish(region.south)
    assert pull(region.national).views["northfield"].groups["food-bank"].stage == "meeting"
    work = clone_exchange(region, "southside-by-hand")
    git(work, "config", "user.name", "Southside Alliance")
    git(work, "config", "user.email", "southside@exchange.invalid")
    food = work / "participants/northfield/groups/food-bank.toml"
    food.write_text(food.read_text().replace('stage = "meeting"', 'stage = "declined"'))
    git(work, "commit", "-qam", "Southside Alliance: 3 group(s)")
    git(work, "push", "-q", "origin", "HEAD:main")
    exchange = pull(region.national)
    sha = git(work, "rev-parse", "HEAD")[:10]
    assert [str(p) for p in exchange.problems] == [
        f"participants/northfield: -: commit {sha} by participant southside changes northfield's folder: not applied"
    ]
    assert exchange.views["northfield"].groups["food-bank"].stage == "meeting"
    publish(region.south)  # southside's own commits are still taken in
    assert [p.path for p in pull(region.national).problems] == ["participants/northfield"]


def test_someone_pushing_first_is_retried_and_nothing_of_theirs_is_lost(region: Region) -> None:
    everyone_joins(region)
    publish(region.north)
    steps: list[str] = []

    def meanwhile(step: str) -> None:
        steps.append(step)
        if step == "pushing to the exchange" and steps.count(step) == 1:
            publish(region.national)  # between our fetch and our push

    done = publish(region.south, progress=meanwhile)
    assert done.pushed
    assert steps == [
        "fetching the exchange",
        "pushing to the exchange",
        "someone pushed first: fetching the exchange again",
        "pushing to the exchange",
    ]
    tree = git(region.exchange, "ls-tree", "-r", "--name-only", "main")
    for folder in ("northfield", "southside", "national"):
        assert f"participants/{folder}/participant.toml" in tree
    assert git(region.exchange, "rev-list", "--count", "main").strip() == "3"


def test_joining_merges_with_a_settings_change_another_member_made(shared: Shared, tmp_path: Path) -> None:
    exchange = tmp_path / "exchange.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(exchange))
    join(shared.ana, str(exchange), participant="riverton")
    toml = shared.ben.root / "allytui.toml"
    toml.write_text(toml.read_text().replace("going_cold_days = 60", "going_cold_days = 30"))
    git(shared.ben.root, "commit", "-qam", "go cold sooner")
    sync(shared.ben)
    sync(shared.ana)
    sync(shared.ben)
    for repo in (shared.ana, shared.ben):
        settings = repo.load().settings
        assert settings.going_cold_days == 30 and settings.region.url == str(exchange)
        assert settings.region.participant == "riverton"
