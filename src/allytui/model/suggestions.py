"""Activity ideas from the guide's step 8 lists that fit our team's capacity, each naming the groups we
are talking to that it suits.

Which ideas: the guide has a list for a team low on capacity, one for a committed core team, one for a
team with many active members, and one of things to do with other groups. A team gets the ideas for its
own capacity first, then those done with other groups, then the ones for smaller teams (a core team can
still run a picnic). Ideas for bigger teams than ours are left out.

Which groups fit an idea (the rule, kept simple so people can predict it):

- only groups we are in conversation with, meeting or allied with count, and never a national contact
  (those go through the national relationships team);
- an idea lists the categories and tags it suits; a group fits when its category is one of them or it has
  one of the tags. An idea with neither suits every group (anyone can sign a letter or hold a picnic);
- fitting groups are ordered allied first, then meeting, then in conversation; then by alignment, most
  aligned first; then by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allytui.model.enums import ActivityKind, ActivityStatus, Capacity, Category, Stage
from allytui.model.overview import RecordIndex, groups
from allytui.model.records import Activity, Group, Kind
from allytui.model.relations import our_team

PARTNER_STAGES = (Stage.ALLIED, Stage.MEETING, Stage.IN_CONVERSATION)
"""Stages at which a group is someone to do things with, most involved first."""

MAX_PARTNERS = 3
"""How many of the fitting groups a new activity starts with as partners."""

C = Category


@dataclass(frozen=True)
class Idea:
    """One of the guide's step 8 activities."""

    key: str
    title: str
    kind: ActivityKind
    capacity: Capacity | None  # None: the list of things to do with other groups
    hint: str
    categories: frozenset[Category] = frozenset()
    tags: frozenset[str] = frozenset()

    @property
    def together(self) -> bool:
        return self.capacity is None

    @property
    def for_whom(self) -> str:
        return LIST_NAMES[self.capacity]

    def fits(self, group: Group) -> str | None:
        """Why the group suits this idea ("faith", "tagged venue", "any group"), or None."""
        if not self.categories and not self.tags:
            return "any group"
        if group.category in self.categories:
            return group.category.value.replace("_", " ")
        tag = next((t for t in group.tags if t in self.tags), None)
        return f"tagged {tag}" if tag else None


LIST_NAMES: dict[Capacity | None, str] = {
    Capacity.LOW: "a team low on capacity",
    Capacity.CORE: "a committed core team",
    Capacity.MANY: "a team with many active members",
    None: "with other groups",
}

_CAPACITY_ORDER = [Capacity.LOW, Capacity.CORE, Capacity.MANY]


def _idea(
    key: str,
    title: str,
    kind: ActivityKind,
    capacity: Capacity | None,
    hint: str,
    categories: set[Category] | None = None,
    tags: set[str] | None = None,
) -> Idea:
    return Idea(key, title, kind, capacity, hint, frozenset(categories or ()), frozenset(tags or ()))


COMMUNITY = {C.RESIDENTS_ASSOCIATION, C.FAITH, C.PTA, C.SPORTS, C.WOMENS_GROUP, C.MINORITY_GROUP, C.GARDENING}
CAMPAIGNING = {C.ENVIRONMENTAL, C.LOCAL_CAMPAIGN, C.TRADE_UNION, C.RENTERS_UNION, C.DEMOCRACY, C.HUMAN_RIGHTS}
JUSTICE = {C.RACIAL_JUSTICE, C.GENDER_EQUALITY, C.DISABILITY, C.LGBTQ, C.MINORITY_GROUP, C.HUMAN_RIGHTS}

