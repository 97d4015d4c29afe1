"""How a table shares its width out between its columns (rows.fit_widths), without Textual."""

from __future__ import annotations

from allytui.tui.rows import Column, fit_widths

FOLLOW_UPS = [
    Column("when", "When", 12),
    Column("due", "Due", 10, wide=60),
    Column("who", "Who", 16, grow=1, most=24),
    Column("what", "What", 8, grow=1),
]


def used(widths: list[int | None]) -> int:
    return sum(w + 1 for w in widths if w is not None)


def test_fixed_columns_keep_their_width_and_the_last_takes_the_rest() -> None:
    columns = [Column("a", "A", 5), Column("b", "B", 7)]
    assert fit_widths(columns, 40) == [5, 33]
    assert used(fit_widths(columns, 40)) == 40


def test_growing_columns_share_the_spare_up_to_their_most() -> None:
    widths = fit_widths(FOLLOW_UPS, 80)
    assert widths[:2] == [12, 10]
    assert widths[2] == 24  # its share would be more, but it stops at most
    assert used(widths) == 80  # nothing is wasted: the last column took the remainder


def test_shares_follow_the_weights() -> None:
    columns = [Column("a", "A", 10, grow=1), Column("b", "B", 10, grow=3), Column("c", "C", 10)]
    widths = fit_widths(columns, 33 + 40)
    assert widths == [20, 40, 10]


def test_a_wide_only_column_hides_on_a_narrow_table_and_its_room_goes_to_others() -> None:
    narrow = fit_widths(FOLLOW_UPS, 59)
    assert narrow[1] is None
    assert used(narrow) == 59
    assert fit_widths(FOLLOW_UPS, 60)[1] == 10


def test_a_too_narrow_table_shrinks_the_last_column_to_its_least_then_stops() -> None:
    columns = [Column("a", "A", 10), Column("b", "B", 20)]
    assert fit_widths(columns, 25) == [10, 13]
    assert fit_widths(columns, 5) == [10, 8]  # the table scrolls sideways from here
    assert fit_widths([Column("a", "A", 5)], 3) == [5]  # a column narrower than the least keeps its width


def test_no_columns_or_all_hidden() -> None:
    assert fit_widths([], 80) == []
    assert fit_widths([Column("a", "A", 5, wide=100)], 80) == [None]
