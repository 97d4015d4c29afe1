"""Small helpers the tests share: running git in a repo, counting commits, a sample of each kind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from allytui.model.records import Activity, Conversation, Group, Kind, Partner, Person, Record, Team
from allytui.store.repo import DataRepo

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "groupdata"

TEST_GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    **dict.fromkeys(("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"), "Test Organiser"),
    **dict.fromkeys(("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"), "organiser@example.org"),
}
"""The git identity of the templates made once per process (the per-test one is isolated_user's)."""


@contextmanager
def template_identity(home: Path) -> Iterator[None]:
    """Make a template with TEST_GIT_ENV's identity, in a HOME of its own (the user's is never read)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        for name, value in TEST_GIT_ENV.items():
            patch.setenv(name, value)
        yield


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in root; its output (with check=False, stdout and stderr together, whatever the exit)."""
    result = subprocess.run(["git", *args], cwd=root, check=check, capture_output=True, text=True)
    return result.stdout if check else result.stdout + result.stderr


def commit_count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD").strip())


def one_of_each() -> list[Record]:
    """A valid record of every kind, referring to each other, with long text and nested parts."""
    return [
        Team(
            id="riverton-climate",
            name="Riverton Climate",
            capacity="core",
            members=["ana"],
            motivations="Cleaner air\nfor everyone",
            red_lines=["nonviolence", "no police liaison"],
        ),
        Person(
            id="ana",
            name="Ana López",
            member_of="riverton-climate",
            consent=True,
            consent_date=dt.date(2026, 1, 5),
            knows=[{"person": "rev-okafor", "how": "choir", "strength": 3}],
            contact={"email": "ana@example.org", "phone": "01632 960001"},
        ),
        Person(id="rev-okafor", name="Rev. Okafor", role="vicar", groups=["st-marys"], influence=4, alignment=1),
        Group(
            id="st-marys",
            name="St Mary's Church",
            category="faith",
            stage="contacted",
            influence=4,
            alignment=1,
            lead="ana",
            next_action="Invite to the climate café",
            next_action_due=dt.date(2026, 12, 1),
            shortlist_reasons=["local_influence", "large_network"],
            tags=["faith", "town-centre"],
            aims="Serve the parish.\nCare for creation.",
            red_lines=["no party politics"],
        ),
        Conversation(
            id="2026-11-24-st-marys-k3f9",
            date=dt.date(2026, 11, 24),
            group="st-marys",
            channel="one_to_one",
            their_people=["rev-okafor"],
            our_people=["ana"],
            cares_about="Flooding on Mill Lane",
            common_ground="Both want safe streets",
            follow_up=dt.date(2026, 12, 8),
            notes='Warm "welcome"; tea \\ biscuits\n\tindented',
        ),
        Activity(
            id="winter-climate-cafe",
            title="Winter climate café",
            kind="climate_cafe",
            status="planned",
            date=dt.date(2026, 12, 12),
            partners=[Partner(group="st-marys", role="hosts the hall", agreed=True)],
        ),
    ]


def save_all(repo: DataRepo) -> None:
    """Save one_of_each() into repo, a commit each."""
    records = one_of_each()
    # people first without their links, so that every reference exists when each record is saved
    order = [Kind.TEAMS, Kind.GROUPS, Kind.PEOPLE, Kind.CONVERSATIONS, Kind.ACTIVITIES]
    people = [r for r in records if r.KIND is Kind.PEOPLE]
    for person in people:
        repo.save(person.model_copy(update={"knows": [], "groups": [], "member_of": None}))
    for kind in order:
        for record in records:
            if record.KIND is kind:
                repo.save(record)
