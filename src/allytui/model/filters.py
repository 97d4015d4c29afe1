"""One filter language for every list, the power map and `allytui list --where`: parse once, match many.

A filter is words. A free word must be found somewhere in the item (any case, `_` and space the same);
`"two words"` in quotes is one word. `field:value` limits one field:

- text fields match any part of a value: `group:st-marys`, `tag:foot`;
- choice fields (stage, channel, category ...) take the value or its label, or the beginning of any of
  its words: `stage:conv` is in_conversation, `kind:p` is people;
- number fields take a number or a range: `influence:3`, `influence:3..5`, `influence:>=3`, `alignment:..-1`;
- date fields take a date, a month or a year, or a range of them: `date:2026-11`, `due:..2026-12-31`,
  `date:2026-01-01..`, `follow_up:>2026-11-26`;
- a list of values is any of them: `stage:contacted,meeting`; the same field twice is the same as a list.

Different fields and free words must all match. A field half typed (`stage:`) limits nothing yet. A
field the list does not have, or a value the field cannot hold, is reported in Filter.errors (the
screens show them) and that word then matches nothing, never raising.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from pydantic import BaseModel

from allytui.model.closest import did_you_mean
from allytui.model.fields import unwrap
from allytui.model.typed_dates import NotADate, parse_date

Shape = Literal["text", "number", "date", "choice"]
Scalar = str | int | float | dt.date | None
Values = Scalar | Sequence[Scalar]
Lookup = Callable[[str], Values]

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
DATE_WORD = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$")
_TOKEN = re.compile(r'(?:[^\s"]+|"[^"]*"?)+')
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_COMPARE = re.compile(r"^(>=|<=|>|<)(.*)$")
_EXAMPLES: dict[Shape, str] = {
    "number": "a number or a range, e.g. 3, 3..5, >=3, ..2",
    "date": "a date, month or year, or a range, e.g. 2026-11, 2026-01-01.., ..31/12/2026, today..",
}


def norm(value: str) -> str:
    """What comparing text uses: any case, `_` and space the same, no spaces around."""
    return value.casefold().replace("_", " ").strip()


@dataclass(frozen=True)
class Field:
    """A field a filter word may name, and the shape of its values."""

    name: str
    shape: Shape = "text"
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """For a choice field: each stored value with the other words people use for it (its labels)."""
    aliases: tuple[str, ...] = ()
    every: str = ""
    """A value meaning "no limit" (the map's `kind:all`)."""


def text(name: str, *aliases: str) -> Field:
    return Field(name, "text", aliases=aliases)


def number(name: str, *aliases: str) -> Field:
    return Field(name, "number", aliases=aliases)


def date(name: str, *aliases: str) -> Field:
    return Field(name, "date", aliases=aliases)


def choice(
    name: str,
    values: Iterable[str] | type[Enum],
    labels: Mapping[str, Iterable[str]] | None = None,
    *aliases: str,
    every: str = "",
) -> Field:
    """A field holding one of values (an Enum's values, or strings); labels are other words for a value."""
    stored = [str(v.value) for v in values] if isinstance(values, type) else [str(v) for v in values]
    labels = labels or {}
    return Field(name, "choice", tuple((v, tuple(labels.get(v, ()))) for v in stored), aliases=aliases, every=every)


@dataclass(frozen=True)
class Fields:
    """The fields of one list. date_words: a bare date (2026, 2026-11, 2026-11-24) filters on this field."""

    fields: tuple[Field, ...]
    date_words: str = ""

    def find(self, name: str) -> Field | None:
        """The field called name (or one of its aliases), else the one field whose name starts with it
        (three letters or more: `inf` is influence, as the list's column says)."""
        name = name.casefold()
        exact = next((f for f in self.fields if name == f.name or name in f.aliases), None)
        if exact is not None or len(name) < 3:
            return exact
        starting = [f for f in self.fields if f.name.startswith(name)]
        return starting[0] if len(starting) == 1 else None

    def unknown(self, names: Iterable[str]) -> str:
        """One message for every name that is not a field here."""
        names = list(dict.fromkeys(names))
        verb = "is not a field" if len(names) == 1 else "are not fields"
        meant = did_you_mean(names[0], [f.name for f in self.fields]) if len(names) == 1 else ""
        fields = f"the fields are {self.names()}"
        return (
            f"{', '.join(names)}: {verb} here{meant} ({fields})"
            if meant
            else f"{', '.join(names)}: {verb} here; {fields}"
        )

    def names(self) -> str:
        return ", ".join(f.name for f in self.fields)


# what a condition accepts


@dataclass(frozen=True)
class Between:
    """A number (or a date as its day number) from low to high (None: open); the ends are in unless strict."""

    low: float | None = None
    high: float | None = None
    low_strict: bool = False
    high_strict: bool = False

    def accepts(self, value: float) -> bool:
        low, high = self.low, self.high
        if low is not None and (value < low or (self.low_strict and value == low)):
            return False
        return not (high is not None and (value > high or (self.high_strict and value == high)))


@dataclass(frozen=True)
class Condition:
    """One field's word(s): the item passes when one of its values is accepted by one alternative."""

    field: str
    shape: Shape
    typed: tuple[str, ...]
    """The values as written, for showing and for reading back (e.g. `group:st-marys` -> st-marys)."""
    texts: tuple[str, ...] = ()  # text: normalised parts to find
    chosen: frozenset[str] = frozenset()  # choice: stored values accepted
    ranges: tuple[Between, ...] = ()  # number and date
    exact: bool = False
    broken: bool = False  # a value could not be read: nothing matches
    empty: bool = False  # only an item with no value passes (`--where lead=`)

    def accepts(self, values: Values) -> bool:
        if self.broken:
            return False
        items: Sequence[Scalar] = (
            [values] if values is None or isinstance(values, (str, int, float, dt.date)) else values
        )
        filled = [v for v in items if v is not None and v != ""]
        return not filled if self.empty else any(self._accepts_one(v) for v in filled)

    def within(self, other: Condition) -> bool:
        """Whether every value this accepts, other accepts too (so its matches are among other's): the same
        condition, or one typed on from it, `stage:a` -> `stage:al` (fewer choices) or `group:st` -> `group:st-m`
        (longer text). A number or date range is within only itself."""
        if self == other:
            return True
        if (self.field, self.shape, self.exact) != (other.field, other.shape, other.exact) or self.empty or other.empty:
            return False
        if self.broken or other.broken:
            return self.broken  # a broken condition accepts nothing
        if self.shape == "choice":
            return self.chosen <= other.chosen
        if self.shape == "text" and self.exact:
            return set(self.texts) <= set(other.texts)
        if self.shape == "text":
            return all(any(old in new for old in other.texts) for new in self.texts)
        return False

    def _accepts_one(self, value: Scalar) -> bool:
        if self.shape == "choice":
            return norm(str(value)) in self.chosen
        if self.shape == "text":
            have = norm(str(value))
            return any((want == have) if self.exact else (want in have) for want in self.texts)
        found = _as_number(value) if self.shape == "number" else _day_number(value)
        return found is not None and any(r.accepts(found) for r in self.ranges)


@dataclass(frozen=True)
class Filter:
    """A parsed filter: free words, field conditions, and what could not be understood."""

    words: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    errors: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.conditions)

    def matches(self, haystack: str, lookup: Lookup) -> bool:
        """Whether an item passes: haystack is its searchable text (normalised with norm()), lookup(name)
        its values for a field (a value, a list of them, or None)."""
        return self.matches_words(haystack) and self.matches_fields(lookup)

    def matches_words(self, haystack: str) -> bool:
        return all(word in haystack for word in self.words)

    def matches_fields(self, lookup: Lookup) -> bool:
        return all(c.accepts(lookup(c.field)) for c in self.conditions)

    def narrows(self, before: Filter) -> bool:
        """Whether every item this filter passes is one `before` passed too, so its matches can be looked for
        among before's only (typing on at the end of a filter): each of before's words is part of one of
        these, and each of its conditions has one here within it (Condition.within: the same field twice is
        one condition, so that field is limited no less)."""
        mine = {c.field: c for c in self.conditions}
        return all(c.field in mine and mine[c.field].within(c) for c in before.conditions) and all(
            any(old in new for new in self.words) for old in before.words
        )

    def typed(self, name: str) -> tuple[str, ...]:
        """The values written for a field (by its own name), e.g. to start a new record with them."""
        return tuple(v for c in self.conditions if c.field == name for v in c.typed)


