"""People's rights over their data: lawful basis, do-not-contact, a person's file, redaction, the national report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from allytui.model.agenda import agenda, left_out
from allytui.model.enums import LawfulBasis
from allytui.model.fields import editor_shape
from allytui.model.pathways import find_paths, pathways
from allytui.model.records import Conversation, Group, Kind, Person, Record, RepoSettings
from allytui.model.rights import (
    do_not_contact_note,
    do_not_contact_reason,
    missing_basis,
    national_report,
    person_file,
    redacted,
)
from allytui.store.codec import parse
from allytui.store.loader import load_settings

Index = dict[Kind, dict[str, Record]]
TODAY = dt.date(2026, 12, 2)
SEALED = (
    "-----BEGIN AGE ENCRYPTED FILE-----\n"
    "YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmNkZWZnaGlqa2xtbm9w\n"
    "-----END AGE ENCRYPTED FILE-----\n"
)


def make_index(*records: Record) -> Index:
    index: Index = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def person(pid: str, **fields: Any) -> Person:
    return Person.model_validate({"id": pid, "name": pid.replace("-", " ").title(), **fields})


def talk(cid: str, **fields: Any) -> Conversation:
    return Conversation.model_validate({"id": cid, "date": dt.date.fromisoformat(cid[:10]), **fields})


GROUP = Group(id="chapel", name="The Chapel", category="faith")


# the fields


def test_consent_counts_as_the_lawful_basis_consent_and_lawful_basis_wins() -> None:
    assert person("ana").basis is None
    assert person("ana", consent=True).basis is LawfulBasis.CONSENT
    assert person("ana", consent=True, lawful_basis="public_role").basis is LawfulBasis.PUBLIC_ROLE


def test_bad_lawful_basis_and_do_not_contact_values_are_refused() -> None:
    with pytest.raises(ValueError, match="lawful_basis"):
        person("ana", lawful_basis="because")
    with pytest.raises(ValueError, match="do_not_contact"):
        person("ana", do_not_contact="yes")  # strict, like every flag


def test_the_form_edits_the_new_fields_by_their_shape() -> None:
    shapes = {name: editor_shape(Person, name) for name in ("lawful_basis", "basis_note", "do_not_contact")}
    assert shapes == {"lawful_basis": "choice", "basis_note": "line", "do_not_contact": "flag"}
    assert editor_shape(Person, "do_not_contact_since") == "date"
    assert editor_shape(Person, "reviewed") == "date"


# do not contact


def test_logging_with_a_do_not_contact_person_says_why() -> None:
    index = make_index(GROUP, person("ana", groups=["chapel"], do_not_contact=True, do_not_contact_since=TODAY))
    reason = do_not_contact_reason(index, "chapel", ["ana"])
    assert reason == "Ana asked not to be contacted (since 2026-12-02)."
    assert do_not_contact_reason(index, "chapel", []) is not None  # the group's only known person
    assert "Everyone we know at The Chapel (Ana)" in str(do_not_contact_reason(index, "chapel", []))


def test_a_group_with_someone_else_to_talk_to_is_not_held_back() -> None:
    index = make_index(
        GROUP,
        person("ana", groups=["chapel"], do_not_contact=True),
        person("ben", groups=["chapel"]),
        person("our-cat", groups=["chapel"], member_of="team"),  # our members don't count as theirs
    )
    assert do_not_contact_reason(index, "chapel", []) is None
    assert do_not_contact_reason(index, "chapel", ["ben"]) is None
    assert do_not_contact_reason(index, "chapel", ["ben", "ana"]) == "Ana asked not to be contacted."
    assert do_not_contact_reason(make_index(GROUP), "chapel", []) is None  # nobody known: nothing to say


def asks(index: Index, before: Conversation | None, after: Conversation) -> str | None:
    return do_not_contact_reason(index, after.group, after.their_people, logged=before)


def test_an_edit_asks_only_about_the_do_not_contact_people_or_group_it_brings_in() -> None:
    other = Group(id="hall", name="Hall", category="other")
    index = make_index(GROUP, other, person("ana", groups=["chapel"], do_not_contact=True), person("ben"))
    logged = talk("2026-11-01-hall-aaaaaa", group="hall", their_people=["ben"])
    assert asks(index, None, logged.model_copy(update={"their_people": ["ana"]})) is not None  # new
    assert asks(index, logged, logged.model_copy(update={"outcome": "yes"})) is None
    assert asks(index, logged, logged.model_copy(update={"their_people": ["ben", "ana"]})) == (
        "Ana asked not to be contacted."
    )
    with_ana = logged.model_copy(update={"their_people": ["ana", "ben"]})
    assert asks(index, with_ana, with_ana.model_copy(update={"notes": "x"})) is None  # already there
    nobody = logged.model_copy(update={"their_people": []})
    assert "Everyone we know at The Chapel" in str(asks(index, nobody, nobody.model_copy(update={"group": "chapel"})))
    assert asks(index, logged, logged.model_copy(update={"group": "chapel"})) is None  # ben named


def test_pathways_never_pass_through_or_end_at_a_do_not_contact_person() -> None:
    me = person("me", member_of="team", knows=[{"person": "ana", "strength": 3}, {"person": "cy", "strength": 1}])
    ana = person("ana", do_not_contact=True, knows=[{"person": "ben", "strength": 3}])
    cy = person("cy", knows=[{"person": "ben", "strength": 1}])
    ben = person("ben")
    index = make_index(me, ana, cy, ben)
    paths = find_paths(index, Kind.PEOPLE, "ben")
    assert paths, "the longer way round, through cy, is still offered"
    assert all("ana" not in [step.to.id for step in path.steps] for path in paths)
    assert find_paths(index, Kind.PEOPLE, "ana") == []
    found = pathways(index, Kind.PEOPLE, "ana")
    assert found.advice == ["Ana asked not to be contacted: no pathway is offered."]
    # without the flag, the close path through ana is the best one
    index[Kind.PEOPLE]["ana"] = person("ana", knows=[{"person": "ben", "strength": 3}])
    assert [s.to.id for s in find_paths(index, Kind.PEOPLE, "ben")[0].steps] == ["ana", "ben"]


def test_the_agenda_drops_follow_ups_with_do_not_contact_people_and_counts_them() -> None:
    me = person("me", member_of="team")
    ana = person("ana", groups=["chapel"], do_not_contact=True)
    ben = person("ben")
    index = make_index(
        GROUP,
        me,
        ana,
        ben,
        talk("2026-11-01-ana-aaaaaa", their_people=["ana"], our_people=["me"], follow_up=TODAY),
        talk("2026-11-02-chapel-bbbbbb", group="chapel", our_people=["me"], follow_up=TODAY),  # only ana known there
        talk("2026-11-03-ben-cccccc", their_people=["ben"], our_people=["me"], follow_up=TODAY),
    )
    items = [item.record_id for section in agenda(index, TODAY) for item in section.items]
    assert items == ["2026-11-03-ben-cccccc"]
    assert left_out(index, TODAY) == 2
    assert do_not_contact_note(2) == "2 follow-ups left out: they are with people who asked not to be contacted."
    assert do_not_contact_note(1).startswith("1 follow-up left out")


# lawful basis


def test_people_with_contact_details_and_no_basis_are_listed_sealed_ones_too() -> None:
    index = make_index(
        person("ana", contact={"email": "ana@example.org"}),
        person("ben", contact=SEALED),  # sealed: counted without opening it
        person("cy", contact={"email": "cy@example.org"}, consent=True),
        person("di", contact={"phone": "1"}, lawful_basis="legitimate_interest"),
        person("ed"),  # no contact details: nothing to justify
    )
    assert [p.id for p in missing_basis(index)] == ["ana", "ben"]


# retention settings


def test_bad_retention_settings_are_problems_naming_the_file_and_setting(tmp_path: Any) -> None:
    (tmp_path / "allytui.toml").write_text('format = 1\n[retention]\nno_basis_days = 0\ninactive_months = "x"\n')
    problems: list[Any] = []
    settings = load_settings(tmp_path, problems)
    assert settings == RepoSettings()  # the defaults apply until it is fixed
    named = {(p.path, p.field) for p in problems}
    assert named == {("allytui.toml", "retention.no_basis_days"), ("allytui.toml", "retention.inactive_months")}
    (tmp_path / "allytui.toml").write_text("format = 1\n[retention]\nno_basis_days = 30\nforever = 1\n")
    problems = []
    load_settings(tmp_path, problems)
    assert [(p.path, p.field) for p in problems] == [("allytui.toml", "retention.forever")]


def test_retention_defaults() -> None:
    settings = RepoSettings.model_validate(parse(b"format = 1\n"))
    assert (settings.retention.no_basis_days, settings.retention.inactive_months) == (90, 24)
    assert settings.retention.conversation_notes_months == 36


# a person's file


def test_a_persons_file_holds_references_and_whole_word_mentions() -> None:
    ana = person("ana-diaz", name="Ana Diaz", groups=["chapel"])
    index = make_index(
        GROUP.model_copy(update={"lead": "me", "notes": "Spoke with ANA  DIAZ after the service."}),
        ana,
        person("me", member_of="team", knows=[{"person": "ana-diaz", "how": "neighbours"}]),
        talk("2026-11-01-chapel-aaaaaa", group="chapel", their_people=["ana-diaz"], notes="Ana Diaz's idea"),
        talk("2026-11-02-chapel-bbbbbb", group="chapel", notes="Banana Diaz-free; Ana Diazmond is someone else"),
    )
    found = person_file(index, "ana-diaz")
    assert [(m.kind, m.record_id, m.fields) for m in found.referring] == [
        (Kind.PEOPLE, "me", ("knows[0].person",)),
        (Kind.CONVERSATIONS, "2026-11-01-chapel-aaaaaa", ("their_people[0]",)),
    ]
    assert [(m.kind, m.record_id, m.fields) for m in found.mentioning] == [
        (Kind.GROUPS, "chapel", ("notes",)),
        (Kind.CONVERSATIONS, "2026-11-01-chapel-aaaaaa", ("notes",)),
    ]
    with pytest.raises(KeyError):
        person_file(index, "nobody")


# sharing


def test_redacted_people_and_conversations_keep_only_what_may_be_shared() -> None:
    ana = person("ana", role="Chair", groups=["chapel"], contact={"email": "a@x.org"}, notes="likes cake", alignment=2)
    assert redacted(ana) == {"id": "ana", "role": "Chair", "groups": ["chapel"]}
    chat = talk("2026-11-01-chapel-aaaaaa", group="chapel", channel="stall", outcome="will come", concerns="x")
    assert redacted(chat) == {
        "id": "2026-11-01-chapel-aaaaaa",
        "date": "2026-11-01",
        "group": "chapel",
        "channel": "stall",
        "outcome": "will come",
    }
    assert redacted(talk("2026-11-01-chapel-aaaaaa", outcome=SEALED))["outcome"] == "sealed"


def test_the_national_report_lists_who_knows_someone_there_and_the_last_conversation() -> None:
    union = Group(id="union", name="Big Union", category="trade_union", national_contact=True)
    index = make_index(
        GROUP,
        union,
        person("rep", groups=["union"]),
        person("me", member_of="team", knows=[{"person": "rep", "strength": 3}]),
        person("you", member_of="team", knows=[{"group": "union", "strength": 1}, {"person": "x"}]),
        person("x", groups=["chapel"]),
        talk("2026-10-01-union-aaaaaa", group="union"),
        talk("2026-11-05-union-bbbbbb", group="union"),
    )
    [report] = national_report(index)
    assert report.group.id == "union"
    assert [(k.member, k.knows, k.strength_word) for k in report.known] == [
        ("Me", "Rep", "close"),
        ("You", "Big Union (the group)", "acquaintance"),
    ]
    assert [p.id for p in report.people] == ["rep"]
    assert report.last_conversation == dt.date(2026, 11, 5)
