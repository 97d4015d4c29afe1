"""Record ids: stable lowercase slugs chosen at creation, and how new ones are made."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date
from typing import Annotated

from anyascii import anyascii
from pydantic import StringConstraints

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ID_RE = re.compile(ID_PATTERN)
RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)


def is_valid_id(text: str) -> bool:
    return ID_RE.fullmatch(text) is not None


def slugify(name: str, max_length: int = 48) -> str:
    """Turn a name into an id-shaped slug: "St Mary's Church" -> "st-marys-church".

    Names in any script get a readable id by transliteration ("Храм Христа" -> "khram-khrista");
    symbols such as emoji are left out rather than spelt out.
    """
    letters = "".join(c for c in unicodedata.normalize("NFC", name) if not unicodedata.category(c).startswith("S"))
    ascii_text = anyascii(letters)
    ascii_text = re.sub(r"['’`]", "", ascii_text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:max_length].strip("-")
    return slug or "record"


def unique_id(base: str, taken: set[str] | frozenset[str]) -> str:
    """base, or base-2, base-3 ... whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def random_suffix(length: int = 6) -> str:
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(length))


def conversation_id(on: date, about: str) -> str:
    """A conversation id: its date, a slug of what it is about, and a random suffix.

    Two members logging conversations offline on the same day with the same group still get
    different ids (31**6 suffixes: even 300 ids on one day share a suffix about once in 20,000
    tries), so their files never collide when they sync.
    """
    slug = slugify(about, max_length=40)
    return f"{on.isoformat()}-{slug}-{random_suffix()}"


CONVERSATION_ID_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
