"""The problems between records (a reference to a record that is not there, a team list that disagrees with
`member of`) are found once the records are on screen, and still reach the tab bar and the Problems screen,
once each, after every reload."""

from __future__ import annotations

import re
from pathlib import Path

from allytui.model.records import Group, Kind
from allytui.store.loader import load_repo
from allytui.store.repo import DataRepo
from allytui.tui import app as app_module
from allytui.tui.app import AllytuiApp
from allytui.tui.messages import DataLoaded
from allytui.tui.widgets.record_table import RecordTable
from allytui.tui.widgets.tab_bar import TabBar
from tests.helpers import git
from tests.ui.conftest import TODAY, settle


def lead_nobody(repo: DataRepo) -> str:
    """Make a group's lead a person who is not there (committed); that group's file."""
    group = next(g for g in repo.load().records[Kind.GROUPS].values() if isinstance(g, Group))
    rel = f"groups/{group.id}.toml"
    path = repo.root / rel
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("lead ")]
    path.write_text('lead = "nobody-by-this-id"\n' + "\n".join(lines) + "\n", encoding="utf-8")
    git(repo.root, "commit", "-q", "-am", "a lead who is not there")
    return rel


async def test_problems_between_records_arrive_after_the_records_and_stay_right(sample_repo: DataRepo) -> None:
    rel = lead_nobody(sample_repo)
    expected = [p for p in load_repo(sample_repo.root).problems if p.path == rel]
    assert expected and "nobody-by-this-id" in str(expected[0])
    handed: list[int] = []

    class Counting(AllytuiApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        def on_data_loaded(self, message: DataLoaded) -> None:  # Textual calls AllytuiApp's after this one
            handed.append(len(message.loaded.problems))  # what the records came with, before the checks

    app = Counting(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert handed == [0]  # the records were shown before the check between them
        for _ in range(2):  # the first load, then reloads: the problem once each time
            assert app.loaded is not None
            assert [p for p in app.loaded.problems if p.path == rel] == expected
            assert re.search(r"7 Prob\.? ?\(1\)", str(app.screen.query_one(TabBar).render()))
            app.action_reload()
            await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        assert [row.cells[0] for row in app.screen.query_one(RecordTable).shown] == [rel]
