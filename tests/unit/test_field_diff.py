"""Field-level diffs are pure: two versions of a record compared with no git, contact details kept hidden."""

from __future__ import annotations

from allytui.model.field_diff import FieldDiff, Version, compare
from allytui.model.records import ContactDetails, Kind, Person


def version(person: Person) -> Version:
    return Version("", b"", person, None, person.model_dump(mode="json", exclude={"id"}))


def test_two_records_compare_field_by_field_without_a_repo() -> None:
    before = Person(id="ana", name="Ana", role="chair", contact=ContactDetails(email="ana@example.org"))
    after = before.model_copy(update={"role": "treasurer", "contact": ContactDetails(email="ana@new.example")})

    diffs = compare(Kind.PEOPLE, version(before), version(after))

    assert [d.field for d in diffs] == ["role", "contact.email"]
    assert diffs[0].summary() == "role: chair → treasurer"
    email = diffs[1]
    assert email.sensitive
    assert email.summary() == "contact.email changed"
    assert "ana@" not in email.summary() and not email.body()
    assert email.summary(reveal=True) == "contact.email: ana@example.org → ana@new.example"


def test_a_created_record_lists_every_field_it_sets() -> None:
    person = Person(id="bo", name="Bo", notes="met at the fair\nlikes trees")

    diffs = compare(Kind.PEOPLE, None, version(person))

    assert [d.field for d in diffs] == ["name", "notes"]
    assert diffs[1] == FieldDiff("notes", "", "met at the fair\nlikes trees", "text", diffs[1].lines)
    assert ("+", "likes trees") in diffs[1].lines


def test_a_version_that_is_not_a_record_is_a_problem_not_a_crash() -> None:
    broken = Version("abc", b"name = [", None, "this version cannot be read: bad TOML (line 1)")

    diffs = compare(Kind.PEOPLE, None, broken)

    assert [(d.kind, d.after) for d in diffs] == [("problem", "this version cannot be read: bad TOML (line 1)")]
