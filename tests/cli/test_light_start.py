"""`allytui --help` and a mistyped option answer without loading pydantic, GitPython or any record code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pydantic", "git", "allytui.model.records", "allytui.store.repo", "rapidfuzz", "pyrage", "textual")

PROBE = """
import sys
from allytui.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("LOADED", *sorted(name for name in {heavy!r} if name in sys.modules))
"""


@pytest.mark.parametrize("argv", [["--help"], ["set", "--help"], ["list", "nonsense"], ["--version"]])
def test_arguments_alone_load_nothing_heavy(argv: list[str]) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv], capture_output=True, text=True, check=False
    )
    loaded = next(line for line in probe.stdout.splitlines() if line.startswith("LOADED"))
    assert loaded == "LOADED", f"{argv} imported {loaded.split()[1:]}"


def test_a_command_still_loads_what_it_needs(tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), "init", str(tmp_path) + "/repo"],
        capture_output=True,
        text=True,
        check=False,
    )
    loaded = next(line for line in probe.stdout.splitlines() if line.startswith("LOADED")).split()[1:]
    assert "allytui.store.repo" in loaded and "git" in loaded
