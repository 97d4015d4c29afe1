"""Arguments of the commands on records one by one and in bulk: set, show, list, rm, log, export and import."""

from __future__ import annotations

from typing import Any

from allytui.model.enums import Kind

KINDS = [kind.value for kind in Kind]


def add_record_parsers(commands: Any) -> None:
    set_ = commands.add_parser(
        "set",
        help="create or update a record",
        description="Create or update one record, validate it and commit it. KIND/new makes an id for you. "
        "Lists: FIELD=a,b replaces, FIELD+=x adds, FIELD-=x removes. Nested: contact.email=... "
        "Lists of parts: knows+='person=ana;strength=3;how=neighbours'. An empty value clears a field.",
    )
    set_.add_argument("target", metavar="KIND/ID")
    set_.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")
    set_.add_argument("--drop-comments", action="store_true", help="allow dropping comments whose fields are gone")
    set_.add_argument(
        "--force", action="store_true", help="log a conversation even with someone who asked not to be contacted"
    )

    show = commands.add_parser("show", help="print one record")
    show.add_argument("target", metavar="KIND/ID")
    show.add_argument("--json", action="store_true")
    show.add_argument("--reveal", action="store_true", help="include contact details")

    list_ = commands.add_parser("list", help="list the records of a kind")
    list_.add_argument("kind", choices=KINDS, metavar="KIND")
    list_.add_argument(
        "--where",
        action="append",
        metavar="FIELD=VALUE",
        help="only records with this value (again for more): a comma list is any of them (stage=contacted,meeting), "
        "numbers and dates take ranges (influence=3..5, influence=>=3, next_action_due=..2026-12-31), "
        "an empty value means none (lead=)",
    )
    list_.add_argument("--json", action="store_true")

    rm = commands.add_parser("rm", help="delete a record (refuses while others refer to it)")
    rm.add_argument("target", metavar="KIND/ID")
    rm.add_argument("--force", action="store_true", help="delete even though other records refer to it")

    log = commands.add_parser(
        "log",
        help="every commit that touched a record, newest first, field by field",
        description="Every commit that touched one record, newest first: who, when, and what each changed, "
        "field by field. Commits made with plain git show up too.",
    )
    log.add_argument("target", metavar="KIND/ID")
    log.add_argument("--json", action="store_true")
    log.add_argument("--raw", action="store_true", help="git's own patches instead (git log -p)")
    log.add_argument("--reveal", action="store_true", help="include contact details")

    export = commands.add_parser("export", help="write the records of a kind as CSV or JSON")
    export.add_argument("kind", choices=KINDS, metavar="KIND")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    export.add_argument(
        "--excel", action="store_true", help="CSV for Excel: UTF-8 with a byte-order mark, so accents open right"
    )
    export.add_argument(
        "--reveal", "--include-contact", dest="include_contact", action="store_true", help="include contact details"
    )
    export.add_argument(
        "--redact",
        action="store_true",
        help="only what may be shared beyond the team: people as id, role and groups; conversations as date, group, "
        "channel and outcome",
    )

    import_ = commands.add_parser("import", help="import a spreadsheet (CSV) as records, in one commit")
    import_.add_argument("kind", choices=KINDS, metavar="KIND")
    import_.add_argument("file", metavar="FILE.csv")
    import_.add_argument("--skip-bad", action="store_true", help="import the good rows, report the bad ones")
    import_.add_argument(
        "--update", action="store_true", help="rows matching a record (id, else website, else name) update it"
    )
    import_.add_argument(
        "--dry-run", action="store_true", help="show what each row would do (new, update, already present, error)"
    )
    import_.add_argument(
        "--force", action="store_true", help="import conversations with people who asked not to be contacted too"
    )
