"""Likely duplicate groups and people: which pairs are found, the reasons given, and which must not pair."""

from __future__ import annotations

from allytui.model.duplicates import LikelyPair, find_duplicates, group_pairs, looks_like, person_pairs
from allytui.model.records import ContactDetails, Group, Kind, Knows, Person, Record, Team
from allytui.model.repointing import repoint

SEALED = (
    "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ==\n"
    "-----END AGE ENCRYPTED FILE-----\n"
)


def by_id(*records: Record) -> dict[str, Record]:
    return {r.id: r for r in records}


def group(record_id: str, name: str, area: str = "", website: str = "", **more: object) -> Group:
    return Group.model_validate(
        {"id": record_id, "name": name, "category": "other", "area": area, "website": website, **more}
    )


def pairs_of(found: list[LikelyPair]) -> set[frozenset[str]]:
    return {p.ids for p in found}


def test_groups_with_the_same_name_after_normalising_pair_in_one_area() -> None:
    groups = by_id(
        group("riverton-food-bank", "Riverton Food Bank", "North"),
        group("the-riverton-foodbank", "The Riverton Foodbank Ltd.", "north "),
        group("st-marys", "St Mary's Church", "North"),
        group("st-marys-parish", "Saint Marys Parish Church", "North"),
    )
    found = {p.ids: p for p in group_pairs(groups)}
    food = found[frozenset({"riverton-food-bank", "the-riverton-foodbank"})]
    assert food.keep == "riverton-food-bank"  # the shorter id when both are as full
    assert food.reasons == ("same name", "same area (North)")
    assert frozenset({"st-marys", "st-marys-parish"}) in found
    assert len(found) == 2


def test_groups_that_must_not_pair() -> None:
    groups = by_id(
        group("food-north", "Riverton Food Bank", "North"),
        group("food-south", "Riverton Food Bank", "South"),  # same name, another area
        group("tenants", "Riverside Tenants Union", "North"),
        group("trades", "Riverside Trades Council", "North"),  # one word alike
        group("youth", "Riverside Youth Club", "North"),
    )
    assert group_pairs(groups) == []


def test_a_group_with_no_area_is_compared_with_every_area() -> None:
    groups = by_id(
        group("food-north", "Riverton Food Bank", "North"),
        group("food-south", "Riverton Food Bank", "South"),
        group("food", "Riverton foodbank"),
    )
    found = group_pairs(groups)
    assert pairs_of(found) == {frozenset({"food", "food-north"}), frozenset({"food", "food-south"})}
    assert all(p.reasons == ("same name",) for p in found)


def test_same_website_domain_pairs_but_not_on_a_shared_host() -> None:
    groups = by_id(
        group("a", "Climate Action Riverton", website="https://www.riverton-climate.org/about"),
        group("b", "Riverton Climate Hub", website="http://riverton-climate.org"),
        group("c", "Knitters", website="https://facebook.com/knitters"),
        group("d", "Allotments", website="https://www.facebook.com/allotments"),
        group("e", "Walkers", website="https://facebook.com/knitters/"),
    )
    found = {p.ids: p for p in group_pairs(groups)}
    assert found[frozenset("ab")].reasons == ("same website domain (riverton-climate.org)",)
    assert found[frozenset("ce")].reasons == ("same website (facebook.com/knitters)",)
    assert set(found) == {frozenset("ab"), frozenset("ce")}


def test_a_domain_many_groups_share_is_not_a_reason() -> None:
    names = ["Allotments", "Bowls Club", "Choir", "Darts League", "Eco Hub", "Film Society"]
    groups = by_id(*(group(f"g{n}", name, website=f"https://council.gov.uk/g{n}") for n, name in enumerate(names)))
    assert group_pairs(groups) == []
    assert len(group_pairs(by_id(*list(groups.values())[:2]))) == 1  # two on one domain is a reason


def person(record_id: str, name: str, groups: list[str] | None = None, **more: object) -> Person:
    return Person.model_validate({"id": record_id, "name": name, "groups": groups or [], **more})


def test_people_with_the_same_email_or_phone_pair_without_naming_it() -> None:
    people = by_id(
        person("ana", "Ana López", contact={"email": "Ana@Example.org ", "phone": "+44 7700 900123"}),
        person("a-lopez", "A. Lopez-Garcia", contact={"email": "ana@example.org"}),
        person("ana-l", "Ana L", contact={"phone": "07700 900 123"}),
        person("bo", "Bo", contact={"phone": "123"}),
        person("cy", "Cy", contact={"phone": "123"}),  # too short to tell anyone apart
    )
    found = {p.ids: p for p in person_pairs(people)}
    assert found[frozenset({"ana", "a-lopez"})].reasons == ("same email",)
    assert found[frozenset({"ana", "ana-l"})].reasons == ("same phone",)
    assert set(found) == {frozenset({"ana", "a-lopez"}), frozenset({"ana", "ana-l"})}
    text = repr(list(found.values()))
    assert "example.org" not in text and "7700" not in text


