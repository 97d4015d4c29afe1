"""Erasure's pure parts: what counts as a mention, dropping references, erasures.toml entries."""

from __future__ import annotations

import datetime as dt

import pytest

from allytui.model.erasure import (
    ERASED,
    Terms,
    drop_references,
    erasure_log,
    mention_pattern,
    might_mention,
    new_erasure,
    redact_record,
    redact_text,
)
from allytui.model.records import Conversation, Group, Knows, Person, Team

TERMS = Terms(
    frozenset({"ana-lopez"}), frozenset({"Ana López"}), frozenset({"ana@example.org"}), frozenset({"+44 7700 900123"})
)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("met Ana López today", 1),
        ("met ANA  LÓPEZ and ana\nlópez", 2),  # any case, any spacing, across a line break
        ("Anastasia López, Ana Lópezz", 0),  # whole words only
        ("write to Ana@Example.org or call 07700-900-123 / +44 (7700) 900123", 2),
        ("call +44 7700 9001234", 0),  # a longer number is another number
        ("ana-lopez was there", 0),  # the id is not a name in prose
    ],
)
def test_mentions_are_whole_words_in_any_case_and_phones_with_any_separators(text: str, count: int) -> None:
    pattern = mention_pattern(TERMS)
    found = len(pattern.findall(text)) if pattern else 0
    assert found == count
    if found:
        assert might_mention(TERMS, text)  # the quick test never misses what the pattern finds


def test_a_mention_becomes_erased() -> None:
    assert redact_text("Ana López said yes", mention_pattern(TERMS)) == (f"{ERASED} said yes", 1)


def test_references_go_lists_lose_the_id_knows_links_go_whole_single_fields_are_cleared() -> None:
    team = Team(id="t", name="T", members=["ben", "ana-lopez"])
    group = Group(id="g", name="G", category="faith", lead="ana-lopez")
    person = Person(id="bob", name="Bob", knows=[Knows(person="ana-lopez", how="x"), Knows(group="g")])
    talk = Conversation(
        id="2026-01-02-g-abc123", date=dt.date(2026, 1, 2), their_people=["ana-lopez"], our_people=["ben"]
    )
    assert drop_references(team, ["ana-lopez"])[0].members == ["ben"]
    assert drop_references(group, ["ana-lopez"])[0].lead is None
    dropped, fields = drop_references(person, ["ana-lopez"])
    assert [k.group for k in dropped.knows] == ["g"] and fields == ["knows[0].person"]
    assert drop_references(talk, ["ana-lopez"])[0].their_people == []
    assert drop_references(team, ["other"]) == (team, [])


def test_redacting_a_record_reaches_nested_text() -> None:
    person = Person(id="bob", name="Bob", knows=[Knows(group="g", how="through Ana López")], notes="ana lópez's friend")
    redacted, count = redact_record(person, mention_pattern(TERMS))
    assert count == 2
    assert redacted.knows[0].how == f"through {ERASED}" and redacted.notes == f"{ERASED}'s friend"


def test_an_erasure_entry_holds_only_a_salted_hash() -> None:
    entry = new_erasure("ana-lopez", "Ben", dt.date(2026, 12, 2))
    assert entry.matches("ana-lopez") and not entry.matches("ana")
    assert "ana" not in entry.model_dump_json().replace(entry.hash, "").replace(entry.salt, "")
    assert new_erasure("ana-lopez", "Ben", dt.date(2026, 12, 2)).hash != entry.hash  # a new salt each time
    log, problems = erasure_log({"erasure": [entry.model_dump()]})
    assert problems == [] and log.erasure == [entry]
    assert erasure_log({"erasure": [{"date": "2026-12-02"}]})[1]
