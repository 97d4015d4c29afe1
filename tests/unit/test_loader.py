"""Bad input of every kind becomes a problem naming file and field; the good records still load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from allytui.model.records import Kind
from allytui.store.repo import DataRepo

GOOD = 'name = "Good Group"\ncategory = "faith"\n'


def problems_for(repo: DataRepo, rel: str) -> list[tuple[int | None, str, str]]:
    loaded = repo.load()
    assert len(loaded.records[Kind.GROUPS]) >= 1  # the good records still load
    assert loaded.get(Kind.PEOPLE, "ana") is not None
    return [(p.line, p.field, p.message) for p in loaded.problems if p.path == rel]


def write(repo: DataRepo, rel: str, data: bytes | str) -> None:
    path = repo.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.mark.parametrize(
    ("content", "expected_line", "expected_field", "message_part"),
    [
        ('name = "x"\ncategory = \n', 2, "", "TOML syntax: Invalid value (column 12)"),
        (b'name = "caf\xe9"\ncategory = "faith"\n', 1, "", "not valid UTF-8"),
        ("a = " + "[" * 3000 + "]" * 3000 + "\n", None, "", "nesting too deep"),
        ("a = [[[[[[[[[[1]]]]]]]]]]\n", None, "", "nesting too deep"),
        ('name = "x"\ncategory = "faith"\ninfluence = "lots"\n', 3, "influence", "valid integer"),
        ('name = "x"\ncategory = "faith"\ncolour = "green"\n', 3, "colour", "unknown field"),
        ('name = "x"\ncategory = "bakery"\n', 2, "category", "unknown value; expected"),
        ('name = "x"\ncategory = "faith"\nlead = "Not An Id"\n', 3, "lead", "not a valid id"),
        ('name = "x"\ncategory = "faith"\nid = "other"\n', 3, "id", "the id is the file name"),
        ('category = "faith"\n', None, "name", "required field is missing"),
        ('name = "x"\ncategory = "faith"\nlead = "nobody"\n', 3, "lead", "refers to people/nobody"),
        (
            'name = "x"\n<<<<<<< HEAD\ncategory = "faith"\n=======\ncategory = "pta"\n>>>>>>> theirs\n',
            2,
            "",
            "unresolved merge conflict",
        ),
        ('name = "evil\\u001b[2J"\ncategory = "faith"\n', 1, "name", "control character U+001B"),
        ('name = "x"\ncategory = "faith"\nnotes = "bell\\u0007"\n', 3, "notes", "control character U+0007"),
        ('name = "x"\ncategory = "faith"\nnotes = "del\\u007f"\n', 3, "notes", "control character U+007F"),
        ('name = "x"\ncategory = "faith"\nnotes = "c1\\u009b31m"\n', 3, "notes", "control character U+009B"),
        ('name = "x"\ncategory = "faith"\nnotes = "bidi\\u202egnp.exe"\n', 3, "notes", "control character U+202E"),
        ('name = "x"\ncategory = "faith"\nnotes = "cr\\r"\n', 3, "notes", "control character U+000D"),
        ('name = "two\\nlines"\ncategory = "faith"\n', 1, "name", "a line break"),
        ('name = "x"\ncategory = "faith"\nwebsite = "javascript:alert(1)"\n', 3, "website", "https://"),
        ('name = "x"\ncategory = "faith"\ninfluence = true\n', 3, "influence", "valid integer"),
        ('name = "x"\ncategory = "faith"\nnational_contact = "yes"\n', 3, "national_contact", "valid boolean"),
        ('name = "x"\ncategory = "faith"\nnext_action_due = 1732406400\n', 3, "next_action_due", "not a date"),
        ('name = "x"\ncategory = "faith"\ntags = ["Not A Tag"]\n', 3, "tags[0]", "not a valid tag"),
    ],
)
def test_bad_group_files(
    full_repo: DataRepo, content: str | bytes, expected_line: int | None, expected_field: str, message_part: str
) -> None:
    write(full_repo, "groups/bad.toml", content)
    found = problems_for(full_repo, "groups/bad.toml")
    assert len(found) == 1, found
    line, field, message = found[0]
    assert (line, field) == (expected_line, expected_field)
    assert message_part in message
    assert full_repo.load().get(Kind.GROUPS, "bad") is None or field == "lead"


def test_problem_messages_never_repeat_the_bad_value(full_repo: DataRepo) -> None:
    write(full_repo, "groups/bad.toml", 'name = "x"\ncategory = "secret-value-42"\ninfluence = "secret-value-43"\n')
    text = "\n".join(str(p) for p in full_repo.load().problems)
    assert "secret-value" not in text


def test_big_file(full_repo: DataRepo) -> None:
    write(full_repo, "groups/big.toml", GOOD + 'notes = """' + "x" * (1024 * 1024) + '"""\n')
    assert problems_for(full_repo, "groups/big.toml") == [(None, "", "file is larger than 1024 KiB")]


@pytest.mark.parametrize(
    ("rel", "message_part"),
    [
        ("groups/Bad_Name.toml", "file name is not a valid id"),
        ("groups/-x.toml", "file name is not a valid id"),
        ("groups/notes.txt", "not a record file"),
        ("conversations/2026-01-02-x-abcd.toml", "a folder per year"),
        ("conversations/2025/2026-01-02-x-abcd.toml", "filed under 2025/"),
    ],
)
def test_bad_paths(full_repo: DataRepo, rel: str, message_part: str) -> None:
    write(full_repo, rel, GOOD)
    found = problems_for(full_repo, rel)
    assert len(found) == 1 and message_part in found[0][2], found


def test_symlinks_and_folders_are_not_records(full_repo: DataRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(GOOD)
    os.symlink(outside, full_repo.root / "groups" / "linked.toml")
    (full_repo.root / "groups" / "folder.toml").mkdir()
    loaded = full_repo.load()
    messages = {p.path: p.message for p in loaded.problems}
    assert "symbolic link" in messages["groups/linked.toml"]
    assert "not a file" in messages["groups/folder.toml"]
    assert loaded.get(Kind.GROUPS, "linked") is None


def test_a_linked_kind_folder_is_refused(repo: DataRepo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.toml").write_text(GOOD)
    os.symlink(elsewhere, repo.root / "groups")
    loaded = repo.load()
    assert [(p.path, p.message) for p in loaded.problems] == [
        ("groups", "is a symbolic link; allytui never follows one (make it a plain folder)")
    ]
    assert loaded.records[Kind.GROUPS] == {}


def test_conversation_ids_must_start_with_a_date(full_repo: DataRepo) -> None:
    write(full_repo, "conversations/2026/2026-13-40-x-abcd.toml", "date = 2026-01-01\n")
    found = problems_for(full_repo, "conversations/2026/2026-13-40-x-abcd.toml")
    assert [(f, "starts with its date" in m) for _, f, m in found] == [("id", True)]


def test_interrupted_write_leftovers_are_ignored(full_repo: DataRepo) -> None:
    write(full_repo, "groups/.st-marys.toml.tmp-1a2b3c4d", "name = ")
    assert full_repo.load().problems == []


def test_all_problems_are_collected_in_one_pass(full_repo: DataRepo) -> None:
    write(full_repo, "groups/a.toml", "name = ")
    write(full_repo, "groups/b.toml", 'name = "x"\ncategory = "nope"\n')
    write(full_repo, "people/c.toml", 'name = "x"\ngroups = ["ghost"]\n')
    loaded = full_repo.load()
    assert {p.path for p in loaded.problems} == {"groups/a.toml", "groups/b.toml", "people/c.toml"}
    assert loaded.get(Kind.PEOPLE, "c") is not None  # a dangling reference is a problem, not a lost record
    assert loaded.count() == 7


def test_bad_settings_file(full_repo: DataRepo) -> None:
    (full_repo.root / "allytui.toml").write_text("format = 1\nfavourite = 2\n")
    found = [(p.path, p.field, p.message) for p in full_repo.load().problems]
    assert found == [("allytui.toml", "favourite", "unknown field")]


def test_duplicate_conversation_id_in_another_year(full_repo: DataRepo) -> None:
    original = full_repo.root / "conversations" / "2026" / "2026-11-24-st-marys-k3f9.toml"
    write(full_repo, "conversations/2025/2026-11-24-st-marys-k3f9.toml", original.read_bytes())
    found = problems_for(full_repo, "conversations/2025/2026-11-24-st-marys-k3f9.toml")
    assert len(found) == 1 and found[0][2].startswith("duplicate id: conversations/2026/2026-11-24-st-marys-k3f9.toml")
