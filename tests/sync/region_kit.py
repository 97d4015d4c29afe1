"""Two local groups and a national participant, each with its own data repo, sharing one bare exchange repo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from allytui.model.records import ContactDetails, Conversation, Group, Person, Team
from allytui.store.repo import DataRepo
from tests.helpers import git

# what must never leave a data repo: people's names, notes, contact details, views, red lines
SECRETS = (
    "Samantha Okafor",
    "Okafor",
    "sam@example.org",
    "07700 900123",
    "12 Mill Lane",
    "secret strategy note",
    "they fear losing funding",
    "no party banners",
    "Priya Natarajan",
    "priya@example.org",
    "Test Organiser",
    "organiser@example.org",
)


@dataclass
class Region:
    exchange: Path
    north: DataRepo
    south: DataRepo
    national: DataRepo
    tmp: Path


def make_local(root: Path, team_id: str, team_name: str, area: str) -> DataRepo:
    repo = DataRepo.init(root, name=team_name)
    repo.save(Team(id=team_id, name=team_name, area=area))
    return repo


def make_region(tmp: Path) -> Region:
    exchange = tmp / "exchange.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(exchange))
    north = make_local(tmp / "north", "northfield", "Northfield Climate Action", "Riverton")
    north.save(
        Person(
            id="sam",
            name="Samantha Okafor",
            member_of="northfield",
            contact=ContactDetails(email="sam@example.org", phone="07700 900123", address="12 Mill Lane"),
            notes="secret strategy note",
        )
    )
    north.save(
        Group(
            id="food-bank",
            name="Riverton Food Bank",
            category="food_bank",
            area="Riverton",
            website="https://www.rfb.org.uk/",
            stage="meeting",
            lead="sam",
            influence=4,
            alignment=2,
            notes="secret strategy note",
            red_lines=["no party banners"],
        )
    )
    north.save(Group(id="chess", name="Chess Club", category="sports", area="Riverton", tags=["private"]))
    north.save(Group(id="allotments", name="Riverton Allotment Society", category="gardening", area="Riverton"))
    north.save(
        Conversation(
            id="2026-10-14-food-bank-k3f9",
            date=dt.date(2026, 10, 14),
            group="food-bank",
            our_people=["sam"],
            concerns="they fear losing funding",
            notes="secret strategy note",
        )
    )
    south = make_local(tmp / "south", "southside", "Southside Alliance", "Riverton")
    south.save(Person(id="priya", name="Priya Natarajan", contact=ContactDetails(email="priya@example.org")))
    south.save(Group(id="rfb", name="The Riverton Foodbank", category="food_bank", area="Riverton"))
    south.save(Group(id="trades", name="Riverton Trades Council", category="trade_union", area="Riverton"))
    south.save(Group(id="mosque", name="Riverton Central Mosque", category="faith", area="Riverton"))
    national = make_local(tmp / "national", "national", "National Relationships Team", "")
    national.save(
        Group(id="trades-council", name="Riverton Trades Council", category="trade_union", national_contact=True)
    )
    national.save(Group(id="other", name="Somewhere Else Union", category="trade_union"))
    return Region(exchange, north, south, national, tmp)


def exchange_history(exchange: Path) -> str:
    """Every commit of the exchange, its author, message and every file it changed, as one text to search."""
    return git(exchange, "log", "--all", "-p", "--format=%an <%ae> %cn <%ce>%n%B", "--no-color")