def parse(text: str, fields: Fields, *, exact: bool = False) -> Filter:
    """Read a filter text. exact: values must match whole (the command line, where they come from lists)."""
    words: list[str] = []
    pairs: list[tuple[str, str]] = []
    unknown: list[str] = []
    for token in _TOKEN.findall(text):
        name, colon, value = token.partition(":")
        if fields.date_words and DATE_WORD.match(token):
            pairs.append((fields.date_words, token))
        elif colon and FIELD_NAME.match(name.casefold()) and not value.startswith("//"):
            if fields.find(name) is None:
                unknown.append(name)
                words.append(norm(_unquote(token)))  # still a word, as typed, so it finds only itself
            else:
                pairs.append((name, value))
        elif _unquote(token).strip():
            words.append(norm(_unquote(token)))
    found = of(pairs, fields, exact=exact)
    errors = (fields.unknown(unknown),) if unknown else ()
    return Filter(tuple(words), found.conditions, errors + found.errors)


def of(pairs: Iterable[tuple[str, str]], fields: Fields, *, exact: bool = False) -> Filter:
    """A filter from (field, value) pairs; a value may be a comma list or a range, as in parse().

    exact: values match whole, and an empty value means "has no value" (not "no limit yet").
    """
    wanted: dict[str, list[str]] = {}
    empty: set[str] = set()
    unknown: list[str] = []
    for name, value in pairs:
        found = fields.find(name)
        if found is None:
            unknown.append(name)
            wanted.setdefault(name.casefold(), [])
            continue
        if exact and not _unquote(value).strip():
            empty.add(found.name)
        parts = [p.strip() for p in _split(_unquote(value))]
        wanted.setdefault(found.name, []).extend(p for p in parts if p)
    errors = [fields.unknown(unknown)] if unknown else []
    conditions = []
    for name, values in wanted.items():
        found = fields.find(name)
        if found is None:
            conditions.append(Condition(name, "text", (), broken=True))
        elif name in empty:
            conditions.append(Condition(name, found.shape, ("",), empty=True, broken=bool(values)))
        elif values:
            condition, problems = _condition(found, values, exact)
            errors.extend(problems)
            if condition is not None:
                conditions.append(condition)
    return Filter((), tuple(conditions), tuple(errors))


