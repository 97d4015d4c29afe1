"""`allytui region` and `allytui sync` with an exchange, from the command line, on real repos."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from allytui.model.records import Group, Kind
from allytui.store.codec import dump, parse
from allytui.store.repo import DataRepo
from tests.cli.test_cli import run
from tests.helpers import git
from tests.sync.region_kit import SECRETS, Region, exchange_history, make_region

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def region(tmp_path: Path) -> Region:
    return make_region(tmp_path)


def cli(capsys: Capsys, repo: DataRepo, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--repo", str(repo.root), *args)


def share_leads(repo: DataRepo) -> None:
    toml = repo.root / "allytui.toml"
    settings = parse(toml.read_bytes())
    settings["region"]["publish"].append("lead_first_name")
    toml.write_text(dump(settings))
    git(repo.root, "commit", "-qam", "share the lead's first name")


def all_join_and_publish(capsys: Capsys, region: Region) -> None:
    for repo, extra in ((region.north, ()), (region.south, ()), (region.national, ("--national",))):
        code, out, err = cli(capsys, repo, "region", "join", str(region.exchange), *extra)
        assert code == 0, err
        assert "joined the exchange" in out
    share_leads(region.north)
    for repo in (region.north, region.south, region.national, region.north):
        code, _, err = cli(capsys, repo, "region", "publish")
        assert code == 0, err


def test_who_says_who_else_is_in_touch(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    cli(capsys, region.south, "region", "publish")
    code, out, _ = cli(capsys, region.south, "region", "who", "rfb")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Also in touch: Northfield Climate Action — meeting, October 2026 (lead: Samantha)"
    assert lines[1] == "    their Riverton Food Bank (northfield/food-bank): same name and area, 100%"
    assert lines[2] == "    they are meeting: coordinate with them before approaching"
    _, out, _ = cli(capsys, region.south, "region", "who", "mosque")
    assert out == "No other participant shares Riverton Central Mosque (as last fetched).\n"


def test_a_national_match_says_route_nationally_and_sets_the_flag(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    cli(capsys, region.north, "region", "publish")
    code, out, _ = cli(capsys, region.south, "region", "publish")
    assert "marked 1 group(s) held nationally: route via the national relationships team: trades" in out
    code, out, _ = cli(capsys, region.south, "region", "who", "groups/trades")
    assert code == 0
    assert out.splitlines()[0] == (
        "National Relationships Team: held nationally: route via the national relationships team"
    )
    trades = region.south.read(Kind.GROUPS, "trades")
    assert isinstance(trades, Group) and trades.national_contact


def test_match_keeps_a_members_decision(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    cli(capsys, region.south, "region", "publish")
    code, out, _ = cli(capsys, region.south, "region", "match", "rfb", "northfield/food-bank", "--not")
    assert code == 0 and out == "kept: rfb is not northfield/food-bank\n"
    group = region.south.read(Kind.GROUPS, "rfb")
    assert isinstance(group, Group) and group.not_same_as == ["northfield/food-bank"]
    assert cli(capsys, region.south, "region", "who", "rfb")[1].startswith("No other participant")
    assert cli(capsys, region.south, "region", "match", "mosque", "northfield/allotments")[0] == 0
    _, out, _ = cli(capsys, region.south, "region", "who", "mosque", "--json")
    found = json.loads(out)
    assert [(f["participant"], f["their_group"], f["confirmed"]) for f in found] == [("northfield", "allotments", True)]
    code, _, err = cli(capsys, region.south, "region", "match", "mosque", "not a ref")
    assert code == 1 and "expected PARTICIPANT/GROUP" in err


def test_status_pipelines_uncontacted_and_categories(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    code, out, _ = cli(capsys, region.north, "region", "status", "--json")
    data = json.loads(out)
    by_id = {p["id"]: p for p in data["participants"]}
    assert by_id["northfield"]["stages"] == {"meeting": 1, "researched": 1}
    assert by_id["southside"]["stages"] == {"researched": 3}
    assert by_id["national"]["kind"] == "national"
    uncontacted = {item["name"]: item["researched_by"] for item in data["uncontacted"]}
    assert uncontacted["Riverton Allotment Society"] == ["northfield"]
    assert sorted(uncontacted) == ["Riverton Allotment Society", "Riverton Central Mosque"]
    # not the food bank: northfield is meeting them, and southside's "The Riverton Foodbank" is the same one;
    # not the trades council: the national team holds it
    assert "sports" in data["categories_with_no_group"]  # northfield's chess club is private
    assert "trade_union" in data["categories_nobody_in_touch_with"]
    code, out, _ = cli(capsys, region.north, "region", "status")
    assert code == 0
    assert "  Northfield Climate Action (northfield, local): researched 1, meeting 1" in out.splitlines()
    assert "  Riverton Allotment Society (researched by northfield)" in out.splitlines()


def test_dry_run_prints_exactly_what_would_be_shared(capsys: Capsys, region: Region) -> None:
    cli(capsys, region.north, "region", "join", str(region.exchange))
    code, out, _ = cli(capsys, region.north, "region", "publish", "--dry-run")
    assert code == 0
    assert git(region.exchange, "rev-list", "--all") == ""
    assert "--- participants/northfield/groups/food-bank.toml" in out
    assert 'stage = "meeting"' in out and 'last_contact_month = "2026-10"' in out
    assert "chess" not in out
    for secret in SECRETS:
        assert secret not in out


def test_sync_publishes_and_an_exchange_failure_never_blocks_it(capsys: Capsys, region: Region) -> None:
    shared = region.tmp / "north-shared.git"
    git(region.tmp, "init", "-q", "--bare", "-b", "main", str(shared))
    git(region.north.root, "remote", "add", "origin", str(shared))
    cli(capsys, region.north, "region", "join", str(region.exchange))
    code, out, _ = cli(capsys, region.north, "sync", "--quiet")
    assert code == 0 and "pushed" in out
    assert "region: shared 2 group(s) as northfield; pushed" in out
    assert "participants/northfield/groups/food-bank.toml" in git(region.exchange, "ls-tree", "-r", "main")
    shutil.rmtree(region.exchange)  # the exchange is gone (a USB stick unplugged)
    region.north.save(Group(id="new-one", name="New One", category="pta"))
    code, out, _ = cli(capsys, region.north, "sync", "--quiet")
    assert code == 0 and "pushed" in out
    assert "region: the exchange was not updated: the shared repository at" in out
    assert git(shared, "rev-parse", "main") == git(region.north.root, "rev-parse", "HEAD")


def test_nothing_private_in_the_exchange_after_the_whole_story(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    cli(capsys, region.south, "region", "publish")
    history = exchange_history(region.exchange)
    assert "Riverton Food Bank" in history and "Samantha" in history  # the lead's first name, as allowed
    for secret in SECRETS:
        assert secret not in history


def test_join_a_folder_named_relative_to_where_you_stand(
    capsys: Capsys, region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(region.tmp)
    code, out, _ = cli(capsys, region.north, "region", "join", "exchange.git")
    assert code == 0 and f"joined the exchange at {region.exchange}" in out
    assert cli(capsys, region.north, "region", "publish")[0] == 0
    assert "participants/northfield/participant.toml" in git(region.exchange, "ls-tree", "-r", "main")


def test_the_brief_says_who_else_is_in_touch(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    cli(capsys, region.south, "region", "publish")
    code, out, _ = cli(capsys, region.south, "brief", "rfb")
    assert code == 0
    assert "> **⚠ Also in touch: Northfield Climate Action — meeting, October 2026 (lead: Samantha)**" in out
    _, out, _ = cli(capsys, region.south, "brief", "mosque")
    assert "Also in touch" not in out


def test_logging_a_conversation_says_who_else_is_talking_with_them(capsys: Capsys, region: Region) -> None:
    all_join_and_publish(capsys, region)
    cli(capsys, region.south, "region", "publish")
    code, out, _ = cli(capsys, region.south, "set", "conversations/new", "date=2026-11-20", "group=rfb")
    assert code == 0
    assert out.splitlines()[-1] == (
        "note: Also in touch: Northfield Climate Action — meeting, October 2026 (lead: Samantha): "
        "coordinate with them first"
    )
    _, out, _ = cli(capsys, region.south, "set", "conversations/new", "date=2026-11-20", "group=mosque")
    assert "note:" not in out
