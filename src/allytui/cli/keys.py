"""`allytui keys init|add|remove` and `allytui seal`: the member's own key, the team's keys, sealing a repo."""

from __future__ import annotations

import argparse
import sys

from allytui.cli.output import say
from allytui.store.keys import add_key, counted, remove_key, seal_all
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, make_identity


def cmd_keys_init(args: argparse.Namespace) -> int:
    made = make_identity()
    if made.created:
        say(f"your key is in {made.path} (only you can read it; keep a backup somewhere safe)")
    else:
        say(f"you already have a key in {made.path}")
    say("your public key, to give to whoever adds members' keys (allytui keys add PERSON KEY):")
    say(made.recipient)
    return 0


def cmd_keys(repo: DataRepo, args: argparse.Namespace) -> int:
    if args.keys_command == "add":
        outcome = add_key(repo, args.person, args.recipient, load_identities())
        if outcome.commit is None:
            say(f"{args.person} already holds this key; nothing changed")
        else:
            say(f"{outcome.commit.message} [{outcome.commit.sha[:8]}]")
    else:
        outcome = remove_key(repo, args.person, load_identities())
        assert outcome.commit is not None
        say(f"{outcome.commit.message} [{outcome.commit.sha[:8]}]")
        say(
            f"Older commits still hold the values sealed to {args.person}'s key (and any that were plain): "
            "whoever holds that key and a copy of the history can still read those. "
            "No allytui command re-seals or removes all of the old history; "
            "allytui erase people/ID takes one person's record and details out of every commit."
        )
    if outcome.still_plain:
        say(f"{outcome.still_plain} value(s) of sealed fields are still plain: run allytui seal", sys.stderr)
    return 0


def cmd_seal(repo: DataRepo, args: argparse.Namespace) -> int:
    outcome = seal_all(repo)
    if outcome.commit is None:
        say(f"nothing to seal: every value of a sealed field is sealed (for {outcome.members} members)")
        return 0
    say(
        f"sealed {counted(outcome.values, 'value')} in {counted(outcome.records, 'record')} "
        f"for {counted(outcome.members, 'member')} "
        f"[{outcome.commit.sha[:8]}]"
    )
    say("Older commits still hold the plain versions: anyone with a copy of the history can read them.")
    return 0
