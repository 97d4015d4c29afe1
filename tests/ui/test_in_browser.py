"""The app in a browser (textual-serve): no $EDITOR offered or run, documents downloaded instead of written on
the server; the same keys in a terminal still open the editor and write files beside the repo.

Textual says the app is in a browser through `app.is_web`, which comes from the driver: the web driver says
True, every other False. Pilot (`run_test`) always runs the headless driver, so `BrowserApp` is the real app
with only that one answer changed; keys, screens, workers, git and Textual's own file delivery are all real.
The headless driver delivers a file by writing it to the downloads folder (the test HOME's), where the web
driver streams it to the browser instead: what arrives there is what the member would download.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from allytui.model.records import Kind
from allytui.render.rights import redacted_csv
from allytui.store.repo import DataRepo
from allytui.tui import app as app_module
from allytui.tui.app import AllytuiApp
from allytui.tui.documents import downloads, redacted_export
from allytui.tui.screens.brief import BriefScreen, brief_file
from allytui.tui.screens.help import HelpScreen
from allytui.tui.screens.import_sheet import ImportSheetScreen
from allytui.tui.screens.team import TeamScreen
from tests.helpers import git
from tests.sealing_kit import make_key
from tests.ui.conftest import TODAY, settle
from tests.ui.test_editing import scripted_editor


class BrowserApp(AllytuiApp):
    """The real app, told it runs in a browser (see the module's docstring); it keeps Textual's delivery events."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # Textual finds it beside the class's module

    def __init__(self, repo: DataRepo) -> None:
        super().__init__(repo, today=TODAY)
        self.delivered: list[events.DeliveryComplete] = []

    @property
    def is_web(self) -> bool:
        return True

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self.delivered.append(event)


@pytest.fixture(params=["terminal", "browser"])
def where(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def downloads_folder(isolated_user: Path) -> Path:
    """Where the headless driver puts a delivered file: the (test) member's downloads folder."""
    folder = isolated_user / "Downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$VISUAL is an editor that only leaves a mark that it ran."""
    mark = tmp_path / "editor-ran"
    monkeypatch.setenv("VISUAL", scripted_editor(tmp_path, f'touch "{mark}"'))
    return mark


def said(app: AllytuiApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def beside(repo: DataRepo) -> set[str]:
    """What is in the folder holding the data repo, besides the repo."""
    return {p.name for p in repo.root.parent.iterdir()} - {repo.root.name}


async def wait_for_delivery(app: BrowserApp, pilot: Pilot[None], count: int) -> None:
    """Textual delivers in a thread, then posts DeliveryComplete (or DeliveryFailed) to the app."""
    for _ in range(500):
        if len(app.delivered) >= count or any(t == "Not downloaded" for t, _ in said(app)):
            return
        await pilot.pause(0.01)


async def test_the_editor_key_is_offered_and_runs_only_in_a_terminal(
    sample_repo: DataRepo, marker: Path, where: str
) -> None:
    app = BrowserApp(sample_repo) if where == "browser" else AllytuiApp(sample_repo, today=TODAY)
    web = where == "browser"
    head = git(sample_repo.root, "rev-parse", "HEAD")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")  # Team: room in the footer for e at 80 columns
        await settle(pilot)
        footer = {key.key for key in app.screen.query(FooterKey)}
        assert ("e" in footer) is not web
        assert ("e" in app.screen.active_bindings) is not web
        palette = [command.title for command in app.get_system_commands(app.screen)]
        assert ("Editor" in palette) is not web

        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert ("Editor" in shown) is not web
        assert ("In a browser, long text is edited in the form: enter opens a record's form" in shown) is web
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("e")
        await settle(pilot)
        assert marker.exists() is not web  # the editor ran, or was never started
        refused = [m for t, m in said(app) if t == "Not in a browser"]
        assert bool(refused) is web
        if web:
            assert refused == ["In a browser allytui cannot open a text editor. Edit the record in its form "
                               "(enter): long text has its own text areas there."]  # fmt: skip
            assert app.is_running and isinstance(app.screen, TeamScreen)  # nothing else happened
    if web:
        assert git(sample_repo.root, "rev-parse", "HEAD") == head and not sample_repo.uncommitted()


async def test_in_a_browser_every_road_to_the_editor_says_why_not(sample_repo: DataRepo, marker: Path) -> None:
    """A problem file (enter, on Problems), the Groups list's e, and a hand edit's: none starts an editor."""
    (sample_repo.root / "groups" / "broken.toml").write_text('name = "Broken\n', encoding="utf-8")
    git(sample_repo.root, "add", "groups/broken.toml")
    git(sample_repo.root, "commit", "-q", "-m", "a file that does not load")
    app = BrowserApp(sample_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "opens the file in your editor" not in detail and "does not load as a record" in detail
        await pilot.press("enter")
        await settle(pilot)
        assert any("does not load as a record, so it has no form" in m for t, m in said(app) if t == "Not in a browser")

        await pilot.press("2", "e")
        await settle(pilot)
        assert sum(t == "Not in a browser" for t, _ in said(app)) == 2
        app.open_path_in_editor("groups/riverton-pride.toml")  # as an EditFile message from any screen asks
        await settle(pilot)
        assert sum(t == "Not in a browser" for t, _ in said(app)) == 3
        assert app.is_running
    assert not marker.exists()


async def test_in_a_browser_the_map_and_a_brief_arrive_as_downloads(
    sample_repo: DataRepo, downloads_folder: Path
) -> None:
    app = BrowserApp(sample_repo)
    before = beside(sample_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.switch_mode("map")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        await wait_for_delivery(app, pilot, 2)
        stem = f"riverton-power-map-{TODAY.isoformat()}"
        assert {event.path.name for event in app.delivered if event.path} == {f"{stem}.svg", f"{stem}.txt"}
        assert (downloads_folder / f"{stem}.svg").read_text(encoding="utf-8").startswith("<svg")
        assert "46 on the map" in (downloads_folder / f"{stem}.txt").read_text(encoding="utf-8")
        assert ("Map sent", f"46 marks, sent to your browser as a download:\n{stem}.svg\n{stem}.txt") in said(app)

        await app.push_screen(BriefScreen("al-noor-mosque"))
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        await wait_for_delivery(app, pilot, 3)
        name = brief_file(sample_repo.root, "al-noor-mosque", TODAY).name
        assert (downloads_folder / name).read_text(encoding="utf-8").startswith("# Brief")
        assert isinstance(app.screen, BriefScreen) and app.screen.saved is None  # nothing saved on the server
    assert beside(sample_repo) == before  # nothing written where a terminal would write it
    assert git(sample_repo.root, "status", "--porcelain") == ""


async def test_in_a_browser_a_persons_file_arrives_as_a_download(sample_repo: DataRepo, downloads_folder: Path) -> None:
    app = BrowserApp(sample_repo)
    before = beside(sample_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await wait_for_delivery(app, pilot, 1)
        assert len(app.delivered) == 1 and app.delivered[0].path is not None
        text = app.delivered[0].path.read_text(encoding="utf-8")
        assert app.delivered[0].path.parent == downloads_folder and text.startswith("# What we hold about")
    assert beside(sample_repo) == before


def test_a_redacted_export_downloads_as_one_zip_of_what_a_terminal_writes(sample_repo: DataRepo) -> None:
    """Textual 8.2.8's headless driver cannot write bytes it is handed (it opens its file for text), so the zip a
    browser receives is checked here, from the helper that hands it to deliver_binary."""
    [download] = downloads(redacted_export(sample_repo, TODAY))
    assert download.name == f"shared-{TODAY.isoformat()}.zip" and isinstance(download.content, bytes)
    loaded = sample_repo.load()
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        for kind in Kind:
            records = [record for _, record in sorted(loaded.records[kind].items())]
            member = f"shared-{TODAY.isoformat()}/{kind.value}.csv"
            assert archive.read(member).decode("utf-8") == redacted_csv(kind, records)


async def test_in_a_browser_no_spreadsheet_is_read_from_a_path(repo: DataRepo, where: str) -> None:
    """A path typed in a browser names a file on the server: not one the member has, and not theirs to read."""
    app = BrowserApp(repo) if where == "browser" else AllytuiApp(repo, today=TODAY)
    web = where == "browser"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        welcome = str(app.screen.query_one("#welcome-text", Static).render())  # an empty repo: the first steps
        assert ("Import a spreadsheet of groups" in welcome) is not web
        assert "allytui import groups FILE.csv" in welcome  # how a coordinator in a terminal does it
        assert ("i" in app.screen.active_bindings) is not web
        await pilot.press("2")
        await settle(pilot)
        palette = [command.title for command in app.get_system_commands(app.screen)]
        assert ("Import CSV" in palette) is not web
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportSheetScreen) is not web
        assert any("cannot read a spreadsheet from your computer" in m for _, m in said(app)) is web


async def test_in_a_browser_only_a_key_the_server_gives_opens_sealed_values(
    sample_repo: DataRepo, tmp_path: Path, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The account's own key file is the member's in a terminal; in a browser it is the server's, shared by all."""
    key = make_key(tmp_path, "the account the app runs as")
    own = isolated_user / ".config" / "allytui" / "identity.txt"  # where allytui keys init puts it
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(key.path, own)

    async def holds_key(app: AllytuiApp) -> bool:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            return app.keyring.holds_key

    assert await holds_key(AllytuiApp(sample_repo, today=TODAY))
    assert not await holds_key(BrowserApp(sample_repo))
    key.use(monkeypatch)  # the server gives this session its member's key
    assert await holds_key(BrowserApp(sample_repo))
