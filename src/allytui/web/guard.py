"""What keeps the server safe to expose: one origin, failed logins slowed down, and headers on every answer."""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from urllib.parse import urlsplit

FAILED_LOGINS = 10
"""Failed login links from one address before it must wait."""
FAILED_WINDOW = 15 * 60.0
"""Seconds over which failed logins are counted, and how long an address then waits."""
ADDRESSES_KEPT = 10_000

PAGE_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # textual.js and xterm put their own <style> elements and style attributes on the page
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
"""Content-Security-Policy: nothing from any other host, no inline script, never inside another site's frame."""

HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def origin_of(url: str) -> str:
    """scheme://host[:port] of url, as a browser sends it in Origin (default ports left out)."""
    parts = urlsplit(url)
    scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


class FailedLogins:
    """Failed logins per client address: after FAILED_LOGINS within FAILED_WINDOW, that address waits."""

    def __init__(self, most: int = FAILED_LOGINS, window: float = FAILED_WINDOW) -> None:
        self.most, self.window = most, window
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, address: str, at: float) -> deque[float]:
        times = self._seen.get(address, deque())
        while times and times[0] <= at - self.window:
            times.popleft()
        return times

    def blocked(self, address: str) -> bool:
        return len(self._recent(address, time.monotonic())) >= self.most

    def failed(self, address: str) -> None:
        at = time.monotonic()
        times = self._recent(address, at)
        times.append(at)
        self._seen[address] = times
        if len(self._seen) > ADDRESSES_KEPT:  # forget the address seen longest ago, not the one just failing
            del self._seen[next(iter(self._seen))]


_LOGIN_TOKEN = re.compile(r"/login/[^\s\"?]+")


def without_tokens(text: str) -> str:
    return _LOGIN_TOKEN.sub("/login/…", text)


class HideLoginTokens(logging.Filter):
    """Takes login tokens out of log lines (aiohttp's access log writes each request's path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_tokens(record.msg)
        for name, value in list(vars(record).items()):
            if isinstance(value, str) and "/login/" in value:
                setattr(record, name, without_tokens(value))
        return True
