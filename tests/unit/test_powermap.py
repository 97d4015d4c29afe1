"""The power map's model: placement, quadrants, filters, crowded cells, and the text, JSON and SVG exports."""

from __future__ import annotations

import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import pytest

from allytui.model.enums import Stage
from allytui.model.powermap import (
    ALIGNMENTS,
    INFLUENCES,
    MapFilter,
    Mark,
    Quadrant,
    Standing,
    layout,
    marks,
    only,
    quadrant,
    row_capacities,
    unplaced,
)
from allytui.model.records import Group, Kind, Person, Record
from allytui.render.powermap import to_json, to_svg, to_text
from allytui.store.loader import load_repo
from tests.helpers import SAMPLE_DATA

SVG = "{http://www.w3.org/2000/svg}"


def index(*records: Record) -> dict[Kind, dict[str, Record]]:
    found: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        found[record.KIND][record.id] = record
    return found


def group(id: str, influence: int | None = 3, alignment: int | None = 1, **fields: object) -> Group:
    fields.setdefault("name", id.replace("-", " ").title())
    fields.setdefault("category", "faith")
    return Group(id=id, influence=influence, alignment=alignment, **fields)


def person(id: str, influence: int | None = 3, alignment: int | None = 1, **fields: object) -> Person:
    fields.setdefault("name", id.replace("-", " ").title())
    return Person(id=id, influence=influence, alignment=alignment, **fields)


def keys(entries: Iterable[Mark]) -> list[str]:
    return [m.key for m in entries]


def crowd(count: int, influence: int = 4, alignment: int = 2) -> list[Mark]:
    """count groups all in one cell, named so their order is a-group, b-group, ... (then a1-group ...)"""
    names = [f"{chr(ord('a') + n % 26)}{n // 26 or ''}-group" for n in range(count)]
    records = [group(f"{name}-{influence}", influence, alignment, name=name) for name in names]
    return marks(index(*records))


# placement


def test_only_records_with_both_values_are_placed_and_the_rest_are_listed() -> None:
    data = index(
        group("both", 4, -1),
        group("no-alignment", 4, None),
        person("no-influence", None, 2),
        person("neither", None, None),
        person("our-member", None, None, member_of="us"),
        person("rated-member", 2, 2, member_of="us"),
    )
    placed = marks(data)
    assert keys(placed) == ["groups/both", "people/rated-member"]
    assert placed[0].cell == (4, -1)
    left_off = {e.key: e.missing for e in unplaced(data)}
    assert left_off == {
        "groups/no-alignment": ("alignment",),
        "people/neither": ("influence", "alignment"),
        "people/no-influence": ("influence",),
    }  # our own member with neither value is us, not someone missing from the map


@pytest.mark.parametrize(
    ("influence", "alignment", "expected"),
    [
        (5, 2, Quadrant.INFLUENTIAL_ALLIES),
        (3, 1, Quadrant.INFLUENTIAL_ALLIES),  # 3 is the cut: influential
        (2, 1, Quadrant.SUPPORTIVE),
        (1, 2, Quadrant.SUPPORTIVE),
        (3, -1, Quadrant.INFLUENTIAL_OPPONENTS),
        (5, -2, Quadrant.INFLUENTIAL_OPPONENTS),
        (2, -1, Quadrant.OPPOSED),
        (1, -2, Quadrant.OPPOSED),
        (5, 0, None),  # neutral: between the halves, in no quadrant
        (1, 0, None),
    ],
)
def test_quadrants(influence: int, alignment: int, expected: Quadrant | None) -> None:
    assert quadrant(influence, alignment) is expected
    (mark,) = marks(index(group("g", influence, alignment)))
    assert mark.quadrant is expected
    assert mark.zone == (expected.label if expected else "Neutral")


