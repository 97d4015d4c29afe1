"""The five record kinds an organiser tracks: team, group, person, conversation, activity."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from allytui.model.enums import (
    ActivityKind,
    ActivityStatus,
    Capacity,
    Category,
    Channel,
    Kind,
    LawfulBasis,
    ShortlistReason,
    Stage,
)
from allytui.model.fields import field_shape
from allytui.model.ids import CONVERSATION_ID_DATE, RecordId
from allytui.model.region_settings import RegionSettings
from allytui.model.sealed import SealableText, Sealed, looks_sealed, sealed_value, text_or_sealed
from allytui.model.text import Line, Name, Text, safe_text

# Numbers, flags and dates are strict: a file saying `influence = true` or `due = "soon"` is a problem,
# not silently turned into 1 or guessed. Text typed on the command line is converted before validation.
Int = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]
Date = Annotated[dt.date, Strict()]
Influence = Annotated[Int, Field(ge=1, le=5, description="1 little local influence .. 5 a great deal")]
Alignment = Annotated[Int, Field(ge=-2, le=2, description="-2 opposed .. 0 neutral .. +2 shares our aims")]
Strength = Annotated[Int, Field(ge=1, le=3, description="1 acquaintance, 2 friendly, 3 close")]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Sensitive: JsonDict = {"sensitive": True}
RegionRef = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}/[a-z0-9][a-z0-9-]{0,63}$")]  # participant/group


def refers_to(kind: Kind, default: Any = None, **kwargs: Any) -> Any:
    """A field holding the id (or ids) of records of kind."""
    return Field(default, json_schema_extra={"refers_to": kind.value}, **kwargs)


def reference_kind(model: type[BaseModel], name: str) -> Kind | None:
    """The kind a field refers to, or None when it holds no reference."""
    extra = model.model_fields[name].json_schema_extra
    target = extra.get("refers_to") if isinstance(extra, dict) else None
    return Kind(target) if isinstance(target, str) else None


class Part(BaseModel):
    """A nested piece of a record: strict about unknown fields like the records themselves."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def references(self) -> Iterator[tuple[str, Kind, str]]:
        """Every reference to another record, as (field path, kind, id), in field order."""
        for name, target in _reference_fields(type(self)):
            value = getattr(self, name)
            if target is not None:
                yield from _refs(name, target, value)
            elif isinstance(value, Part):
                yield from ((f"{name}.{path}", kind, ref) for path, kind, ref in value.references())
            elif isinstance(value, list):
                for n, item in enumerate(value):
                    if isinstance(item, Part):
                        yield from ((f"{name}[{n}].{path}", kind, ref) for path, kind, ref in item.references())


@cache
def _reference_fields(model: type[Part]) -> list[tuple[str, Kind | None]]:
    """The fields of model that refer to records (with their kind), or hold parts that may (kind None)."""
    found: list[tuple[str, Kind | None]] = []
    for name in model.model_fields:
        target = reference_kind(model, name)
        if name == "id":
            continue
        if target is not None:
            found.append((name, target))
        elif field_shape(model, name)[0] in ("part", "part_list"):
            found.append((name, None))
    return found


def _safe_value(value: Any) -> Any:
    """A value as a field holds it (text, number, date, list, table), its text free of control characters."""
    if isinstance(value, str):
        safe_text(value)
    elif isinstance(value, dict):
        for item in value.values():
            _safe_value(item)
    elif isinstance(value, list):
        for item in value:
            _safe_value(item)
    return value


class FieldConflict(Part):
    """A value that lost when two members changed the same field differently, kept until someone chooses."""

    field: Line
    other: Annotated[Any, AfterValidator(_safe_value)] = Field(
        None,
        description="the value not chosen, written as the field holds it (left out when it was empty); "
        "conflicts kept before 2026-12 hold it as JSON text",
    )
    author: Line = ""
    commit: Line = ""


