"""Reading spreadsheets as people save them, choices as people type them, and which record a row is."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.model.enums import Category, Channel, Stage
from allytui.model.records import Group, Kind, Person
from allytui.model.row_match import Match, RecordFinder, same_as_matched
from allytui.model.sheet_values import (
    BadChoice,
    as_text_cell,
    from_text_cell,
    match_choice,
    read_choices,
    suggest_choice,
    web_address,
)
from allytui.store.errors import AllytuiError
from allytui.store.sheets import detect_delimiter, parse_sheet, read_sheet


@pytest.mark.parametrize(
    ("first_line", "delimiter"),
    [
        ("name;category;stage", ";"),
        ("name\tcategory\tstage", "\t"),
        ("name,category,stage", ","),
        ('"Smith, Jones and Co";category', ";"),  # a comma inside quotes is part of a cell
        ("name", ","),
        ("\n\nname;stage", ";"),  # blank lines above the header
    ],
)
def test_the_delimiter_is_the_one_that_splits_the_header_most(first_line: str, delimiter: str) -> None:
    assert detect_delimiter(first_line + "\nx;y,z\n") == delimiter


def test_blank_rows_are_skipped_and_rows_keep_the_spreadsheets_numbers() -> None:
    sheet = parse_sheet("g.csv", "\nName;Category;;\nA;faith;;\n;;;\n  ; ;;\nB;pta;;\nC;pta;x;\n")
    assert sheet.header == ["Name", "Category", "", ""]
    assert [(row.number, row.cells, row.overflow) for row in sheet.rows] == [
        (3, {"Name": "A", "Category": "faith"}, False),
        (6, {"Name": "B", "Category": "pta"}, False),
        (7, {"Name": "C", "Category": "pta"}, False),  # a cell under an unnamed column is not read
    ]
    sheet = parse_sheet("g.csv", "Name;Category\nA;faith;stray\n")
    assert sheet.rows[0].overflow


def test_a_sheet_of_only_a_header_or_nothing_says_so() -> None:
    for text in ("", "Name;Category\n;;\n"):
        with pytest.raises(AllytuiError, match=r"g\.csv: no rows to import"):
            parse_sheet("g.csv", text)


def test_a_file_from_old_excel_is_read_as_windows_1252_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_bytes("Name;Area\nCafé Müller;Süd\n".encode("cp1252"))
    sheet = read_sheet(path)
    assert sheet.rows[0].cells == {"Name": "Café Müller", "Area": "Süd"}
    assert sheet.notes == ["groups.csv: not UTF-8; read as Windows-1252. If accents look wrong, save it as CSV UTF-8"]
    path.write_bytes("\ufeffName;Area\nCafé;x\n".encode())
    assert read_sheet(path).notes == [] and read_sheet(path).header == ["Name", "Area"]


@pytest.mark.parametrize("typed", ["food_bank", "Food Bank", "FOOD BANK", "food-bank", "foodbank", " food  bank "])
def test_a_choice_is_its_value_or_label_in_any_case_and_spacing(typed: str) -> None:
    assert match_choice(Category, typed) == "food_bank"


def test_near_misses_are_suggested_and_far_ones_are_not() -> None:
    assert match_choice(Channel, "e-mail") == "email"
    assert match_choice(Stage, "In Conversation") == "in_conversation"
    assert match_choice(Category, "sprots") is None
    assert suggest_choice(Category, "sprots") == "sports"
    assert suggest_choice(Category, "food banks") == "food bank"
    assert suggest_choice(Stage, "conversation") == "in conversation"
    assert suggest_choice(Category, "bakery") is None
    assert suggest_choice(Category, "x") is None


def test_read_choices_reads_single_and_list_choices_and_names_the_bad_ones() -> None:
    data, bad = read_choices(
        Group,
        {"name": "Sprots Club", "category": "Sprots", "shortlist_reasons": ["Similar aims", "local-influence", "fame"]},
    )
    assert data["category"] == "Sprots" and data["shortlist_reasons"][:2] == ["similar_aims", "local_influence"]
    assert data["name"] == "Sprots Club"  # not a choice: left alone
    assert bad == [BadChoice("category", "Sprots", "sports"), BadChoice("shortlist_reasons", "fame", None)]


def test_a_website_typed_as_a_domain_gets_https() -> None:
    assert web_address("riverton-fb.org") == "https://riverton-fb.org"
    assert web_address("www.example.org/groups/a") == "https://www.example.org/groups/a"
    assert web_address("http://example.org") == "http://example.org"
    assert web_address("our facebook page") == "our facebook page"  # left for validation to name


def test_a_row_is_found_by_id_else_website_else_name() -> None:
    finder = RecordFinder.of(
        Kind.GROUPS,
        [
            Group(id="fb", name="Riverton Food Bank", category="food_bank", website="https://www.riverton-fb.org/"),
            Group(id="choir", name="Town Choir", category="other"),
            Group(id="choir-2", name="The Town Choir Ltd", category="other"),
            Group(id="st-marys", name="St Mary's Church", category="faith"),
        ],
    )
    assert finder.find("choir", {"name": "Anything"}) == Match("choir", "id")
    assert finder.find("nobody", {"name": "Town Choir"}) == Match()  # an id of its own: a new record
    assert finder.find("", {"name": "Food Bank", "website": "http://riverton-fb.org"}) == Match("fb", "website")
    assert finder.find("", {"name": "st marys", "website": ""}) == Match("st-marys", "name")
    assert finder.find("", {"name": "town choir"}) == Match(None, "name", ("choir", "choir-2"))
    assert finder.find("", {"name": "Somewhere Else"}) == Match()


def test_people_by_name_and_what_a_row_was_found_by_is_left_as_the_record_has_it() -> None:
    finder = RecordFinder.of(Kind.PEOPLE, [Person(id="ana", name="Ana López")])
    assert finder.find("", {"name": "ANA LOPEZ"}) == Match("ana", "name")
    assert same_as_matched("name", {"name": "ANA LOPEZ", "role": "vicar"}) == {"role": "vicar"}
    assert same_as_matched("id", {"name": "Ana", "role": "vicar"}) == {"name": "Ana", "role": "vicar"}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-not a number", "'-not a number"),
        ("@mention", "'@mention"),
        ("-1", "-1"),
        ("+3", "+3"),
        ("St Mary's", "St Mary's"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_a_cell_that_would_be_a_formula_is_marked_as_text_and_read_back(value: str, cell: str) -> None:
    assert as_text_cell(value) == cell
    assert from_text_cell(cell) == value
