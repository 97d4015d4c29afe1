"""`allytui privacy`, `retention`, `about` and `national-report`: answering for the personal data we hold."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from typing import Any

from allytui.cli.output import print_json, print_table, say
from allytui.cli.records import parse_target
from allytui.model.privacy import public_dump
from allytui.model.records import ContactDetails, Kind, Person, Record
from allytui.model.relations import RecordIndex
from allytui.model.retention import retention_due
from allytui.model.rights import NationalContact, missing_basis, missing_basis_rows, national_report
from allytui.model.rights import person_file as find_person_file
from allytui.model.sealed import Sealed
from allytui.model.text import visible
from allytui.store.dates import record_dates
from allytui.store.errors import AllytuiError, RecordNotFound
from allytui.store.history import record_history
from allytui.store.loader import Loaded
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, open_record

SEALED = "sealed"


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


def _opened_index(loaded: Loaded) -> tuple[RecordIndex, bool]:
    """The records with every sealed value the member can open made plain; whether any stayed sealed."""
    identities = load_identities()
    closed = False
    index: dict[Kind, dict[str, Record]] = {}
    for kind, records in loaded.records.items():
        index[kind] = {}
        for record_id, record in records.items():
            opened = open_record(record, identities) if identities else None
            index[kind][record_id] = opened.record if opened else record
            closed = closed or bool(opened.closed if opened else _any_sealed(record))
    return index, closed


def _any_sealed(record: Record) -> bool:
    return any(isinstance(getattr(record, name), Sealed) for name in type(record).model_fields)


def _sealed_shown(data: Any) -> Any:
    """A dump with every sealed value (one not opened) as the word "sealed", never its armor."""
    if isinstance(data, dict):
        return {k: _sealed_shown(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_sealed_shown(v) for v in data]
    return SEALED if isinstance(data, str) and data.lstrip().startswith("-----BEGIN AGE") else data


def about_data(repo: DataRepo, person_id: str) -> dict[str, Any]:
    loaded = repo.load()
    index, some_sealed = _opened_index(loaded)
    try:
        found = find_person_file(index, person_id)
    except KeyError:
        raise RecordNotFound(f"people/{person_id}: no such person (allytui list people shows them)") from None
    changes = record_history(repo, Kind.PEOPLE, person_id)
    return {
        "person": person_id,
        "name": found.person.name,
        "made": dt.date.today().isoformat(),
        "record": _record_dump(found.person),
        "referred_to_by": [_mention(m, index) for m in found.referring],
        "mentioned_in": [_mention(m, index) for m in found.mentioning],
        "changes": [{"date": c.date.date().isoformat(), "what": c.status, "by": c.author} for c in changes],
        "sealed_note": "some values are sealed and you hold no key for them" if some_sealed else None,
    }


def _record_dump(record: Record) -> dict[str, Any]:
    data = {k: v for k, v in public_dump(record, reveal=True).items() if k != "conflicts" or v}
    shown: dict[str, Any] = _sealed_shown(data)
    return shown


def _mention(mention: Any, index: RecordIndex) -> dict[str, Any]:
    record = index[mention.kind][mention.record_id]
    dump = public_dump(record, reveal=False)
    texts = {field: _value_at(dump, field) for field in mention.fields}
    return {
        "record": f"{mention.kind.value}/{mention.record_id}",
        "label": mention.label,
        "fields": list(mention.fields),
        "text": _sealed_shown(texts),
    }


def _value_at(data: Any, path: str) -> Any:
    """The value at a field path such as knows[0].person in a dump."""
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(data, list):
            data = data[int(part)] if part.isdigit() and int(part) < len(data) else None
        elif isinstance(data, dict):
            data = data.get(part)
    return data


def cmd_about(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, person_id = parse_target(args.target)
    if kind is not Kind.PEOPLE:
        raise AllytuiError(f"about is for a person: people/ID, not {kind.value}/{person_id}")
    data = about_data(repo, person_id)
    if args.json:
        print_json(data)
    elif args.markdown:
        _write(about_markdown(data))
    else:
        for line in about_lines(data):
            say(line)
    return 0


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_flat(v)}" for k, v in value.items() if v not in (None, "", [], False))
    return str(value)


def _record_lines(record: dict[str, Any]) -> list[str]:
    return [f"{k}: {_flat(v)}" for k, v in record.items() if v not in (None, "", [], False) and k != "id"]


def about_lines(data: dict[str, Any]) -> list[str]:
    lines = [f"What we hold about {data['name']} (people/{data['person']}), {data['made']}", "", "Their record:"]
    lines += [f"  {line}" for line in _record_lines(data["record"])]
    lines += ["", f"Records that refer to them ({len(data['referred_to_by'])}):"]
    lines += [f"  {m['record']} ({m['label']}): {', '.join(m['fields'])}" for m in data["referred_to_by"]] or ["  none"]
    lines += ["", f"Records that mention their name ({len(data['mentioned_in'])}):"]
    for m in data["mentioned_in"]:
        lines.append(f"  {m['record']} ({m['label']})")
        lines += [f"    {field}: {_flat(text)}" for field, text in m["text"].items()]
    if not data["mentioned_in"]:
        lines.append("  none")
    lines += ["", "When their record changed:"]
    lines += [f"  {c['date']} {c['what']} by {c['by']}" for c in data["changes"]] or ["  not committed yet"]
    if data["sealed_note"]:
        lines += ["", f"Note: {data['sealed_note']}; they are shown as {SEALED!r}."]
    return lines


def _md(text: Any) -> str:
    """Record text in Markdown as itself: characters Markdown would read as formatting are escaped."""
    out = _flat(text).replace("\\", "\\\\")
    for mark in "`*_[]<>#|":
        out = out.replace(mark, "\\" + mark)
    return " ".join(out.split())


def about_markdown(data: dict[str, Any]) -> str:
    lines = [f"# What we hold about {_md(data['name'])}", "", f"Prepared {data['made']}.", "", "## Your record", ""]
    lines += [f"- **{k}**: {_md(v)}" for k, v in data["record"].items() if v not in (None, "", [], False) and k != "id"]
    lines += ["", "## Records that refer to you", ""]
    lines += [f"- {_md(m['label'])} ({m['record']}): {', '.join(m['fields'])}" for m in data["referred_to_by"]] or [
        "None."
    ]
    lines += ["", "## Records that mention your name", ""]
    for m in data["mentioned_in"]:
        lines.append(f"- {_md(m['label'])} ({m['record']})")
        lines += [f"  - {field}: {_md(text)}" for field, text in m["text"].items()]
    if not data["mentioned_in"]:
        lines.append("None.")
    lines += ["", "## When your record changed", ""]
    lines += [f"- {c['date']}: {c['what']}" for c in data["changes"]] or ["Not yet saved."]
    if data["sealed_note"]:
        lines += ["", f"Note: {data['sealed_note']}."]
    return "\n".join(lines) + "\n"


# the national-contacts report


class _VisibleOut:
    """Standard output for the csv module, control characters from record text made visible."""

    def write(self, text: str) -> int:
        return sys.stdout.write(visible(text, keep_newlines=True))


def cmd_national_report(repo: DataRepo, args: argparse.Namespace) -> int:
    loaded = repo.load()
    index: RecordIndex = loaded.records
    if args.include_contact:
        index, _ = _opened_index(loaded)
    report = national_report(index)
    if args.csv:
        _report_csv(report, include_contact=args.include_contact)
    elif args.markdown:
        _write(report_markdown(report, loaded.settings.name, include_contact=args.include_contact))
    else:
        for line in report_lines(report, include_contact=args.include_contact):
            say(line)
    _note_problems(loaded)
    return 0


def _contact_text(someone: Person) -> str:
    contact = someone.contact
    if isinstance(contact, Sealed):
        return SEALED
    if isinstance(contact, ContactDetails):
        return ", ".join(v for v in (contact.email, contact.phone, contact.address, contact.other) if v)
    return ""


def _person_text(someone: Person, include_contact: bool) -> str:
    role = f" ({someone.role})" if someone.role else ""
    contact = _contact_text(someone) if include_contact else ""
    return someone.name + role + (f" — {contact}" if contact else "")


def _last(entry: NationalContact) -> str:
    return entry.last_conversation.isoformat() if entry.last_conversation else "none"


def report_lines(report: list[NationalContact], *, include_contact: bool) -> list[str]:
    if not report:
        return ["No group is marked as a national contact (national_contact = true)."]
    lines = []
    for entry in report:
        lines += [f"{entry.group.name} (groups/{entry.group.id}) — last conversation: {_last(entry)}"]
        lines += [f"  {k.member} knows {k.knows} ({k.strength_word})" for k in entry.known] or [
            "  none of our members knows someone there"
        ]
        if entry.people:
            lines.append("  people we know there: " + "; ".join(_person_text(p, include_contact) for p in entry.people))
        lines.append("")
    return lines[:-1]


def report_markdown(report: list[NationalContact], team: str, *, include_contact: bool) -> str:
    lines = [f"# National contacts{' — ' + _md(team) if team else ''}", ""]
    if not report:
        return "\n".join([*lines, "No group is marked as a national contact."]) + "\n"
    for entry in report:
        lines += [f"## {_md(entry.group.name)}", "", f"Last conversation: {_last(entry)}", ""]
        lines += [f"- {_md(k.member)} knows {_md(k.knows)} ({k.strength_word})" for k in entry.known] or [
            "- None of our members knows someone there."
        ]
        if entry.people:
            lines += ["", "People we know there:", ""]
            lines += [f"- {_md(_person_text(p, include_contact))}" for p in entry.people]
        lines.append("")
    return "\n".join(lines)


def _report_csv(report: list[NationalContact], *, include_contact: bool) -> None:
    header = ["group", "group_name", "last_conversation", "member", "knows", "strength"]
    header += ["people_there"]
    writer = csv.writer(_VisibleOut(), lineterminator="\n")
    writer.writerow(header)
    for entry in report:
        people = "; ".join(_person_text(p, include_contact) for p in entry.people)
        base = [entry.group.id, entry.group.name, _last(entry) if entry.last_conversation else ""]
        rows = [[k.member, k.knows, k.strength_word] for k in entry.known] or [["", "", ""]]
        for known in rows:
            writer.writerow([*base, *known, people])
