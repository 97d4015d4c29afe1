"""Entry point: parse the command line; with no command (or `demo`), open the text interface."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from allytui.cli.main import main as run_command

if TYPE_CHECKING:
    from allytui.store.repo import DataRepo
    from allytui.tui.app import AllytuiApp


def make_app(repo: DataRepo) -> AllytuiApp:
    """The app on repo, its records already loading: the load begins before Textual is imported, in a thread, so
    the two overlap (the imports take ~0.25 s; git's listing and reading the record cache wait on the disk)."""
    from allytui.store.early_load import EarlyLoad

    early = EarlyLoad(repo)
    from allytui.tui.app import AllytuiApp  # only the interface needs Textual

    return AllytuiApp(repo, early=early)


def open_interface(repo: DataRepo, *, headless: bool = False) -> int:
    """Run the app on repo; its exit status (1 when it stopped on an unhandled error)."""
    app = make_app(repo)
    app.run(headless=headless)
    return app.return_code or 0


def serve_in_browser(repo: DataRepo, args: argparse.Namespace) -> int:
    """`allytui serve`: members' logins, or the app served to their browsers."""
    from allytui.web.command import cmd_serve  # only serving needs the web server

    return cmd_serve(repo, args)


def main(argv: list[str] | None = None) -> int:
    return run_command(argv, open_interface, serve_in_browser)


if __name__ == "__main__":
    sys.exit(main())
