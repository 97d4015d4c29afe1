"""At 80x24 the app says which data repo is open, and that a plain git pull was left unfinished."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from allytui.tui.widgets.pipeline import Pipeline
from tests.helpers import git
from tests.ui.conftest import TODAY, settle


def notices(app: AllytuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_dashboard_and_help_name_the_open_repo(pilot: Pilot[None], app: AllytuiApp) -> None:
    title = str(app.screen.query_one(Pipeline).border_title)
    assert title.endswith(" · Riverton Climate Action (…/riverton)")  # the path cut to its folder at 80 columns
    assert app.sub_title == str(app.repo.root)
    await pilot.press("f1")
    await settle(pilot)
    shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
    assert "This is the data repo Riverton Climate Action (…/riverton)." in shown


def unmerged(repo: DataRepo) -> None:
    """Two branches changing one line of a group's notes, merged by plain git: a real unmerged file."""
    path = repo.root / "groups" / "st-marys-church.toml"
    git(repo.root, "switch", "-q", "-c", "theirs")
    path.write_text(path.read_text().replace("category = ", 'area = "North"\ncategory = ', 1))
    git(repo.root, "commit", "-q", "-am", "theirs")
    git(repo.root, "switch", "-q", "main")
    path.write_text(path.read_text().replace("category = ", 'area = "South"\ncategory = ', 1))
    git(repo.root, "commit", "-q", "-am", "ours")
    git(repo.root, "merge", "-q", "--no-edit", "theirs", check=False)
    assert git(repo.root, "ls-files", "-u")


async def test_a_plain_git_pull_left_unfinished_is_said_with_what_to_do(sample_repo: DataRepo) -> None:
    unmerged(sample_repo)
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = [n for n in notices(app) if "stopped part way" in n]
        assert len(said) == 1
        assert "1 file is marked unmerged in git (groups/st-marys-church.toml)" in said[0]
        assert "Run allytui sync to finish it" in said[0]
        await pilot.press("ctrl+r")  # a reload does not say it again
        await settle(pilot)
        assert len([n for n in notices(app) if "stopped part way" in n]) == 1


async def test_no_notice_when_git_has_nothing_unfinished(pilot: Pilot[None], app: AllytuiApp) -> None:
    assert not [n for n in notices(app) if "stopped part way" in n]
