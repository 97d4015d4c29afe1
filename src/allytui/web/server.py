"""textual-serve with members: every path but static assets needs a session, and each session's app commits as its
member."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from allytui.web.guard import HEADERS, FailedLogins, HideLoginTokens, origin_of
from allytui.web.members import SESSION_LIFETIME, Member, MembersFile, Roster

log = logging.getLogger("allytui.web")

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"
PUBLIC = ("/static/", "/assets/")
"""Paths anyone may fetch: textual-serve's scripts, styles and fonts, and the page's own."""
WATCH_EVERY = 1.0
"""Seconds between looks at the members file for members removed (their sessions are then closed)."""
MAX_SESSIONS = 20
MEMBER = web.RequestKey("member", Member)
SESSION = web.RequestKey("session", str)
HOW_TO_GET_IN = (
    "Ask whoever runs allytui for your group for a login link: they make one with "
    "allytui serve --add-member people/YOUR-ID, and it works once."
)


def app_command(repo_root: Path) -> str:
    """The command each session runs: this Python running allytui on the repo, quoted (no shell words of anyone's)."""
    return shlex.join([sys.executable, "-m", "allytui", "--repo", str(repo_root.resolve())])


class MemberAppService(AppService):
    """One member's app process: textual-serve's, with git's author and committer set to the member."""

    def __init__(self, command: str, *, member: Member, session: str, **options: Any) -> None:
        super().__init__(command, **options)
        self.member = member
        self.session = session

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.pop("ALLYTUI_IDENTITY", None)  # the server's own key for sealed fields is no member's
        for role in ("AUTHOR", "COMMITTER"):
            environment[f"GIT_{role}_NAME"] = self.member.name
            environment[f"GIT_{role}_EMAIL"] = self.member.email
        return environment


@dataclass
class Live:
    """An open session: its app process and the browser's websocket."""

    service: MemberAppService
    websocket: web.WebSocketResponse


class MembersServer(Server):
    """The app for members only, on one origin, with a cap on the sessions open at once."""

    def __init__(
        self,
        repo_root: Path,
        members: MembersFile,
        *,
        title: str,
        host: str = "127.0.0.1",
        port: int = 8000,
        public_url: str | None = None,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        super().__init__(
            app_command(repo_root),
            host=host,
            port=port,
            title=title,
            public_url=public_url.rstrip("/") if public_url else None,
            templates_path=TEMPLATES,
        )
        self.origin = origin_of(self.public_url)
        self.secure = self.public_url.startswith("https:")
        self.cookie = "__Host-allytui-session" if self.secure else "allytui-session"
        self.roster = Roster(members)
        self.max_sessions = max_sessions
        self.failed = FailedLogins()
        self.live: dict[str, Live] = {}
        self._watcher: asyncio.Task[None] | None = None

    # the web application

    def initialize_logging(self) -> None:
        super().initialize_logging()
        logging.getLogger("aiohttp.access").addFilter(HideLoginTokens())

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        app.add_routes(
            [
                web.get("/login/{token}", self.handle_login_page, name="login"),
                web.post("/login/{token}", self.handle_login, name="login-use"),
                web.post("/logout", self.handle_logout, name="logout"),
                web.static("/assets", ASSETS, name="assets"),
            ]
        )
        app.on_response_prepare.append(self.add_headers)
        return app

    async def add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(HEADERS)
        if not request.path.startswith(PUBLIC):
            response.headers["Cache-Control"] = "no-store"

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Refuse every path but the public ones and the login link without a valid session; the websocket and
        anything that changes state only from our own origin."""
        if request.path.startswith(PUBLIC) or (request.path.startswith("/login/") and request.method == "GET"):
            return await handler(request)
        if not self.same_origin(request, exactly=request.path == "/ws"):
            log.warning(
                "refused %s %s from another site's page (%s)", request.method, request.path, self.client(request)
            )
            return self.notice(request, 403, "Not from here", "This page can only be used from its own address.")
        if request.path.startswith("/login/"):
            return await handler(request)
        self.roster.refresh()
        session = request.cookies.get(self.cookie, "")
        member = self.roster.member_for(session) if session else None
        if member is None:
            return self.notice(request, 401, "Please log in", HOW_TO_GET_IN)
        request[MEMBER], request[SESSION] = member, session
        return await handler(request)

    def same_origin(self, request: web.Request, *, exactly: bool) -> bool:
        """Whether the request comes from our own page. The websocket must say so (browsers always send Origin
        on one); a form sends "null" under Referrer-Policy no-referrer, so other requests need only not come
        from another site's page."""
        origin = request.headers.get("Origin")
        if exactly:
            return origin == self.origin
        return origin in (None, "null", self.origin)

    @staticmethod
    def client(request: web.Request) -> str:
        return request.remote or "unknown address"

    def notice(
        self, request: web.Request, status: int, title: str, message: str, action: str = "", button: str = ""
    ) -> web.Response:
        """A short page saying what happened and what to do (a form with one button when action is given)."""
        context = {"title": title, "message": message, "action": action, "button": button, "group": self.title}
        return aiohttp_jinja2.render_template("notice.html", request, context, status=status)

    # logging in and out

    def _refused_link(self, request: web.Request) -> web.Response:
        self.failed.failed(self.client(request))
        log.warning("refused a login link from %s (unknown, used or out of date)", self.client(request))
        message = "This login link has been used already or is not valid. " + HOW_TO_GET_IN
        return self.notice(request, 403, "This link does not work", message)

    def _too_many(self, request: web.Request) -> web.Response | None:
        if not self.failed.blocked(self.client(request)):
            return None
        log.warning("refused a login from %s: too many failed logins", self.client(request))
        return self.notice(request, 429, "Too many tries", "Too many login links failed from here. Try again later.")

    async def handle_login_page(self, request: web.Request) -> web.StreamResponse:
        """The link's page: one button that spends the link. A GET changes nothing, so a mail or chat program
        that opens the link to preview it cannot use it up."""
        if (waiting := self._too_many(request)) is not None:
            return waiting
        self.roster.refresh()
        if self.roster.link_for(request.match_info["token"]) is None:
            return self._refused_link(request)
        return self.notice(
            request,
            200,
            "Open allytui",
            "This link works once: it logs this browser in.",
            action=request.path,
            button="Log in",
        )

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        """Spend the link, set the session cookie and go to the app (the token leaves the address bar)."""
        if (waiting := self._too_many(request)) is not None:
            return waiting
        used = await asyncio.to_thread(self.roster.file.use_link, request.match_info["token"])
        if used is None:
            return self._refused_link(request)
        _, session = used
        response = web.Response(status=303, headers={"Location": "/"})
        response.set_cookie(
            self.cookie,
            session,
            path="/",
            max_age=int(SESSION_LIFETIME.total_seconds()),
            httponly=True,
            samesite="Strict",
            secure=self.secure,
        )
        return response

    async def handle_logout(self, request: web.Request) -> web.StreamResponse:
        await asyncio.to_thread(self.roster.file.end_session, request[SESSION])
        response = self.notice(request, 200, "Logged out", "This browser is logged out. " + HOW_TO_GET_IN)
        response.del_cookie(self.cookie, path="/")
        return response

    # the app itself

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A download, only for the member whose session made it."""
        with contextlib.suppress(KeyError):
            made_by = (await self.download_manager.get_download_metadata(request.match_info["key"])).app_service
            if not isinstance(made_by, MemberAppService) or made_by.session != request[SESSION]:
                raise web.HTTPNotFound(text="no such download")
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket, with the member's own app process, within the cap on open sessions."""
        if len(self.live) >= self.max_sessions:
            log.warning("refused a session: %d are open, the most allowed", len(self.live))
            raise web.HTTPServiceUnavailable(text="Too many sessions are open; try again in a while.")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        service = MemberAppService(
            self.command,
            member=request[MEMBER],
            session=request[SESSION],
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.live[service.app_service_id] = Live(service, websocket)
        try:
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            del self.live[service.app_service_id]
            await service.stop()
        return websocket

    async def end_sessions_of_the_removed(self) -> None:
        """Close every open session whose member was removed or whose login ended."""
        self.roster.refresh()
        for live in list(self.live.values()):
            if self.roster.member_for(live.service.session) is None:
                log.info("closed a session: its member's access was removed")
                await live.websocket.close()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_EVERY)
            try:
                await self.end_sessions_of_the_removed()
            except Exception as error:  # keep watching whatever one look met
                log.exception(error)

    async def on_startup(self, app: web.Application) -> None:
        self._watcher = asyncio.create_task(self._watch())
        say = self.console.print
        say(f"{self.title} at {self.public_url} (Ctrl+C stops it)", highlight=False, markup=False, soft_wrap=True)
        if self.roster.problem:
            say(f"nobody can log in: {self.roster.problem}", highlight=False, markup=False, soft_wrap=True)

    async def on_shutdown(self, app: web.Application) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        for live in list(self.live.values()):
            await live.websocket.close()
