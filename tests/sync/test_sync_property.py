"""Random concurrent edits on two clones: after both sync, the clones agree and no edit is lost."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allytui.model.conflicts import other_value
from allytui.model.enums import Stage
from allytui.model.records import Group, Kind
from allytui.store.repo import DataRepo
from allytui.sync.driver import clone, sync
from tests.helpers import git
from tests.sync.conftest import set_identity

TAGS = ["faith", "venue", "hall", "food", "youth"]
BASE = Group(id="st-marys", name="St Mary's", category="faith", tags=["faith", "venue"], influence=3)

edits = st.fixed_dictionaries(
    {},
    optional={
        "stage": st.sampled_from(list(Stage)),
        "influence": st.one_of(st.none(), st.integers(1, 5)),
        "next_action": st.sampled_from(["", "Ring the vicar", "Book the hall", "Send the notes"]),
        "tags": st.lists(st.sampled_from(TAGS), unique=True, max_size=4),
        "national_contact": st.booleans(),
    },
)


def plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def check_side(final: Group, edit: dict[str, Any]) -> None:
    """Each edited field holds this side's value, or this side's value is kept as an open conflict."""
    conflicts = {c.field: plain(other_value(c)) for c in final.conflicts}
    for name, value in edit.items():
        if name == "tags":
            added = [t for t in value if t not in BASE.tags]
            removed = [t for t in BASE.tags if t not in value]
            assert all(t in final.tags for t in added), (name, value, final.tags)
            assert all(t not in final.tags for t in removed), (name, value, final.tags)
            continue
        if getattr(BASE, name) == value:
            continue
        assert plain(getattr(final, name)) == plain(value) or conflicts.get(name) == plain(value), (
            name,
            value,
            getattr(final, name),
            conflicts,
        )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ana_edit=edits, ben_edit=edits)
def test_concurrent_edits_converge_and_nothing_is_lost(ana_edit: dict[str, Any], ben_edit: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        remote = tmp / "remote.git"
        git(tmp, "init", "-q", "--bare", "-b", "main", str(remote))
        ana = DataRepo.init(tmp / "ana")
        set_identity(ana, "Ana")
        ana.save(BASE)
        git(ana.root, "remote", "add", "origin", str(remote))
        sync(ana)
        ben = clone(str(remote), tmp / "ben")
        set_identity(ben, "Ben")
        for repo, edit in ((ana, ana_edit), (ben, ben_edit)):
            if edit:
                repo.save(BASE.model_copy(update=edit))
        sync(ana)
        sync(ben)
        sync(ana)
        for rel in git(ana.root, "ls-files").split():
            assert (ana.root / rel).read_bytes() == (ben.root / rel).read_bytes()
        final = ana.read(Kind.GROUPS, "st-marys")
        assert isinstance(final, Group)
        check_side(final, ana_edit)
        check_side(final, ben_edit)
        assert ana.load().problems == [] and ben.load().problems == []
