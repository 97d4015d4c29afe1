"""Entry point: parse the command line; with no command (or `demo`), open the text interface."""

from __future__ import annotations

import sys

from allytui.cli.main import main as run_command
from allytui.store.repo import DataRepo


def open_interface(repo: DataRepo) -> None:
    from allytui.tui.app import AllytuiApp  # only the interface needs Textual

    AllytuiApp(repo).run()


def main(argv: list[str] | None = None) -> int:
    return run_command(argv, open_interface)


if __name__ == "__main__":
    sys.exit(main())