def _condition(found: Field, values: list[str], exact: bool) -> tuple[Condition | None, list[str]]:
    if found.every and any(norm(v) == found.every for v in values):
        return None, []
    problems: list[str] = []
    typed = tuple(values)
    if found.shape == "text":
        return Condition(found.name, "text", typed, texts=tuple(norm(v) for v in values), exact=exact), []
    if found.shape == "choice":
        chosen: set[str] = set()
        for value in values:
            hits = _choose(found, norm(value), exact)
            if not hits:
                known = ", ".join(v for v, _ in found.choices)
                meant = did_you_mean(value, [v for v, _ in found.choices])
                known = f"it is one of {known}"
                problems.append(
                    f"{found.name}: no {found.name} is “{value}”" + (f"{meant} ({known})" if meant else f"; {known}")
                )
            chosen |= hits
        return Condition(found.name, "choice", typed, chosen=frozenset(chosen), broken=bool(problems)), problems
    ranges = []
    for value in values:
        between = _range(value, found.shape)
        if between is None:
            problems.append(f"{found.name}: “{value}” is not {_EXAMPLES[found.shape]}")
        else:
            ranges.append(between)
    return Condition(found.name, found.shape, typed, ranges=tuple(ranges), broken=bool(problems)), problems


def _choose(found: Field, wanted: str, exact: bool) -> set[str]:
    """The stored values whose value or label is wanted (exact), or has a word beginning with it."""
    hits = set()
    for value, labels in found.choices:
        for name in (norm(value), *(norm(label) for label in labels)):
            if name == wanted or (not exact and (" " + name).find(" " + wanted) >= 0):
                hits.add(norm(value))
    return hits


def _split(value: str) -> list[str]:
    return value.split(",")


def _unquote(value: str) -> str:
    return value.replace('"', "")


# numbers and dates


def _as_number(value: Scalar) -> float | None:
    if isinstance(value, (bool, dt.date)):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    return float(text) if _NUMBER.match(text) else None


