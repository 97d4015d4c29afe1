"""Files no one meant to write (thousands deep, huge, not text, not files at all) become problems naming
the file, wherever they are read: check, list, export, the app, history and sync."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from allytui.model.records import Kind
from allytui.model.validation import Problem
from allytui.store.codec import ParseError, parse
from allytui.store.errors import InvalidRecord
from allytui.store.history import record_history
from allytui.store.repo import DataRepo
from allytui.sync.driver import sync
from allytui.tui.app import AllytuiApp
from tests.cli.test_cli import run
from tests.helpers import git, save_all
from tests.ui.conftest import TODAY, settle

DEEP = 1000
HOSTILE: dict[str, bytes] = {
    "dotted-keys": ("a" + ".a" * (DEEP - 1) + " = 1\n").encode(),
    "dotted-header": ("[" + ".".join(["a"] * DEEP) + "]\n").encode(),
    "dotted-array-header": ("[[" + ".".join(["a"] * DEEP) + "]]\n").encode(),
    "deep-array": ("x = " + "[" * DEEP + "]" * DEEP + "\n").encode(),
    "deep-inline-table": ("x = " + "{a = " * DEEP + "1" + " }" * DEEP + "\n").encode(),
    "huge": b'name = "' + b"x" * (2 * 1024 * 1024) + b'"\n',
    "bad-utf8": b'name = "caf\xe9"\ncategory = "faith"\n',
    "nul": b'name = "a\x00b"\ncategory = "faith"\n',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_parse_turns_every_hostile_file_into_a_parse_error(name: str) -> None:
    with pytest.raises(ParseError):
        parse(HOSTILE[name])


@pytest.fixture
def hostile_repo(full_repo: DataRepo) -> DataRepo:
    for name, data in HOSTILE.items():
        (full_repo.root / "groups" / f"{name}.toml").write_bytes(data)
    return full_repo


def test_every_hostile_file_is_a_problem_and_the_rest_load(hostile_repo: DataRepo) -> None:
    loaded = hostile_repo.load()
    named = {p.path for p in loaded.problems}
    assert named == {f"groups/{name}.toml" for name in HOSTILE}
    assert loaded.get(Kind.GROUPS, "st-marys") is not None


@pytest.mark.parametrize("command", [["check"], ["list", "groups"], ["export", "groups"], ["summary"]])
def test_commands_report_hostile_files_instead_of_crashing(
    hostile_repo: DataRepo, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, out, err = run(capsys, "--repo", str(hostile_repo.root), *command)
    assert "unexpected error" not in err
    assert code == (1 if command == ["check"] else 0)
    if command == ["check"]:
        assert "groups/dotted-keys.toml: -: nesting too deep (more than 8 levels)" in out.splitlines()


def problems_within(repo: DataRepo, seconds: float = 20) -> list[Problem]:
    """repo.load()'s problems, failing (not hanging) if the load waits on something like a FIFO."""
    found: list[list[Problem]] = []
    reader = threading.Thread(target=lambda: found.append(repo.load().problems), daemon=True)
    reader.start()
    reader.join(seconds)
    assert found, "loading the repo hung"
    return found[0]


def _make_fifo(path: Path) -> None:
    os.mkfifo(path)


def _make_folder(path: Path) -> None:
    path.mkdir()