class Record(Part):
    """Fields shared by every record. The id is the file name, never stored inside the file."""

    KIND: ClassVar[Kind]
    id: RecordId = Field(exclude=True)
    conflicts: list[FieldConflict] = Field([], description="open sync conflicts; written last in the file")

    @property
    def label(self) -> str:
        """What to call the record on screen: its name or title, else its id."""
        return str(getattr(self, "name", None) or getattr(self, "title", None) or self.id)


def _refs(field: str, kind: Kind, ids: list[str] | str | None) -> Iterator[tuple[str, Kind, str]]:
    if ids is None:
        return
    if isinstance(ids, str):
        yield field, kind, ids
        return
    for n, ref in enumerate(ids):
        yield f"{field}[{n}]", kind, ref


class Team(Record):
    """A local group doing the outreach (the guide's step 1)."""

    KIND: ClassVar[Kind] = Kind.TEAMS
    name: Name
    area: Line = ""
    capacity: Capacity = Capacity.LOW
    members: list[RecordId] = refers_to(Kind.PEOPLE, [])
    motivations: Text = ""
    priorities: Text = ""
    red_lines: list[Line] = []
    notes: Text = ""


class Group(Record):
    """A local group or organisation we may ally with (steps 2 and 3)."""

    KIND: ClassVar[Kind] = Kind.GROUPS
    name: Name
    category: Category
    area: Line = ""
    website: Line = ""
    stage: Stage = Stage.RESEARCHED
    influence: Influence | None = Field(None, description="1 little local influence .. 5 a great deal")
    alignment: Alignment | None = Field(None, description="-2 opposed .. 0 neutral .. +2 shares our aims")
    size_estimate: Annotated[Int, Field(ge=0)] | None = None
    national_contact: Flag = Field(
        False, description="route via the national relationships team; don't approach locally"
    )
    lead: RecordId | None = refers_to(Kind.PEOPLE, description="our member who leads on this group")
    next_action: Line = ""
    next_action_due: Date | None = None
    shortlist_reasons: list[ShortlistReason] = []
    shortlist_notes: Text = ""
    tags: list[Tag] = []
    aims: Text = ""
    theory_of_change: Text = ""
    organisation: Text = Field("", description="how the group is organised")
    networks: Text = ""
    red_lines: list[Line] = Field([], description="their red lines")
    notes: Text = ""
    same_as: list[RegionRef] = Field([], description="the region: participant/group confirmed to be this group")
    not_same_as: list[RegionRef] = Field([], description="the region: participant/group confirmed not to be it")

    @field_validator("website")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value


class ContactDetails(Part):
    """How to reach a person. Sensitive: never shown in lists, logs or commit messages."""

    email: Line = ""
    phone: Line = ""
    address: Text = ""
    other: Text = ""


class Knows(Part):
    """One of a person's relationships, to another person or to a group."""

    person: RecordId | None = refers_to(Kind.PEOPLE)
    group: RecordId | None = refers_to(Kind.GROUPS)
    how: Line = ""
    strength: Strength = Field(2, description="1 acquaintance, 2 friendly, 3 close")

    @model_validator(mode="after")
    def _one_target(self) -> Knows:
        if (self.person is None) == (self.group is None):
            raise ValueError("give exactly one of person or group")
        return self

    @property
    def target(self) -> tuple[Kind, str]:
        if self.person is not None:
            return Kind.PEOPLE, self.person
        assert self.group is not None
        return Kind.GROUPS, self.group


