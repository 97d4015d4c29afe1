"""Sealed values in the model: recognised by their armor, checked for shape, never opened; the [sealed] setting."""

from __future__ import annotations

import datetime as dt

import pyrage
import pytest
from pydantic import ValidationError
from pyrage import x25519

from allytui.model.records import Conversation, Kind, Person, RepoSettings
from allytui.model.sealed import Sealed, armor_problem
from allytui.model.validation import build_record, error_pairs
from allytui.store.codec import dump_record, parse

KEY = x25519.Identity.generate()
ARMOR = pyrage.encrypt(b'"Rang about the flood meeting"', [KEY.to_public()], armored=True).decode()


def test_pyrage_armor_passes_the_shape_check_and_loads_as_sealed() -> None:
    assert armor_problem(ARMOR) is None
    person = Person(id="ana", name="Ana", notes=ARMOR, contact=ARMOR)
    assert isinstance(person.notes, Sealed)
    assert isinstance(person.contact, Sealed)
    assert pyrage.decrypt(person.notes.encode(), [KEY]) == b'"Rang about the flood meeting"'


def test_plain_values_stay_plain() -> None:
    person = Person(id="ana", name="Ana", notes="met at the café", contact={"email": "ana@example.org"})
    assert type(person.notes) is str
    assert person.contact is not None and not isinstance(person.contact, Sealed)


def test_a_sealed_value_is_written_back_byte_for_byte() -> None:
    text = dump_record(Person(id="ana", name="Ana", notes=ARMOR, contact=ARMOR))
    record, errors = build_record(Kind.PEOPLE, "ana", parse(text.encode()))
    assert errors == [] and record is not None
    assert dump_record(record) == text
    assert record.notes == ARMOR


def test_a_sealed_value_is_a_literal_string_and_the_basic_string_form_reads_the_same() -> None:
    text = dump_record(Person(id="ana", name="Ana", notes=ARMOR, contact=ARMOR))
    assert "notes = '''\n-----BEGIN AGE ENCRYPTED FILE-----\n" in text and '"""' not in text
    assert "-----END AGE ENCRYPTED FILE-----\n'''" in text
    basic = text.replace("'''", '"""')  # how sealed values were written before
    assert parse(basic.encode()) == parse(text.encode())
    record, errors = build_record(Kind.PEOPLE, "ana", parse(basic.encode()))
    assert errors == [] and record is not None and dump_record(record) == text
    quoted = 'she wrote """\n' + ARMOR  # plain text holding armor stays a basic string, escaped
    plain = dump_record(Person(id="ana", name="Ana", notes=quoted))
    assert "'''" not in plain and parse(plain.encode())["notes"] == quoted


def _lines(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("\n".join(_lines(ARMOR)[:-2]) + "\n", "must end with the line"),
        (ARMOR.replace(_lines(ARMOR)[1], _lines(ARMOR)[1][:40]), "64 characters"),
        (ARMOR.replace(_lines(ARMOR)[1], "!" * 64), "not base64"),
        ("-----BEGIN AGE ENCRYPTED FILE-----\n-----END AGE ENCRYPTED FILE-----\n", "holds no message"),
    ],
    ids=["cut-short", "short-line", "not-base64", "empty"],  # the armor is new each run: xdist needs stable ids
)
def test_bad_armor_is_a_problem_of_the_field_without_its_text(broken: str, message: str) -> None:
    for field in ("notes", "contact"):
        record, errors = build_record(Kind.PEOPLE, "ana", {"name": "Ana", field: broken})
        assert record is None
        assert len(errors) == 1
        assert errors[0][0] == field and message in errors[0][1]
        assert _lines(ARMOR)[2] not in errors[0][1]


def test_conversation_text_fields_take_sealed_values() -> None:
    talk = Conversation(id="2026-11-24-st-marys-k3f9", date=dt.date(2026, 11, 24), concerns=ARMOR, outcome="agreed")
    assert isinstance(talk.concerns, Sealed) and not isinstance(talk.outcome, Sealed)


def test_contact_must_be_a_table_or_sealed() -> None:
    _, errors = build_record(Kind.PEOPLE, "ana", {"name": "Ana", "contact": "ana@example.org"})
    assert errors == [("contact", "contact is a table (email, phone, address, other) or a sealed value")]


def test_recipient_only_for_members_and_only_a_public_key() -> None:
    key = str(KEY.to_public())
    member = {"name": "Ana", "member_of": "riverton"}
    assert build_record(Kind.PEOPLE, "ana", {**member, "recipient": key})[1] == []
    ssh = "ssh-ed25519 " + "A" * 68 + " ana@laptop"
    assert build_record(Kind.PEOPLE, "ana", {**member, "recipient": ssh})[1] == []
    _, errors = build_record(Kind.PEOPLE, "ana", {"name": "Ana", "recipient": key})
    assert errors == [("recipient", "only one of our members (member_of set) can hold a key")]
    _, errors = build_record(Kind.PEOPLE, "ana", {**member, "recipient": str(KEY)})  # the secret key, by mistake
    assert errors[0][0] == "recipient" and "not a public key" in errors[0][1]
    assert str(KEY) not in errors[0][1]


def test_sealed_setting_defaults_and_names_what_cannot_be_sealed() -> None:
    settings = RepoSettings()
    assert settings.sealed.fields == ["people.contact", "people.notes"]
    assert settings.sealed.of(Kind.PEOPLE) == ("contact", "notes")
    assert settings.sealed.of(Kind.GROUPS) == ()
    wanted = RepoSettings.model_validate({"sealed": {"fields": ["conversations.concerns", "people.notes"]}})
    assert wanted.sealed.of(Kind.CONVERSATIONS) == ("concerns",)
    with pytest.raises(ValidationError) as raised:
        RepoSettings.model_validate({"sealed": {"fields": ["people.notes", "groups.notes", "people.name"]}})
    fields = [field for field, _ in error_pairs(raised.value)]
    assert fields == ["sealed.fields[1]", "sealed.fields[2]"]
    assert "'groups.notes' cannot be sealed" in error_pairs(raised.value)[0][1]


def test_armor_of_every_length_passes_the_shape_check() -> None:
    """Full last lines, padding of one and two characters: whatever pyrage writes is well formed."""
    for size in range(0, 160):
        armor = pyrage.encrypt(b"x" * size, [KEY.to_public()], armored=True).decode()
        assert armor_problem(armor) is None, size
