"""Importing a spreadsheet (CSV) of records: every row checked and matched to the records there already, then
one commit for the records that change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from allytui.model.ids import conversation_id, is_valid_id, slugify, unique_id
from allytui.model.records import Conversation, Kind, Record
from allytui.model.rights import do_not_contact_reason
from allytui.model.row_match import Match, RecordFinder, same_as_matched
from allytui.model.sealed import SEALED_NOTE
from allytui.model.sheet_values import (
    BadChoice,
    allowed_labels,
    enum_of,
    from_text_cell,
    label,
    read_choices,
    web_address,
)
from allytui.model.validation import build_record
from allytui.store import git as gitops
from allytui.store.codec import record_data
from allytui.store.errors import AllytuiError
from allytui.store.git import Commit
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, open_record, sealed_values
from allytui.store.sheets import Sheet, SheetRow
from allytui.store.tabular import columns, from_row, normalise_header

Problem = Callable[[str, str], "RowOutcome"]
"""Adds a problem with a column of the row to the row's outcome: problem(field path, message)."""
Status = Literal["new", "update", "present", "error"]
STATUS_WORDS: dict[Status, str] = {
    "new": "new",
    "update": "update",
    "present": "already present",
    "error": "error",
}


@dataclass
class RowOutcome:
    """What the import does with one row: make a new record, update one, leave one as it is, or refuse the row."""

    row: int
    status: Status
    record_id: str = ""
    by: str = ""
    """How the row was matched to a record already there: id, website, name, date and group."""
    changed: tuple[str, ...] = ()
    """The fields that differ from the record already there (updated with --update, else left)."""
    problems: list[str] = field(default_factory=list)

    def lines(self, kind: Kind, source: str, update_hint: str = "--update to change") -> list[str]:
        """What the row does, for the dry run and the app's summary (record ids and field names, never values);
        a row with errors is its problems, one line each. update_hint: how to have a row update its record."""
        return list(self.problems) if self.status == "error" else [self._line(kind, source, update_hint)]

    def _line(self, kind: Kind, source: str, update_hint: str) -> str:
        where = f"{source}, row {self.row}: {STATUS_WORDS[self.status]} {kind.value}/{self.record_id}"
        how = f", matched by {self.by}" if self.by else ""
        if self.status == "update":
            return f"{where}{how} ({', '.join(self.changed)})"
        if self.status == "present" and self.changed:
            return f"{where}{how}; differs in {', '.join(self.changed)} ({update_hint})"
        return f"{where}{how}"


