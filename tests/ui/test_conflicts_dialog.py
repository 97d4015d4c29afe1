"""The conflicts dialog at 80x24: values of several lines show as lines, choices by their labels."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList

from allytui.model.records import FieldConflict, Group, Kind
from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.screens.conflicts import ConflictsScreen
from tests.ui.conftest import TODAY, settle


async def test_conflict_values_show_line_breaks_and_labels(sample_repo: DataRepo) -> None:
    group = sample_repo.read(Kind.GROUPS, "st-marys-church")
    assert isinstance(group, Group)
    conflicts = [
        FieldConflict(field="notes", other="Met the vicar.\nShe will ask the PCC.", author="Ben"),
        FieldConflict(field="stage", other='"in_conversation"', author="Ben"),  # kept as JSON before 2026-12
    ]
    sample_repo.save(group.model_copy(update={"notes": "Our note.\nSecond line.", "conflicts": conflicts}))
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        options = app.screen.query_one(OptionList)
        notes = str(options.get_option_at_index(0).prompt)
        assert "\\n" not in notes
        assert "  this value:  Our note.\n               Second line.\n" in notes
        assert "  the other:   Met the vicar.\n               She will ask the PCC.\n" in notes
        stage = str(options.get_option_at_index(1).prompt)
        assert "this value:  allied\n  the other:   in conversation\n" in stage
        await _take_other(pilot, 1)
    saved = sample_repo.read(Kind.GROUPS, "st-marys-church")
    assert isinstance(saved, Group) and saved.stage == "in_conversation"
    assert [c.field for c in saved.conflicts] == ["notes"]


async def _take_other(pilot: Pilot[None], index: int) -> None:
    pilot.app.screen.query_one(OptionList).highlighted = index
    await pilot.press("o")
    await settle(pilot)
