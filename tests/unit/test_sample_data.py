"""The shipped sample data in groupdata/: loads cleanly, is canonical, and shows what the app can do."""

from __future__ import annotations

from pathlib import Path

import pytest

from allytui.model.enums import ActivityStatus, Category, Stage
from allytui.model.ids import CONVERSATION_ID_DATE
from allytui.model.records import Activity, Conversation, Group, Kind, Person, Team
from allytui.store.codec import dump, dump_record
from allytui.store.layout import SETTINGS_FILE, parse_record_path, path_of
from allytui.store.loader import Loaded, load_repo

GROUPDATA = Path(__file__).resolve().parents[2] / "groupdata"
GITIGNORE = "# half-written files from an interrupted save\n.*.tmp-*\n"
SUFFIX_ALPHABET = set("abcdefghjkmnpqrstuvwxyz23456789")


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_repo(GROUPDATA)


def test_loads_without_problems(loaded: Loaded) -> None:
    assert [str(p) for p in loaded.problems] == []
    assert loaded.settings.format == 1
    assert loaded.settings.name


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [
        (Kind.TEAMS, 1, 1),
        (Kind.GROUPS, 18, 40),
        (Kind.PEOPLE, 30, 60),
        (Kind.CONVERSATIONS, 20, 60),
        (Kind.ACTIVITIES, 5, 20),
    ],
)
def test_counts(loaded: Loaded, kind: Kind, low: int, high: int) -> None:
    assert low <= len(loaded.records[kind]) <= high


def test_conversations_span_several_years(loaded: Loaded) -> None:
    years = {record.year for record in loaded.records[Kind.CONVERSATIONS].values()}
    assert len(years) >= 2
    folders = {p.name for p in (GROUPDATA / "conversations").iterdir()}
    assert folders == years


def test_conversation_ids_have_date_slug_and_suffix(loaded: Loaded) -> None:
    for record in loaded.records[Kind.CONVERSATIONS].values():
        assert isinstance(record, Conversation)
        assert CONVERSATION_ID_DATE.match(record.id)
        assert record.id.startswith(record.date.isoformat() + "-")
        slug_and_suffix = record.id[len("2026-01-01-") :]
        slug, _, suffix = slug_and_suffix.rpartition("-")
        assert slug, record.id
        assert len(suffix) == 4 and set(suffix) <= SUFFIX_ALPHABET, record.id


def test_every_record_file_is_canonical(loaded: Loaded) -> None:
    checked = 0
    for records in loaded.records.values():
        for record in records.values():
            raw = (GROUPDATA / path_of(record)).read_bytes()
            assert raw == dump_record(record).encode("utf-8"), path_of(record)
            checked += 1
    assert checked == loaded.count()


def test_settings_and_gitignore(loaded: Loaded) -> None:
    settings_text = dump(loaded.settings.model_dump(exclude_defaults=False))
    assert (GROUPDATA / SETTINGS_FILE).read_text(encoding="utf-8") == settings_text
    assert (GROUPDATA / ".gitignore").read_bytes() == GITIGNORE.encode("utf-8")


def test_no_stray_files(loaded: Loaded) -> None:
    expected = {SETTINGS_FILE, ".gitignore", ".gitattributes"}
    expected |= {path_of(r) for records in loaded.records.values() for r in records.values()}
    found = {p.relative_to(GROUPDATA).as_posix() for p in GROUPDATA.rglob("*") if p.is_file()}
    assert found == expected
    for rel in found - {SETTINGS_FILE, ".gitignore", ".gitattributes"}:
        assert parse_record_path(rel) is not None, rel


def _groups(loaded: Loaded) -> list[Group]:
    return [g for g in loaded.records[Kind.GROUPS].values() if isinstance(g, Group)]


def test_some_categories_have_no_group(loaded: Loaded) -> None:
    """So that "who's not here?" has answers."""
    used = {g.category for g in _groups(loaded)}
    missing = set(Category) - used - {Category.OTHER}
    assert len(missing) >= 2
    assert len(used) >= 12


def test_stages_are_spread_over_the_pipeline(loaded: Loaded) -> None:
    assert {g.stage for g in _groups(loaded)} == set(Stage)


def test_power_map_has_all_four_quadrants(loaded: Loaded) -> None:
    quadrants = {
        (g.influence >= 3, g.alignment > 0)
        for g in _groups(loaded)
        if g.influence is not None and g.alignment is not None and g.alignment != 0
    }
    assert quadrants == {(True, True), (True, False), (False, True), (False, False)}
    influential_opposed = [g for g in _groups(loaded) if (g.influence or 0) >= 4 and (g.alignment or 0) < 0]
    assert len(influential_opposed) >= 2


def test_one_group_is_a_national_contact(loaded: Loaded) -> None:
    assert any(g.national_contact for g in _groups(loaded))


def test_members_belong_to_the_team(loaded: Loaded) -> None:
    (team,) = loaded.records[Kind.TEAMS].values()
    assert isinstance(team, Team)
    people = [p for p in loaded.records[Kind.PEOPLE].values() if isinstance(p, Person)]
    members = {p.id for p in people if p.member_of == team.id}
    assert members == set(team.members)
    assert 5 <= len(members) <= 12


def test_contact_details_only_with_consent(loaded: Loaded) -> None:
    with_contact = [p for p in loaded.records[Kind.PEOPLE].values() if isinstance(p, Person) and p.contact]
    assert with_contact
    for person in with_contact:
        assert person.consent and person.consent_date is not None, person.id


def test_an_unagreed_role_in_a_planned_activity(loaded: Loaded) -> None:
    activities = [a for a in loaded.records[Kind.ACTIVITIES].values() if isinstance(a, Activity)]
    planned = [a for a in activities if a.status is ActivityStatus.PLANNED]
    assert any(not partner.agreed for a in planned for partner in a.partners)
    assert {a.status for a in activities} == set(ActivityStatus)