def test_similar_names_pair_only_when_they_share_a_group() -> None:
    groups = by_id(group("choir", "St Mary's Choir"), group("union", "Tenants Union"))
    people = by_id(
        person("ana-lopez", "Ana López", ["choir"]),
        person("anna-lopez", "Anna Lopez", ["choir", "union"]),
        person("ana-lopez-2", "Ana Lopez", ["union"]),  # like both, but shares a group with Anna only
        person("ben-xu", "Ben Xu", ["choir"]),
        person("ben-wu", "Ben Wu", ["choir"]),  # alike, but not enough
    )
    found = {p.ids: p for p in person_pairs(people, groups)}
    assert found[frozenset({"ana-lopez", "anna-lopez"})].reasons == ("similar names (95%)", "both in St Mary's Choir")
    assert found[frozenset({"anna-lopez", "ana-lopez-2"})].reasons == ("similar names (95%)", "both in Tenants Union")
    assert set(found) == {frozenset({"ana-lopez", "anna-lopez"}), frozenset({"anna-lopez", "ana-lopez-2"})}


def test_the_same_name_with_no_group_pairs_and_in_different_groups_does_not() -> None:
    people = by_id(
        person("sam-jones", "Sam Jones", ["a"]),
        person("sam-jones-2", "sam  jones"),
        person("sam-jones-3", "Sam Jones", ["b"]),
    )
    found = {p.ids: p for p in person_pairs(people)}
    assert set(found) == {frozenset({"sam-jones", "sam-jones-2"}), frozenset({"sam-jones-2", "sam-jones-3"})}
    assert found[frozenset({"sam-jones", "sam-jones-2"})].reasons == ("same name", "one of them is in no group")


def test_sealed_contact_is_compared_only_when_opened() -> None:
    people = by_id(
        person("cy", "Cy Morgan", contact=SEALED),
        person("cy-m", "C. Morgan", contact={"email": "cy@example.org"}),
    )
    assert person_pairs(people) == []
    opened: list[str] = []

    def opener(value: str) -> object:
        opened.append(value)
        return {"email": "CY@example.org"}

    found = person_pairs(people, opener=opener)
    assert [p.reasons for p in found] == [("same email",)]
    assert opened == [SEALED]
    assert person_pairs(people, opener=lambda value: None) == []  # a key that cannot open it: not compared


def test_find_duplicates_by_kind_and_the_fuller_record_is_kept() -> None:
    index = {
        Kind.GROUPS: by_id(group("food", "Food Bank"), group("food-2", "Food Bank", notes="More", influence=3)),
        Kind.PEOPLE: by_id(
            person("x", "X Y", contact=ContactDetails(email="x@y.z")), person("xy", "Xy", contact={"email": "x@y.z"})
        ),
        Kind.TEAMS: by_id(Team(id="t", name="Food Bank")),
    }
    found = find_duplicates(index)
    assert [(p.kind, p.keep, p.drop) for p in found] == [(Kind.GROUPS, "food-2", "food"), (Kind.PEOPLE, "x", "xy")]
    assert [p.kind for p in find_duplicates(index, [Kind.PEOPLE])] == [Kind.PEOPLE]


def test_looks_like_offers_existing_records_for_a_new_name() -> None:
    existing = by_id(group("food", "Riverton Food Bank", "North"), group("south", "Riverton Food Bank", "South"))
    found = looks_like(group("new", "The Riverton Foodbank", "North"), existing)
    assert [(r.id, round(score)) for r, score in found] == [("food", 100)]
    assert [r.id for r, _ in looks_like(group("new", "riverton food bank"), existing)] == ["food", "south"]
    assert looks_like(group("new", "Riverton Repair Cafe"), existing) == []


def test_repoint_moves_references_and_never_doubles_a_link() -> None:
    ana = person(
        "ana",
        "Ana",
        ["food", "food-2"],
        knows=[Knows(person="bo"), Knows(person="bo-2", how="choir"), Knows(group="food-2")],
    )
    moved, fields = repoint(ana, Kind.PEOPLE, "bo-2", "bo")
    assert fields == ["knows[1].person"]
    assert [k.target for k in moved.knows] == [(Kind.PEOPLE, "bo"), (Kind.GROUPS, "food-2")]
    moved, fields = repoint(ana, Kind.GROUPS, "food-2", "food")
    assert moved.groups == ["food"] and fields == ["groups[1]", "knows[2].group"]
    self_link, _ = repoint(ana, Kind.PEOPLE, "bo", "ana")  # merged into themself: the link goes
    assert [k.target for k in self_link.knows] == [(Kind.PEOPLE, "bo-2"), (Kind.GROUPS, "food-2")]
    same, none = repoint(ana, Kind.PEOPLE, "cy", "bo")
    assert same is ana and none == []
