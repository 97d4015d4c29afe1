"""Running text on the command line (show, log, brief, paths, about, national-report) wraps to $COLUMNS between
words, continuation lines indented under their text; piped, every line stays whole."""

from __future__ import annotations

import pytest

from allytui.cli.main import main
from allytui.cli.output import fitted
from allytui.store.repo import DataRepo

COMMANDS = [
    ["show", "groups/al-noor-mosque"],
    ["log", "groups/al-noor-mosque"],
    ["brief", "al-noor-mosque"],
    ["paths", "al-noor-mosque"],
    ["about", "people/farida-begum"],
    ["national-report"],
]


def run(capsys: pytest.CaptureFixture[str], repo: DataRepo, argv: list[str]) -> str:
    assert main(["--repo", str(repo.root), *argv]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
def test_at_60_columns_no_line_is_longer_and_no_word_is_lost(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    piped = run(capsys, sample_repo, argv)
    assert max(len(line) for line in piped.splitlines()) > 60  # something to wrap
    monkeypatch.setenv("COLUMNS", "60")
    fitted_out = run(capsys, sample_repo, argv)
    assert max(len(line) for line in fitted_out.splitlines()) <= 60
    assert fitted_out.split() == piped.split()


def test_continuation_lines_hang_under_the_text_of_an_item() -> None:
    lines = fitted("  - No events on Friday lunchtimes or on the evenings of the big festivals", 40)
    assert lines[0].startswith("  - No events") and all(line.startswith("    ") for line in lines[1:])
    assert fitted(" 1. Ellen Brooks —knows (Same food bank shift, friendly)→ Farida Begum", 40)[1].startswith("    ")
    assert fitted("short", 40) == ["short"] and fitted("x" * 50, None) == ["x" * 50]
    assert fitted("a-very-long-address-that-has-no-spaces-in-it-at-all-anywhere", 20) == [
        "a-very-long-address-that-has-no-spaces-in-it-at-all-anywhere"
    ]
