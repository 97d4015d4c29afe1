"""Spreadsheet cells read the way people type them: a choice by its value or label in any case, near misses named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from allytui.model.closest import closest
from allytui.model.fields import unwrap
from allytui.model.readable import choice_type, label


def _key(text: str) -> str:
    """What typed text is compared as: any case, `_`, `-` and spaces alike, apostrophes gone."""
    text = re.sub(r"['’`]", "", text.casefold())
    return " ".join(re.split(r"[\s_\-]+", text)).strip()


def _joined(text: str) -> str:
    """The key without its spaces: "foodbank", "e-mail" and "food bank", "email" are the same."""
    return _key(text).replace(" ", "")


@dataclass(frozen=True)
class BadChoice:
    """A cell that is none of a choice field's values: where, what was typed, and the nearest label."""

    field: str
    typed: str
    suggestion: str | None


def match_choice(enum: type[Enum], typed: str) -> str | None:
    """The stored value typed means: its value or label, in any case and spacing ("Food Bank", "foodbank",
    "e-mail"); else None."""
    wanted = _joined(typed)
    return next((str(member.value) for member in enum if _joined(str(member.value)) == wanted), None)


def suggest_choice(enum: type[Enum], typed: str) -> str | None:
    """The label nearest to what was typed, when it is close enough to be a slip ("sprots": sports)."""
    return next(iter(closest(_key(typed), allowed_labels(enum), limit=1)), None)


def allowed_labels(enum: type[Enum]) -> list[str]:
    return [label(str(member.value)) for member in enum]


def read_choices(
    model: type[BaseModel], data: dict[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], list[BadChoice]]:
    """data with every choice field's text turned into the stored value; the cells that match none, with a
    suggestion each. Fields of nested parts (dicts) are read the same way."""
    out: dict[str, Any] = {}
    bad: list[BadChoice] = []
    for name, value in data.items():
        info = model.model_fields.get(name)
        part = unwrap(info.annotation) if info is not None else None
        if info is None:
            out[name] = value
        elif isinstance(value, dict) and isinstance(part, type) and issubclass(part, BaseModel):
            out[name], inner = read_choices(part, value, f"{prefix}{name}.")
            bad += inner
        elif (enum := choice_type(info.annotation)) is None:
            out[name] = value
        elif isinstance(value, str):
            out[name] = _one(enum, value, f"{prefix}{name}", bad)
        elif isinstance(value, list):
            out[name] = [_one(enum, item, f"{prefix}{name}", bad) if isinstance(item, str) else item for item in value]
        else:
            out[name] = value
    return out, bad


def _one(enum: type[Enum], typed: str, field: str, bad: list[BadChoice]) -> str:
    found = match_choice(enum, typed)
    if found is None:
        bad.append(BadChoice(field, typed, suggest_choice(enum, typed)))
        return typed
    return found


WEB_ADDRESS = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)


def web_address(typed: str) -> str:
    """A website as people type it, with https:// added when it starts with a plain domain (riverton.org)."""
    text = typed.strip()
    return f"https://{text}" if WEB_ADDRESS.match(text) else typed


def enum_of(model: type[BaseModel], field: str) -> type[Enum] | None:
    """The Enum of a field named by its path ("category", "knows.strength"), else None."""
    outer, _, inner = field.partition(".")
    info = model.model_fields.get(outer)
    if info is None:
        return None
    if inner:
        part = unwrap(info.annotation)
        return enum_of(part, inner) if isinstance(part, type) and issubclass(part, BaseModel) else None
    return choice_type(info.annotation)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet program read a cell as a formula (and run it) rather than as text."""
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def as_text_cell(cell: str) -> str:
    """A cell Excel shows as the text it is: one that would start a formula ("=HYPERLINK(...)", "+44 7700 ...")
    gets a leading apostrophe, Excel's mark for text. Plain numbers (-1) are left as they are."""
    if cell.startswith(FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def from_text_cell(cell: str) -> str:
    """The value as_text_cell kept from being a formula, without its apostrophe."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START) and not _NUMBER.match(cell[1:]):
        return cell[1:]
    return cell
