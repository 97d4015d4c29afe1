"""`allytui privacy`, `retention`, `about` and `national-report`: answering for the personal data we hold."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys

from allytui.cli.output import print_json, print_table, say, say_fitted
from allytui.cli.records import parse_target
from allytui.model.records import Kind, Person
from allytui.model.relations import RecordIndex
from allytui.model.retention import retention_due
from allytui.model.rights import NationalContact, missing_basis, missing_basis_rows, national_report
from allytui.model.sealed import Sealed
from allytui.model.text import visible
from allytui.render.rights import about_lines, about_markdown, last_text, person_text, report_lines, report_markdown
from allytui.store.dates import record_dates
from allytui.store.errors import AllytuiError
from allytui.store.loader import Loaded
from allytui.store.repo import DataRepo
from allytui.store.subject_access import about_data, opened_index

SEALED = "sealed"


def _write(document: str) -> None:
    """A document on standard output, control characters from record text made visible."""
    sys.stdout.write(visible(document, keep_newlines=True))


def _note_problems(loaded: Loaded) -> None:
    if loaded.problems:
        say(f"note: {len(loaded.problems)} file(s) with problems were left out; run allytui check", sys.stderr)


# privacy


def cmd_privacy(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    people = missing_basis(loaded.records)
    if args.json:
        print_json(missing_basis_rows(people))
    elif people:
        say(f"{len(people)} with contact details but no lawful basis recorded (set lawful_basis, or consent):")
        print_table(
            ["person", "name", "our member", "contact"],
            [(f"people/{p.id}", p.name, "yes" if p.is_member else "", _contact_kind(p)) for p in people],
        )
    else:
        say("Everyone with contact details has a lawful basis recorded.")
    _note_problems(loaded)
    return 0


def _contact_kind(someone: Person) -> str:
    return SEALED if isinstance(someone.contact, Sealed) else "recorded"


# retention


def _today(args: argparse.Namespace) -> dt.date:
    if not args.today:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.today)
    except ValueError:
        raise AllytuiError(f"--today: {args.today!r} is not a date (YYYY-MM-DD)") from None


def cmd_retention(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    today = _today(args)
    settings = loaded.settings.retention
    due = retention_due(loaded.records, settings, today, record_dates(repo, Kind.PEOPLE))
    if args.json:
        print_json(
            {"today": today.isoformat(), "settings": settings.model_dump(), "due": [d.as_dict(today) for d in due]}
        )
    elif due:
        say(f"{len(due)} due for review on {today.isoformat()}:")
        print_table(
            ["record", "name", "why", "since", "age"],
            [(f"{d.kind.value}/{d.record_id}", d.label, d.why, d.since.isoformat(), d.age(today)) for d in due],
            max_width=48,
        )
        say("Open the Privacy screen in the app to clear old notes or mark people as reviewed.")
    else:
        say("Nothing is due for review.")
    _note_problems(loaded)
    return 0


# about


def cmd_about(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, person_id = parse_target(args.target)
    if kind is not Kind.PEOPLE:
        raise AllytuiError(f"about is for a person: people/ID, not {kind.value}/{person_id}")
    data = about_data(repo, person_id, dt.date.today())
    if args.json:
        print_json(data)
    elif args.markdown:
        _write(about_markdown(data))
    else:
        for line in about_lines(data):
            say_fitted(line)
    return 0


# the national-contacts report


class _VisibleOut:
    """Standard output for the csv module, control characters from record text made visible."""

    def write(self, text: str) -> int:
        return sys.stdout.write(visible(text, keep_newlines=True))


def cmd_national_report(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    index: RecordIndex = loaded.records
    if args.include_contact:
        index, _ = opened_index(loaded)
    report = national_report(index)
    if args.csv:
        _report_csv(report, include_contact=args.include_contact)
    elif args.markdown:
        _write(report_markdown(report, loaded.settings.name, include_contact=args.include_contact))
    else:
        for line in report_lines(report, include_contact=args.include_contact):
            say_fitted(line)
    _note_problems(loaded)
    return 0


def _report_csv(report: list[NationalContact], *, include_contact: bool) -> None:
    header = ["group", "group_name", "last_conversation", "member", "knows", "strength"]
    header += ["people_there"]
    writer = csv.writer(_VisibleOut(), lineterminator="\n")
    writer.writerow(header)
    for entry in report:
        people = "; ".join(person_text(p, include_contact) for p in entry.people)
        base = [entry.group.id, entry.group.name, last_text(entry) if entry.last_conversation else ""]
        rows = [[k.member, k.knows, k.strength_word] for k in entry.known] or [["", "", ""]]
        for known in rows:
            writer.writerow([*base, *known, people])
