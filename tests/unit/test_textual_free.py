"""The command line starts without loading Textual: only opening the interface does (import-linter can't see this)."""

from __future__ import annotations

import subprocess
import sys

from allytui.store.repo import DataRepo

PROBE = """
import contextlib, io, sys
from allytui.__main__ import main
for argv in {commands!r}:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main(argv)
    print(" ".join(argv), "textual" in sys.modules)
"""


def test_the_command_line_never_loads_textual(repo: DataRepo) -> None:
    root = str(repo.root)
    commands = [["--help"], ["list", "--help"], ["--repo", root, "check"], ["--repo", root, "list", "groups"]]
    code = PROBE.format(commands=commands)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [f"{' '.join(argv)} False" for argv in commands]


def test_the_probe_sees_textual_when_the_interface_is_loaded() -> None:
    code = "import sys, allytui.__main__ as m, allytui.tui.app; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
