"""The layers stay honest: model, render, store and cli never load Textual; model and render do no git or file I/O."""

from __future__ import annotations

import subprocess
import sys

import pytest

LAYERS = {
    "allytui.model.records": {"textual", "git", "tomllib", "tomli_w"},
    "allytui.model.validation": {"textual", "git"},
    "allytui.model.changes": {"textual", "git"},
    "allytui.store.repo": {"textual"},
    "allytui.store.watch": {"textual"},
    "allytui.sync.edits": {"textual"},
    "allytui.cli.main": {"textual"},
    # render: model only; writes no files and runs no git
    "allytui.render.powermap": {"textual", "git", "tomllib", "allytui.store", "allytui.sync", "allytui.tui"},
    "allytui.render.brief": {"textual", "git", "tomllib", "allytui.store", "allytui.sync", "allytui.tui"},
    "allytui.render.markdown": {"textual", "git", "allytui.model", "allytui.store"},
    # history: the field diff is pure model; reading it from git is store, below sync
    "allytui.model.field_diff": {"textual", "git", "allytui.store"},
    "allytui.store.history": {"textual", "allytui.sync", "allytui.tui"},
}


@pytest.mark.parametrize(("module", "forbidden"), sorted(LAYERS.items()))
def test_module_does_not_import(module: str, forbidden: set[str]) -> None:
    code = f"import sys, {module}; print(sorted(m for m in {sorted(forbidden)!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_demo_is_made_by_the_store_and_the_command_line_drives_no_git_itself() -> None:
    import allytui.cli.main as cli_main
    from allytui.store import demo

    assert cli_main.make_demo_repo is demo.make_demo_repo
    assert not hasattr(cli_main, "git"), "cli.main imports GitPython; git work belongs in store"
