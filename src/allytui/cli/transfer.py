"""`allytui export` and `allytui import`: records to CSV or JSON, and a spreadsheet into records."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from allytui.cli.output import print_json, say
from allytui.cli.records import parse_kind
from allytui.model.records import Kind, Record
from allytui.model.rights import redacted
from allytui.render.rights import redacted_csv
from allytui.store.errors import AllytuiError
from allytui.store.importing import apply_import, plan_import
from allytui.store.repo import DataRepo
from allytui.store.sealing import load_identities, open_conflicts, open_record
from allytui.store.sheets import read_sheet, write_csv
from allytui.store.tabular import columns, to_json, to_row


def cmd_export(repo: DataRepo, args: argparse.Namespace) -> int:
    kind = parse_kind(args.kind)
    if args.redact:
        return export_redacted(repo, kind, args)
    loaded = repo.load()
    records = [record for _, record in sorted(loaded.records[kind].items())]
    closed: dict[str, dict[str, str]] = {}  # record id -> field -> why it stays sealed
    if args.include_contact:  # sealed values the member holds a key for are opened; the rest say why not
        identities = load_identities()
        opened = [open_record(record, identities) for record in records]
        records = [open_conflicts(item.record, identities) for item in opened]
        closed = {item.record.id: item.closed for item in opened if item.closed}
    if args.excel and args.format != "csv":
        raise AllytuiError("--excel is for --format csv")
    out = _output(args)
    try:
        if args.format == "json":
            if args.output:
                json.dump([_json(r, args, closed) for r in records], out, indent=2)
            else:
                print_json([_json(r, args, closed) for r in records])
        else:
            header = columns(kind.model, include_contact=args.include_contact)
            rows = (to_row(record, header, closed.get(record.id)) for record in records)
            write_csv(out, header, rows, excel=args.excel)
    finally:
        if args.output:
            out.close()
        elif isinstance(out, io.TextIOWrapper) and out is not sys.stdout:
            out.detach()  # standard output stays open
    if loaded.problems:
        say(f"note: {len(loaded.problems)} file(s) with problems were not exported; run allytui check", sys.stderr)
    unopened = sum(len(fields) for fields in closed.values())
    if unopened:
        say(f"note: {unopened} sealed value(s) could not be opened; each says why in its place", sys.stderr)
    return 0


def _json(record: Record, args: argparse.Namespace, closed: dict[str, dict[str, str]]) -> dict[str, Any]:
    return to_json(record, include_contact=args.include_contact, closed=closed.get(record.id))


def _output(args: argparse.Namespace) -> TextIO:
    """The file to write (UTF-8), or standard output; for --excel standard output is written as UTF-8 too,
    whatever the terminal's encoding, since it is going to a file."""
    if args.output:
        return open(args.output, "w", newline="", encoding="utf-8")
    if args.excel:
        return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    return sys.stdout


def export_redacted(repo: DataRepo, kind: Kind, args: argparse.Namespace) -> int:
    """`export --redact`: only what may be shared beyond the team (model.rights.REDACTED_FIELDS)."""
    if args.include_contact:
        raise AllytuiError("--redact leaves contact details out; it cannot be given with --include-contact")
    loaded = repo.load()
    records = [record for _, record in sorted(loaded.records[kind].items())]
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        if args.format == "json":
            out.write(json.dumps([redacted(r) for r in records], indent=2, ensure_ascii=True) + "\n")
        else:
            out.write(redacted_csv(kind, records))
    finally:
        if args.output:
            out.close()
    if loaded.problems:
        say(f"note: {len(loaded.problems)} file(s) with problems were not exported; run allytui check", sys.stderr)
    return 0


def cmd_import(repo: DataRepo, args: argparse.Namespace) -> int:
    """Rows matched to the records there (id, else website, else name): new ones made, matched ones updated
    with --update or reported as already present; --dry-run shows which is which and writes nothing."""
    kind = parse_kind(args.kind)
    path = Path(args.file)
    plan = plan_import(repo, kind, read_sheet(path), update=args.update, source=path.name, force=args.force)
    for line in plan.warnings:
        say(f"note: {line}", sys.stderr)
    if args.dry_run:
        for line in plan.lines():
            say(line)
        say(f"{plan.summary()}; dry run, nothing written")
        return 1 if plan.bad else 0
    for line in plan.bad + plan.allowed_lines:
        say(line, sys.stderr)
    if plan.bad and not args.skip_bad:
        say(f"{path.name}: {len(plan.bad)} problem(s); nothing imported (fix them, or use --skip-bad)", sys.stderr)
        return 1
    commit = apply_import(repo, plan)
    done = f"{plan.created} new, {plan.updated} updated" if commit else "nothing changed"
    present = f", {plan.present} already present" if plan.present else ""
    differ = sum(1 for row in plan.rows if row.status == "present" and row.changed)
    hint = f" ({differ} differ: --update to change them, --dry-run to see how)" if differ else ""
    sha = f" [{commit.sha[:8]}]" if commit else ""
    say(f"{path.name}: {done}{present}{hint}{sha}")
    if plan.bad:
        say(f"skipped {plan.count('error')} row(s) with errors", sys.stderr)
    return 1 if plan.bad and commit is None else 0