def test_a_person_takes_the_stage_of_their_group_furthest_along_and_their_groups_categories_and_tags() -> None:
    data = index(
        group("declined", stage="declined", category="sports", tags=["football"]),
        group("allied", stage="allied", category="faith", tags=["venue"]),
        group("meeting", stage="meeting", category="faith"),
        person("both", groups=["declined", "allied", "meeting", "gone"]),
        person("alone"),
        person("stopped", groups=["declined"]),
    )
    by_key = {m.key: m for m in marks(data)}
    both = by_key["people/both"]
    assert (both.stage, both.via) == (Stage.ALLIED, "Allied")
    assert both.standing is Standing.ALLIED
    assert both.categories == ("sports", "faith")
    assert both.tags == ("football", "venue")
    assert both.stage_text == "allied (their group Allied)"
    alone = by_key["people/alone"]
    assert (alone.stage, alone.standing, alone.stage_text) == (None, Standing.NO_STAGE, "no stage (in no group)")
    assert by_key["people/stopped"].standing is Standing.STOPPED
    assert by_key["groups/meeting"].standing is Standing.TALKING


def test_every_stage_has_a_distinct_symbol_per_standing() -> None:
    symbols = {s.symbol for s in Standing}
    assert len(symbols) == len(Standing)


# layout


def test_crowded_cell_shows_what_fits_and_counts_the_rest() -> None:
    grid = layout(crowd(5), 3)
    cell = grid[4, 2]
    assert [m.label for m in cell.shown] == ["a-group", "b-group", "c-group"]
    assert (cell.hidden, cell.crowded) == (2, True)
    roomy = layout(crowd(5), 5)[4, 2]
    assert (roomy.hidden, roomy.crowded) == (0, False)


def test_layout_has_every_cell_in_reading_order_even_empty_ones() -> None:
    grid = layout([], 2)
    assert list(grid) == [(i, a) for i in INFLUENCES for a in ALIGNMENTS]
    assert all(not cell.marks and not cell.hidden for cell in grid.values())


def test_capacity_per_row_and_at_least_one() -> None:
    entries = crowd(3, influence=4) + crowd(3, influence=1)
    grid = layout(entries, {4: 2, 1: 0})
    assert (len(grid[4, 2].shown), grid[4, 2].hidden) == (2, 1)
    assert (len(grid[1, 2].shown), grid[1, 2].hidden) == (1, 2)  # never less than one place


def test_a_selected_mark_among_the_counted_takes_the_last_place() -> None:
    entries = crowd(5)
    cell = layout(entries, 3, selected="groups/e-group-4")[4, 2]
    assert [m.label for m in cell.shown] == ["a-group", "b-group", "e-group"]
    assert cell.hidden == 2
    shown_anyway = layout(entries, 3, selected="groups/a-group-4")[4, 2]
    assert [m.label for m in shown_anyway.shown] == ["a-group", "b-group", "c-group"]


def test_order_is_deterministic_groups_first_then_by_name_any_case_then_id() -> None:
    records = [
        person("zed-person", name="aaron"),
        group("b-id", name="beta"),
        group("a-id", name="Beta"),
        group("c-id", name="alpha"),
    ]
    expected = ["groups/c-id", "groups/a-id", "groups/b-id", "people/zed-person"]
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        placed = marks(index(*shuffled))
        assert keys(placed) == expected
        assert keys(layout(list(reversed(placed)), 10)[3, 1].marks) == expected


def test_row_capacities_share_lines_by_need() -> None:
    entries = crowd(6, influence=3) + crowd(2, influence=5)
    rows = row_capacities(entries, 12)
    assert sum(rows.values()) == 12
    assert rows[3] >= 6 and rows[5] >= 2
    assert all(rows[i] >= 1 for i in INFLUENCES)
    tight = row_capacities(entries, 8)
    assert sum(tight.values()) == 8 and all(tight[i] >= 1 for i in INFLUENCES)
    assert tight[3] > tight[5]
    assert row_capacities(entries, 3) == dict.fromkeys(INFLUENCES, 1)  # too few lines: one each


# filters


