"""Team membership kept as one fact: a person's member_of, with the team's members list following it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from allytui.model.records import Kind, Person, Record, Team


class HoldsKey(ValueError):
    """A member who holds a key for sealed values cannot be taken off the team by an edit of its list."""


def members_of(team_id: str, people: Iterable[Person]) -> list[Person]:
    """Everyone whose member_of is the team, by name."""
    return sorted((p for p in people if p.member_of == team_id), key=lambda p: (p.name.casefold(), p.id))


def follow_person(before: Person | None, after: Person, teams: Mapping[str, Team]) -> list[Team]:
    """The teams whose members list changes because after's member_of changed: left, and joined."""
    was = before.member_of if before is not None else None
    changed: list[Team] = []
    left = teams.get(was) if was and was != after.member_of else None
    if left is not None and after.id in left.members:
        changed.append(left.model_copy(update={"members": [m for m in left.members if m != after.id]}))
    joined = teams.get(after.member_of) if after.member_of else None
    if joined is not None and after.id not in joined.members:
        changed.append(joined.model_copy(update={"members": [*joined.members, after.id]}))
    return changed


def follow_team(team: Team, people: Mapping[str, Person]) -> list[Person]:
    """The people whose member_of changes because they were added to or taken off team's members list.

    Someone listed who is a member of another team stays there (one team per person); a listed id with no
    record is left to `check`. Taking off a member who holds a key raises HoldsKey: `allytui keys remove`
    re-seals the values they could read, which an edit of the list cannot do."""
    listed = set(team.members)
    changed: list[Person] = []
    for person in people.values():
        if person.id in listed and person.member_of is None:
            changed.append(person.model_copy(update={"member_of": team.id}))
        elif person.id not in listed and person.member_of == team.id:
            if person.recipient:
                raise HoldsKey(
                    f"{person.id} holds a key for sealed values: allytui keys remove {person.id} takes them off "
                    "the team and re-seals what they could read"
                )
            changed.append(person.model_copy(update={"member_of": None}))
    return changed


def membership_updates(
    before: Record | None, after: Record, records: Mapping[Kind, Mapping[str, Record]]
) -> list[Record]:
    """The other records a save of after must change with it, so that a person's member_of and their
    team's members list say the same (records: the repo's, by kind and id; only people and teams are read)."""
    if isinstance(after, Person):
        teams = {k: t for k, t in records.get(Kind.TEAMS, {}).items() if isinstance(t, Team)}
        return list(follow_person(before if isinstance(before, Person) else None, after, teams))
    if isinstance(after, Team):
        people = {k: p for k, p in records.get(Kind.PEOPLE, {}).items() if isinstance(p, Person)}
        return list(follow_team(after, people))
    return []


def mismatches(all_teams: Iterable[Team], people: Mapping[str, Person]) -> list[tuple[str, str, str]]:
    """(record path, field, message) for each place the two sides disagree, for `check`."""
    teams = list(all_teams)
    team_ids = {t.id for t in teams}
    found: list[tuple[str, str, str]] = []
    listed_by: dict[str, str] = {}
    for team in teams:
        for person_id in team.members:
            listed_by.setdefault(person_id, team.id)
            person = people.get(person_id)
            if person is not None and person.member_of != team.id:
                found.append(
                    (
                        f"people/{person_id}.toml",
                        "member_of",
                        f"listed as a member of teams/{team.id} but member_of says "
                        f"{person.member_of or 'nothing'}; allytui set people/{person_id} member_of={team.id}",
                    )
                )
    for person in people.values():
        if person.member_of and person.id not in listed_by and person.member_of in team_ids:
            found.append(
                (
                    f"teams/{person.member_of}.toml",
                    "members",
                    f"{person.id} is a member (member_of) but not in the team's members list",
                )
            )
    return found


def membership_moved(before: Record | None, after: Record) -> bool:
    """Whether saving after (over before) changes other records too: a person's team, or a team's list."""
    if isinstance(after, Person):
        return after.member_of != (before.member_of if isinstance(before, Person) else None)
    if isinstance(after, Team):
        return after.members != (before.members if isinstance(before, Team) else [])
    return False
