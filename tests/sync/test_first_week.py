"""The README's walkthrough of a group's first week, step by step through the command line, as two members
would run it: init, publish into an empty shared repo, a second member's clone, an import, and the first syncs."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from tests.helpers import git
from tests.sync.conftest import set_identity
from tests.sync.test_publish import bare, run

SHEET = (
    "Name;Category;Stage;Website\n"
    "Riverton Food Bank;food bank;Contacted;rivertonfoodbank.org\n"
    "\n"
    "St Mary's Church;Faith;researched;\n"
)


def test_the_first_week_as_the_readme_walks_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    coordinator, member = tmp_path / "coordinator", tmp_path / "member"
    code, out, err = run(capsys, "init", str(coordinator), "--name", "Riverton Climate Action")
    assert code == 0, err
    set_identity(DataRepo.open(coordinator), "Ana")
    shared = bare(tmp_path)  # its HEAD says master, as `git init --bare` on most machines

    code, out, err = run(capsys, "--repo", str(coordinator), "publish", str(shared))
    assert code == 0, err
    code, out, err = run(capsys, "clone", str(shared), str(member))
    assert code == 0, err
    set_identity(DataRepo.open(member), "Ben")

    sheet = tmp_path / "groups.csv"
    sheet.write_text(SHEET, encoding="utf-8-sig")  # as European Excel saves it: a BOM and semicolons
    code, out, err = run(capsys, "--repo", str(member), "import", "groups", str(sheet), "--dry-run")
    assert code == 0, err
    assert out.count("new") >= 2 and git(member, "status", "--porcelain") == ""
    code, out, err = run(capsys, "--repo", str(member), "import", "groups", str(sheet))
    assert code == 0, err
    commits = git(member, "rev-list", "--count", "HEAD")
    code, out, err = run(capsys, "--repo", str(member), "import", "groups", str(sheet))
    assert code == 0, err  # the same sheet again: nothing new, no commit
    assert git(member, "rev-list", "--count", "HEAD") == commits
    assert sorted(DataRepo.open(member).load().records[Kind.GROUPS]) == ["riverton-food-bank", "st-marys-church"]

    for repo in (member, coordinator):
        code, out, err = run(capsys, "--repo", str(repo), "sync", "--quiet")
        assert code == 0, err
        assert "unexpected error" not in out + err
    food_bank = DataRepo.open(coordinator).read(Kind.GROUPS, "riverton-food-bank")
    assert isinstance(food_bank, Group) and food_bank.stage.value == "contacted"
    assert food_bank.website == "https://rivertonfoodbank.org"
    assert git(coordinator, "log", "-1", "--format=%an", "--", "groups").strip() == "Ben"
    # plain git works in both folders too
    assert git(coordinator, "status", "-sb").startswith("## main...origin/main")
