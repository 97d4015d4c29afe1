"""CLI tables fit the terminal ($COLUMNS): dates and numbers whole, text cut or wrapped, full values in --json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from allytui.cli.main import main
from allytui.cli.tables import table_lines, terminal_width
from allytui.store.repo import DataRepo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def widest(out: str) -> int:
    return max(cell_len(line) for line in out.splitlines())


# the printer


def test_a_first_column_of_ids_stays_whole_one_of_names_may_be_cut() -> None:
    rows = [["a-rather-long-record-id", "x " * 40]]
    assert table_lines(["id", "what"], rows, 30)[1].startswith("a-rather-long-record-id  x")
    named = table_lines(["idea", "what"], [["A rather long idea title", "x " * 40]], 30)
    assert named[1].startswith("A rather long") and named[1].split("  ")[0].endswith("…")
    assert max(cell_len(line) for line in named) <= 30


def test_a_table_that_fits_is_printed_as_it_is() -> None:
    lines = table_lines(["id", "name"], [["a", "Ann"], ["bb", "Bob Smith"]], 80)
    assert lines == ["ID  NAME", "a   Ann", "bb  Bob Smith"]
    assert table_lines(["id"], [], None) == ["ID"]
    assert table_lines([], [], 80) == []


def test_text_columns_shrink_widest_first_and_the_last_wraps_dates_and_numbers_stay_whole() -> None:
    rows = [["riverton-food-bank", "2026-11-20", "overdue by 1241 days", "A" * 40 + " name", "word " * 30]]
    lines = table_lines(["id", "due", "when", "name", "what"], rows, 90)
    assert max(cell_len(line) for line in lines) <= 90
    row = lines[1]
    assert row.startswith("riverton-food-bank  2026-11-20  overdue by 1241 days  ")  # whole: first, date, count
    assert "A" * 11 + "…" in row  # cut to LEAST
    what = " ".join(line[row.index("word") :].strip() for line in lines[1:])
    assert what.split() == ["word"] * 30  # wrapped, every word kept


def test_labels_wrap_between_words_and_after_underscores() -> None:
    lines = table_lines(["id", "next_action_due", "in conversation or allied"], [["a", "2026-11-20", "1"]], 30)
    assert lines[0].split()[:2] in (["ID", "NEXT_"], ["ID", "NEXT_ACTION_"])
    assert "DUE" in lines[1] and "NEXT_ACTION_DUE" not in "".join(lines)
    assert max(cell_len(line) for line in lines) <= 30


def test_columns_on_the_right_are_left_out_when_even_then_it_does_not_fit() -> None:
    header = ["id", "name", "category", "stage", "lead"]
    rows = [["an-id-of-some-length", "A name " * 4, "environmental", "in_conversation", "someone-long"]]
    lines = table_lines(header, rows, 50, spare=3)
    assert max(cell_len(line) for line in lines) <= 50
    assert lines[0].split()[:2] == ["ID", "NAME"]
    note = " ".join(lines[lines.index(next(line for line in lines if line.startswith("(left out"))) :])
    assert note.startswith("(left out at 50 columns:") and "lead" in note and "--json" in note
    assert "left out" not in "\n".join(table_lines(header, rows, 50))  # spare=0: nothing left out


def test_record_text_is_made_visible_and_never_cut_in_an_escape() -> None:
    lines = table_lines(["id", "name"], [["x", "bad\x1b[31m name"]], 80)
    assert "\x1b" not in "\n".join(lines) and "\\x1b[31m" in lines[1]


def test_the_width_is_columns_or_the_terminal_and_none_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width() == 72
    monkeypatch.delenv("COLUMNS")
    assert terminal_width() is None  # pytest's output is not a terminal: every cell whole


# the commands, at 80 columns


@pytest.mark.parametrize(
    "argv",
    [
        ("map",),
        ("shortlist",),
        ("shortlist", "--all"),
        ("agenda",),
        ("list", "groups"),
        ("list", "people"),
        ("list", "conversations"),
        ("list", "activities"),
        ("gaps",),
        ("suggest",),
    ],
)
def test_at_80_columns_every_table_fits(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run(capsys, "--repo", str(sample_repo.root), *argv)
    assert widest(out) <= 80, [line for line in out.splitlines() if cell_len(line) > 80]
    monkeypatch.delenv("COLUMNS")
    assert widest(run(capsys, "--repo", str(sample_repo.root), *argv)) > 80  # piped: as wide as it takes


def test_cut_values_are_whole_in_json(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = run(capsys, "--repo", str(sample_repo.root), "shortlist", "--all")
    listing = json.loads(run(capsys, "--repo", str(sample_repo.root), "shortlist", "--all", "--json"))
    longest = max((item["name"] for item in listing), key=len)
    assert len(longest) > 30 and longest not in table  # cut in the table
    assert any("known" in reason["label"] for item in listing for reason in item["reasons"])


def test_the_map_at_80_columns_tells_riverton_marks_apart(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run(capsys, "--repo", str(sample_repo.root), "map")
    grid = out.split("Key:")[0]
    assert "Food Ba" in grid and "Town FC" in grid and "Riverton F" not in grid
    assert "leave off “Riverton”" in out
    assert "Riverton Food Bank (group" in out  # the lists keep names whole


def test_the_svg_map_leaves_off_the_shared_start_where_it_cuts_a_name(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    svg = tmp_path / "map.svg"
    assert main(["--repo", str(sample_repo.root), "map", "--svg", str(svg)]) == 0
    capsys.readouterr()
    text = svg.read_text()
    labels = re.findall(r">([^<>]*)</text></g>", text)
    assert "Allotment and Garden …" in labels and not any(label.startswith("Riverton Allot") for label in labels)
    assert "Riverton Food Bank" in labels  # it fits: whole
    assert "names cut to fit leave off “Riverton”" in text
    assert "<title>Riverton Allotment and Garden Society (group" in text  # whole on hover


def test_summary_counts_groups_by_stage_in_pipeline_order_with_labels_within_the_width(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--repo", str(sample_repo.root), "summary"]) == 0
    out = capsys.readouterr().out
    assert "in conversation 4" in out and "in_conversation" not in out
    assert out.index("researched") < out.index("shortlisted") < out.index("allied") and "\\n" not in out
    assert max(len(line) for line in out.splitlines()[1:]) <= 80  # the first names the repo and its path
