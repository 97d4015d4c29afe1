"""How a table shares its width out between its columns (rows.fit_widths), without Textual."""

from __future__ import annotations

from allytui.tui.rows import Column, Row, fit_widths, sized_to

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


def test_a_whole_column_is_as_wide_as_its_widest_cell_and_its_label() -> None:
    columns = [Column("when", "When", 12, whole=True), Column("n", "Influence", 3, numeric=True), Column("x", "X", 5)]
    rows = [Row("a", ("overdue 1241d", "4", "long text here")), Row("b", ("today", "10", ""))]
    sized = sized_to(columns, rows)
    assert [c.width for c in sized] == [13, 9, 5]  # the plain column keeps its least width
    assert sized_to(columns, [])[0].width == 12  # no rows: the least width


def test_a_whole_last_column_never_shrinks_the_table_scrolls_instead() -> None:
    columns = [Column("a", "A", 30), Column("due", "Due", 10, whole=True)]
    assert fit_widths(columns, 35) == [30, 10]  # wider than 35: the table scrolls sideways
    assert fit_widths([Column("a", "A", 30), Column("b", "B", 10)], 35) == [30, 8]


def test_a_control_character_counts_as_its_escape() -> None:
    sized = sized_to([Column("d", "D", 4, whole=True)], [Row("a", ("1\x1b2",))])
    assert sized[0].width == len("1\\x1b2")