def sample_like() -> list[Mark]:
    return marks(
        index(
            group("church", stage="allied", category="faith", tags=["venue"]),
            group("club", 2, -1, stage="researched", category="sports", tags=["football"]),
            group("union", stage="in_conversation", category="trade_union"),
            person("vicar", groups=["church"]),
            person("fan", groups=["club"]),
            person("loner"),
        )
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["church", "club", "union", "fan", "loner", "vicar"]),
        ("kind:groups", ["church", "club", "union"]),
        ("kind:p", ["fan", "loner", "vicar"]),
        ("kind:person", ["fan", "loner", "vicar"]),
        ("kind:all", ["church", "club", "union", "fan", "loner", "vicar"]),
        ("stage:allied", ["church", "vicar"]),  # the vicar through the church
        ("stage:conv", ["union"]),  # part of a value, `_` as space
        ("stage:in_conversation", ["union"]),
        ("stage:allied stage:researched", ["church", "club", "fan", "vicar"]),  # one field: alternatives
        ("stage:allied kind:people", ["vicar"]),  # different fields: all must match
        ("category:faith", ["church", "vicar"]),
        ("category:trade union", ["union"]),  # "trade" matches; "union" is a free word matching the name
        ("tag:venue", ["church", "vicar"]),
        ("TAG:Foot", ["club", "fan"]),
        ("lon", ["loner"]),
        ("stage:", ["church", "club", "union", "fan", "loner", "vicar"]),  # half typed: no limit yet
        ("colour:red", []),  # not a field: a free word, matching no name
    ],
)
def test_filters(text: str, expected: list[str]) -> None:
    shown = only(sample_like(), MapFilter.parse(text))
    assert [m.id for m in shown] == expected


def test_exact_filter_for_the_command_line() -> None:
    entries = sample_like()
    assert [m.id for m in only(entries, MapFilter.of(tags=("foot",), exact=True))] == []
    assert [m.id for m in only(entries, MapFilter.of(tags=("football",), exact=True))] == ["club", "fan"]
    assert [m.id for m in only(entries, MapFilter.of(kinds=("people",), stages=("allied",), exact=True))] == ["vicar"]


def test_filter_text_round_trips_and_changes_kind() -> None:
    wanted = MapFilter.parse("stage:in_conversation tag:venue St")
    assert MapFilter.parse(wanted.text()) == wanted
    assert wanted.with_kind(Kind.PEOPLE).kinds == ("people",)
    assert wanted.with_kind(None).kinds == ()
    assert not MapFilter.parse("kind:all")
    assert MapFilter.parse("x")


# exports

NASTY = "<script>alert(\"x\")</script> & Sons 'Ltd'"


def nasty_map() -> list[Mark]:
    return marks(
        index(
            group("nasty", 4, 2, name=NASTY, stage="allied", tags=["a-b"]),
            group("opponents", 5, -2, name="Big & Co", stage="declined"),
            person("quiet", 1, 0, name="Quiet <Person>"),
        )
    )


def test_svg_is_well_formed_escapes_record_text_and_is_standalone() -> None:
    svg = to_svg(nasty_map(), title="Power map: <Riverton> & co", note="filter: tag:a&b")
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg and "&amp; Sons" in svg
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Power map: <Riverton> & co"  # type: ignore[union-attr]
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Big & Co" in texts
    assert any(t.startswith('<script>alert("x")') for t in texts)  # cut to fit, shown as text
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert any(t.startswith(NASTY) for t in titles)  # the full name on hover
    marks_drawn = [g for g in root.iter(f"{SVG}g") if g.get("data-id")]
    assert sorted(g.get("data-id") for g in marks_drawn) == ["nasty", "opponents", "quiet"]
    for quadrant_ in Quadrant:
        assert quadrant_.label in texts
    for standing in (Standing.ALLIED, Standing.STOPPED, Standing.NO_STAGE):
        assert standing.label in texts  # the legend
    assert "href" not in svg and "url(" not in svg and "@import" not in svg  # nothing fetched from outside
    italic = [t for t in root.iter(f"{SVG}text") if t.get("font-style") == "italic"]
    assert any("".join(t.itertext()) == "Quiet <Person>" for t in italic)  # people in italics


