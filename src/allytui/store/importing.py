"""Importing a spreadsheet (CSV) of records: check every row first, then one commit for all of them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allytui.model.ids import conversation_id, is_valid_id, slugify, unique_id
from allytui.model.records import Kind, Record
from allytui.model.validation import build_record
from allytui.store import git as gitops
from allytui.store.codec import record_data
from allytui.store.errors import AllytuiError
from allytui.store.git import Commit
from allytui.store.repo import DataRepo
from allytui.store.tabular import columns, from_row, normalise_header

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass
class ImportPlan:
    """What an import would do: the records it would write and every bad row, by spreadsheet row number."""

    kind: Kind
    records: dict[str, Record] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)
    existing: set[str] = field(default_factory=set)
    bases: dict[str, Record] = field(default_factory=dict)  # each record to update, as it was when checked

    @property
    def created(self) -> int:
        return sum(1 for record_id in self.records if record_id not in self.existing)

    @property
    def updated(self) -> int:
        return len(self.records) - self.created

    @property
    def message(self) -> str:
        return f"{self.kind.value}: import {len(self.records)} ({self.created} new, {self.updated} updated)"


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file saved from a spreadsheet (UTF-8, with or without a byte-order mark)."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise AllytuiError(f"{path.name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise AllytuiError(f"{path.name}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise AllytuiError(f"{path.name}: not UTF-8 text; save the spreadsheet as CSV UTF-8") from None
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise AllytuiError(f"{path.name}: not a readable CSV ({error})") from None
    if not rows:
        raise AllytuiError(f"{path.name}: no rows to import")
    return rows


def _row_id(kind: Kind, row_id: str, data: dict[str, Any], taken: set[str]) -> str:
    if row_id:
        return row_id
    if kind is Kind.CONVERSATIONS:
        on = data.get("date")
        return conversation_id(on, str(data.get("group") or "conversation")) if isinstance(on, dt.date) else ""
    label = str(data.get("name") or data.get("title") or "")
    return unique_id(slugify(label), taken) if label else ""


def plan_import(
    repo: DataRepo, kind: Kind, rows: list[dict[str, str]], *, update: bool = False, source: str = "the file"
) -> ImportPlan:
    """Validate every row (fields, ids, references) without writing anything."""
    known = set(columns(kind.model, include_contact=True))
    headers = {raw: normalise_header(raw) for raw in rows[0] if raw is not None}
    unknown = [raw for raw, name in headers.items() if name not in known]
    if unknown:
        raise AllytuiError(
            f"{source}: unknown column(s) {', '.join(repr(u) for u in unknown)}; known: {', '.join(sorted(known))}"
        )
    loaded = repo.load()
    existing = loaded.records[kind]
    plan = ImportPlan(kind, existing=set(existing))
    row_of: dict[str, int] = {}
    for number, raw_row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
        if None in raw_row:
            plan.bad.append(f"row {number}: more cells than columns")
            continue
        row = {headers[k]: v for k, v in raw_row.items()}
        row_id = (row.pop("id", "") or "").strip()
        data = from_row(kind.model, row)
        record_id = _row_id(kind, row_id, data, plan.existing | set(plan.records))
        if not is_valid_id(record_id):
            plan.bad.append(f"row {number}: id: missing or not a valid id (lowercase letters, digits and -)")
            continue
        if record_id in plan.records:
            plan.bad.append(f"row {number}: id: {record_id} appears twice in the file")
            continue
        if record_id in existing:
            if not update:
                plan.bad.append(f"row {number}: id: {kind.value}/{record_id} already exists (use --update)")
                continue
            data = {**record_data(existing[record_id]), **data}
            plan.bases[record_id] = existing[record_id]
        record, errors = build_record(kind, record_id, data)
        if record is None:
            plan.bad += [f"row {number}: {path}: {message}" for path, message in errors]
            continue
        plan.records[record_id] = record
        row_of[record_id] = number
    # references may point at records already in the repo or at other rows of this import
    for record_id, record in list(plan.records.items()):
        for path, ref_kind, ref in record.references():
            if not (ref_kind is kind and ref in plan.records) and ref not in loaded.records[ref_kind]:
                plan.bad.append(
                    f"row {row_of[record_id]}: {path}: refers to {ref_kind.value}/{ref}, which does not exist"
                )
                del plan.records[record_id]
                break
    return plan


def apply_import(repo: DataRepo, plan: ImportPlan) -> Commit | None:
    """Write the plan's records as one commit; nothing if another writer changed one of them since the check."""
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
