"""The data repo a command works on (`--repo`, $ALLYTUI_REPO, this folder or the member's own), and the commands
about a repo as a whole: init, demo and summary."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from allytui.cli.output import say
from allytui.model.overview import pipeline
from allytui.model.readable import label
from allytui.model.records import Kind
from allytui.store.demo import make_demo_repo, remove_demo_repo
from allytui.store.errors import NotADataRepo
from allytui.store.location import NAMED_BY_ENV, NAMED_BY_OPTION, OWN_REPO, locate_repo, missing_repo_message
from allytui.store.repo import DataRepo
from allytui.sync.driver import prepare

EXIT_OK = 0


def cmd_init(args: argparse.Namespace) -> int:
    repo = DataRepo.init(Path(args.path), name=args.name)
    say(f"new data repo at {repo.root}")
    return EXIT_OK


def cmd_summary(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    name = loaded.settings.name or repo.root.name
    say(f"{name} ({repo.root})")
    for kind in Kind:
        say(f"  {kind.value:<14} {len(loaded.records[kind])}")
    stages = [f"{label(stage.value)} {count}" for stage, count in pipeline(loaded.records).items() if count]
    if stages:
        width = max(40, shutil.get_terminal_size().columns - 2)
        lines = textwrap.wrap("groups by stage: " + ", ".join(stages), width, subsequent_indent="  ")
        for line in lines:
            say(f"  {line}")
    say(f"  problems: {len(loaded.problems)}" + (" (run allytui check)" if loaded.problems else ""))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, open_interface: Callable[[DataRepo], int] | None) -> int:
    """Open (or, without an interface, summarise) a throwaway copy of the sample data."""
    repo = make_demo_repo()
    try:
        code = cmd_summary(repo, args) if open_interface is None else open_interface(repo)
    finally:  # the throwaway copy goes however the demo ends, unless asked to keep it
        if args.keep:
            say(f"The demo copy is kept at {repo.root} (delete it when done).")
        else:
            remove_demo_repo(repo)
            say("The demo copy was removed (allytui demo --keep keeps it).")
    return code


def open_repo(args: argparse.Namespace, *, say_which: bool = True) -> DataRepo:
    """The repo to work on; outside any data repo, the member's own, saying so (on stderr) when say_which."""
    path, named_by = locate_repo(args.repo)
    if named_by == OWN_REPO and not path.exists():
        say(f"creating your data repo at {path}", sys.stderr)
        return DataRepo.init(path)
    if named_by in (NAMED_BY_OPTION, NAMED_BY_ENV) and not os.path.lexists(path):
        raise NotADataRepo(missing_repo_message(path, named_by))
    repo = DataRepo.open(path)
    if named_by == OWN_REPO and say_which:
        say(f"(not inside a data repo: using your own, {repo.root})", sys.stderr)
    prepare(repo)  # per-clone git settings the merge needs; .git/config is not cloned
    return repo
