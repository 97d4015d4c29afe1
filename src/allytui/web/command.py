"""`allytui serve`: add, remove and list the members who may use the app in a browser, or run the server."""

from __future__ import annotations

import argparse
import sys

from allytui.model.closest import did_you_mean
from allytui.model.records import ContactDetails, Kind, Person
from allytui.model.text import visible
from allytui.store.errors import AllytuiError, not_found
from allytui.store.loader import load_settings
from allytui.store.repo import DataRepo
from allytui.web.members import Member, MembersFile, members_path

EXIT_OK = 0


def _say(text: str) -> None:
    print(visible(text), file=sys.stdout)


def public_url(args: argparse.Namespace) -> str:
    """Where members reach the server: --public-url (a reverse proxy's https address), else host and port."""
    if args.public_url:
        return str(args.public_url).rstrip("/")
    host = f"[{args.host}]" if ":" in args.host else args.host
    return f"http://{host}:{args.port}"


def person_id(text: str) -> str:
    return text.removeprefix(f"{Kind.PEOPLE.value}/").strip()


def _person(repo: DataRepo, wanted: str) -> Person:
    people = repo.load_kind(Kind.PEOPLE).records[Kind.PEOPLE]
    found = people.get(wanted)
    if not isinstance(found, Person):
        raise not_found(Kind.PEOPLE, wanted, people)
    return found


def identity(repo: DataRepo, member_id: str, name: str | None, email: str | None) -> tuple[str, str]:
    """The name and email a member's commits carry: as given, else from their person record."""
    person = _person(repo, member_id)
    name = name or person.name
    if not email:
        contact = person.contact
        if not isinstance(contact, ContactDetails):
            why = "is sealed" if contact is not None else "has no email"
            raise AllytuiError(f"people/{member_id}'s contact {why}: give the email their commits carry with --email")
        if not contact.email:
            raise AllytuiError(f"people/{member_id} has no email: give the one their commits carry with --email")
        email = contact.email
    for what, value in (("name", name), ("email", email)):
        if not value.strip() or any(c in value for c in "<>\n\r\0"):
            raise AllytuiError(f"the {what} for people/{member_id} cannot be used in a git identity")
    return name.strip(), email.strip()


def add_member(repo: DataRepo, args: argparse.Namespace) -> int:
    member_id = person_id(args.add_member)
    name, email = identity(repo, member_id, args.name, args.email)
    token = MembersFile(repo.root).add(member_id, name, email)
    _say(f"people/{member_id} may now use allytui in a browser; their commits carry the name and email given.")
    _say("Send them this login link; it works once, within 7 days (run this again for a new one):")
    _say(f"  {public_url(args)}/login/{token}")
    return EXIT_OK


def remove_member(repo: DataRepo, args: argparse.Namespace) -> int:
    member_id = person_id(args.remove_member)
    members = MembersFile(repo.root)
    if not members.remove(member_id):
        hint = did_you_mean(member_id, members.read()) or " (allytui serve --list-members lists them)"
        raise AllytuiError(f"people/{member_id} is not a member in the browser{hint}")
    _say(f"people/{member_id} can no longer use allytui in a browser; their open sessions close within seconds.")
    return EXIT_OK


def _state(member: Member) -> str:
    sessions = len(member.sessions)
    link = "a link not yet used, " if member.link else ""
    return f"{link}{sessions} browser{'s' if sessions != 1 else ''} logged in"


def list_members(repo: DataRepo, args: argparse.Namespace) -> int:
    members = MembersFile(repo.root).read()
    if not members:
        _say("No members use this repo in a browser yet: allytui serve --add-member people/ID adds one.")
    for member_id, member in sorted(members.items()):
        _say(f"people/{member_id}: {_state(member)}")
    _say(f"(kept in {members_path()})")
    return EXIT_OK


def cmd_serve(repo: DataRepo, args: argparse.Namespace) -> int:
    if args.add_member:
        return add_member(repo, args)
    if args.remove_member:
        return remove_member(repo, args)
    if args.list_members:
        return list_members(repo, args)
    from allytui.web.server import MembersServer  # aiohttp and textual-serve only when serving

    group = load_settings(repo.root, []).name or repo.root.name
    server = MembersServer(
        repo.root,
        MembersFile(repo.root),
        title=f"allytui — {group}",
        host=args.host,
        port=args.port,
        public_url=public_url(args),
        max_sessions=args.max_sessions,
    )
    try:
        server.serve()
    except OSError as error:  # the address is taken, or not this machine's: nothing was started
        where = f"{args.host}:{args.port}"
        raise AllytuiError(
            f"cannot listen on {where} ({error.strerror or type(error).__name__}): another program (or another "
            "allytui serve) may be using it; --port chooses another"
        ) from None
    return EXIT_OK