IDEAS: list[Idea] = [
    # Activities for a LG that is low on capacity
    _idea("picnic", "Local picnic", ActivityKind.PICNIC, Capacity.LOW, "Low effort, friendly, open to all."),
    _idea(
        "stall",
        "Stall at a local event",
        ActivityKind.STALL,
        Capacity.LOW,
        "Go where people already are: fairs, markets, carnivals.",
        COMMUNITY | {C.SPORTS},
        {"venue", "events", "market"},
    ),
    _idea(
        "climate-conversation",
        "Climate conversations",
        ActivityKind.CLIMATE_CONVERSATION,
        Capacity.LOW,
        "Listen first: ask what people care about.",
        COMMUNITY | {C.READING_GROUP},
    ),
    _idea("leafleting", "Leafleting and talking to people", ActivityKind.LEAFLETING, Capacity.LOW, "Door to door."),
    # Activities for an LG with a committed core team
    _idea(
        "workshop",
        "Workshop: gardening, mending, cooking",
        ActivityKind.WORKSHOP,
        Capacity.CORE,
        "Share skills people can use; meets local needs.",
        {C.GARDENING, C.WOMENS_GROUP, C.FOOD_BANK, C.RESIDENTS_ASSOCIATION, C.PTA},
        {"skills", "food", "venue"},
    ),
    _idea(
        "talk",
        "Talk on the climate crisis",
        ActivityKind.TALK,
        Capacity.CORE,
        "Say plainly that the crisis does not hit everyone alike.",
        {C.READING_GROUP, C.FAITH, C.WOMENS_GROUP, C.PTA, C.ENVIRONMENTAL},
        {"schools", "education"},
    ),
    _idea(
        "justice-dialogue",
        "Justice dialogue",
        ActivityKind.JUSTICE_DIALOGUE,
        Capacity.CORE,
        "The exploitation of people and of nature are connected.",
        JUSTICE | {C.FAITH, C.RENTERS_UNION, C.TRADE_UNION},
    ),
    _idea(
        "climate-cafe",
        "Climate café",
        ActivityKind.CLIMATE_CAFE,
        Capacity.CORE,
        "Tea, cake and an open conversation.",
        {C.FAITH, C.FOOD_BANK, C.GARDENING, C.WOMENS_GROUP, C.READING_GROUP},
        {"venue", "food"},
    ),
    _idea(
        "public-meeting",
        "Public meeting",
        ActivityKind.PUBLIC_MEETING,
        Capacity.CORE,
        "On a local issue people already talk about.",
        CAMPAIGNING | {C.RESIDENTS_ASSOCIATION},
    ),
    # Activities for an LG with many active members
    _idea(
        "community-assembly",
        "Community assembly",
        ActivityKind.COMMUNITY_ASSEMBLY,
        Capacity.MANY,
        "Agree the topic with the groups taking part, well ahead.",
    ),
    _idea(
        "local-campaign",
        "Local campaign planned with other groups",
        ActivityKind.LOCAL_CAMPAIGN,
        Capacity.MANY,
        "Plan and carry it out in tandem; win something local.",
        CAMPAIGNING | {C.RESIDENTS_ASSOCIATION},
    ),
    _idea(
        "direct-action",
        "Nonviolent direct action for a campaign",
        ActivityKind.DIRECT_ACTION,
        Capacity.MANY,
        "In support of a campaign; know every partner's red lines.",
        CAMPAIGNING,
    ),
    # Activities involving collaboration with other groups
    _idea(
        "open-letter",
        "Co-sign a letter to the local press",
        ActivityKind.OPEN_LETTER,
        None,
        "Quick to do; shows a broad alliance.",
    ),
    _idea(
        "community-event",
        "Community event, planned together",
        ActivityKind.COMMUNITY_EVENT,
        None,
        "Share the work and the credit.",
        COMMUNITY | {C.FOOD_BANK, C.LGBTQ},
        {"venue", "events"},
    ),
    _idea(
        "mutual-aid",
        "Mutual aid or community building",
        ActivityKind.MUTUAL_AID,
        None,
        "Everyone has something to contribute and everyone has needs.",
        {C.FOOD_BANK, C.FAITH, C.RESIDENTS_ASSOCIATION, C.RENTERS_UNION, C.MINORITY_GROUP, C.DISABILITY},
        {"mutual-aid", "food", "housing"},
    ),
    _idea("fundraising", "Join forces in fundraising", ActivityKind.FUNDRAISING, None, "For a shared local cause."),
    _idea(
        "local-project",
        "Plan a local project together",
        ActivityKind.LOCAL_PROJECT,
        None,
        "Something lasting: a garden, a repair café, flood stores.",
        {C.GARDENING, C.ENVIRONMENTAL, C.RESIDENTS_ASSOCIATION, C.PTA, C.FAITH},
    ),
    _idea(
        "local-action",
        "Organise a local action together",
        ActivityKind.DIRECT_ACTION,
        None,
        "Agree every group's role and red lines in advance.",
        CAMPAIGNING,
    ),
]


