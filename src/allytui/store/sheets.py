"""Spreadsheet files as people save them: any of `,` `;` tab between cells, a byte-order mark or none, blank rows;
and CSV written so that Excel opens it with every accent intact."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from allytui.model.sheet_values import as_text_cell
from allytui.store.errors import AllytuiError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
"""Between cells: comma, semicolon (Excel where the decimal mark is a comma), tab (copied or saved as text)."""


@dataclass(frozen=True)
class SheetRow:
    """One row under the header: its number as the spreadsheet counts (the header is row 1 when it comes
    first), its cells by header, and whether it had cells beyond the last column."""

    number: int
    cells: dict[str, str]
    overflow: bool = False


@dataclass
class Sheet:
    """A spreadsheet read from a file: the header as written, the rows that are not blank, and what was
    worth a word while reading it (a guessed text encoding)."""

    name: str
    header: list[str]
    rows: list[SheetRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def decode(name: str, data: bytes) -> tuple[str, list[str]]:
    """The file's text (UTF-8, with or without a byte-order mark); a file that is not UTF-8 is read as
    Windows-1252, which older Excel writes in Western Europe, with a note saying so."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise AllytuiError(f"{name}: not UTF-8 text; save the spreadsheet as CSV UTF-8") from None
    return text, [f"{name}: not UTF-8; read as Windows-1252. If accents look wrong, save it as CSV UTF-8"]


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first non-blank line into the most cells (quotes respected)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 1
    for delimiter in DELIMITERS:
        cells = len(next(csv.reader([first], delimiter=delimiter), []))
        if cells > most:
            best, most = delimiter, cells
    return best


def _blank(cells: Iterable[str]) -> bool:
    return all(not cell.strip() for cell in cells)


def parse_sheet(name: str, text: str) -> Sheet:
    """Rows of text, keyed by the header row (the first row that is not blank). Blank rows are left out and
    empty trailing cells (Excel's `;;;`) are ignored."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    header: list[str] | None = None
    sheet = Sheet(name, [])
    try:
        for number, cells in enumerate(reader, start=1):
            if _blank(cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                sheet.header = header
                continue
            extra = cells[len(header) :]
            padded = cells[: len(header)] + [""] * (len(header) - len(cells))
            row = {column: cell for column, cell in zip(header, padded, strict=True) if column}
            sheet.rows.append(SheetRow(number, row, overflow=not _blank(extra)))
    except csv.Error as error:
        raise AllytuiError(f"{name}: not a readable CSV ({error})") from None
    if not sheet.rows:
        raise AllytuiError(f"{name}: no rows to import")
    return sheet


def read_sheet(path: Path) -> Sheet:
    """The rows of a CSV file saved from a spreadsheet."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise AllytuiError(f"{path.name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except OSError as error:
        raise AllytuiError(f"{path.name}: cannot read ({error.strerror})") from None
    text, notes = decode(path.name, data)
    sheet = parse_sheet(path.name, text)
    sheet.notes += notes
    return sheet


def write_csv(out: IO[str], header: list[str], rows: Iterable[Mapping[str, str]], *, excel: bool = False) -> None:
    """CSV with a header row; excel: a byte-order mark first, so Excel reads it as UTF-8 (accents intact), and
    every cell that Excel would take for a formula marked as text, so opening the file never runs one.
    Lines end in CRLF either way, as CSV (RFC 4180) and Excel expect."""
    if excel:
        out.write("\ufeff")
        rows = ({column: as_text_cell(cell) for column, cell in row.items()} for row in rows)
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
