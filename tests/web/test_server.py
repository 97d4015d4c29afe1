"""allytui serve is safe to expose: nothing without a session, links work once, failed logins slow down and are
logged without the token, the websocket only from our own page, removed members lose their open sessions."""

from __future__ import annotations

import asyncio
import logging
import re
import stat
from html.parser import HTMLParser
from urllib.parse import urlsplit

import aiohttp
import pytest

from allytui.web.guard import FAILED_LOGINS
from allytui.web.members import members_path
from allytui.web.server import MemberAppService
from tests.helpers import git
from tests.web.conftest import Served

ORIGIN_HEADER = "Origin"


async def log_in(client: aiohttp.ClientSession, link: str) -> aiohttp.ClientResponse:
    """What a member's browser does with a link: open it, press the button (a form post from the page)."""
    async with client.get(link) as page:
        assert page.status == 200, await page.text()
    async with client.post(link, headers={ORIGIN_HEADER: "null"}, allow_redirects=False) as used:
        await used.read()
        return used


async def test_without_a_session_every_path_but_static_assets_is_refused(
    served: Served, client: aiohttp.ClientSession
) -> None:
    for path in ("/", "/download/anything", "/favicon.ico", "/login", "/logout"):
        async with client.get(served.url + path) as response:
            assert response.status == 401, path
            text = await response.text()
            assert "--add-member" in text and "login link" in text
            assert response.headers["Cache-Control"] == "no-store"
    async with client.get(served.url + "/ws", headers={ORIGIN_HEADER: served.url}) as response:
        assert response.status == 401
    async with client.get(served.url + "/static/js/textual.js") as response:
        assert response.status == 200
    async with client.get(served.url + "/assets/page.js") as response:
        assert response.status == 200
    assert not served.server.live


async def test_a_link_logs_in_once_and_the_cookie_keeps_the_token_out_of_the_address_bar(
    served: Served, client: aiohttp.ClientSession
) -> None:
    link = served.link("ellen-brooks")
    async with client.get(link) as page:  # opening it (a mail program's preview too) spends nothing
        assert page.status == 200
    used = await log_in(client, link)
    assert used.status == 303 and used.headers["Location"] == "/"
    cookie = used.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on localhost; under https it is set (test below)
    async with client.get(served.url + "/") as page:
        assert page.status == 200
        assert "<title>allytui — Riverton</title>" in await page.text()
        assert page.headers["Cache-Control"] == "no-store"

    again = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with again:
        async with again.get(link) as second:
            assert second.status == 403
        async with again.post(link, allow_redirects=False) as second:
            assert second.status == 403
            assert "used already" in await second.text()
        async with again.get(served.url + "/") as page:
            assert page.status == 401