def _day_number(value: Scalar) -> float | None:
    """A date (or an ISO date's text) as its day number, so dates compare as numbers do."""
    if isinstance(value, dt.date):
        return float(value.toordinal())
    try:
        return float(dt.date.fromisoformat(str(value).strip()[:10]).toordinal())
    except ValueError:
        return None


def _period(text: str) -> tuple[float, float] | None:
    """A year, month or day as the day numbers of its first and last day; a day may be typed as people
    type dates (31/12/2026, today, tomorrow)."""
    if not DATE_WORD.match(text):
        try:
            day = float(parse_date(text).toordinal())
        except NotADate:
            return None
        return day, day
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            first, last = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        elif len(parts) == 2:
            days = calendar.monthrange(parts[0], parts[1])[1] if 1 <= parts[1] <= 12 else 0
            first, last = dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], days)
        else:
            first = last = dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None
    return float(first.toordinal()), float(last.toordinal())


def _range(value: str, shape: Shape) -> Between | None:
    """A number or date range as written: `3`, `3..5`, `3..`, `..5`, `>=3`, `>3`, `<=5`, `<5`."""
    value = value.strip()
    compare = _COMPARE.match(value)
    if compare:
        sign, rest = compare.groups()
        one = _ends(rest, shape)
        if one is None:
            return None
        first, last = one
        if sign == ">=":
            return Between(low=first)
        if sign == ">":
            return Between(low=last, low_strict=True)
        if sign == "<=":
            return Between(high=last)
        return Between(high=first, high_strict=True)
    low_text, dots, high_text = value.partition("..")
    if not dots:
        one = _ends(value, shape)
        return None if one is None else Between(one[0], one[1])
    if not low_text and not high_text:
        return None
    low = _ends(low_text, shape) if low_text else None
    high = _ends(high_text, shape) if high_text else None
    if (low_text and low is None) or (high_text and high is None):
        return None
    return Between(low[0] if low else None, high[1] if high else None)


def _ends(text: str, shape: Shape) -> tuple[float, float] | None:
    """A number as (n, n), or a date, month or year as its (first, last) day."""
    text = text.strip()
    if shape == "number":
        found = _as_number(text)
        return None if found is None else (found, found)
    return _period(text)


# common uses


def replace_field(text: str, name: str, value: str | None) -> str:
    """The filter text with the words for one field replaced by `name:value` first (None: removed)."""
    words = [w for w in _TOKEN.findall(text) if w.partition(":")[0].casefold() != name]
    if value is not None:
        words.insert(0, f"{name}:{value}")
    return " ".join(words)


@dataclass
class Subject:
    """An item to match when it is not a table row: searchable text and its field values."""

    haystack: str = ""
    values: dict[str, Values] = field(default_factory=dict)

    def lookup(self, name: str) -> Values:
        return self.values.get(name)


# records as the command line filters them


def record_fields(model: type[BaseModel], hidden: Iterable[str] = ()) -> Fields:
    """The fields of a record model as filter fields (and `id`), but not those hidden (contact details).

    A list field may also be named in the singular (`tag` for tags); a yes/no field is a choice of
    true or false (yes, no).
    """
    found = [text("id")]
    for name, info in model.model_fields.items():
        if name in set(hidden) or name in ("id", "conflicts"):
            continue
        annotation = unwrap(info.annotation)
        aliases: tuple[str, ...] = ()
        if typing.get_origin(annotation) is list:
            annotation = unwrap(typing.get_args(annotation)[0])
            aliases = (name[:-1],) if name.endswith("s") else ()
        found.append(_field_for(name, annotation, aliases))
    return Fields(tuple(found))


def _field_for(name: str, annotation: object, aliases: tuple[str, ...]) -> Field:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return choice(name, annotation, None, *aliases)
    if annotation is bool:
        return choice(name, ["true", "false"], {"true": ["yes"], "false": ["no"]}, *aliases)
    if annotation in (int, float):
        return number(name, *aliases)
    if annotation is dt.date:
        return date(name, *aliases)
    return text(name, *aliases)


def record_lookup(data: Mapping[str, object]) -> Lookup:
    """What a Filter asks of a record dumped as JSON data: its values, yes/no as true or false."""

    def scalar(value: object) -> Scalar:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None or isinstance(value, (str, int, float)):
            return value
        return str(value)

    def lookup(name: str) -> Values:
        value = data.get(name)
        return [scalar(v) for v in value] if isinstance(value, list) else scalar(value)

    return lookup
