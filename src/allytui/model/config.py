"""A member's own settings for the app on this computer (config.toml), kept out of the shared data repo."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
"""The modifier names a key may start with, as in `ctrl+e` or `ctrl+shift+up`."""


def key_spec_problem(spec: str) -> str | None:
    """What is wrong with a key written in the config (`ctrl+e`, `f2`, `E`, or several: `?,f1`), or None.

    Only the shape is checked here; whether a terminal has a key of that name is the interface's business.
    """
    keys = [key.strip() for key in spec.split(",")]
    if not any(keys):
        return "no key given"
    for key in keys:
        if not key:
            return f"an empty key in {spec!r} (keys are separated by commas)"
        if " " in key:
            return f"{key!r} has a space in it (write ctrl+e, not ctrl e)"
        if len(key) > 1 and "+" in key:
            *modifiers, name = key.split("+")
            unknown = [m for m in modifiers if m not in MODIFIERS]
            if unknown:
                return f"{key!r}: {unknown[0]!r} is not a modifier ({', '.join(sorted(MODIFIERS))})"
            if not name:
                return f"{key!r} has no key after its modifiers"
    return None


def _key_spec(spec: str) -> str:
    problem = key_spec_problem(spec)
    if problem is not None:
        raise ValueError(problem)
    return ",".join(key.strip() for key in spec.split(","))


KeySpec = Annotated[str, AfterValidator(_key_spec)]
"""One or more keys, separated by commas: `ctrl+e`, `f2`, `?,f1`."""


class UserConfig(BaseModel):
    """Settings read once when the app starts, from config.toml in the member's config folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keys: dict[str, KeySpec] = Field(default_factory=dict)
    """Keys people can change: a binding's id (help lists them) and the key(s) it should have instead,
    e.g. `editor = "ctrl+e"` or `help = "?,f1"`. Bindings not named keep their usual keys."""