class Person(Record):
    """Someone in a group we work with, or one of our own members."""

    KIND: ClassVar[Kind] = Kind.PEOPLE
    name: Name
    role: Line = ""
    member_of: RecordId | None = refers_to(Kind.TEAMS, description="the team, when this is one of our members")
    recipient: Line = Field("", description="a member's public key for sealed fields: age1… or an ssh-ed25519 line")
    groups: list[RecordId] = refers_to(Kind.GROUPS, [])
    influence: Influence | None = Field(None, description="1 little local influence .. 5 a great deal")
    alignment: Alignment | None = Field(None, description="-2 opposed .. 0 neutral .. +2 shares our aims")
    consent: Flag = Field(False, description="agreed to have their details recorded")
    consent_date: Date | None = None
    lawful_basis: LawfulBasis | None = Field(
        None, description="why we may hold their details; none: not recorded (consent = true counts as consent)"
    )
    basis_note: Line = Field("", description="where and how, e.g. asked at the stall, 2026-05-03")
    do_not_contact: Flag = Field(False, description="asked not to be contacted: no outreach, no pathways through them")
    do_not_contact_since: Date | None = None
    reviewed: Date | None = Field(None, description="last retention review; due again after the same period")
    knows: list[Knows] = []
    contact: ContactDetails | Sealed | None = Field(None, json_schema_extra=Sensitive)
    notes: SealableText = ""

    @field_validator("contact", mode="wrap")
    @classmethod
    def _table_or_sealed(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> ContactDetails | Sealed | None:
        """A table or a sealed value, each validated as such alone (so a bad email is one problem, not two)."""
        if isinstance(value, str):
            if not looks_sealed(value):
                raise ValueError("contact is a table (email, phone, address, other) or a sealed value")
            return sealed_value(value)
        table = ContactDetails.model_validate(value) if isinstance(value, dict) else handler(value)
        if isinstance(table, ContactDetails) and not table.model_dump(exclude_defaults=True):
            return None  # an empty table is no contact details
        return table

    @field_validator("recipient")
    @classmethod
    def _recipient_shape(cls, value: str, info: ValidationInfo) -> str:
        if value and not RECIPIENT.fullmatch(value):
            raise ValueError("not a public key: expected age1… (from allytui keys init) or an ssh-ed25519 line")
        if value and info.data.get("member_of") is None:
            raise ValueError("only one of our members (member_of set) can hold a key")
        return value

    @property
    def is_member(self) -> bool:
        return self.member_of is not None

    @property
    def basis(self) -> LawfulBasis | None:
        """The lawful basis recorded for holding their details: lawful_basis, else consent when consent = true."""
        return self.lawful_basis or (LawfulBasis.CONSENT if self.consent else None)


class Conversation(Record):
    """An outreach contact or a one-to-one, in the order of the guide's step 6."""

    KIND: ClassVar[Kind] = Kind.CONVERSATIONS
    date: Date
    group: RecordId | None = refers_to(Kind.GROUPS)
    channel: Channel = Channel.ONE_TO_ONE
    their_people: list[RecordId] = refers_to(Kind.PEOPLE, [])
    our_people: list[RecordId] = refers_to(Kind.PEOPLE, [])
    cares_about: SealableText = Field("", description="what they care about")
    values_and_aims: SealableText = ""
    common_ground: SealableText = ""
    red_lines: SealableText = Field("", description="red lines they raised")
    concerns: SealableText = ""
    outcome: SealableText = ""
    next_steps: SealableText = ""
    follow_up: Date | None = None
    notes: SealableText = ""

    @field_validator("id")
    @classmethod
    def _id_starts_with_a_date(cls, value: str) -> str:
        found = CONVERSATION_ID_DATE.match(value)
        try:
            dt.date(*(int(part) for part in found.groups())) if found else None
        except ValueError:
            found = None
        if found is None:
            raise ValueError("a conversation id starts with its date, e.g. 2026-11-24-st-marys-k3f9")
        return value

    @property
    def year(self) -> str:
        return self.id[:4]


class Partner(Part):
    """A group taking part in an activity, with the role agreed for it."""

    group: RecordId = refers_to(Kind.GROUPS, ...)
    role: Line = ""
    agreed: Flag = Field(False, description="the role has been agreed with the group")


class Activity(Record):
    """A meeting, community assembly or joint activity (steps 7 and 8)."""

    KIND: ClassVar[Kind] = Kind.ACTIVITIES
    title: Name
    kind: ActivityKind = ActivityKind.OTHER
    status: ActivityStatus = ActivityStatus.IDEA
    date: Date | None = None
    location: Line = ""
    partners: list[Partner] = []
    notes: Text = ""


KIND_MODELS: dict[Kind, type[Record]] = {
    Kind.TEAMS: Team,
    Kind.GROUPS: Group,
    Kind.PEOPLE: Person,
    Kind.CONVERSATIONS: Conversation,
    Kind.ACTIVITIES: Activity,
}


RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}|ssh-ed25519 [A-Za-z0-9+/]{68}(?: [^\n]*)?")
SEALABLE_KINDS = (Kind.PEOPLE, Kind.CONVERSATIONS)
DEFAULT_SEALED = ["people.contact", "people.notes"]


