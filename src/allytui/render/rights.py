"""A person's file (store.subject_access), the national-contacts report and redacted exports (model.rights)
as text, Markdown and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from allytui.model.records import ContactDetails, Kind, Person, Record
from allytui.model.rights import REDACTED_FIELDS, NationalContact, redacted
from allytui.model.sealed import Sealed
from allytui.render.markdown import md_inline

SEALED = "sealed"


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
    return md_inline(_flat(text))


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


def _contact_text(someone: Person) -> str:
    contact = someone.contact
    if isinstance(contact, Sealed):
        return SEALED
    if isinstance(contact, ContactDetails):
        return ", ".join(v for v in (contact.email, contact.phone, contact.address, contact.other) if v)
    return ""


def person_text(someone: Person, include_contact: bool) -> str:
    role = f" ({someone.role})" if someone.role else ""
    contact = _contact_text(someone) if include_contact else ""
    return someone.name + role + (f" — {contact}" if contact else "")


def last_text(entry: NationalContact) -> str:
    return entry.last_conversation.isoformat() if entry.last_conversation else "none"


def report_lines(report: list[NationalContact], *, include_contact: bool) -> list[str]:
    if not report:
        return ["No group is marked as a national contact (national_contact = true)."]
    lines = []
    for entry in report:
        lines += [f"{entry.group.name} (groups/{entry.group.id}) — last conversation: {last_text(entry)}"]
        lines += [f"  {k.member} knows {k.knows} ({k.strength_word})" for k in entry.known] or [
            "  none of our members knows someone there"
        ]
        if entry.people:
            lines.append("  people we know there: " + "; ".join(person_text(p, include_contact) for p in entry.people))
        lines.append("")
    return lines[:-1]


def report_markdown(report: list[NationalContact], team: str, *, include_contact: bool) -> str:
    lines = [f"# National contacts{' — ' + _md(team) if team else ''}", ""]
    if not report:
        return "\n".join([*lines, "No group is marked as a national contact."]) + "\n"
    for entry in report:
        lines += [f"## {_md(entry.group.name)}", "", f"Last conversation: {last_text(entry)}", ""]
        lines += [f"- {_md(k.member)} knows {_md(k.knows)} ({k.strength_word})" for k in entry.known] or [
            "- None of our members knows someone there."
        ]
        if entry.people:
            lines += ["", "People we know there:", ""]
            lines += [f"- {_md(person_text(p, include_contact))}" for p in entry.people]
        lines.append("")
    return "\n".join(lines)


def redacted_csv(kind: Kind, records: Iterable[Record]) -> str:
    """`allytui export KIND --redact` as CSV: only REDACTED_FIELDS of each record, lists joined by "; "."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(REDACTED_FIELDS[kind]), lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = redacted(record)
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else "" if v is None else v for k, v in row.items()})
    return out.getvalue()
