"""Keys people can change: the binding ids a config may name, checking a keymap, and the keys in force."""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import (
    REPLACED_KEYS,
    Keys,
    _character_to_key,
    _normalize_key_list,
    format_key,
    key_to_character,
)
from textual.screen import ModalScreen

from allytui.model.text import visible
from allytui.store.user_config import read_user_config

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

EDITOR_TIP = "Open the file in your own text editor; allytui checks and commits it when you close it"
"""The tooltip of every `editor` binding (e: $VISUAL or $EDITOR, on every screen that shows files)."""

NAMED_KEYS = frozenset(k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<")) | set(REPLACED_KEYS)
"""Key names a terminal sends besides characters: escape, enter, f1, up, pagedown, slash ..."""


@cache
def _node_classes() -> list[type[DOMNode]]:
    """Every screen and widget class of the interface, and the Textual classes they build on."""
    import allytui.tui as tui_package

    for folder in ("screens", "widgets"):
        package = importlib.import_module(f"{tui_package.__name__}.{folder}")
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    importlib.import_module(f"{tui_package.__name__}.app")
    found: list[type[DOMNode]] = []
    waiting: list[type[DOMNode]] = [DOMNode]
    while waiting:
        cls = waiting.pop()
        found.append(cls)
        waiting.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith(tui_package.__name__)]


@cache
def declared_bindings() -> dict[str, list[tuple[str, Binding]]]:
    """binding id -> (the class that declares it, the binding), for every binding with an id in the app,
    its screens and widgets, including the Textual widgets' they inherit (each key of a binding separately)."""
    found: dict[str, list[tuple[str, Binding]]] = {}
    seen: set[tuple[type[DOMNode], str, str]] = set()
    for cls in _node_classes():
        for base in cls.__mro__:
            for binding in Binding.make_bindings(vars(base).get("BINDINGS", [])):
                if binding.id is None or (base, binding.id, binding.key) in seen:
                    continue
                seen.add((base, binding.id, binding.key))
                found.setdefault(binding.id, []).append((base.__name__, binding))
    return found


def key_name_problem(key: str) -> str | None:
    """Why a single key (its modifiers already checked) is not one a terminal can send, or None."""
    name = key.rpartition("+")[2]
    if len(name) == 1:
        return None if name.isprintable() else f"{key!r} is not a key"
    if name in NAMED_KEYS or key_to_character(name) is not None:
        return None
    try:  # a character's Unicode name, the way Textual spells it: dollar_sign, full_stop
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return f"{key!r}: there is no key called {name!r} (write a letter, or a name like f2, escape, slash, up)"
    return None


def check_keymap(keys: dict[str, str], source: str) -> tuple[dict[str, str], list[str]]:
    """The entries of a keymap that name a real binding and real keys, and a message for each that does not."""
    known = declared_bindings()
    good: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, spec in keys.items():
        if binding_id not in known:
            problems.append(f"{source}: keys.{binding_id}: no key binding has that id (help lists them); left out.")
            continue
        bad = next((p for key in spec.split(",") if (p := key_name_problem(key)) is not None), None)
        if bad is not None:
            problems.append(f"{source}: keys.{binding_id}: {bad}; left out.")
            continue
        good[binding_id] = spec
    return good, problems


def _in_force(bindings: BindingsMap, keymap: dict[str, str]) -> dict[str, dict[str, Binding]]:
    """key -> the bindings (by id) it has once keymap (normalised) applies: moved ones at their new keys only."""
    found: dict[str, dict[str, Binding]] = {}
    for key, binding in bindings:
        if binding.id is None:
            continue
        for new_key in keymap[binding.id].split(",") if binding.id in keymap else [key]:
            found.setdefault(new_key, {}).setdefault(binding.id, binding)
    return found


Clash = tuple[str, str, str, str]
"""(the binding id the keymap moved, the key, the other binding's id or description, how they meet)."""


def _meetings(here: dict[str, Binding], app_wide: dict[str, Binding], keymap: dict[str, str]) -> list[Clash]:
    """What goes wrong on one key of one class: two of its bindings on it (the keymap's choice wins over a binding
    it did not move), or an app-wide binding on a key the class uses (the class's own binding wins there)."""
    met: list[Clash] = []
    moved = sorted(binding_id for binding_id in here if binding_id in keymap)
    if len(moved) > 1:
        met.append((moved[0], "", " and keys.".join(moved[1:]), "both"))
    for binding_id in moved:
        for other_id, other in here.items():
            if other_id not in keymap and other.description:
                met.append((binding_id, other_id, other.description, "loses"))
        for other_id, other in app_wide.items():
            if other_id not in here and other.description:
                met.append((binding_id, other_id, other.description, "loses"))
    for binding_id in app_wide:
        if binding_id in keymap and binding_id not in here:
            for other_id, other in here.items():
                if other_id not in keymap and other.description:
                    met.append((binding_id, other_id, other.description, "stays"))
    return met