@cache
def sealable_fields(kind: Kind) -> tuple[str, ...]:
    """The fields of kind a team may seal: a person's contact and the free-text fields of people and conversations."""
    if kind not in SEALABLE_KINDS:
        return ()
    return tuple(name for name, info in kind.model.model_fields.items() if _sealable(info.annotation, info.metadata))


def _sealable(annotation: Any, metadata: list[Any]) -> bool:
    takes_sealed = Sealed in typing.get_args(annotation)
    return takes_sealed or any(getattr(item, "func", None) is text_or_sealed for item in metadata)


def _sealable_name(value: str) -> str:
    allowed = [f"{kind.value}.{field}" for kind in SEALABLE_KINDS for field in sealable_fields(kind)]
    if value not in allowed:
        raise ValueError(f"{value!r} cannot be sealed; only these can: {', '.join(allowed)}")
    return value


class SealedSettings(Part):
    """`[sealed]` in allytui.toml: which fields are kept as sealed values, readable by our members only."""

    fields: list[Annotated[Line, AfterValidator(_sealable_name)]] = Field(
        DEFAULT_SEALED, description="kind.field, e.g. people.contact or conversations.notes"
    )

    def of(self, kind: Kind) -> tuple[str, ...]:
        """The sealed fields of kind, in the order the record has them."""
        wanted = {name.partition(".")[2] for name in self.fields if name.startswith(f"{kind.value}.")}
        return tuple(name for name in sealable_fields(kind) if name in wanted)


class RetentionSettings(Part):
    """`[retention]` in allytui.toml: when a record is due for review (`allytui retention`, the Privacy screen)."""

    no_basis_days: Annotated[Int, Field(ge=1, le=3650)] = Field(
        90, description="days a person's contact details may be kept with no lawful basis recorded"
    )
    inactive_months: Annotated[Int, Field(ge=1, le=600)] = Field(
        24, description="months with no conversation or change before a person who is not a member is due"
    )
    conversation_notes_months: Annotated[Int, Field(ge=1, le=600)] = Field(
        36, description="months after which a conversation's notes are due to be cleared"
    )


Weight = Annotated[float, Field(ge=0, le=100)]


class ShortlistWeights(Part):
    """How much each thing counts when ranking groups to approach (`[shortlist]` in allytui.toml)."""

    similar_aims: Weight = 2.0
    local_influence: Weight = 2.0
    large_network: Weight = 1.5
    benefits_from_demands: Weight = 1.5
    influence: Weight = Field(1.0, description="per point of influence, 1-5")
    alignment: Weight = Field(1.5, description="per point of alignment, -2..+2")
    network_size: Weight = Field(1.0, description="per tenfold of the size estimate")
    known: Weight = Field(1.0, description="per member of ours who knows the group or its people")


class RepoSettings(Part):
    """`allytui.toml`: what a data repository is, and settings its members share."""

    format: Int = 1
    name: Line = ""
    going_cold_days: Annotated[Int, Field(ge=1, le=3650)] = Field(
        60, description="a group with no conversation for this many days is going cold"
    )
    shortlist: ShortlistWeights = ShortlistWeights()
    sealed: SealedSettings = SealedSettings()
    retention: RetentionSettings = RetentionSettings()
    region: RegionSettings = RegionSettings()
