"""Cutting table text to a width (render.cells): never inside a number, a date in brackets kept whole."""

from __future__ import annotations

from rich.cells import cell_len

from allytui.render.cells import cut


def test_text_that_fits_is_left_alone() -> None:
    assert cut("Riverton Pride", 14) == "Riverton Pride"


def test_text_is_cut_with_an_ellipsis() -> None:
    assert cut("Riverton Food Bank", 10) == "Riverton …"
    assert cut("Riverton Food Bank", 1) == "…"
    assert cut("abc", 0) == ""


def test_never_inside_a_number() -> None:
    assert cut("overdue 1241d", 12) == "overdue …"  # not "overdue 124…"
    assert cut("network ~600 people", 11) == "network …"
    assert cut("next 2026-11-20 call", 14) == "next …"
    assert cut("Save the 42 Bus", 12) == "Save the 42…"  # a whole number before the cut stays


def test_a_date_in_brackets_at_the_end_stays_whole() -> None:
    assert cut("Riverton Evening WI (2026-04-09)", 30) == "Riverton Evening… (2026-04-09)"
    assert cut("Riverton Food Bank (2026-11-24)", 23) == "Riverton Food Bank …"  # too little name: no date
    assert cut("Al-Noor Mosque and Community Centre (2026-09-05)", 14) == "Al-Noor Mosqu…"
    assert cut("Riverton Renters Union (2026-10-08)", 23) == "Riverton Renters Union…"  # never as if uncut
    assert cut("TOML syntax: Illegal character (column 15)", 24) == "TOML syntax: Illegal ch…"  # only a date
    for width in range(1, 40):
        assert cell_len(cut("Al-Noor Mosque and Community Centre (2026-09-05)", width)) <= width


def test_wide_characters_count_as_two_cells() -> None:
    assert cut("日本語のグループ", 7) == "日本語…"
