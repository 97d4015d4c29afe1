"""Arguments of the commands answering for personal data: privacy, retention, about, national-report, keys,
seal and erase."""

from __future__ import annotations

import argparse
from typing import Any


def add_rights_parsers(commands: Any) -> None:
    privacy = commands.add_parser("privacy", help="people with contact details but no lawful basis recorded")
    privacy.add_argument("--json", action="store_true")

    retention = commands.add_parser(
        "retention", help="people and conversation notes due for review ([retention] in allytui.toml), with why"
    )
    retention.add_argument("--json", action="store_true")
    retention.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)

    about = commands.add_parser(
        "about",
        help="everything held about one person, to answer a subject access request",
        description="Their record (contact details included), every record that refers to them or mentions "
        "their name, and the dates their record changed. Sealed values are opened when you hold a key.",
    )
    about.add_argument("target", metavar="people/ID")
    shape = about.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true")
    shape.add_argument("--markdown", action="store_true", help="a document to send as the answer")

    report = commands.add_parser(
        "national-report",
        help="national-contact groups: who of ours knows someone there, and the last conversation",
    )
    form = report.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true")
    form.add_argument("--csv", action="store_true")
    report.add_argument("--include-contact", action="store_true", help="the contact details of the people there")


KEYS_HELP = (
    "Sealed fields (contact details and notes, by default) are readable only by members holding a key. "
    "Each member runs `allytui keys init` once and passes the printed public key to someone who adds it "
    "with `allytui keys add PERSON KEY`; then `allytui seal` seals what is still plain."
)


def add_keys_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="your key, and the members' keys for sealed fields", description=KEYS_HELP)
    actions = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    actions.add_parser("init", help="make your own key (once per person) and print its public part")
    add = actions.add_parser("add", help="give a member a key and re-seal every sealed value, in one commit")
    add.add_argument("person", metavar="PERSON")
    add.add_argument("recipient", metavar="RECIPIENT", help="their public key: age1… or an ssh-ed25519 line")
    remove = actions.add_parser("remove", help="take a member's key away and re-seal without it, in one commit")
    remove.add_argument("person", metavar="PERSON")
    commands.add_parser("seal", help="seal every plain value of a sealed field, in one commit", description=KEYS_HELP)


def add_erase_parser(commands: Any) -> None:
    erase_ = commands.add_parser(
        "erase",
        help="erase a person from the data and from every branch's history",
        description="Remove a person's record and every reference to them, rewrite every branch's history "
        "without any version of their record, their name, email or phone (git-filter-repo), clear reflogs "
        "and prune old objects. Other records that mention them stop the command unless --redact-mentions. "
        "Other members' clones catch up in their next `allytui sync`.",
    )
    erase_.add_argument("target", metavar="people/ID")
    erase_.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    erase_.add_argument(
        "--redact-mentions", action="store_true", help='replace every mention of them in other records by "[erased]"'
    )
    erase_.add_argument(
        "--push", action="store_true", help="share the rewritten history now (with a lease: others' work is safe)"
    )
    erase_.add_argument("--remote", default="origin", help="the shared remote (default: origin)")
    erase_.add_argument("--quiet", action="store_true", help="no progress lines")
