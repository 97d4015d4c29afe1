"""`allytui export` and `allytui import`: records to CSV or JSON, and a spreadsheet into records."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

from allytui.cli.output import print_json, say
from allytui.cli.records import parse_kind
from allytui.cli.tabular import columns, from_row, normalise_header, to_json, to_row
from allytui.model.ids import conversation_id, is_valid_id, slugify, unique_id
from allytui.model.records import Kind, Record
from allytui.model.validation import build_record
from allytui.store.codec import record_data
from allytui.store.errors import AllytuiError
from allytui.store.repo import DataRepo

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def cmd_export(repo: DataRepo, args: argparse.Namespace) -> int:
    kind = parse_kind(args.kind)
    loaded = repo.load()
    records = [record for _, record in sorted(loaded.records[kind].items())]
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        if args.format == "json":
            if args.output:
                import json

                json.dump([to_json(r, include_contact=args.include_contact) for r in records], out, indent=2)
            else:
                print_json([to_json(r, include_contact=args.include_contact) for r in records])
        else:
            header = columns(kind.model, include_contact=args.include_contact)
            writer = csv.DictWriter(out, fieldnames=header)
            writer.writeheader()
            for record in records:
                writer.writerow(to_row(record, header))
    finally:
        if args.output:
            out.close()
    if loaded.problems:
        say(f"note: {len(loaded.problems)} file(s) with problems were not exported; run allytui check", sys.stderr)
    return 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise AllytuiError(f"{path.name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise AllytuiError(f"{path.name}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise AllytuiError(f"{path.name}: not UTF-8 text; save the spreadsheet as CSV UTF-8") from None
    try:
        return list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise AllytuiError(f"{path.name}: not a readable CSV ({error})") from None


def _row_id(kind: Kind, row_id: str, data: dict[str, Any], taken: set[str]) -> str:
    if row_id:
        return row_id
    if kind is Kind.CONVERSATIONS:
        try:
            on = dt.date.fromisoformat(str(data.get("date", "")))
        except ValueError:
            return ""
        return conversation_id(on, str(data.get("group") or "conversation"))
    label = str(data.get("name") or data.get("title") or "")
    return unique_id(slugify(label), taken) if label else ""


def cmd_import(repo: DataRepo, args: argparse.Namespace) -> int:
    kind = parse_kind(args.kind)
    path = Path(args.file)
    rows = _read_csv(path)
    known = set(columns(kind.model, include_contact=True))
    if not rows:
        raise AllytuiError(f"{path.name}: no rows to import")
    headers = {raw: normalise_header(raw) for raw in rows[0] if raw is not None}
    unknown = [raw for raw, name in headers.items() if name not in known]
    if unknown:
        raise AllytuiError(
            f"{path.name}: unknown column(s) {', '.join(repr(u) for u in unknown)}; known: {', '.join(sorted(known))}"
        )
    loaded = repo.load()
    existing = loaded.records[kind]
    taken = set(existing)
    planned: dict[str, Record] = {}
    row_of: dict[str, int] = {}
    bad: list[str] = []
    for number, raw_row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
        if None in raw_row:
            bad.append(f"row {number}: more cells than columns")
            continue
        row = {headers[k]: v for k, v in raw_row.items()}
        row_id = (row.pop("id", "") or "").strip()
        data = from_row(kind.model, row)
        record_id = _row_id(kind, row_id, data, taken | set(planned))
        if not is_valid_id(record_id):
            bad.append(f"row {number}: id: missing or not a valid id (lowercase letters, digits and -)")
            continue
        if record_id in planned:
            bad.append(f"row {number}: id: {record_id} appears twice in the file")
            continue
        if record_id in existing:
            if not args.update:
                bad.append(f"row {number}: id: {kind.value}/{record_id} already exists (use --update)")
                continue
            data = {**record_data(existing[record_id]), **data}
        record, errors = build_record(kind, record_id, data)
        if record is None:
            bad += [f"row {number}: {field}: {message}" for field, message in errors]
            continue
        planned[record_id] = record
        row_of[record_id] = number
    # references may point at records already in the repo or at other rows of this import
    for record_id, record in list(planned.items()):
        for field, ref_kind, ref in record.references():
            in_import = ref_kind is kind and ref in planned
            if not in_import and ref not in loaded.records[ref_kind]:
                bad.append(f"row {row_of[record_id]}: {field}: refers to {ref_kind.value}/{ref}, which does not exist")
                planned.pop(record_id, None)
                break
    for line in bad:
        say(line, sys.stderr)
    if bad and not args.skip_bad:
        say(f"{path.name}: {len(bad)} problem(s); nothing imported (fix them, or use --skip-bad)", sys.stderr)
        return 1
    if not planned:
        say("nothing to import")
        return 1 if bad else 0
    created = sum(1 for record_id in planned if record_id not in existing)
    updated = len(planned) - created
    message = f"{kind.value}: import {len(planned)} ({created} new, {updated} updated)"
    commit = repo.save_many(list(planned.values()), message)
    sha = f" [{commit.sha[:8]}]" if commit else ""
    say(f"imported {len(planned)} {kind.value}: {created} new, {updated} updated{sha}")
    if bad:
        say(f"skipped {len(bad)} bad row(s)", sys.stderr)
    return 0
