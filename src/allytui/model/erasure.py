"""Erasing a person: the terms that identify them, mentions, references and erasures.toml."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError

from allytui.model.records import Kind, Record
from allytui.model.sealed import looks_sealed
from allytui.model.text import Line
from allytui.model.validation import build_record, error_pairs

ERASED = "[erased]"
ERASED_ID = "erased-person"  # what an erased id becomes inside the old versions of other records
ERASURES_FILE = "erasures.toml"
MIN_PHONE_DIGITS = 6  # fewer digits than this are too common to erase everywhere
_HEX = r"^[0-9a-f]+$"


@dataclass(frozen=True)
class Terms:
    """What identifies an erased person in text: every name, email and phone any version of their record held."""

    ids: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    def __or__(self, other: Terms) -> Terms:
        return Terms(
            self.ids | other.ids, self.names | other.names, self.emails | other.emails, self.phones | other.phones
        )

    def as_json(self) -> dict[str, list[str]]:
        return {key: sorted(getattr(self, key)) for key in ("ids", "names", "emails", "phones")}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> Terms:
        return cls(*(frozenset(data.get(key, [])) for key in ("ids", "names", "emails", "phones")))


def terms_of(record_id: str, data: dict[str, Any]) -> Terms:
    """The terms one version of a person's record holds (parsed TOML; sealed contact details cannot be read)."""
    contact = data.get("contact")
    email = phone = ""
    if isinstance(contact, dict):
        email, phone = str(contact.get("email") or ""), str(contact.get("phone") or "")
    name = str(data.get("name") or "").strip()
    return Terms(
        frozenset({record_id}),
        frozenset({name} if name else set()),
        frozenset({email.strip()} if email.strip() else set()),
        frozenset({phone.strip()} if phone.strip() else set()),
    )


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    lead = r"\+?" if phone.strip().startswith("+") else ""
    return lead + r"[\s().-]*".join(digits)


_NOT_DIGIT = re.compile(r"\D+")


def might_mention(terms: Terms, text: str) -> bool:
    """A quick test that passes every text mention_pattern or an id as a quoted string could match (and a few
    more): every word of a name, an email, a phone's digits, or a quoted id, found as plain substrings."""
    lower = text.lower()
    if any(all(word.lower() in lower for word in name.split()) for name in terms.names if name.split()):
        return True
    if any(email.lower() in lower for email in terms.emails) or any(f'"{found}"' in text for found in terms.ids):
        return True
    phones = [digits for phone in terms.phones if len(digits := _NOT_DIGIT.sub("", phone)) >= MIN_PHONE_DIGITS]
    return bool(phones) and any(digits in _NOT_DIGIT.sub("", text) for digits in phones)


def mention_pattern(terms: Terms) -> re.Pattern[str] | None:
    """One regex for every name (whole words, any case, any spacing), email and phone (any separators)."""
    parts = [r"\s+".join(re.escape(word) for word in name.split()) for name in terms.names if name.split()]
    parts = [rf"(?<!\w){part}(?!\w)" for part in sorted(parts, key=len, reverse=True)]
    parts += [rf"(?<![\w.+-]){re.escape(email)}(?![\w-])" for email in sorted(terms.emails, key=len, reverse=True)]
    phones = [found for phone in sorted(terms.phones, key=len, reverse=True) if (found := _phone_pattern(phone))]
    parts += [rf"(?<!\d){phone}(?!\d)" for phone in phones]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def id_pattern(terms: Terms) -> re.Pattern[str] | None:
    """An erased id as a quoted TOML string (a reference in an old version of another record)."""
    if not terms.ids:
        return None
    return re.compile("|".join(rf'"{re.escape(found)}"' for found in sorted(terms.ids, key=len, reverse=True)))


def redact_text(text: str, pattern: re.Pattern[str] | None) -> tuple[str, int]:
    """text with every mention replaced by [erased], and how many there were."""
    if pattern is None:
        return text, 0
    return pattern.subn(ERASED, text)


# mentions and references inside records


@dataclass(frozen=True)
class Mention:
    """A text field of a record that mentions the erased person (the text itself is never kept here)."""

    path: str
    field: str
    count: int


def _walk(value: Any, pattern: re.Pattern[str] | None, where: str, found: list[tuple[str, int]]) -> Any:
    """value with every mention redacted, appending (field path, count) for each string that had some."""
    if isinstance(value, str):
        if looks_sealed(value):
            return value  # sealed text cannot be read here; the person's own file goes whole
        text, count = redact_text(value, pattern)
        if count:
            found.append((where, count))
        return text
    if isinstance(value, dict):
        return {key: _walk(item, pattern, f"{where}.{key}" if where else key, found) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, pattern, f"{where}[{n}]", found) for n, item in enumerate(value)]
    return value


def _data(record: Record) -> dict[str, Any]:
    return record.model_dump(exclude={"id"}, exclude_none=True)


def _rebuilt(record: Record, data: dict[str, Any]) -> Record:
    rebuilt, errors = build_record(record.KIND, record.id, data)
    if rebuilt is None:  # redaction keeps every shape; a failure here is a bug, not bad data
        raise ValueError(f"{record.KIND.value}/{record.id}: {errors}")
    return rebuilt


