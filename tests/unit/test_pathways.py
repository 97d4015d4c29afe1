"""Pathways: the best chains from our members to a group or person, on small hand-built indexes and the sample data."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from allytui.model import pathways as pw
from allytui.model.pathways import (
    NATIONAL_WARNING,
    Link,
    Path,
    PathGraph,
    find_paths,
    graph_for,
    hop_cost,
    no_path_advice,
    pathways,
)
from allytui.model.records import Group, Kind, Person, Record
from allytui.store.loader import load_repo
from tests.helpers import SAMPLE_DATA

Index = dict[Kind, dict[str, Record]]


def make_index(*records: Record) -> Index:
    index: Index = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def person(
    pid: str,
    name: str = "",
    *,
    ours: bool = False,
    knows: tuple[tuple[str, int] | tuple[str, int, str], ...] = (),
    groups: tuple[str, ...] = (),
    role: str = "",
) -> Person:
    """A person; knows holds ("p:id" or "g:id", strength[, how])."""
    links: list[dict[str, Any]] = []
    for ref, strength, *how in knows:
        kind, _, target = ref.partition(":")
        links.append({"person" if kind == "p" else "group": target, "strength": strength, "how": "".join(how)})
    return Person(
        id=pid,
        name=name or pid.title(),
        member_of="team" if ours else None,
        knows=links,
        groups=list(groups),
        role=role,
    )


def group(gid: str, name: str = "", **fields: Any) -> Group:
    return Group(id=gid, name=name or gid.title(), category="faith", **fields)


def texts(paths: list[Path]) -> list[str]:
    return [p.text for p in paths]


def nodes(path: Path) -> list[tuple[Kind, str]]:
    return [(path.start.kind, path.start.id)] + [(s.to.kind, s.to.id) for s in path.steps]


# the example of the issue, costs, labels


def test_the_example_chain_reads_as_the_issue_says() -> None:
    index = make_index(
        person("ana", "Ana", ours=True, knows=(("p:okafor", 3, "choir"),)),
        person("okafor", "Rev. Okafor", groups=("st-marys",), role="vicar"),
        group("st-marys", "St Mary's"),
    )
    [path] = find_paths(index, Kind.GROUPS, "st-marys")
    assert path.text == "Ana —knows (choir, close)→ Rev. Okafor —member (vicar)→ St Mary's"
    assert (path.hops, path.cost) == (2, hop_cost(3) + hop_cost(pw.MEMBERSHIP_STRENGTH)) == (2, 5)
    assert [s.link for s in path.steps] == [Link.KNOWS, Link.MEMBER]
    assert path.end.id == "st-marys"
    assert path.as_dict()["steps"][1] == {
        "link": "member",
        "how": "",
        "role": "vicar",
        "strength": 2,
        "to": {"kind": "groups", "id": "st-marys", "name": "St Mary's"},
    }


def test_hop_costs() -> None:
    assert [hop_cost(s) for s in (3, 2, 1)] == [2, 3, 4]


def test_through_a_group_the_next_person_is_a_member_and_our_role_is_not_theirs() -> None:
    index = make_index(
        person("ana", "Ana", ours=True, groups=("choir",), role="Our faith lead"),
        person("bob", "Bob", groups=("choir",), role="Choirmaster"),
        group("choir", "Choir"),
    )
    [path] = find_paths(index, Kind.PEOPLE, "bob")
    assert path.text == "Ana —member→ Choir —has member (Choirmaster)→ Bob"


# ranking


def test_ranked_by_cost_then_length() -> None:
    index = make_index(
        group("g", "Target"),
        person("cat", "Cat", ours=True, knows=(("g:g", 2),)),  # friendly, 1 hop: 3
        person("ana", "Ana", ours=True, knows=(("g:g", 1),)),  # acquaintance, 1 hop: 4
        person("ben", "Ben", ours=True, knows=(("p:x", 3),)),  # close, close: 4 in 2 hops
        person("x", "X", knows=(("g:g", 3),)),
        person("dan", "Dan", ours=True, knows=(("p:y", 3),)),  # close, close, close: 6
        person("y", "Y", knows=(("p:z", 3),)),
        person("z", "Z", knows=(("g:g", 3),)),
    )
    paths = find_paths(index, Kind.GROUPS, "g")
    assert [(p.start.name, p.cost, p.hops) for p in paths] == [
        ("Cat", 3, 1),
        ("Ana", 4, 1),  # the same cost as Ben's: the shorter path first
        ("Ben", 4, 2),
        ("Dan", 6, 3),
    ]


def test_a_longer_chain_of_close_links_beats_a_short_one_through_an_acquaintance() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:bob", 1),)),
        person("bob", "Bob", groups=("g",)),  # Ana: 4 + 3 = 7 in 2 hops
        person("ben", "Ben", ours=True, knows=(("p:carl", 3),)),
        person("carl", "Carl", knows=(("p:dee", 3),)),
        person("dee", "Dee", knows=(("g:g", 3),)),  # Ben: 2 + 2 + 2 = 6 in 3 hops
    )
    assert [(p.start.name, p.cost, p.hops) for p in find_paths(index, Kind.GROUPS, "g")] == [
        ("Ben", 6, 3),
        ("Ana", 7, 2),
    ]


def test_ties_go_by_names_whatever_the_order_of_the_records() -> None:
    records = [
        group("g", "Target"),
        person("zoe", "Zoe", ours=True, knows=(("p:mid2", 3), ("p:mid1", 3))),
        person("abe", "Abe", ours=True, knows=(("g:g", 2),)),
        person("mid1", "Marta", groups=("g",)),
        person("mid2", "Ludo", groups=("g",)),
        person("yan", "Yan", ours=True, knows=(("g:g", 2),)),
    ]
    expected = [
        "Abe —knows (friendly)→ Target",
        "Yan —knows (friendly)→ Target",
        "Zoe —knows (close)→ Ludo —member→ Target",  # Ludo before Marta, at the same cost
        "Zoe —knows (close)→ Marta —member→ Target",  # an alternative: Zoe's other first hop
    ]
    assert texts(find_paths(make_index(*records), Kind.GROUPS, "g")) == expected
    assert texts(find_paths(make_index(*reversed(records)), Kind.GROUPS, "g")) == expected


def test_a_tie_found_later_in_the_search_still_goes_by_name() -> None:
    index = make_index(
        group("g", "Target"),
        person("zoe", "Zoe", ours=True, knows=(("p:x", 1), ("p:m", 3))),
        person("x", "Xavier", knows=(("g:g", 3),)),  # reached first from the target (cost 2)
        person("m", "Marta", knows=(("g:g", 1),)),  # reached later (cost 4); Zoe costs 6 either way
    )
    assert texts(find_paths(index, Kind.GROUPS, "g", limit=1)) == [
        "Zoe —knows (close)→ Marta —knows (acquaintance)→ Target"
    ]


def test_one_best_path_per_member_before_any_alternative() -> None:
    index = make_index(
        group("g", "Target"),
        # Ana has three cheap ways in; Ben one dear one.
        person("ana", "Ana", ours=True, knows=(("g:g", 3), ("p:a1", 3), ("p:a2", 3))),
        person("a1", "A1", knows=(("g:g", 3),)),
        person("a2", "A2", knows=(("g:g", 3),)),
        person("ben", "Ben", ours=True, knows=(("p:b1", 1),)),
        person("b1", "B1", knows=(("p:b2", 1),)),
        person("b2", "B2", knows=(("g:g", 1),)),
    )
    assert [(p.start.name, p.hops) for p in find_paths(index, Kind.GROUPS, "g", limit=2)] == [("Ana", 1), ("Ben", 3)]
    assert [(p.start.name, p.cost) for p in find_paths(index, Kind.GROUPS, "g", limit=3)] == [
        ("Ana", 2),
        ("Ana", 4),  # via A1, the first of Ana's equally cheap alternatives by name
        ("Ben", 12),
    ]
    assert len(find_paths(index, Kind.GROUPS, "g")) == 4  # all there is: 2 bests, 2 alternatives
    assert find_paths(index, Kind.GROUPS, "g", limit=0) == []


def test_with_more_members_than_the_limit_each_path_starts_elsewhere() -> None:
    members = [person(f"m{n}", f"Member {n}", ours=True, knows=(("g:g", 3), ("p:x", 3))) for n in range(6)]
    index = make_index(group("g", "Target"), person("x", "X", knows=(("g:g", 3),)), *members)
    paths = find_paths(index, Kind.GROUPS, "g", limit=5)
    assert [p.start.id for p in paths] == ["m0", "m1", "m2", "m3", "m4"]
    assert {p.hops for p in paths} == {1}


def test_the_cheapest_of_several_links_between_two_people_is_used() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:bob", 1, "once"), ("g:g", 1))),
        person("bob", "Bob", knows=(("p:ana", 3, "old friends"),), groups=("g",)),
    )
    best = find_paths(index, Kind.PEOPLE, "bob")[0]
    assert best.text == "Ana —knows (old friends, close)→ Bob"  # stated in Bob's record, both ways
    assert find_paths(index, Kind.GROUPS, "g")[0].text == "Ana —knows (acquaintance)→ Target"


# awkward graphs


def test_cycles_end_and_every_path_is_simple() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:b", 2),)),
        person("b", "B", knows=(("p:c", 2), ("p:ana", 3))),
        person("c", "C", knows=(("p:d", 2), ("p:b", 2))),
        person("d", "D", knows=(("p:b", 1), ("g:g", 2), ("p:ana", 1))),
    )
    paths = find_paths(index, Kind.GROUPS, "g", limit=10)
    assert [(p.text, p.cost) for p in paths] == [
        ("Ana —knows (acquaintance)→ D —knows (friendly)→ Target", 7),
        ("Ana —knows (close)→ B —knows (acquaintance)→ D —knows (friendly)→ Target", 9),
    ]
    for path in paths:
        assert len(set(nodes(path))) == len(nodes(path))


def test_self_links_are_ignored() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:ana", 3), ("p:bob", 2))),
        person("bob", "Bob", knows=(("p:bob", 3),), groups=("g",)),
    )
    assert texts(find_paths(index, Kind.GROUPS, "g")) == ["Ana —knows (friendly)→ Bob —member→ Target"]
    lonely = make_index(person("ana", "Ana", ours=True), person("me", "Me", knows=(("p:me", 3),)))
    assert find_paths(lonely, Kind.PEOPLE, "me") == []


def test_links_to_missing_records_are_skipped() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:ghost", 3), ("g:gone", 3), ("p:bob", 2)), groups=("nowhere",)),
        person("bob", "Bob", knows=(("p:ghost", 3),), groups=("gone", "g")),
        person("eve", "Eve", knows=(("p:ghost", 3),)),
    )
    assert texts(find_paths(index, Kind.GROUPS, "g")) == ["Ana —knows (friendly)→ Bob —member→ Target"]
    assert find_paths(index, Kind.PEOPLE, "eve") == []


def test_a_path_never_passes_through_another_of_our_members() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:ben", 3),)),
        person("ben", "Ben", ours=True, knows=(("g:g", 3),)),
    )
    assert texts(find_paths(index, Kind.GROUPS, "g")) == ["Ben —knows (close)→ Target"]


def test_a_target_who_is_one_of_us() -> None:
    index = make_index(person("ana", "Ana", ours=True), person("ben", "Ben", ours=True, knows=(("p:ana", 3),)))
    [path] = find_paths(index, Kind.PEOPLE, "ana")
    assert (path.start.id, path.steps, path.cost, path.text) == ("ana", (), 0, "Ana")
    result = pathways(index, Kind.PEOPLE, "ana")
    assert result.is_ours and result.headline == "Ana is one of our members." and result.advice == []


def test_a_person_with_no_links_has_no_path_and_gets_advice() -> None:
    index = make_index(person("ana", "Ana", ours=True), person("hermit", "Hermit"), group("g", "Nobody's"))
    assert find_paths(index, Kind.PEOPLE, "hermit") == []
    assert find_paths(index, Kind.GROUPS, "g") == []  # a group nobody is linked to
    result = pathways(index, Kind.PEOPLE, "hermit")
    assert result.paths == [] and not result.is_ours
    assert result.headline.startswith("No path from our members to Hermit yet")
    assert any("one-to-one with them" in line for line in result.advice)


def test_no_members_at_all() -> None:
    index = make_index(group("g", "Target"), person("bob", "Bob", groups=("g",)))
    assert find_paths(index, Kind.GROUPS, "g") == []


def test_a_target_that_does_not_exist_is_a_clear_error() -> None:
    index = make_index(person("ana", "Ana", ours=True))
    with pytest.raises(ValueError, match="there is no group 'nope'"):
        find_paths(index, Kind.GROUPS, "nope")
    with pytest.raises(ValueError, match="there is no person 'nope'"):
        pathways(index, Kind.PEOPLE, "nope")
    with pytest.raises(ValueError, match="a person or a group"):
        find_paths(index, Kind.ACTIVITIES, "ana")


# advice and warnings


def test_no_path_advice_names_the_channels_of_step_5() -> None:
    advice = no_path_advice(group("g", "Motor Club"))
    assert advice[0] == "No path from our members to Motor Club yet: no chain of people we know leads there."
    text = " ".join(advice[1:]).lower()
    for channel in (
        "social media",
        "email",
        "events",
        "invitation",
        "outreach stall",
        "leaflet",
        "one-to-one with their leaders",
        "free meals",
    ):
        assert channel in text, channel


def test_a_national_contact_carries_the_warning() -> None:
    index = make_index(
        group("union", "Regional Union", national_contact=True),
        group("faraway", "Faraway Union", national_contact=True),
        person("ana", "Ana", ours=True, knows=(("p:rep", 3),)),
        person("rep", "Rep", groups=("union",), role="organiser"),
        person("official", "Official", groups=("faraway",)),
    )
    reached = pathways(index, Kind.GROUPS, "union")
    assert reached.warning == NATIONAL_WARNING
    assert texts(reached.paths) == ["Ana —knows (close)→ Rep —member (organiser)→ Regional Union"]
    unreached = pathways(index, Kind.GROUPS, "faraway")
    assert unreached.paths == [] and unreached.warning == NATIONAL_WARNING
    assert unreached.advice == [no_path_advice(index[Kind.GROUPS]["faraway"])[0], NATIONAL_WARNING]  # nothing local
    someone = pathways(index, Kind.PEOPLE, "official")
    assert someone.warning == f"Official is in Faraway Union. {NATIONAL_WARNING}"
    assert someone.advice[1:] == [someone.warning]
    assert pathways(index, Kind.PEOPLE, "ana").warning == ""
    as_json = reached.as_dict()
    assert as_json["warning"] == NATIONAL_WARNING and as_json["paths"][0]["hops"] == 2


# the graph


def test_a_graph_built_once_gives_the_same_answers_and_is_rebuilt_when_a_record_changes() -> None:
    index = make_index(
        group("g", "Target"),
        person("ana", "Ana", ours=True, knows=(("p:bob", 2),)),
        person("bob", "Bob", groups=("g",)),
    )
    graph = graph_for(index)
    assert graph_for(index) is graph
    assert find_paths(index, Kind.GROUPS, "g", graph=graph) == find_paths(index, Kind.GROUPS, "g")
    index[Kind.PEOPLE]["ana"] = person("ana", "Ana", ours=True, knows=(("g:g", 3),))
    assert not graph.matches(index)
    assert texts(find_paths(index, Kind.GROUPS, "g", graph=graph_for(index))) == ["Ana —knows (close)→ Target"]
    del index[Kind.GROUPS]["g"]
    assert graph_for(index) is not graph


def test_the_graph_keeps_only_linked_groups_and_the_cheapest_edges() -> None:
    index = make_index(
        group("g", "G"),
        group("lonely", "Lonely"),
        person("ana", "Ana", ours=True, knows=(("g:g", 1), ("g:g", 3)), groups=("g",)),
    )
    graph = PathGraph(index)
    assert [r.id for r in graph.records] == ["ana", "g"]
    assert graph.adjacency == [{1: 2}, {0: 2}]


# the sample data


def test_sample_data_pathways_are_meaningful() -> None:
    loaded = load_repo(SAMPLE_DATA)
    assert loaded.problems == []
    graph = PathGraph(loaded.records)
    best: dict[str, Path | None] = {}
    for gid in loaded.records[Kind.GROUPS]:
        found = find_paths(loaded.records, Kind.GROUPS, gid, graph=graph)
        best[gid] = found[0] if found else None
        for path in found:
            assert path.start.id in {p.id for p in loaded.records[Kind.PEOPLE].values() if p.member_of}
            assert len(set(nodes(path))) == len(nodes(path))
    one_hop = {gid for gid, path in best.items() if path and path.hops == 1}
    further = {gid for gid, path in best.items() if path and 2 <= path.hops <= 3}
    none = {gid for gid, path in best.items() if path is None}
    assert {"st-marys-church", "riverton-food-bank", "save-the-42"} <= one_hop
    assert {"friends-of-the-arle", "riverton-pride", "al-noor-mosque"} <= further
    assert "arle-valley-motor-club" in none  # nobody we know is a member
    assert best["st-marys-church"] is not None
    assert best["st-marys-church"].text.startswith("Gareth Lewis —knows (Member of the congregation")
    assert pathways(loaded.records, Kind.GROUPS, "neu-western-region").warning == NATIONAL_WARNING
    motor = pathways(loaded.records, Kind.GROUPS, "arle-valley-motor-club")
    assert motor.paths == [] and len(motor.advice) > 3


def test_the_model_loads_no_textual_or_git_and_the_command_no_textual() -> None:
    for module, forbidden in (("allytui.model.pathways", ("textual", "git")), ("allytui.cli.pathways", ("textual",))):
        code = f"import sys, {module}; print(sorted(m for m in {forbidden!r} if m in sys.modules))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "[]", module