def _make_unreadable(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path.write_text('name = "x"\ncategory = "faith"\n')
    path.chmod(0)


@pytest.mark.parametrize(
    ("make", "message"),
    [(_make_fifo, "not a file"), (_make_folder, "not a file"), (_make_unreadable, "cannot read: Permission denied")],
)
def test_things_that_are_not_readable_files(repo: DataRepo, make: Callable[[Path], None], message: str) -> None:
    save_all(repo)
    make(repo.root / "groups" / "odd.toml")
    problems = [p for p in problems_within(repo) if p.path == "groups/odd.toml"]
    assert len(problems) == 1 and message in problems[0].message


def test_a_fifo_in_place_of_the_settings_file_does_not_hang(repo: DataRepo) -> None:
    settings = repo.root / "allytui.toml"
    settings.unlink()
    os.mkfifo(settings)
    problems = [p for p in problems_within(repo) if p.path == "allytui.toml"]
    assert problems and "not a regular file" in problems[0].message


@pytest.mark.parametrize("name", ["dotted-keys", "deep-array", "deep-inline-table"])
def test_history_of_a_file_once_hostile(repo: DataRepo, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    save_all(repo)
    path = repo.root / "groups" / "st-marys.toml"
    good = path.read_bytes()
    path.write_bytes(good + HOSTILE[name])
    git(repo.root, "commit", "-qam", "a bad edit")
    path.write_bytes(good)
    git(repo.root, "commit", "-qam", "put back")
    changes = record_history(repo, Kind.GROUPS, "st-marys")
    assert any("nesting too deep" in d.after for c in changes for d in c.diffs if d.kind == "problem")
    code, _, err = run(capsys, "--repo", str(repo.root), "log", "groups/st-marys")
    assert code == 0 and "unexpected error" not in err


def test_sync_names_each_hostile_incoming_file(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    save_all(repo)
    git(repo.root, "remote", "add", "origin", str(remote))
    sync(repo)
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    (other / "groups" / "deep.toml").write_bytes(HOSTILE["dotted-header"])
    (other / "groups" / "st-marys.toml").write_bytes(HOSTILE["deep-inline-table"])
    git(other, "add", "-A")
    git(other, "commit", "-qm", "plain git commit of deep files")
    git(other, "push", "-q", "origin", "main")
    before = git(repo.root, "rev-parse", "HEAD")
    code, _, err = run(capsys, "--repo", str(repo.root), "sync", "--quiet")
    assert code == 1 and "unexpected error" not in err
    assert "groups/deep.toml: -: incoming: nesting too deep" in err
    assert "groups/st-marys.toml: -: incoming: nesting too deep" in err
    assert git(repo.root, "rev-parse", "HEAD") == before
    assert repo.load().problems == []


async def test_the_app_loads_past_a_hostile_file(hostile_repo: DataRepo) -> None:
    app = AllytuiApp(hostile_repo, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.loaded is not None
        assert "groups/dotted-keys.toml" in {p.path for p in app.loaded.problems}


def test_a_file_of_thousands_of_unknown_fields_is_reported_at_once(repo: DataRepo) -> None:
    """Each problem's line is found in one pass over the file, not one pass per problem (minutes, before)."""
    keys = 60_000
    text = 'name = "x"\ncategory = "faith"\n' + "".join(f"k{i} = 1\n" for i in range(keys))
    (repo.root / "groups").mkdir()
    (repo.root / "groups" / "many.toml").write_text(text)
    started = time.monotonic()
    problems = problems_within(repo, seconds=60)
    assert time.monotonic() - started < 20
    assert len(problems) == keys
    assert (problems[0].field, problems[0].line) == ("k0", 3)
    assert (problems[-1].field, problems[-1].line) == (f"k{keys - 1}", keys + 2)


def test_set_on_a_fifo_in_place_of_a_record_is_refused_at_once(
    repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.root / "groups").mkdir()
    os.mkfifo(repo.root / "groups" / "odd.toml")
    argv = ["--repo", str(repo.root), "set", "groups/odd", "name=X", "category=faith"]
    result: list[tuple[int, str, str]] = []
    writer = threading.Thread(target=lambda: result.append(run(capsys, *argv)), daemon=True)
    writer.start()
    writer.join(20)
    assert result, "set waited on the FIFO"
    code, _, err = result[0]
    assert code == 1 and "groups/odd.toml: -: not a regular file" in err, err


def test_deleting_a_fifo_names_it(repo: DataRepo) -> None:
    (repo.root / "groups").mkdir()
    os.mkfifo(repo.root / "groups" / "odd.toml")
    with pytest.raises(InvalidRecord, match="not a regular file"):
        repo.delete(Kind.GROUPS, "odd")
    assert (repo.root / "groups" / "odd.toml").is_fifo()


def _within(seconds: float, action: Callable[[], object]) -> BaseException | object:
    """What action returned or raised, or fail if it still waits after seconds (a FIFO read blocks)."""
    result: list[BaseException | object] = []

    def call() -> None:
        try:
            result.append(action())
        except BaseException as error:  # handed back to the test
            result.append(error)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, "waited on the FIFO"
    return result[0]


def test_saving_an_edit_onto_a_fifo_in_place_of_the_record_names_it_at_once(repo: DataRepo) -> None:
    from allytui.sync.edits import before_hand_edit, save_edit, save_hand_edit

    save_all(repo)
    base = repo.read(Kind.GROUPS, "st-marys")
    path = repo.root / "groups" / "st-marys.toml"
    before = before_hand_edit(repo, "groups/st-marys.toml")
    path.unlink()
    os.mkfifo(path)
    outcome = _within(20, lambda: save_edit(repo, base, base.model_copy(update={"influence": 2})))
    assert isinstance(outcome, Exception) and "groups/st-marys.toml" in str(outcome), outcome
    assert "not a regular file" in str(outcome)
    assert _within(20, lambda: before_hand_edit(repo, "groups/st-marys.toml").on_disk) is None
    git(repo.root, "commit", "-qm", "x", "--allow-empty")
    assert _within(20, lambda: save_hand_edit(repo, before)) is None  # nothing read, nothing saved
    assert path.is_fifo()