def _clashes(keymap: dict[str, str]) -> list[str]:
    """Keys the keymap gives where another binding has them: two bindings of one screen on one key (one of them
    loses it), or an app-wide key and a screen's own key meeting (the screen's wins there)."""
    from allytui.tui.app import AllytuiApp

    normal = {binding_id: _normalize_key_list(spec) for binding_id, spec in keymap.items()}
    app_wide = _in_force(AllytuiApp._merge_bindings(), normal)
    found: dict[tuple[str, str, str, str], list[str]] = {}
    for cls in _node_classes():
        reached = not issubclass(cls, AllytuiApp | ModalScreen)  # an app-wide key never reaches a dialog
        for key, here in _in_force(cls._merge_bindings(), normal).items():
            for binding_id, _, other, how in _meetings(here, app_wide.get(key, {}) if reached else {}, normal):
                found.setdefault((binding_id, key, other, how), []).append(cls.__name__.removesuffix("Screen"))
    return [_clash_text(binding_id, key, other, how, where) for (binding_id, key, other, how), where in found.items()]


def _clash_text(binding_id: str, key: str, other: str, how: str, where: list[str]) -> str:
    if how == "both":
        return f"keys.{binding_id} and keys.{other} are both {key} on {_names(where)}"
    lost = ", which loses it there" if how == "loses" else f", where it stays {other}"
    return f"keys.{binding_id}: {key} is already {other} on {_names(where)}{lost}"


def _names(names: list[str], most: int = 4) -> str:
    return ", ".join(names[:most]) + (", ..." if len(names) > most else "")


def read_keymap(path: Path) -> tuple[dict[str, str], list[str]]:
    """The keymap in the member's config file (binding id -> keys), and what was wrong with it."""
    config, problems = read_user_config(path)
    source = visible(str(path))
    keys, more = check_keymap(dict(config.keys), source)
    clashes = [f"{source}: {clash}; choose another key." for clash in _clashes(keys)]
    return keys, problems + more + clashes


def bindings_in_force(node: DOMNode) -> BindingsMap:
    """node's bindings with the app's keymap applied, as the key presses see them."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap  # what set_keymap stored, normalised (Textual has no public reader)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def bound_keys(app: App[Any], binding_id: str) -> list[str]:
    """The keys bound to binding_id now, as Textual names them: the keymap's, or the usual ones."""
    spec = app._keymap.get(binding_id)  # what set_keymap stored, normalised (Textual has no public reader)
    keys = spec.split(",") if spec else list(dict.fromkeys(b.key for _, b in declared_bindings().get(binding_id, [])))
    return [_character_to_key(k) if len(k) == 1 else k for k in keys]


def keys_of(app: App[Any], binding_id: str) -> list[str]:
    """The keys bound to binding_id now (the keymap's, or the usual ones), as the app shows keys."""
    return [app.get_key_display(Binding(key, "")) for key in bound_keys(app, binding_id)]


SPOKEN: dict[str, str] = {"escape": "escape", "enter": "enter", "delete": "delete", "backspace": "backspace"}
"""Keys a sentence names in words where the footer has a symbol or a short form (esc, ⏎, del, ⌫)."""


def spoken(key: str) -> str:
    """A key as a hint in a sentence names it: ctrl+s, escape, enter, /, ?, C, f1."""
    modifiers, _, name = key.rpartition("+") if len(key) > 1 else ("", "", key)
    shown = SPOKEN.get(name) or format_key(name)
    return f"{modifiers}+{shown}" if modifiers else shown


def at_start(key: str) -> str:
    """A key named at the start of a sentence: Enter, Escape, F1; a letter stays as it is (E is not e)."""
    return key.capitalize() if len(key) > 1 and key.isalnum() else key


def key_of(app: App[Any], binding_id: str, *, besides: tuple[str, ...] = ()) -> str:
    """The first key bound to binding_id now, for hints in the text ("press k to ..."): the remapped one if any.

    besides: keys to pass over when the binding has another (the n of a No that escape also answers).
    """
    keys = bound_keys(app, binding_id)
    chosen = next((key for key in keys if key not in besides), keys[0] if keys else None)
    return spoken(chosen) if chosen is not None else "?"


def usual_key(binding_id: str) -> str:
    """The first of binding_id's usual keys, as a hint names it: for text shown where no keymap applies."""
    usual = declared_bindings().get(binding_id, [])
    return spoken(usual[0][1].key) if usual else "?"


KeyOf = Callable[[str], str]
"""binding id -> the key a hint names (`partial(key_of, app)`), for text built away from the app."""