async def test_failed_logins_are_refused_rate_limited_and_logged_without_the_token(
    served: Served, client: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bad = [f"{served.url}/login/not-a-real-token-{n}" for n in range(FAILED_LOGINS)]
    for link in bad:
        async with client.get(link) as response:
            assert response.status == 403
    good = served.link("ellen-brooks")
    async with client.get(good) as response:
        assert response.status == 429  # this address waits, even with a good link
    async with client.post(good, allow_redirects=False) as response:
        assert response.status == 429
    assert served.members.read()["ellen-brooks"].link  # not spent while waiting
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused a login link from 127.0.0.1" in logged
    assert "/login/…" in logged  # the access log's lines, token cut out
    assert "not-a-real-token" not in logged and good.rsplit("/", 1)[1] not in logged


async def test_a_websocket_from_another_sites_page_is_refused_before_any_app_starts(
    served: Served, client: aiohttp.ClientSession
) -> None:
    await log_in(client, served.link("ellen-brooks"))
    for origin in ("http://evil.example", "null", "http://localhost:1", None):
        headers = {ORIGIN_HEADER: origin} if origin else {}
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(served.url + "/ws", headers=headers)
        assert refused.value.status == 403, origin
    assert not served.server.live


@pytest.mark.parametrize("max_sessions", [1])
async def test_removing_a_member_closes_their_open_session_and_the_cap_holds(
    served: Served, client: aiohttp.ClientSession
) -> None:
    await log_in(client, served.link("ellen-brooks"))
    websocket = await client.ws_connect(served.url + "/ws?width=80&height=24", headers={ORIGIN_HEADER: served.url})
    try:
        first = await asyncio.wait_for(websocket.receive(), timeout=20)  # the app's first screen
        assert first.type == aiohttp.WSMsgType.BINARY
        (live,) = served.server.live.values()
        assert isinstance(live.service, MemberAppService)

        with pytest.raises(aiohttp.WSServerHandshakeError) as full:  # one session is the most here
            await client.ws_connect(served.url + "/ws", headers={ORIGIN_HEADER: served.url})
        assert full.value.status == 503

        assert served.members.remove("ellen-brooks")
        async with asyncio.timeout(10):
            while (message := await websocket.receive()).type == aiohttp.WSMsgType.BINARY:
                pass
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
    finally:
        await websocket.close()
    async with client.get(served.url + "/") as page:
        assert page.status == 401
    async with asyncio.timeout(10):
        while served.server.live:
            await asyncio.sleep(0.05)


def test_each_session_commits_as_its_member_in_the_terminal_size_textual_serve_gives(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLYTUI_IDENTITY", "/the/servers/own/key.txt")
    served.members.add("ellen-brooks", "Ellen Brooks", "ellen.brooks@example.org")
    (member,) = served.members.read().values()

    async def nothing(*_: object) -> None:
        return None

    service = MemberAppService(
        served.server.command,
        member=member,
        session="s",
        write_bytes=nothing,
        write_str=nothing,
        close=nothing,
        download_manager=served.server.download_manager,
    )
    environment = service._build_environment(width=100, height=30)
    assert environment["GIT_AUTHOR_NAME"] == environment["GIT_COMMITTER_NAME"] == "Ellen Brooks"
    assert environment["GIT_AUTHOR_EMAIL"] == environment["GIT_COMMITTER_EMAIL"] == "ellen.brooks@example.org"
    assert (environment["COLUMNS"], environment["ROWS"]) == ("100", "30")
    assert "ALLYTUI_IDENTITY" not in environment  # the server's key opens no member's sealed fields
    assert served.server.command.endswith(f"-m allytui --repo {served.repo.root.resolve()}")


async def test_the_members_file_is_private_holds_no_token_and_stays_out_of_the_data_repo(
    served: Served, client: aiohttp.ClientSession
) -> None:
    link = served.link("ellen-brooks")
    await log_in(client, link)
    path = members_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    text = path.read_text()
    token = link.rsplit("/", 1)[1]
    session = next(c.value for c in client.cookie_jar if c.key == served.server.cookie)
    assert token not in text and session not in text
    assert "ellen-brooks" in text
    assert not path.is_relative_to(served.repo.root)
    assert git(served.repo.root, "status", "--porcelain") == ""


class Fetched(HTMLParser):
    """Every address a page makes its browser fetch: src and href attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.addresses += [value for name, value in attrs if name in ("src", "href") and value]
        self._in_script = tag == "script" and "src" not in found
        self.addresses += [value for name, value in attrs if name.startswith("on") and value]  # none expected

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


async def test_the_page_fetches_nothing_from_any_other_host(served: Served, client: aiohttp.ClientSession) -> None:
    await log_in(client, served.link("ellen-brooks"))
    async with client.get(served.url + "/") as page:
        html = await page.text()
        policy = page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    parsed = Fetched()
    parsed.feed(html)
    assert parsed.inline_scripts == 0
    assert parsed.addresses, "the page loads its scripts and styles"
    stylesheets = []
    for address in parsed.addresses:
        parts = urlsplit(address)
        assert not parts.netloc or f"{parts.scheme}://{parts.netloc}" == served.url, address
        if address.endswith(".css"):
            stylesheets.append(address)
    for address in stylesheets:
        async with client.get(address if "://" in address else served.url + address) as sheet:
            css = await sheet.text()
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            assert url.startswith("/") or url.startswith("data:"), (address, url)
        assert "@import" not in css
    assert "fonts.googleapis" not in html


async def test_under_https_the_cookie_is_secure(served: Served) -> None:
    from allytui.web.members import MembersFile
    from allytui.web.server import MembersServer

    behind_proxy = MembersServer(
        served.repo.root, MembersFile(served.repo.root), title="t", public_url="https://allies.example.org/"
    )
    assert behind_proxy.origin == "https://allies.example.org"
    assert behind_proxy.secure and behind_proxy.cookie.startswith("__Host-")