@dataclass(frozen=True)
class FittingGroup:
    group_id: str
    name: str
    stage: Stage
    why: str


@dataclass(frozen=True)
class Suggestion:
    idea: Idea
    groups: list[FittingGroup] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # titles of ideas or plans of this kind already made


def ideas_for(capacity: Capacity) -> list[Idea]:
    """The ideas a team of this capacity can take on: its own list, then with others, then smaller teams'."""
    level = _CAPACITY_ORDER.index(capacity)
    own = [i for i in IDEAS if i.capacity is capacity]
    together = [i for i in IDEAS if i.together]
    smaller = [i for cap in reversed(_CAPACITY_ORDER[:level]) for i in IDEAS if i.capacity is cap]
    return own + together + smaller


def partner_groups(index: RecordIndex) -> list[Group]:
    """Groups we are in conversation with, meeting or allied with, but not national contacts; most involved
    first, then most aligned, then by name."""
    found = [g for g in groups(index) if g.stage in PARTNER_STAGES and not g.national_contact]
    return sorted(found, key=lambda g: (PARTNER_STAGES.index(g.stage), -(g.alignment or 0), g.name.lower()))


def team_capacity(index: RecordIndex) -> tuple[Capacity, bool]:
    """Our team's capacity, and whether it comes from a team record (else the guide's lowest, as a default)."""
    team = our_team(index)
    return (team.capacity, True) if team is not None else (Capacity.LOW, False)


def suggestions(index: RecordIndex, capacity: Capacity | None = None) -> list[Suggestion]:
    """Ideas that fit the capacity (our team's when not given), each with the groups it suits."""
    capacity = capacity or team_capacity(index)[0]
    partners = partner_groups(index)
    open_plans: dict[ActivityKind, list[str]] = {}
    for activity in index[Kind.ACTIVITIES].values():
        if isinstance(activity, Activity) and activity.status in (ActivityStatus.IDEA, ActivityStatus.PLANNED):
            open_plans.setdefault(activity.kind, []).append(activity.title)
    found = []
    for idea in ideas_for(capacity):
        fitting = []
        for group in partners:
            why = idea.fits(group)
            if why:
                fitting.append(FittingGroup(group.id, group.name, group.stage, why))
        found.append(Suggestion(idea, fitting, sorted(open_plans.get(idea.kind, []))))
    return found


def activity_prefill(suggestion: Suggestion, group_ids: list[str] | None = None) -> dict[str, Any]:
    """Values for a new Activity from a suggestion: an idea of its kind, with the first few fitting groups
    (or the ones given) as partners whose roles are still to agree."""
    chosen = group_ids if group_ids is not None else [g.group_id for g in suggestion.groups[:MAX_PARTNERS]]
    notes = f"From the guide's step 8 ({suggestion.idea.for_whom}): {suggestion.idea.hint}"
    return {
        "title": suggestion.idea.title,
        "kind": suggestion.idea.kind.value,
        "status": ActivityStatus.IDEA.value,
        "partners": [{"group": g, "role": "", "agreed": False} for g in dict.fromkeys(chosen)],
        "notes": notes,
    }