def test_svg_of_an_empty_map_and_of_a_crowd_is_well_formed() -> None:
    ET.fromstring(to_svg([]))
    crowded = ET.fromstring(to_svg(crowd(30)))
    assert len([g for g in crowded.iter(f"{SVG}g") if g.get("data-id")]) == 30  # slides show every mark


def test_text_export_has_grid_legend_quadrant_lists_and_who_is_missing() -> None:
    data = index(
        group("st-marys", 4, 2, name="St Mary's Parish Church", stage="allied"),
        group("chamber", 5, -1, name="Chamber of Trade", stage="contacted"),
        group("club", 2, -1, name="Motor Club"),
        group("fc", 4, 0, name="Town FC", stage="shortlisted"),
        person("unrated", None, 1, name="Kwame"),
        *(group(f"crowd-{n}", 2, 2, name=f"Crowd {n}", stage="meeting") for n in range(4)),
    )
    text = to_text(marks(data), title="Power map: Riverton", note="filter: none", left_off=unplaced(data))
    lines = text.splitlines()
    assert lines[0] == "Power map: Riverton"
    assert lines[1] == "8 on the map · filter: none"
    assert "INFLUENTIAL OPPONENTS" in text and "SUPPORTIVE, LITTLE INFLUENCE" in text
    grid_lines = [line for line in lines if "|" in line]
    assert any(line.split("|")[5].strip().startswith("● St Mary's") for line in grid_lines)
    assert any(line.startswith("===") for line in lines)  # the cut between influence 3 and 2
    assert "Key: ● allied" in text
    assert "  ● St Mary's Parish Church (group; allied; influence 4, alignment +2)" in lines
    assert lines.index("Influential allies (1)") < lines.index("Neutral (1)")
    assert "  ○ Town FC (group; shortlisted; influence 4, alignment 0)" in lines
    assert "Opposed, little influence (1)" in lines
    assert "  Kwame (person; no influence)" in lines
    assert max(len(line) for line in grid_lines) <= 90  # fits an email
    assert sum(1 for line in grid_lines if "◐ Crowd" in line) == 4  # every mark, unless told otherwise
    capped = to_text(marks(data), cell_capacity=2)
    assert "+2 more" in capped


def test_text_export_makes_control_characters_visible() -> None:
    mark = marks(index(group("g", 3, 1, name="Safe name")))[0]
    sneaky = Mark(**{**mark.__dict__, "label": "Evil\x1b[31m"})
    text = to_text([sneaky])
    assert "\x1b" not in text and "Evil\\x1b[31m" in text


def test_json_placements() -> None:
    data = index(group("g", 4, -2, stage="declined"), person("p", 1, 0, groups=["g"]), person("x", None, 1))
    found = to_json(marks(data), unplaced(data), "filter: kind:all")
    assert found["filter"] == "filter: kind:all"
    assert [(p["id"], p["quadrant"], p["stage"]) for p in found["placements"]] == [
        ("g", "influential_opponents", "declined"),
        ("p", "neutral", "declined"),
    ]
    assert found["placements"][1]["stage_via"] == "G"
    assert found["not_on_map"] == [
        {
            "kind": "people",
            "id": "x",
            "label": "X",
            "stage": None,
            "stage_via": None,
            "categories": [],
            "tags": [],
            "missing": ["influence"],
        }
    ]


def test_sample_data_fills_all_four_quadrants_and_the_neutral_column() -> None:
    placed = marks(load_repo(SAMPLE_DATA).records)
    for quadrant_ in Quadrant:
        assert any(m.quadrant is quadrant_ for m in placed), quadrant_
    assert any(m.quadrant is None for m in placed)
    assert {m.standing for m in placed} >= {Standing.ALLIED, Standing.TALKING, Standing.APPROACHED}


@pytest.mark.parametrize("module", ["allytui.model.powermap", "allytui.render.powermap", "allytui.cli.powermap"])
def test_power_map_model_and_command_do_not_load_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules, 'git' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False"
    if module.startswith(("allytui.model", "allytui.render")):
        assert out[1] == "False"
