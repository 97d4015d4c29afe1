"""`[region]` in allytui.toml: which exchange repo we share through, and the allow-list of what goes there."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from allytui.model.ids import is_valid_id
from allytui.model.text import Line

PUBLISHABLE = ("name", "category", "area", "website", "stage", "last_contact_month", "lead_first_name")
"""Everything that may ever leave the data repo for the exchange, per group. Nothing else can be named."""

DEFAULT_PUBLISH = ["name", "category", "area", "website", "stage", "last_contact_month"]
PRIVATE_TAG = "private"
"""Groups tagged so are never published, whatever the allow-list says."""


class ParticipantKind(StrEnum):
    """A local group, or the national relationships team whose organisations nobody approaches locally."""

    LOCAL = "local"
    NATIONAL = "national"


def _publishable(value: str) -> str:
    if value not in PUBLISHABLE:
        raise ValueError(f"{value!r} cannot be shared; only these can: {', '.join(PUBLISHABLE)}")
    return value


def _folder_name(value: str) -> str:
    if value and not is_valid_id(value):
        raise ValueError("a folder name: lowercase letters, digits and dashes, like an id")
    return value


def _with_name(value: list[str]) -> list[str]:
    if "name" not in value:
        raise ValueError("name must be shared: other participants recognise an organisation by it")
    return list(dict.fromkeys(value))


class RegionSettings(BaseModel):
    """Where the region's exchange repo is and what of ours goes into it (nothing until url is set)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    url: Line = Field("", description="the exchange repo (ssh://, user@host:path, https://, a path)")
    participant: Annotated[Line, AfterValidator(_folder_name)] = Field(
        "", description="our folder's name in the exchange (empty: the id of our team record)"
    )
    kind: ParticipantKind = ParticipantKind.LOCAL
    publish: Annotated[list[Annotated[str, AfterValidator(_publishable)]], AfterValidator(_with_name)] = Field(
        default_factory=lambda: list(DEFAULT_PUBLISH), description="what is shared of each group"
    )

    @property
    def joined(self) -> bool:
        return bool(self.url)
