"""The fixed vocabularies of the alliance-building guide: categories, stages, channels, kinds."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allytui.model.records import Record


class Capacity(StrEnum):
    """How much a team can take on (the guide's step 8)."""

    LOW = "low"  # low on capacity
    CORE = "core"  # a committed core team
    MANY = "many"  # many active members


class Category(StrEnum):
    """Kinds of local group, from the guide's step 2 lists."""

    ENVIRONMENTAL = "environmental"
    TRADE_UNION = "trade_union"
    RENTERS_UNION = "renters_union"
    DEMOCRACY = "democracy"
    HUMAN_RIGHTS = "human_rights"
    LOCAL_CAMPAIGN = "local_campaign"
    RACIAL_JUSTICE = "racial_justice"
    GENDER_EQUALITY = "gender_equality"
    POLITICAL = "political"
    DISABILITY = "disability"
    LGBTQ = "lgbtq"
    FAITH = "faith"
    PTA = "pta"
    FOOD_BANK = "food_bank"
    READING_GROUP = "reading_group"
    RESIDENTS_ASSOCIATION = "residents_association"
    MINORITY_GROUP = "minority_group"
    SPORTS = "sports"
    WOMENS_GROUP = "womens_group"
    GARDENING = "gardening"
    OTHER = "other"


class Stage(StrEnum):
    """Where our relationship with a group stands, in pipeline order."""

    RESEARCHED = "researched"
    SHORTLISTED = "shortlisted"
    CONTACTED = "contacted"
    IN_CONVERSATION = "in_conversation"
    MEETING = "meeting"
    ALLIED = "allied"
    PAUSED = "paused"
    DECLINED = "declined"


class ShortlistReason(StrEnum):
    """The guide's step 3 reasons for approaching a group."""

    SIMILAR_AIMS = "similar_aims"
    LOCAL_INFLUENCE = "local_influence"
    LARGE_NETWORK = "large_network"
    BENEFITS_FROM_DEMANDS = "benefits_from_demands"


class Channel(StrEnum):
    """How a contact was made (the guide's step 5)."""

    PERSONAL_LINK = "personal_link"
    EMAIL = "email"
    SOCIAL_MEDIA = "social_media"
    EVENT = "event"
    PROTEST = "protest"
    MEETING_INVITE = "meeting_invite"
    STALL = "stall"
    LEAFLETING = "leafleting"
    ONE_TO_ONE = "one_to_one"
    SERVICE_OFFER = "service_offer"
    OTHER = "other"


class ActivityKind(StrEnum):
    """Meetings and joint activities from the guide's steps 7 and 8."""

    PICNIC = "picnic"
    STALL = "stall"
    CLIMATE_CONVERSATION = "climate_conversation"
    LEAFLETING = "leafleting"
    WORKSHOP = "workshop"
    TALK = "talk"
    JUSTICE_DIALOGUE = "justice_dialogue"
    CLIMATE_CAFE = "climate_cafe"
    PUBLIC_MEETING = "public_meeting"
    COMMUNITY_ASSEMBLY = "community_assembly"
    LOCAL_CAMPAIGN = "local_campaign"
    DIRECT_ACTION = "direct_action"
    OPEN_LETTER = "open_letter"
    COMMUNITY_EVENT = "community_event"
    MUTUAL_AID = "mutual_aid"
    FUNDRAISING = "fundraising"
    LOCAL_PROJECT = "local_project"
    SERVICE = "service"
    OTHER = "other"


class ActivityStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class LawfulBasis(StrEnum):
    """Why we may hold a person's details (data-protection law); unset means not recorded."""

    CONSENT = "consent"  # they agreed (see consent_date)
    LEGITIMATE_INTEREST = "legitimate_interest"  # outreach a person in their position would expect
    PUBLIC_ROLE = "public_role"  # what they do and say in a public role (a councillor, a vicar)


class Kind(StrEnum):
    """A record kind, named as its folder in a data repo."""

    TEAMS = "teams"
    GROUPS = "groups"
    PEOPLE = "people"
    CONVERSATIONS = "conversations"
    ACTIVITIES = "activities"

    @property
    def singular(self) -> str:
        return _SINGULAR[self]

    @property
    def model(self) -> type[Record]:
        from allytui.model.records import KIND_MODELS  # the models need pydantic; the names alone do not

        return KIND_MODELS[self]


_SINGULAR = {
    Kind.TEAMS: "team",
    Kind.GROUPS: "group",
    Kind.PEOPLE: "person",
    Kind.CONVERSATIONS: "conversation",
    Kind.ACTIVITIES: "activity",
}

DUPLICATE_KINDS = (Kind.GROUPS, Kind.PEOPLE)
"""The kinds looked through for likely duplicates."""
