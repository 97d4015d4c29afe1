"""Fixtures for `allytui serve`: the real server on a free localhost port, over the sample data, with members."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from allytui.store.repo import DataRepo
from allytui.web.members import MembersFile
from allytui.web.server import MembersServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running server, its address, and the members file it reads."""

    server: MembersServer
    url: str
    members: MembersFile
    repo: DataRepo

    def link(self, person_id: str, name: str = "", email: str = "") -> str:
        """A new one-time login link for person_id (their identity made up from the id unless given)."""
        token = self.members.add(
            person_id, name or person_id.replace("-", " ").title(), email or f"{person_id}@example.org"
        )
        return f"{self.url}/login/{token}"


@pytest.fixture
def max_sessions() -> int:
    return 20


@pytest.fixture
async def served(sample_repo: DataRepo, max_sessions: int) -> AsyncIterator[Served]:
    """allytui serve's server in this test's event loop (the app processes it starts are real ones)."""
    port = free_port()
    members = MembersFile(sample_repo.root)
    server = MembersServer(sample_repo.root, members, title="allytui — Riverton", port=port, max_sessions=max_sessions)
    server.initialize_logging()
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield Served(server, f"http://127.0.0.1:{port}", members, sample_repo)
    finally:
        await runner.cleanup()


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    """A browser-like client that keeps cookies for 127.0.0.1 and does not follow redirects by itself."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session
