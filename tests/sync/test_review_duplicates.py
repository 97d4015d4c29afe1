"""The since-last-sync review flags a group or person another member added that looks like one of ours."""

from __future__ import annotations

import pytest

from allytui.cli.main import main
from allytui.model.records import Group, Kind, Person
from allytui.sync.driver import sync
from allytui.sync.review import review
from allytui.tui.screens.sync import report_text
from tests.sync.conftest import Shared


def test_review_flags_added_records_like_ours(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    shared.ben.save(Group(id="st-marys-church", name="St Marys Church", category="faith"))
    shared.ben.save(Person(id="ana-lopez", name="Ana Lopez"))  # no group: the same name is enough
    shared.ben.save(Group(id="food-bank", name="Riverton Food Bank", category="food_bank"))  # like nothing of ours
    shared.ben.save(Group(id="st-marys", name="St Mary's Parish", category="faith"))  # changed, not added
    sync(shared.ben)
    report = sync(shared.ana)
    assert report.after is not None
    flagged = {
        (item.kind, item.record_id): item.twins
        for item in review(shared.ana, report.before, report.after, report.incoming)
    }
    assert flagged == {
        (Kind.GROUPS, "st-marys-church"): (("st-marys", "St Mary's Parish"),),
        (Kind.PEOPLE, "ana-lopez"): (("ana", "Ana López"),),
        (Kind.GROUPS, "food-bank"): (),
        (Kind.GROUPS, "st-marys"): (),
    }


def test_sync_prints_the_flag_with_the_merge_command(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    shared.ben.save(Group(id="st-marys-church", name="St Marys Church", category="faith"))
    sync(shared.ben)
    assert main(["--repo", str(shared.ana.root), "sync", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert (
        "    looks like our groups/st-marys (St Mary's); if it is the same: "
        "allytui merge groups/st-marys groups/st-marys-church\n"
    ) in out


def test_the_sync_screen_says_which_of_ours_it_looks_like(shared: Shared) -> None:
    shared.ben.save(Group(id="st-marys-church", name="St Marys Church", category="faith"))
    sync(shared.ben)
    ours = shared.ana.load().records  # as the app holds them before the sync
    report = sync(shared.ana)
    text = report_text(shared.ana, report, lambda binding: {"duplicates": "D"}.get(binding, "?"), ours=ours).plain
    assert "  looks like our group St Mary's (st-marys): D on Groups merges them\n" in text
