"""`allytui set`, `show`, `list` and `rm`: one record at a time from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from typing import Any

from allytui.cli.assign import AssignmentError, apply
from allytui.cli.conflict_text import conflict_lines
from allytui.cli.lookup import not_a_kind, require, stored_ids
from allytui.cli.output import print_json, print_table, say, say_fitted
from allytui.cli.tables import terminal_width
from allytui.model import filters
from allytui.model.duplicates import DUPLICATE_KINDS, looks_like
from allytui.model.fields import from_text
from allytui.model.ids import conversation_id, slugify, unique_id
from allytui.model.privacy import HIDDEN, sensitive_fields
from allytui.model.readable import is_empty, readable_field
from allytui.model.records import Conversation, Kind, Person, Record
from allytui.model.rights import do_not_contact_reason
from allytui.model.typed_dates import DATE_HELP, NotADate, parse_date
from allytui.model.validation import Problem, build_record, referrers
from allytui.store import git as gitops
from allytui.store.codec import record_data
from allytui.store.errors import AllytuiError, InvalidRecord, RecordNotFound, not_found
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, open_conflicts, open_record, sealed_values
from allytui.store.tabular import to_json
from allytui.sync.region import coordinate_first

NEW = "new"

LIST_COLUMNS: dict[Kind, list[str]] = {
    Kind.TEAMS: ["name", "area", "capacity"],
    Kind.GROUPS: ["name", "category", "stage", "influence", "alignment", "lead", "next_action_due"],
    Kind.PEOPLE: ["name", "role", "member_of", "groups"],
    Kind.CONVERSATIONS: ["date", "group", "channel", "follow_up"],
    Kind.ACTIVITIES: ["title", "kind", "status", "date"],
}


def parse_target(text: str) -> tuple[Kind, str]:
    """'groups/st-marys' -> (Kind.GROUPS, 'st-marys')."""
    kind_name, sep, record_id = text.partition("/")
    try:
        kind = Kind(kind_name)
    except ValueError:
        raise not_a_kind(kind_name) from None
    if not sep or not record_id:
        raise AllytuiError(f"expected KIND/ID, e.g. {kind.value}/some-id")
    return kind, record_id


def parse_kind(text: str) -> Kind:
    try:
        return Kind(text)
    except ValueError:
        raise not_a_kind(text) from None


def new_id(repo: DataRepo, kind: Kind, data: dict[str, Any]) -> str:
    """An id for a record created as KIND/new: from its name or title, or its date for a conversation."""
    if kind is Kind.CONVERSATIONS:
        try:
            on = parse_date(str(data.get("date", "")))
        except NotADate:
            raise AllytuiError(f"a new conversation needs its date: date=...; {DATE_HELP}") from None
        return conversation_id(on, str(data.get("group") or "conversation"))
    label = str(data.get("name") or data.get("title") or "")
    if not label:
        raise AllytuiError(f"a new {kind.singular} needs {'title' if kind is Kind.ACTIVITIES else 'name'}=...")
    base = slugify(label)
    taken = {p.stem for p in (repo.root / kind.value).glob("*.toml")}
    return unique_id(base, taken)


def cmd_set(repo: DataRepo, args: argparse.Namespace) -> int:
    # read, change and write under the lock: a writer that commits in between would be overwritten
    with gitops.repo_lock(repo.git_repo):
        return _set(repo, args)


def _set(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, record_id = parse_target(args.target)
    creating = record_id == NEW or not repo.exists(kind, record_id)
    data: dict[str, Any] = {} if creating else _opened_for(repo, kind, record_id, args.assignments)
    recipient = data.get("recipient", "")
    try:
        for assignment in args.assignments:
            apply(kind.model, data, assignment)
    except AssignmentError as problem:
        raise AllytuiError(str(problem)) from None
    if data.get("recipient", "") != recipient:
        raise AllytuiError(
            "recipient: a member's key is set with allytui keys add PERSON KEY (or taken away with allytui keys "
            "remove PERSON), which seals every sealed value again for the new set of keys"
        )
    if record_id == NEW:
        record_id = new_id(repo, kind, data)
    record, errors = build_record(kind, record_id, from_text(kind.model, data))
    if record is None and creating and args.target.partition("/")[2] != NEW and not _names_itself(kind, data):
        raise _no_such_to_set(repo, kind, record_id)  # not a record being made here: a typo in the id
    if record is None:
        raise InvalidRecord([Problem(f"{kind.value}/{record_id}", f, m) for f, m in errors])
    if isinstance(record, Conversation) and not args.force:
        before = None if creating else repo.read(Kind.CONVERSATIONS, record_id)
        logged = before if isinstance(before, Conversation) else None
        reason = do_not_contact_reason(repo.load().records, record.group, record.their_people, logged=logged)
        if reason:
            raise AllytuiError(f"{reason} Nothing was written; add --force to log the conversation with them anyway.")
    if isinstance(record, Person) and record.do_not_contact and record.do_not_contact_since is None:
        record = record.model_copy(update={"do_not_contact_since": dt.date.today()})  # flagged now: since today
    twins = looks_like(record, repo.load().records[kind]) if creating and kind in DUPLICATE_KINDS else []
    commit = repo.save(record, create=creating, drop_comments=args.drop_comments)
    if commit is None:
        say(f"{kind.value}/{record_id}: no change")
    else:
        say(f"{kind.value}/{record_id}: {commit.message} [{commit.sha[:8]}]")
    if isinstance(record, Conversation) and creating and record.group:  # another local group talks with them
        for line in coordinate_first(repo, record.group):
            say(f"note: {line}")
    for twin, _ in twins:  # saved, and said plainly, so a duplicate is merged before it gathers links
        say(
            f"warning: {kind.value}/{record_id} looks like existing {kind.value}/{twin.id} ({twin.label}): "
            f"allytui show {kind.value}/{twin.id}; if it is the same, allytui merge {kind.value}/{twin.id} "
            f"{kind.value}/{record_id}",
            sys.stderr,
        )
    return 0


def _names_itself(kind: Kind, data: dict[str, Any]) -> bool:
    """Whether a set gives what a new record of kind is known by (name, title, or a conversation's date)."""
    return any(data.get(name) for name in ("name", "title", "date") if name in kind.model.model_fields)


def _no_such_to_set(repo: DataRepo, kind: Kind, record_id: str) -> AllytuiError:
    """A set on an id with no record that could not make one either: most likely a typo in the id."""
    missing = not_found(kind, record_id, stored_ids(repo, kind))
    if "did you mean" in str(missing):
        return missing
    label = "title" if kind is Kind.ACTIVITIES else "name"
    return RecordNotFound(
        f"{kind.value}/{record_id}: no such {kind.singular}; to add one: allytui set {kind.value}/new {label}=..."
    )


def _opened_for(repo: DataRepo, kind: Kind, record_id: str, assignments: list[str]) -> dict[str, Any]:
    """The record's data with the sealed fields the assignments change opened (the save seals them again);
    every other sealed value is kept as it is, byte for byte. AllytuiError when the member holds no key."""
    record = repo.read(kind, record_id)
    data = record_data(record)
    touched = {re.split(r"[.+=-]", text, maxsplit=1)[0] for text in assignments} & set(sealed_values(record))
    if not touched:
        return data
    opened = open_record(record, load_identities())
    closed = sorted(touched & set(opened.closed))
    if closed:
        raise AllytuiError(
            f"{kind.value}/{record_id}: {', '.join(closed)}: {opened.closed[closed[0]]}, so it cannot be changed "
            "here; nothing was written"
        )
    opened_data = record_data(opened.record)
    return {**data, **{name: opened_data.get(name) for name in touched}}


def cmd_show(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, record_id = parse_target(args.target)
    require(repo, kind, record_id)
    record = repo.read(kind, record_id)
    closed: dict[str, str] = {}
    if args.reveal:  # sealed values the member holds a key for are opened; the rest say why they stay sealed
        identities = load_identities()
        opened = open_record(record, identities)
        record, closed = open_conflicts(opened.record, identities), opened.closed
    data = to_json(record, include_contact=args.reveal, closed=closed)
    if args.json:
        print_json(data)
        return 0
    width = terminal_width()
    for name, value in data.items():  # as people read them: yes/no, labels, contact details as lines
        if name == "conflicts" or is_empty(value):
            continue
        lines = readable_field(kind.model, name, value).rstrip("\n").split("\n")
        one_line = f"{name}: {lines[0]}"
        if len(lines) == 1 and not lines[0].startswith("- ") and (width is None or len(one_line) <= width):
            say(one_line)  # a list of items is shown as one, even of one; a long text on lines of its own
        else:
            say(f"{name}:")
            for line in lines:
                say_fitted(f"  {line}")
    for name in sorted(sensitive_fields(type(record))) if not args.reveal else ():
        if getattr(record, name, None):
            say(f"{name}: {HIDDEN}")
    if record.conflicts:
        for line in conflict_lines([(record, c) for c in record.conflicts], heading=True, reveal=args.reveal):
            say(line)
    return 0


def where_filter(kind: Kind, conditions: list[str]) -> filters.Filter:
    """`--where FIELD=VALUE` options in the filter language of the lists, values matching whole:
    `stage=contacted,meeting`, `influence=3..5`, `next_action_due=..2026-12-31`, `lead=` (none)."""
    fields = filters.record_fields(kind.model, hidden=sensitive_fields(kind.model))
    pairs = []
    for condition in conditions:
        name, sep, value = condition.partition("=")
        if not sep:
            raise AllytuiError(f"--where {condition!r}: expected FIELD=VALUE")
        if fields.find(name) is None:
            raise AllytuiError(f"--where {fields.unknown([name])}")
        pairs.append((name, value))
    wanted = filters.of(pairs, fields, exact=True)
    if wanted.errors:
        raise AllytuiError("--where " + "; ".join(wanted.errors))
    return wanted


def _matches(record: Record, wanted: filters.Filter) -> bool:
    data = record.model_dump(mode="json")
    data["id"] = record.id
    return wanted.matches_fields(filters.record_lookup(data))


def cmd_list(repo: DataRepo, args: argparse.Namespace) -> int:
    kind = parse_kind(args.kind)
    wanted = where_filter(kind, args.where or [])
    loaded = repo.load_kind(kind)
    records = [r for _, r in sorted(loaded.records[kind].items()) if not args.where or _matches(r, wanted)]
    if args.json:
        print_json([to_json(r) for r in records])
        return 0
    header = ["id", *LIST_COLUMNS[kind]]
    rows = [_row(r, header) for r in records]
    print_table(header, rows, spare=len(header) - 2)  # at 80 columns: the id, the name and what fits
    if loaded.problems:
        say(f"({len(loaded.problems)} problem(s) in {kind.value} or the repo's settings: run allytui check)")
    return 0


def _row(record: Record, header: list[str]) -> list[str]:
    values = record.model_dump(mode="json", include=set(header))
    return [record.id if column == "id" else _cell(values.get(column)) for column in header]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def cmd_rm(repo: DataRepo, args: argparse.Namespace) -> int:
    kind, record_id = parse_target(args.target)
    require(repo, kind, record_id)
    found = referrers(repo.load().records, kind, record_id)
    if found and not args.force:
        where = ", ".join(f"{r.KIND.value}/{r.id} ({field})" for r, field in found)
        raise AllytuiError(f"{kind.value}/{record_id} is referred to by {where}; change those first, or use --force")
    commit = repo.delete(kind, record_id)
    say(f"{kind.value}/{record_id}: deleted [{commit.sha[:8]}]")
    if found:
        say(f"warning: {len(found)} reference(s) now point at nothing; allytui check lists them")
    return 0
