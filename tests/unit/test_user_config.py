"""The member's config.toml: reading it (read_user_config), checking its keymap (check_keymap, read_keymap), and
that every binding in the interface has an id a keymap can name."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import allytui.tui
from allytui.model.config import UserConfig
from allytui.store.user_config import read_user_config
from allytui.tui.keymap import check_keymap, read_keymap


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# reading the file


def test_no_file_gives_the_usual_settings_and_says_nothing(tmp_path: Path) -> None:
    assert read_user_config(tmp_path / "config.toml") == (UserConfig(), [])


def test_an_empty_file_gives_the_usual_settings_and_says_nothing(tmp_path: Path) -> None:
    assert read_user_config(config(tmp_path, "")) == (UserConfig(), [])


def test_a_good_remap_is_read(tmp_path: Path) -> None:
    found, problems = read_user_config(config(tmp_path, '[keys]\neditor = "ctrl+e"\nhelp = "?, f2"\n'))
    assert problems == []
    assert found.keys == {"editor": "ctrl+e", "help": "?,f2"}


def test_bad_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = config(tmp_path, '[keys]\neditor = "ctrl+e"\nhelp = "f2\n')
    found, problems = read_user_config(path)
    assert found == UserConfig()
    assert len(problems) == 1 and problems[0].startswith(f"{path}:3: ") and "using the usual settings" in problems[0]


def test_an_unknown_setting_is_named_and_left_out_keeping_the_rest(tmp_path: Path) -> None:
    path = config(tmp_path, 'theme = "dark"\n[keys]\neditor = "ctrl+e"\n')
    found, problems = read_user_config(path)
    assert problems == [f"{path}: theme: not a setting allytui knows; left out."]
    assert found.keys == {"editor": "ctrl+e"}


@pytest.mark.parametrize(
    ("text", "setting", "why"),
    [
        ('[keys]\neditor = 5\nhelp = "f2"\n', "keys.editor", 'should be a key in quotes, like "ctrl+e"'),
        ('[keys]\neditor = "ctl+e"\nhelp = "f2"\n', "keys.editor", "'ctl' is not a modifier"),
        ('[keys]\neditor = "ctrl e"\nhelp = "f2"\n', "keys.editor", "has a space in it"),
        ('[keys]\neditor = "ctrl+"\nhelp = "f2"\n', "keys.editor", "has no key after its modifiers"),
        ('[keys]\neditor = ","\nhelp = "f2"\n', "keys.editor", "no key given"),
    ],
)
def test_a_bad_key_is_named_with_its_setting_and_left_out_alone(
    tmp_path: Path, text: str, setting: str, why: str
) -> None:
    path = config(tmp_path, text)
    found, problems = read_user_config(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}: {setting}: ") and why in problems[0]
    assert found.keys == {"help": "f2"}


def test_keys_that_are_not_a_table_are_named(tmp_path: Path) -> None:
    path = config(tmp_path, 'keys = "ctrl+e"\n')
    found, problems = read_user_config(path)
    assert found == UserConfig()
    assert problems == [f'{path}: keys: should be a table of keys, like [keys] then editor = "ctrl+e"; left out.']


def test_a_folder_or_a_fifo_in_the_files_place_is_named_without_waiting(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert read_user_config(folder) == (UserConfig(), [f"{folder}: not a regular file; using the usual settings."])
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert read_user_config(fifo) == (UserConfig(), [f"{fifo}: not a regular file; using the usual settings."])


# checking the keymap against the bindings


def test_check_keymap_keeps_a_good_remap() -> None:
    assert check_keymap({"editor": "ctrl+e", "help": "question_mark,f2"}, "config.toml") == (
        {"editor": "ctrl+e", "help": "question_mark,f2"},
        [],
    )


def test_check_keymap_names_an_unknown_binding_id_and_leaves_it_out() -> None:
    good, problems = check_keymap({"edtior": "ctrl+e", "help": "f2"}, "config.toml")
    assert good == {"help": "f2"}
    assert problems == ["config.toml: keys.edtior: no key binding has that id (help lists them); left out."]


@pytest.mark.parametrize("spec", ["ctrl+nosuchkey", "f2,pgdn", "ctrl+\x07"])
def test_check_keymap_names_a_key_no_terminal_sends(spec: str) -> None:
    good, problems = check_keymap({"editor": spec}, "config.toml")
    assert good == {}
    assert len(problems) == 1 and problems[0].startswith("config.toml: keys.editor: ")


@pytest.mark.parametrize("spec", ["ctrl+e", "f12", "escape", "slash", "dollar_sign", "é", "ctrl+shift+up", "pagedown"])
def test_check_keymap_takes_every_kind_of_real_key(spec: str) -> None:
    assert check_keymap({"editor": spec}, "config.toml") == ({"editor": spec}, [])


def test_a_key_already_taken_on_a_screen_is_named_with_the_file_and_setting(tmp_path: Path) -> None:
    path = config(tmp_path, '[keys]\nfilter = "n"\n')  # n is New on the lists
    keys, problems = read_keymap(path)
    assert keys == {"filter": "n"}  # kept: the member chose it, and is told what it costs
    assert len(problems) == 1 and problems[0].startswith(f"{path}: keys.filter: n is already New on ")
    assert "which loses it there" in problems[0]


def test_an_app_wide_key_moved_onto_a_screens_key_is_named(tmp_path: Path) -> None:
    path = config(tmp_path, '[keys]\nquit = "e"\n')  # e is the editor on the lists
    _, problems = read_keymap(path)
    named = next(p for p in problems if p.startswith(f"{path}: keys.quit: e is already Editor on "))
    assert "RecordList" in named and "where it stays Editor" in named


def test_a_screens_key_moved_onto_an_app_wide_key_is_named(tmp_path: Path) -> None:
    path = config(tmp_path, '[keys]\nsort = "q"\n')  # q quits everywhere; on the lists it would sort instead
    _, problems = read_keymap(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}: keys.sort: q is already Quit on RecordList")
    assert "which loses it there" in problems[0]


def test_two_bindings_moved_to_one_key_on_a_screen_are_named(tmp_path: Path) -> None:
    path = config(tmp_path, '[keys]\nsort = "z"\nhistory = "z"\n')
    _, problems = read_keymap(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}: keys.history and keys.sort are both z on RecordList")


def test_keys_moved_away_together_are_no_clash(tmp_path: Path) -> None:
    path = config(tmp_path, '[keys]\nfilter = "n"\nnew = "a"\n')
    keys, problems = read_keymap(path)
    assert keys == {"filter": "n", "new": "a"} and problems == []


def test_read_keymap_names_every_problem_with_the_file(tmp_path: Path) -> None:
    path = config(tmp_path, 'colour = 1\n[keys]\nquit = "ctl+x"\nnope = "z"\nhelp = "f2"\n')
    keys, problems = read_keymap(path)
    assert keys == {"help": "f2"}
    assert len(problems) == 3 and all(p.startswith(f"{path}: ") for p in problems)
    assert sorted(p.split(": ")[1] for p in problems) == ["colour", "keys.nope", "keys.quit"]


# every binding can be named


def interface_classes() -> list[type[DOMNode]]:
    """Every app, screen and widget class defined under allytui.tui (each module imported)."""
    found: dict[str, type[DOMNode]] = {}
    for module_info in pkgutil.walk_packages(allytui.tui.__path__, f"{allytui.tui.__name__}."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def test_every_binding_of_the_interface_has_an_id() -> None:
    classes = interface_classes()
    assert {"AllytuiApp", "RecordListScreen", "RecordTable", "PowerMap", "ConfirmScreen"} <= {
        c.__name__ for c in classes
    }
    missing = [
        f"{cls.__name__}: {binding.key} ({binding.description or binding.action})"
        for cls in classes
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", []))
        if not binding.id
    ]
    assert missing == []
