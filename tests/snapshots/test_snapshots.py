"""Snapshot tests: SVG screenshots of the main screens on the sample data, compared with the approved ones.

Everything shown is fixed: today is TODAY, the repo folder is always "riverton", the git identity is the
test one (tests/conftest.py), and text cursors do not blink. Review changes with the report pytest links
to, then accept them with `pytest tests/snapshots --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from tests.helpers import git
from tests.ui.conftest import TODAY, settle

NARROW = (80, 24)
WIDE = (120, 40)

RunBefore = Callable[[Pilot[None]], Awaitable[None]]
SnapCompare = Callable[..., bool]


def app_on(repo: DataRepo) -> AllytuiApp:
    return AllytuiApp(repo, today=TODAY)


def no_cursor_blink(pilot: Pilot[None]) -> None:
    """A steady cursor, so the screenshot does not depend on when it is taken."""
    for screen in pilot.app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False


def keys(*presses: str, typed: str = "") -> RunBefore:
    """Wait for the data, press keys one at a time (settling after each), then type text, if any."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        if typed:
            await pilot.press(*["space" if c == " " else c for c in typed])
            await settle(pilot)
        no_cursor_blink(pilot)
        await pilot.pause()

    return run_before


def filtered(*presses: str, word: str) -> RunBefore:
    """Open a list screen and filter it by a word: / word enter."""

    async def run_before(pilot: Pilot[None]) -> None:
        await keys(*presses, "slash", typed=word)(pilot)
        await pilot.press("enter")
        await settle(pilot)
        no_cursor_blink(pilot)
        await pilot.pause()

    return run_before


def break_a_file(repo: DataRepo) -> None:
    """One group file that is not valid TOML, committed so the uncommitted-changes review stays closed."""
    (repo.root / "groups" / "broken-quote.toml").write_text('name = "Broken\ncategory = "faith"\n')
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "a broken file")


class TestDashboard:
    def test_dashboard(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """The start screen: pipeline, follow-ups due, recent conversations, who's not here."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys())

    def test_dashboard_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """At 120 columns the pipeline is drawn as bars."""
        assert snap_compare(app_on(sample_repo), terminal_size=WIDE, run_before=keys())


class TestGroups:
    def test_groups_with_first_detail(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """The groups table, the first group highlighted and its details beside it."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("2"))

    def test_groups_filtered(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """Filtering by a word keeps the groups that mention it anywhere."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=filtered("2", word="faith"))

    def test_groups_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=WIDE, run_before=keys("2"))


class TestGroupForms:
    def test_edit_group(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """Enter on the highlighted group opens its form, filled in."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("2", "enter"))

    def test_new_group(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """n opens an empty form, the name field focused."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("2", "n"))


class TestPeople:
    def test_people(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("3"))

    def test_people_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=WIDE, run_before=keys("3"))


class TestConversations:
    def test_conversations(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """A timeline, newest first."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("4"))


class TestActivities:
    def test_activities(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("5"))


class TestTeam:
    def test_team(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("6"))


class TestProblems:
    def test_no_problems(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("7"))

    def test_a_broken_file(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """A committed file that is not valid TOML: listed, with where and why beside it."""
        break_a_file(sample_repo)
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("7"))


class TestHelp:
    def test_help_on_dashboard(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """? lists the keys in force on the screen underneath and everywhere."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("question_mark"))


class TestAgenda:
    def test_agenda(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """Follow-ups by member, overdue first, and the groups going cold."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("8"))

    def test_agenda_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=WIDE, run_before=keys("8"))


class TestShortlist:
    def test_shortlist(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """Groups ranked for step 3, with the selected group's reasons and the weights in use."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("9"))

    def test_shortlist_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=WIDE, run_before=keys("9"))


class TestBrief:
    def test_brief(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        """A brief on the first group, before a conversation or meeting."""
        assert snap_compare(app_on(sample_repo), terminal_size=NARROW, run_before=keys("2", "b"))

    def test_brief_wide(self, snap_compare: SnapCompare, sample_repo: DataRepo) -> None:
        assert snap_compare(app_on(sample_repo), terminal_size=WIDE, run_before=keys("2", "b"))