def find_mentions(record: Record, path: str, pattern: re.Pattern[str] | None) -> list[Mention]:
    found: list[tuple[str, int]] = []
    _walk(_data(record), pattern, "", found)
    return [Mention(path, where, count) for where, count in found]


def redact_record(record: Record, pattern: re.Pattern[str] | None) -> tuple[Record, int]:
    """The record with every mention replaced by [erased], and how many were."""
    found: list[tuple[str, int]] = []
    data = _walk(_data(record), pattern, "", found)
    if not found:
        return record, 0
    return _rebuilt(record, data), sum(count for _, count in found)


_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        found = _STEP.fullmatch(part)
        if found is None:
            raise ValueError(f"not a field path: {path}")
        steps.append(found.group(1))
        if found.group(2) is not None:
            steps.append(int(found.group(2)))
    return steps


def _drop(data: Any, steps: list[str | int]) -> None:
    """Remove one reference: an id from a list, a part holding it from its list, or a single id field."""
    list_at = max((n for n, step in enumerate(steps) if isinstance(step, int)), default=None)
    if list_at is not None:  # an id in a list, or a part in a list (a knows link without its person)
        holder = data
        for step in steps[:list_at]:
            holder = holder[step]
        holder[steps[list_at]] = _GONE  # removed after every path is marked, so indexes stay right
        return
    holder = data
    for step in steps[:-1]:
        holder = holder[step]
    holder.pop(steps[-1], None)


_GONE = object()


def _sweep(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sweep(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_sweep(item) for item in value if item is not _GONE]
    return value


def drop_references(record: Record, person_ids: Iterable[str]) -> tuple[Record, list[str]]:
    """The record without any reference to these people (knows links go whole), and the fields that had one."""
    wanted = set(person_ids)
    fields = [where for where, kind, ref in record.references() if kind is Kind.PEOPLE and ref in wanted]
    if not fields:
        return record, []
    data = _data(record)
    for where in fields:
        _drop(data, _steps(where))
    return _rebuilt(record, _sweep(data)), fields


# erasures.toml


def salted_hash(salt: str, record_id: str) -> str:
    return hashlib.sha256(f"{salt}:{record_id}".encode()).hexdigest()


class Erasure(BaseModel):
    """One erasure: when, by whom, where the rewritten history starts, and a salted hash of the erased id."""

    model_config = ConfigDict(extra="forbid")

    date: Annotated[dt.date, Strict()]
    by: Line = Field(description="who erased (their name as git knows it)")
    first_rewritten: Annotated[str, Field(pattern=r"^([0-9a-f]{40}|[0-9a-f]{64})?$")] = Field(
        "", description="the first commit of the rewritten history (empty: the whole history was rewritten)"
    )
    salt: Annotated[str, Field(min_length=16, max_length=64, pattern=_HEX)]
    hash: Annotated[str, Field(min_length=64, max_length=64, pattern=_HEX)]

    @property
    def key(self) -> tuple[str, str]:
        return self.salt, self.hash

    def matches(self, record_id: str) -> bool:
        return salted_hash(self.salt, record_id) == self.hash


class ErasureLog(BaseModel):
    """erasures.toml: every erasure this data repo has been through, oldest first."""

    model_config = ConfigDict(extra="forbid")

    erasure: list[Erasure] = []

    def entry_keys(self) -> set[tuple[str, str]]:
        return {entry.key for entry in self.erasure}


def new_erasure(record_id: str, by: str, today: dt.date, first_rewritten: str = "") -> Erasure:
    salt = secrets.token_hex(16)
    return Erasure(date=today, by=by, first_rewritten=first_rewritten, salt=salt, hash=salted_hash(salt, record_id))


def erasure_log(data: dict[str, Any]) -> tuple[ErasureLog, list[tuple[str, str]]]:
    """The log from parsed TOML, or an empty one and (field, message) problems."""
    try:
        return ErasureLog.model_validate(data), []
    except ValidationError as error:
        return ErasureLog(), error_pairs(error)


@dataclass
class ErasurePlan:
    """What erasing one person changes in the work tree, worked out before anything is written."""

    person_path: str
    present: bool  # their file is in the work tree (else only history is rewritten)
    changed: dict[str, Record] = field(default_factory=dict)  # path -> the record without refs (and mentions)
    references: list[tuple[str, str]] = field(default_factory=list)  # (path, field) of each reference dropped
    mentions: list[Mention] = field(default_factory=list)
    sealed: list[str] = field(default_factory=list)  # paths with sealed values: their text could not be searched


def plan_erasure(
    records: dict[str, Record], person_path: str, person_id: str, terms: Terms, *, present: bool
) -> ErasurePlan:
    """records: path -> record for every record in the work tree (the person's own file is left out)."""
    plan = ErasurePlan(person_path, present)
    pattern = mention_pattern(terms)
    for path, record in sorted(records.items()):
        if path == person_path:
            continue
        updated, fields = drop_references(record, [person_id])
        plan.references += [(path, where) for where in fields]
        plan.mentions += find_mentions(updated, path, pattern)
        redacted, count = redact_record(updated, pattern)
        if fields or count:
            plan.changed[path] = redacted
    return plan