@dataclass
class ImportPlan:
    """What an import would do, row by row, and the records it would write (only those that change)."""

    kind: Kind
    source: str = "the file"
    rows: list[RowOutcome] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)
    existing: set[str] = field(default_factory=set)
    bases: dict[str, Record] = field(default_factory=dict)  # each record to update, as it was when checked
    warnings: list[str] = field(default_factory=list)
    allowed: dict[str, list[str]] = field(default_factory=dict)
    """For each choice column with a bad value: the values it takes (said once, not once per row)."""

    def count(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return sum(1 for record_id in self.records if record_id not in self.existing)

    @property
    def updated(self) -> int:
        return len(self.records) - self.created

    @property
    def present(self) -> int:
        return self.count("present")

    @property
    def bad(self) -> list[str]:
        """Every problem, one line each, naming the file, row and column."""
        return [problem for row in self.rows for problem in row.problems]

    @property
    def allowed_lines(self) -> list[str]:
        return [f"{column} takes: {', '.join(values)}" for column, values in self.allowed.items()]

    @property
    def message(self) -> str:
        """The commit message: counts of the records that change, never the ones left as they were."""
        return f"{self.kind.value}: import {len(self.records)} ({self.created} new, {self.updated} updated)"

    def summary(self) -> str:
        """ "2 new, 1 to update, 3 already present, 1 error" (the parts that are not zero)."""
        parts = [
            (self.count("new"), "new"),
            (self.count("update"), "to update"),
            (self.present, "already present"),
            (self.count("error"), "with errors" if self.count("error") > 1 else "with an error"),
        ]
        text = ", ".join(f"{n} {words}" for n, words in parts if n)
        return f"{self.source}: {text or 'no rows'}"

    def lines(self) -> list[str]:
        """Row by row, then the values each column with a bad value takes."""
        return [line for row in self.rows for line in row.lines(self.kind, self.source)] + self.allowed_lines


def plan_import(
    repo: DataRepo,
    kind: Kind,
    rows: Sheet | Sequence[Mapping[str, str]],
    *,
    update: bool = False,
    source: str = "the file",
    force: bool = False,
) -> ImportPlan:
    """Check every row (columns, values, references) and match it to a record already there, writing nothing.

    A conversation row with someone who asked not to be contacted (or a group whose only known people did) is
    an error, saying why, unless force: as when one is logged by hand."""
    sheet = rows if isinstance(rows, Sheet) else _as_sheet(source, rows)
    source = sheet.name or source
    known = set(columns(kind.model, include_contact=True))
    headers = {raw: normalise_header(raw) for raw in sheet.header if raw}
    ignored = [raw for raw, name in headers.items() if name not in known]
    loaded = repo.load()
    existing = loaded.records[kind]
    plan = ImportPlan(kind, source, existing=set(existing), warnings=list(sheet.notes))
    if ignored:
        plan.warnings.append(f"{source}: ignoring column(s) {kind.value} do not have: {', '.join(ignored)}")
    column_of = {name: raw for raw, name in headers.items() if name in known}
    finder = RecordFinder.of(kind, existing.values())
    in_file = RecordFinder(kind)  # rows planned so far, so the same record twice in one file is caught
    row_of: dict[str, int] = {}
    opener = _Opener()
    for sheet_row in sheet.rows:
        outcome = _plan_row(plan, sheet_row, column_of, finder, in_file, row_of, existing, opener, update=update)
        plan.rows.append(outcome)
    _check_references(plan, loaded.records, row_of, column_of)
    if kind is Kind.CONVERSATIONS and not force:
        _check_do_not_contact(plan, loaded.records, row_of)
    return plan


def _as_sheet(source: str, rows: Sequence[Mapping[str, str]]) -> Sheet:
    header = list(rows[0]) if rows else []
    return Sheet(source, header, [SheetRow(n, dict(row)) for n, row in enumerate(rows, start=2)])


class _Opener:
    """Opens a record's sealed values with the member's key, read from disk the first time one is needed."""

    def __init__(self) -> None:
        self.identities: list[Any] | None = None

    def opened(self, record: Record) -> Record:
        if not sealed_values(record):
            return record
        if self.identities is None:
            self.identities = list(load_identities())
        return open_record(record, self.identities).record


def _plan_row(
    plan: ImportPlan,
    sheet_row: SheetRow,
    column_of: dict[str, str],
    finder: RecordFinder,
    in_file: RecordFinder,
    row_of: dict[str, int],
    existing: Mapping[str, Record],
    opener: _Opener,
    *,
    update: bool,
) -> RowOutcome:
    kind, number = plan.kind, sheet_row.number
    outcome = RowOutcome(number, "error")

    def problem(column: str, message: str) -> RowOutcome:
        outcome.problems.append(f"{plan.source}, row {number}, {_column(column, column_of)}: {message}")
        return outcome

    if sheet_row.overflow:
        outcome.problems.append(f"{plan.source}, row {number}: more cells than columns")
        return outcome
    row = {
        name: "" if cell.strip() == SEALED_NOTE else from_text_cell(cell)  # sealed: exported without the key
        for raw, cell in sheet_row.cells.items()
        if (name := normalise_header(raw)) in column_of
    }
    row_id = (row.pop("id", "") or "").strip()
    data, bad = read_choices(kind.model, from_row(kind.model, row))
    if isinstance(data.get("website"), str):
        data["website"] = web_address(data["website"])
    for choice in bad:
        _bad_choice(plan, choice, problem)
    if outcome.problems:
        return outcome
    match = finder.find(row_id, data)
    earlier = in_file.find(row_id, data)
    if earlier.record_id is not None or earlier.ambiguous:
        rows = ", ".join(str(row_of[r]) for r in (*earlier.ambiguous, earlier.record_id) if r in row_of)
        return problem(earlier.by, f"the same {_noun(kind)} as row {rows}; if they differ, fill in an id for each")
    if match.record_id in row_of:
        return problem(match.by, f"the same {_noun(kind)} as row {row_of[match.record_id]}")
    if match.ambiguous:
        ids = ", ".join(match.ambiguous)
        return problem(match.by, f"{len(match.ambiguous)} {kind.value} have this {match.by} ({ids}); fill in the id")
    if match.record_id is None:
        record_id = _new_id(kind, row_id, data, plan.existing | set(plan.records) | set(row_of))
        if not is_valid_id(record_id):
            return problem("id", "missing or not a valid id (lowercase letters, digits and -)")
        record, errors = build_record(kind, record_id, data)
        if record is None:
            for path, message in errors:
                problem(path, message)
            return outcome
        plan.records[record_id] = record
        outcome.status, outcome.record_id = "new", record_id
    else:
        outcome = _matched(plan, outcome, match, data, existing, opener, update=update, problem=problem)
        if outcome.status == "error":
            return outcome
    row_of[outcome.record_id] = number
    in_file.add(outcome.record_id, data)
    return outcome


def _matched(
    plan: ImportPlan,
    outcome: RowOutcome,
    match: Match,
    data: dict[str, Any],
    existing: Mapping[str, Record],
    opener: _Opener,
    *,
    update: bool,
    problem: Problem,
) -> RowOutcome:
    """A row that is a record already there: what differs, and with update the record as it would be."""
    record_id = match.record_id or ""
    base = existing[record_id]
    shown = opener.opened(base)
    merged = record_data(shown)
    for name, value in same_as_matched(match.by, data).items():
        if isinstance(value, dict) and name in merged:
            if not isinstance(merged[name], dict):
                return problem(name, "sealed, and you hold no key for it; leave these cells empty")
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = value
    record, errors = build_record(plan.kind, record_id, merged)
    if record is None:
        for path, message in errors:
            problem(path, message)
        return outcome
    changed = tuple(name for name in type(record).model_fields if getattr(record, name) != getattr(shown, name))
    outcome.record_id, outcome.by, outcome.changed = record_id, match.by, changed
    if not changed or not update:
        outcome.status = "present"
        return outcome
    outcome.status = "update"
    # fields the row leaves as they were keep their sealed values: a value written plain is sealed afresh
    plan.records[record_id] = base.model_copy(update={name: getattr(record, name) for name in changed})
    plan.bases[record_id] = base
    return outcome


def _bad_choice(plan: ImportPlan, choice: BadChoice, problem: Problem) -> None:
    enum = enum_of(plan.kind.model, choice.field)
    noun = label(choice.field.rpartition(".")[2])
    hint = f"; did you mean {choice.suggestion}?" if choice.suggestion else ""
    shown = choice.typed if len(choice.typed) <= 40 else choice.typed[:39] + "…"
    problem(choice.field, f"{shown!r} is not a {noun}{hint}")
    if enum is not None:
        plan.allowed.setdefault(choice.field, allowed_labels(enum))


def _column(path: str, column_of: dict[str, str]) -> str:
    """The column a field path was read from, as the sheet's header names it ("knows[0].how": knows)."""
    outer = path.split("[", 1)[0]
    for name in (path, outer, outer.split(".", 1)[0]):
        if name in column_of:
            return column_of[name]
    return path


def _noun(kind: Kind) -> str:
    return {Kind.PEOPLE: "person", Kind.ACTIVITIES: "activity"}.get(kind, kind.value.removesuffix("s"))


def _new_id(kind: Kind, row_id: str, data: dict[str, Any], taken: set[str]) -> str:
    if row_id:
        return row_id
    if kind is Kind.CONVERSATIONS:
        on = data.get("date")
        return conversation_id(on, str(data.get("group") or "conversation")) if isinstance(on, dt.date) else ""
    name = str(data.get("name") or data.get("title") or "")
    return unique_id(slugify(name), taken) if name else ""


def _check_references(
    plan: ImportPlan, records: Mapping[Kind, Mapping[str, Record]], row_of: dict[str, int], column_of: dict[str, str]
) -> None:
    """References may point at records already in the repo or at other rows of this import."""
    rows = {outcome.record_id: outcome for outcome in plan.rows if outcome.status != "error"}
    for record_id, record in list(plan.records.items()):
        for path, ref_kind, ref in record.references():
            if not (ref_kind is plan.kind and ref in plan.records) and ref not in records[ref_kind]:
                outcome = rows[record_id]
                column = _column(path, column_of)
                outcome.problems.append(
                    f"{plan.source}, row {row_of[record_id]}, {column}: "
                    f"refers to {ref_kind.value}/{ref}, which does not exist"
                )
                outcome.status = "error"
                del plan.records[record_id]
                break


def _check_do_not_contact(
    plan: ImportPlan, records: Mapping[Kind, Mapping[str, Record]], row_of: dict[str, int]
) -> None:
    """Conversation rows with someone who asked not to be contacted are errors, saying why (--force logs them)."""
    rows = {outcome.record_id: outcome for outcome in plan.rows if outcome.status != "error"}
    for record_id, record in list(plan.records.items()):
        before = records[Kind.CONVERSATIONS].get(record_id)
        logged = before if isinstance(before, Conversation) else None
        if not isinstance(record, Conversation):
            continue
        reason = do_not_contact_reason(records, record.group, record.their_people, logged=logged)
        if reason:
            outcome = rows[record_id]
            outcome.problems.append(
                f"{plan.source}, row {row_of[record_id]}: {reason} Leave the row out, or import with --force "
                "to log it anyway."
            )
            outcome.status = "error"
            del plan.records[record_id]


def apply_import(repo: DataRepo, plan: ImportPlan) -> Commit | None:
    """Write the records that change as one commit (none when nothing changes); nothing if another writer
    changed one of them since the check."""
    if not plan.records:
        return None
    with gitops.repo_lock(repo.git_repo):
        _unchanged_since_planned(repo, plan)
        return repo.save_many(list(plan.records.values()), plan.message)


def _unchanged_since_planned(repo: DataRepo, plan: ImportPlan) -> None:
    """Refuse when a record to update changed, or a record to create appeared, since the plan was made:
    writing the plan would overwrite what another writer saved."""
    for record_id in plan.records:
        if not _as_planned(repo, plan.kind, record_id, plan.bases.get(record_id)):
            raise AllytuiError(
                f"{plan.kind.value}/{record_id} was changed by someone else since the spreadsheet was checked; "
                "nothing was imported. Import it again to check it against the records as they are now."
            )


def _as_planned(repo: DataRepo, kind: Kind, record_id: str, base: Record | None) -> bool:
    """Whether the record is still as the plan saw it (base None: it did not exist)."""
    if not repo.exists(kind, record_id):
        return base is None
    try:
        return base is not None and repo.read(kind, record_id) == base
    except AllytuiError:  # unreadable now: someone is editing it
        return False
