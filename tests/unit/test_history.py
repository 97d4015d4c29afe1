"""A record's history read from real git repos: field diffs, plain-git commits, merges, restoring, `allytui log`."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import git as gitpython
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allytui.cli.main import main
from allytui.model.field_diff import FieldDiff
from allytui.model.records import Group, Kind, Person
from allytui.store.codec import ParseError, dump_record, parse
from allytui.store.errors import AllytuiError, InvalidRecord, RecordNotFound
from allytui.store.history import StatementParser, raw_diff, raw_log, record_history, restore
from allytui.store.repo import DataRepo
from tests.helpers import SAMPLE_DATA, commit_count, git

PATH = "groups/st-marys.toml"


def group(**changes: object) -> Group:
    base = {
        "name": "St Mary's Church",
        "category": "faith",
        "stage": "shortlisted",
        "tags": ["faith", "town-centre"],
        "aims": "Serve the parish.\nCare for creation.\nFeed the hungry.\nVisit the sick.\nPray.",
    }
    return Group.model_validate({**base, **changes, "id": "st-marys"})


def by_field(diffs: tuple[FieldDiff, ...]) -> dict[str, FieldDiff]:
    return {diff.field: diff for diff in diffs}


def hand_commit(repo: DataRepo, text: str, message: str, *who: str) -> None:
    (repo.root / PATH).parent.mkdir(exist_ok=True)
    (repo.root / PATH).write_text(text)
    git(repo.root, "add", PATH)
    git(repo.root, *who, "commit", "-q", "-m", message)


def test_scalar_list_and_text_changes_as_field_diffs(repo: DataRepo) -> None:
    repo.save(group())
    repo.save(
        group(
            stage="contacted",
            tags=["faith", "housing"],
            aims="Serve the parish.\nCare for all creation.\nFeed the hungry.\nVisit the sick.\nPray.\n"
            "Welcome strangers.",
        )
    )
    history = record_history(repo, Kind.GROUPS, "st-marys")
    assert [c.status for c in history] == ["changed", "created"]
    latest = history[0]
    assert latest.subject == "group st-marys: stage shortlisted → contacted; tags; aims"
    assert latest.author == "Test Organiser"
    assert latest.sha == git(repo.root, "rev-parse", "HEAD").strip()
    diffs = by_field(latest.diffs)
    assert list(diffs) == ["stage", "tags", "aims"]  # the model's field order
    assert diffs["stage"].kind == "value"
    assert diffs["stage"].summary() == "stage: shortlisted → contacted"
    assert diffs["tags"].kind == "list"
    assert diffs["tags"].lines == (("+", "housing"), ("-", "town-centre"))
    assert diffs["aims"].kind == "text"
    assert diffs["aims"].lines == (
        (" ", "Serve the parish."),
        ("-", "Care for creation."),
        ("+", "Care for all creation."),
        (" ", "Feed the hungry."),
        ("@", "…"),
        (" ", "Pray."),
        ("+", "Welcome strangers."),
    )
    assert history[0].before == history[1].after  # the same version, parsed once
    assert history[1].before is None and history[1].after is not None
    assert by_field(history[1].diffs)["name"].summary() == "name: (none) → St Mary's Church"


def test_a_commit_made_with_plain_git_shows_up(repo: DataRepo) -> None:
    repo.save(group())
    text = (repo.root / PATH).read_text().replace('stage = "shortlisted"', 'stage = "in_conversation"')
    hand_commit(repo, text + "influence = 4\n", "tidied by hand", "-c", "user.name=Hand Editor")
    latest = record_history(repo, Kind.GROUPS, "st-marys")[0]
    assert (latest.author, latest.subject) == ("Hand Editor", "tidied by hand")
    assert [d.summary() for d in latest.diffs] == ["stage: shortlisted → in conversation", "influence: (none) → 4"]


def test_only_formatting_or_comments_changed_gives_no_field_diffs(repo: DataRepo) -> None:
    repo.save(group())
    hand_commit(repo, "# our notes\n" + (repo.root / PATH).read_text(), "comment")
    latest = record_history(repo, Kind.GROUPS, "st-marys")[0]
    assert latest.status == "changed" and latest.diffs == ()


def test_created_deleted_and_created_again(repo: DataRepo) -> None:
    repo.save(group())
    repo.delete(Kind.GROUPS, "st-marys")
    repo.save(group(name="St Mary's Parish"))
    history = record_history(repo, Kind.GROUPS, "st-marys")
    assert [c.status for c in history] == ["created", "deleted", "created"]
    assert history[1].subject == "group st-marys: deleted"
    assert history[1].after is None and history[1].before is not None
    assert history[1].restorable() == (history[1].parents[0], history[1].before)
    assert history[0].after is not None and history[0].after.record is not None
    assert history[0].after.record.name == "St Mary's Parish"


def test_other_files_and_other_records_stay_out(repo: DataRepo) -> None:
    repo.save(group())
    repo.save(Group(id="st-marys-school", name="St Mary's School", category="pta"))
    history = record_history(repo, Kind.GROUPS, "st-marys")
    assert len(history) == 1
    assert record_history(repo, Kind.GROUPS, "nobody") == []
    with pytest.raises(RecordNotFound):
        record_history(repo, Kind.GROUPS, "Not An Id")


def test_the_whole_history_takes_two_git_processes(repo: DataRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(12):
        repo.save(group(next_action=f"Call number {n}"))
    calls: list[list[str]] = []
    execute = gitpython.cmd.Git.execute

    def counting(self: gitpython.cmd.Git, command: list[str], *args: object, **kwargs: object) -> object:
        calls.append([str(word) for word in command])
        return execute(self, command, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gitpython.cmd.Git, "execute", counting)
    assert len(record_history(repo, Kind.GROUPS, "st-marys")) == 12
    assert [command[1] for command in calls] == ["log", "cat-file"]
    assert "--follow" not in calls[0]


def test_an_unreadable_version_becomes_a_problem_entry(repo: DataRepo) -> None:
    repo.save(group())
    good = (repo.root / PATH).read_text()
    hand_commit(repo, good + "influence = 9\n", "valid TOML, invalid group")
    hand_commit(repo, good + "influence = [\n", "broken by hand")
    hand_commit(repo, good + "influence = 4\n", "fixed")
    fixed, broken, invalid, created = record_history(repo, Kind.GROUPS, "st-marys")
    assert broken.after is not None and broken.after.record is None
    assert [d.kind for d in broken.diffs] == ["problem"]
    assert broken.diffs[0].after.startswith("this version cannot be read: TOML syntax")
    assert invalid.diffs[0].kind == "problem" and "influence" in invalid.diffs[0].after
    assert invalid.diffs[0].after.startswith("this version is not a valid group")
    # TOML that is not a valid group is still compared field by field
    assert invalid.diffs[1].summary() == "influence: (none) → 9"
    assert [d.after for d in fixed.diffs] == [
        "the version before: this version cannot be read: TOML syntax: Invalid value (at end of document)"
    ]
    assert created.diffs[0].kind == "value"
    with pytest.raises(InvalidRecord):
        restore(repo, Kind.GROUPS, "st-marys", broken.sha)


def test_restore_commits_the_old_bytes_as_a_new_commit(repo: DataRepo) -> None:
    repo.save(group())
    old_sha = git(repo.root, "rev-parse", "HEAD").strip()
    old_bytes = (repo.root / PATH).read_bytes()
    hand_commit(repo, "# kept by hand\n" + old_bytes.decode(), "a comment")
    commented = (repo.root / PATH).read_bytes()
    repo.save(group(stage="declined", tags=[]))
    before = commit_count(repo.root)

    commit = restore(repo, Kind.GROUPS, "st-marys", old_sha)
    assert commit is not None
    assert commit_count(repo.root) == before + 1
    assert (repo.root / PATH).read_bytes() == old_bytes
    assert git(repo.root, "show", f"HEAD:{PATH}").encode() == old_bytes
    assert git(repo.root, "show", "--format=", "--name-only", "HEAD").split() == [PATH]
    assert commit.message == f"group st-marys: stage declined → shortlisted; tags (restored from {old_sha[:7]})"
    assert git(repo.root, "status", "--porcelain") == ""
    latest = record_history(repo, Kind.GROUPS, "st-marys")[0]
    assert latest.sha == commit.sha and latest.after is not None and latest.after.raw == old_bytes
    assert restore(repo, Kind.GROUPS, "st-marys", old_sha) is None  # already that version

    # a version with a comment comes back with its comment, byte for byte
    second = record_history(repo, Kind.GROUPS, "st-marys")[2]
    assert second.subject == "a comment"
    restore(repo, Kind.GROUPS, "st-marys", second.sha)
    assert (repo.root / PATH).read_bytes() == commented


def test_restore_brings_back_a_deleted_record(repo: DataRepo) -> None:
    repo.save(group())
    original = (repo.root / PATH).read_bytes()
    repo.delete(Kind.GROUPS, "st-marys")
    deleted = record_history(repo, Kind.GROUPS, "st-marys")[0]
    target = deleted.restorable()
    assert target is not None
    commit = restore(repo, Kind.GROUPS, "st-marys", target[0])
    assert commit is not None and commit.message.startswith("group st-marys: created (restored from ")
    assert (repo.root / PATH).read_bytes() == original
    assert [c.status for c in record_history(repo, Kind.GROUPS, "st-marys")] == ["created", "deleted", "created"]


def test_restore_refuses_over_uncommitted_edits_and_unknown_commits(repo: DataRepo) -> None:
    repo.save(group())
    first = git(repo.root, "rev-parse", "HEAD").strip()
    repo.save(group(stage="contacted"))
    (repo.root / PATH).write_text((repo.root / PATH).read_text() + "influence = 2\n")
    with pytest.raises(AllytuiError, match="uncommitted changes"):
        restore(repo, Kind.GROUPS, "st-marys", first)
    assert "influence = 2" in (repo.root / PATH).read_text()
    with pytest.raises(RecordNotFound):
        restore(repo, Kind.GROUPS, "st-marys", "0" * 40)
    with pytest.raises(RecordNotFound):
        restore(repo, Kind.GROUPS, "st-marys", "--output=/tmp/x")


def test_restore_refuses_a_version_whose_references_are_gone(repo: DataRepo) -> None:
    repo.save(Person(id="ana", name="Ana"))
    repo.save(group(lead="ana"))
    with_lead = git(repo.root, "rev-parse", "HEAD").strip()
    repo.save(group())
    repo.delete(Kind.PEOPLE, "ana")
    with pytest.raises(InvalidRecord, match="people/ana"):
        restore(repo, Kind.GROUPS, "st-marys", with_lead)


def test_a_merge_shows_the_change_it_brought_in(repo: DataRepo) -> None:
    repo.save(group())
    git(repo.root, "checkout", "-q", "-b", "other")
    repo.save(group(stage="contacted"))
    git(repo.root, "checkout", "-q", "main")
    text = (repo.root / PATH).read_text().replace("Visit the sick.", "Visit the sick and the lonely.")
    hand_commit(repo, text, "aims by hand")
    # records never merge line by line in git (*.toml merge=binary): allytui sync writes the merged file
    subprocess.run(["git", "merge", "-q", "--no-edit", "other"], cwd=repo.root, capture_output=True, check=False)
    hand_commit(repo, text.replace('stage = "shortlisted"', 'stage = "contacted"'), "merge other")
    history = record_history(repo, Kind.GROUPS, "st-marys")
    merge = history[0]
    assert merge.is_merge and merge.parents[0] == git(repo.root, "rev-parse", "HEAD^1").strip()
    # against its first parent, the merge brought in the other branch's stage change
    assert [d.summary() for d in merge.diffs] == ["stage: shortlisted → contacted"]
    assert {c.subject for c in history[1:]} == {
        "aims by hand",
        "group st-marys: stage shortlisted → contacted",
        "group st-marys: created",
    }
    assert "+stage = " in raw_diff(repo, merge.sha, PATH)


def test_raw_diff_and_raw_log_are_gits_patches(repo: DataRepo) -> None:
    repo.save(group())
    repo.save(group(stage="contacted"))
    latest = record_history(repo, Kind.GROUPS, "st-marys")[0]
    patch = raw_diff(repo, latest.sha, PATH)
    assert '-stage = "shortlisted"' in patch and '+stage = "contacted"' in patch
    assert raw_log(repo, Kind.GROUPS, "st-marys").count("\ncommit ") == 1  # two commits


def test_tricky_subjects_and_names_are_parsed(repo: DataRepo) -> None:
    repo.save(group())
    text = (repo.root / PATH).read_text() + "influence = 3\n"
    subject = "\x1eallytui-commit " + "a" * 40 + " \x1f[bold]x[/]"
    hand_commit(repo, text, subject, "-c", "user.name=Zoë \x1f O'Neil")
    latest, created = record_history(repo, Kind.GROUPS, "st-marys")
    assert latest.subject == subject and latest.author == "Zoë \x1f O'Neil"
    assert [d.summary() for d in latest.diffs] == ["influence: (none) → 3"]
    assert created.status == "created"


def test_contact_details_are_marked_sensitive(repo: DataRepo) -> None:
    repo.save(Person(id="ana", name="Ana"))
    repo.save(Person(id="ana", name="Ana", contact={"email": "ana@example.org", "address": "1 Mill Lane"}))
    diffs = by_field(record_history(repo, Kind.PEOPLE, "ana")[0].diffs)
    assert set(diffs) == {"contact.email", "contact.address"}
    assert all(d.sensitive for d in diffs.values())
    assert diffs["contact.email"].summary(reveal=False) == "contact.email changed"
    assert diffs["contact.address"].body(reveal=False) == ()
    assert diffs["contact.email"].summary(reveal=True) == "contact.email: (none) → ana@example.org"
    assert diffs["contact.email"].summary() == "contact.email changed"  # hidden unless asked


# allytui log


def run_log(repo: DataRepo, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--repo", str(repo.root), "log", *args])
    return code, capsys.readouterr().out


def test_allytui_log_prints_each_commit_newest_first(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.save(group())
    repo.save(group(stage="contacted", aims="Serve the parish.", tags=["faith", "town-centre", "housing"]))
    code, out = run_log(repo, capsys, "groups/st-marys")
    assert code == 0
    latest, created = out.split("\n\n")
    lines = latest.splitlines()
    sha = git(repo.root, "rev-parse", "--short=7", "HEAD").strip()
    assert lines[0].startswith(f"{sha} ") and lines[0].endswith(
        "Test Organiser  group st-marys: stage shortlisted → contacted; tags; aims"
    )
    assert lines[1:] == [
        "    stage: shortlisted → contacted",
        "    tags:",
        "      + housing",
        "    aims:",
        "        Serve the parish.",
        "      - Care for creation.",
        "      - Feed the hungry.",
        "      - Visit the sick.",
        "      - Pray.",
    ]
    assert created.splitlines()[0].endswith("group st-marys: created")


def test_allytui_log_hides_contact_details_unless_revealed(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.save(Person(id="ana", name="Ana", contact={"email": "ana@example.org"}))
    code, out = run_log(repo, capsys, "people/ana")
    assert code == 0 and "contact.email changed" in out and "ana@example.org" not in out
    _, out = run_log(repo, capsys, "people/ana", "--json")
    assert "ana@example.org" not in out
    diff = json.loads(out)[0]["diffs"][1]
    assert diff == {
        "field": "contact.email",
        "kind": "value",
        "before": None,
        "after": None,
        "lines": [],
        "sensitive": True,
    }
    _, out = run_log(repo, capsys, "people/ana", "--reveal")
    assert "contact.email: (none) → ana@example.org" in out


def test_allytui_log_raw_and_json(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.save(group())
    repo.save(group(stage="contacted"))
    code, out = run_log(repo, capsys, "groups/st-marys", "--raw")
    assert code == 0 and '+stage = "contacted"' in out and out.count("diff --git") == 2
    _, out = run_log(repo, capsys, "groups/st-marys", "--json")
    entries = json.loads(out)
    assert [e["status"] for e in entries] == ["changed", "created"]
    assert entries[0]["diffs"] == [
        {
            "field": "stage",
            "kind": "value",
            "before": "shortlisted",
            "after": "contacted",
            "lines": [],
            "sensitive": False,
        }
    ]


def test_allytui_log_makes_control_characters_visible(repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.save(group())
    text = (repo.root / PATH).read_text() + 'next_action = "ok"\n'
    hand_commit(repo, text, "sneaky \x1b[31mred\x1b[0m")
    code, out = run_log(repo, capsys, "groups/st-marys")
    assert code == 0 and "\x1b" not in out and "sneaky \\x1b[31mred" in out


def test_allytui_log_of_a_record_never_committed(
    tmp_path: Path, repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--repo", str(repo.root), "log", "groups/nobody"])
    assert code == 1
    assert "groups/nobody: no such group" in capsys.readouterr().err


def test_dump_is_what_history_parses(repo: DataRepo) -> None:
    repo.save(group())
    latest = record_history(repo, Kind.GROUPS, "st-marys")[0]
    assert latest.after is not None and latest.after.raw.decode() == dump_record(group())


# reading many versions: parsing statement by statement is parse() exactly

FRAGMENTS = [
    'name = "St Mary\'s"\n',
    "stage = 'contacted'\n",
    "influence = 4\n",
    "next_action_due = 2026-12-01\n",
    'notes = """\n',
    '"""\n',
    "'''\n",
    "notes = '''\n",
    "x = 1\n",
    "tags = [\n",
    '    "faith",\n',
    "]\n",
    "[contact]\n",
    "[[knows]]\n",
    'email = "a@b.org"\n',
    "contact.email = 'x'\n",
    "# a comment\n",
    "\n",
    "<<<<<<< ours\n",
    "=======\n",
    'name = "again"\n',
    'aims = "one \\\\\n',
    "bad = [1,\n",
    "\ufeff",
    "\r\n",
    "ümlaut = 1\n",
]


def parsed_or_error(parser: Callable[[bytes], object], raw: bytes) -> object:
    try:
        return parser(raw)
    except ParseError as error:
        return ("error", error.message, error.line)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14), st.booleans())
def test_statement_parser_is_parse_exactly(pieces: list[str], warm: bool) -> None:
    raw = "".join(pieces).encode()
    parser = StatementParser()
    if warm:  # pieces already remembered from other versions must not change the answer
        for n in range(len(pieces)):
            parsed_or_error(parser, "".join(pieces[n:] + pieces[:n]).encode())
    assert parsed_or_error(parser, raw) == parsed_or_error(parse, raw)


def test_statement_parser_on_the_sample_data() -> None:
    parser = StatementParser()
    files = sorted((SAMPLE_DATA).rglob("*.toml"))
    assert len(files) > 20
    for path in files:
        raw = path.read_bytes()
        for variant in (raw, raw.replace(b"\n", b"\r\n"), raw + b"name = 'twice'\n", b"# hand note\n" + raw):
            assert parsed_or_error(parser, variant) == parsed_or_error(parse, variant), path
