"""Sealed values: a field's value kept as an age message in ASCII armor, checked for shape but never opened here.

A sealed value is told apart from plain text by its armor header, so a record loads without any key:
the field simply holds a `Sealed` string, which is written back exactly as it was read. Sealing and
opening (pyrage) live in the store; the model only recognises the armor and checks its shape.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, GetCoreSchemaHandler, StringConstraints
from pydantic_core import core_schema

from allytui.model.text import safe_text

ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = "-----END AGE ENCRYPTED FILE-----"
ARMOR_COLUMNS = 64
SEALED_NOTE = "sealed — you hold no key for it"
SEALED_HIDDEN = "(sealed; --reveal to open it)"
MAX_PLAIN_TEXT = 100_000
MAX_SEALED = 400_000  # the armor of the longest plain text, with room for many recipients
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_WELL_FORMED = re.compile(  # the shape every armor takes, checked in one pass (loading 10,000 records stays quick)
    r"\s*-----BEGIN AGE ENCRYPTED FILE-----\n"
    r"(?:[A-Za-z0-9+/]{64}\n)*"
    r"(?=[^\n]{1,64}\n)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\n"
    r"-----END AGE ENCRYPTED FILE-----\s*"
)


def looks_sealed(value: object) -> bool:
    """Whether value is (meant to be) a sealed value: a string starting with the age armor header."""
    return isinstance(value, str) and value.lstrip().startswith(ARMOR_BEGIN)


def armor_problem(text: str) -> str | None:
    """What is wrong with the shape of an armored age message, or None; never repeats the text.

    The age format's armor: the BEGIN line, base64 in lines of 64 columns (the last one shorter or
    equal, padded), the END line. Whether the content decrypts is not checked.
    """
    if _WELL_FORMED.fullmatch(text):
        return None
    lines = text.strip().split("\n")
    if lines[0].rstrip("\r") != ARMOR_BEGIN:
        return "a sealed value must start with the line " + ARMOR_BEGIN
    if len(lines) < 2 or lines[-1].rstrip("\r") != ARMOR_END:
        return "a sealed value must end with the line " + ARMOR_END + " (was it cut short?)"
    if len(lines) < 3:
        return "a sealed value holds no message between its BEGIN and END lines"
    body = [line.rstrip("\r") for line in lines[1:-1]]
    for number, line in enumerate(body, start=2):
        last = number == len(body) + 1
        if not line or len(line) > ARMOR_COLUMNS or (not last and len(line) != ARMOR_COLUMNS):
            return f"sealed value line {number}: armor lines hold {ARMOR_COLUMNS} characters (the last one up to that)"
        if not _BASE64_LINE.fullmatch(line) or ("=" in line and not last):
            return f"sealed value line {number}: not base64"
    if sum(len(line) for line in body) % 4:
        return "sealed value: the base64 is cut short"
    return None


class Sealed(str):
    """A sealed value: age armor held as text, never decrypted by loading, written back as it was read."""

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            sealed_value,
            core_schema.str_schema(max_length=MAX_SEALED),
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )


def sealed_value(value: str) -> Sealed:
    """value as a Sealed string; ValueError naming what is wrong with its armor."""
    problem = armor_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value if isinstance(value, Sealed) else Sealed(value)


def text_or_sealed(value: str) -> str:
    """Plain free text (checked like any text), or a sealed value when it carries the armor header."""
    if looks_sealed(value):
        return sealed_value(value)
    if len(value) > MAX_PLAIN_TEXT:
        raise ValueError(f"String should have at most {MAX_PLAIN_TEXT} characters")
    return safe_text(value)


SealableText = Annotated[str, StringConstraints(max_length=MAX_SEALED), AfterValidator(text_or_sealed)]
"""Long free text that a team may seal (`[sealed] fields` in allytui.toml): plain text, or a Sealed value."""


def is_sealed(value: object) -> bool:
    return isinstance(value, Sealed)


def shown(value: Any, note: str = SEALED_NOTE) -> Any:
    """value as it may be shown to someone who has not opened it: a sealed value as a note saying so."""
    return note if isinstance(value, Sealed) else value
