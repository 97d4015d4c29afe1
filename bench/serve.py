"""allytui serve: time to a usable dashboard for 1, 5 and 10 sessions at once, memory per session; against a terminal.

A session is usable when its browser (Debian's chromium, driven by Playwright) shows the dashboard's pipeline
with the records loaded, in xterm's screen-reader rows; the terminal baseline is the same app started in a
pseudo-terminal (80x24) until its output draws the same. Both run on a copy of the sample data in the same run,
in turn. Memory is the resident set of the app processes (the server's children; Chromium not counted), per
session, against the one app in the terminal.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from playwright.async_api import Dialog, Page

from common import arguments, git, ratio_table, scratch

ROOT = Path(__file__).resolve().parents[1]
USABLE = re.compile(r"allied\s+[1-9]")
"""On the dashboard once the records are loaded: the pipeline's count of allied groups (0 while loading)."""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def sample_repo(folder: Path) -> Path:
    root = folder / "riverton"
    shutil.copytree(ROOT / "groupdata", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample data")
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def app_processes(server: int) -> list[int]:
    """The server's descendants that run the app (python -m allytui --repo ...)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [server]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent:
                frontier.append(pid)
                try:
                    if b"allytui\0--repo" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        found.append(pid)
                except OSError:
                    pass
    return found


def in_terminal(root: Path) -> tuple[float, int]:
    """Seconds from start until the app in an 80x24 pseudo-terminal draws the dashboard; its RSS (KiB) then."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "allytui", "--repo", str(root)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    try:
        while not re.search(USABLE.pattern.encode(), re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", seen)):
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                raise TimeoutError("the app in the terminal drew no dashboard in 30 s")
            seen = (seen + os.read(fd, 65536))[-65536:]
        took = time.perf_counter() - start
        time.sleep(0.5)  # settled, as the browser sessions are when measured
        return took, rss_kib(pid)
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)


async def accept(dialog: Dialog) -> None:
    await dialog.accept()  # leaving a live session asks first


async def in_browsers(base: str, links: list[str], server: int) -> tuple[list[float], int]:
    """Log each link in (untimed), then open the app in every browser at once: each one's seconds until its
    dashboard shows, and the app processes' RSS (KiB) summed."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for link in links:
            context = await browser.new_context(viewport={"width": 1000, "height": 600})
            page = await context.new_page()
            page.on("dialog", accept)
            await page.goto(link)
            await page.get_by_role("button", name="Log in").click()
            await page.locator(".xterm-accessibility-tree").filter(has_text="1 Dashboard").wait_for(timeout=60_000)
            pages.append(page)
        await asyncio.sleep(1.0)
        for page in pages:  # a fresh session each: the ones the logins opened end as the pages leave
            await page.goto("about:blank")
        while app_processes(server):
            await asyncio.sleep(0.05)

        async def open_app(page: Page) -> float:
            start = time.perf_counter()
            await page.goto(base + "/")
            tree = page.locator(".xterm-accessibility-tree")
            await tree.filter(has_text=USABLE).wait_for(timeout=120_000)
            return time.perf_counter() - start

        times = await asyncio.gather(*(open_app(page) for page in pages))
        await asyncio.sleep(0.5)
        memory = sum(rss_kib(pid) for pid in app_processes(server))
        for page in pages:
            await page.goto("about:blank")
        await browser.close()
    return list(times), memory


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--sessions", default="1,5,10", help="sessions at once, comma-separated")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    with scratch("serve-", args.keep) as folder:
        os.environ.update(IDENTITY)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        root = sample_repo(folder)
        sys.path.insert(0, str(ROOT / "src"))
        from allytui.web.members import MembersFile

        members = MembersFile(root)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "allytui", "--repo", str(root), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            times: dict[str, list[float]] = {"terminal (pty)": []}
            rss: dict[str, list[int]] = {"terminal (pty)": []}
            for rep in range(args.reps):
                took, memory = in_terminal(root)
                times["terminal (pty)"].append(took)
                rss["terminal (pty)"].append(memory)
                for n in counts:
                    links = [
                        f"{base}/login/{members.add(f'member-{rep}-{i}', f'Member {i}', f'm{i}@example.org')}"
                        for i in range(n)
                    ]
                    seconds, memory = asyncio.run(in_browsers(base, links, server.pid))
                    name = f"browser, {n} at once"
                    times.setdefault(name, []).extend(seconds)
                    rss.setdefault(name, []).append(memory // n)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
    print("time to a usable dashboard (each session's own, all reps)")
    ratio_table(times, "terminal (pty)", unit="ms", width=24)
    print("\nresident memory per session (MiB; the app processes only)")
    base_rss = statistics.median(rss["terminal (pty)"])
    for name, values in rss.items():
        print(f"{name:<24}{statistics.median(values) / 1024:>8.1f}{statistics.median(values) / base_rss:>8.2f}x")


if __name__ == "__main__":
    main()
