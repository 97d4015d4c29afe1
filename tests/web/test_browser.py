"""allytui serve in real Chromium (Debian's, driven by Playwright): members log in by their links, move about by
keyboard, and each one's edits are committed under their own name; `e` is not offered and an export arrives as a
download. The screen is read through xterm's screen-reader rows, as a screen reader would read it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from allytui.store.repo import DataRepo
from allytui.web.members import MembersFile
from tests.helpers import git
from tests.web.conftest import free_port

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason="Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)",
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 20_000
"""The longest any one step may take (an app process starting on a busy 2-core machine included)."""


@pytest.fixture
def serving(sample_repo: DataRepo) -> Iterator[str]:
    """`allytui serve` on the sample data, a real process on a free port; its address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "allytui", "--repo", str(sample_repo.root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its app processes in its own group, all ended with it below
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "allytui serve did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def chromium() -> Iterator[sync_api.Browser]:
    """Chromium with a fresh profile of its own (Playwright's launch makes a new user data dir each time)."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def link(repo: DataRepo, base: str, person_id: str, name: str, email: str) -> str:
    return f"{base}/login/{MembersFile(repo.root).add(person_id, name, email)}"


def screen(page: sync_api.Page) -> sync_api.Locator:
    return page.locator(".xterm-accessibility-tree")


def wait_for(page: sync_api.Page, text: str) -> None:
    """Until the screen (as a screen reader reads it) shows text."""
    try:
        screen(page).filter(has_text=text).wait_for(timeout=WAIT_MS)
    except sync_api.TimeoutError:
        shown = "\n".join(line for line in screen(page).inner_text().splitlines() if line.strip(" ▏"))
        raise AssertionError(f"waited for {text!r}; the screen shows:\n{shown}") from None


def log_in(browser: sync_api.Browser, address: str) -> sync_api.Page:
    """A member's own browser opens their link and presses the button; the app's dashboard is on screen."""
    context = browser.new_context(viewport={"width": 1000, "height": 600}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(address)
    page.get_by_role("button", name="Log in").click()
    wait_for(page, "1 Dashboard")
    return page


def edit_group_name(page: sync_api.Page, find: str, shown: str, added: str) -> None:
    """By keyboard alone: Groups, filter, open the one found, add to its name, save."""
    page.keyboard.press("2")
    wait_for(page, "Lead:")
    time.sleep(0.3)  # the list takes the keyboard once it is drawn
    page.keyboard.press("/")
    page.keyboard.type(find)
    screen(page).filter(has_not_text="Al-Noor").wait_for(timeout=WAIT_MS)  # the list is filtered
    page.keyboard.press("Enter")  # to the list
    time.sleep(0.3)
    page.keyboard.press("Enter")  # open the one found
    wait_for(page, f"Edit group: {shown}")
    time.sleep(0.5)  # the form gives its first field the keyboard once it is laid out
    page.keyboard.press("End")
    page.keyboard.type(added)
    wait_for(page, f"{shown}{added}")
    page.keyboard.press("Control+s")
    wait_for(page, "Saved")


def last_author(repo: DataRepo, rel: str) -> str:
    return git(repo.root, "log", "-1", "--format=%an <%ae> / %cn <%ce>", "--", rel).strip()


def test_two_members_at_once_each_commit_under_their_own_name(
    sample_repo: DataRepo, serving: str, chromium: sync_api.Browser
) -> None:
    ellen = log_in(chromium, link(sample_repo, serving, "ellen-brooks", "Ellen Brooks", "ellen@example.org"))
    amira = log_in(chromium, link(sample_repo, serving, "amira-hassan", "Amira Hassan", "amira@example.org"))
    for page in (ellen, amira):
        assert page.url == f"{serving}/"  # the token has left the address bar
        assert page.title() == "allytui — Riverton Climate Action"
        assert page.evaluate("document.activeElement.className") == "xterm-helper-textarea"  # focused on load
        (cookie,) = page.context.cookies()
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    edit_group_name(ellen, "pride", "Riverton Pride", " Youth")
    edit_group_name(amira, "name:allotment", "Riverton Allotment and Garden Society", " Growers")

    assert last_author(sample_repo, "groups/riverton-pride.toml") == (
        "Ellen Brooks <ellen@example.org> / Ellen Brooks <ellen@example.org>"
    )
    assert 'name = "Riverton Pride Youth"' in (sample_repo.root / "groups" / "riverton-pride.toml").read_text()
    allotment = next((sample_repo.root / "groups").glob("riverton-allotment*.toml")).name
    assert last_author(sample_repo, f"groups/{allotment}") == (
        "Amira Hassan <amira@example.org> / Amira Hassan <amira@example.org>"
    )


def test_no_editor_is_offered_and_a_brief_arrives_as_a_download(
    sample_repo: DataRepo, serving: str, chromium: sync_api.Browser
) -> None:
    page = log_in(chromium, link(sample_repo, serving, "ellen-brooks", "Ellen Brooks", "ellen@example.org"))
    page.keyboard.press("2")
    wait_for(page, "Lead:")
    footer = [line for line in screen(page).inner_text().splitlines() if "Filter" in line and "Brief" in line]
    assert footer and not re.search(r"(^| )e [A-Z$]", footer[0]), footer
    time.sleep(0.3)
    page.keyboard.press("e")
    wait_for(page, "cannot open a text editor")

    downloads: list[sync_api.Download] = []
    page.on("download", lambda arrived: downloads.append(arrived))  # where it arrives: the page, or the tab
    page.context.on("page", lambda opened: opened.on("download", lambda arrived: downloads.append(arrived)))
    page.keyboard.press("b")
    wait_for(page, "Brief ·")
    page.keyboard.press("E")
    deadline = time.monotonic() + WAIT_MS / 1000
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    (download,) = downloads
    assert download.suggested_filename.startswith("brief-") and download.suggested_filename.endswith(".md")
    assert Path(download.path()).read_text(encoding="utf-8").startswith("# Brief: ")
    assert not list(sample_repo.root.parent.glob("brief-*"))  # nothing written on the server

    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)  # leaving a live session asks first
    deadline = time.monotonic() + 5
    while not asked and time.monotonic() < deadline:
        page.context.cookies()  # a call into Playwright, which delivers the dialog event (a sleep would not)
    assert asked == ["beforeunload"]
