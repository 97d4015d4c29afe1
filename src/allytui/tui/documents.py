"""Documents the app makes for the member (a person's file, redacted exports, briefs, the map) and the one place
that decides how they reach them: written beside the data repo in a terminal, downloaded in a browser."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from allytui.model.records import Kind
from allytui.model.text import visible
from allytui.render.rights import about_markdown, redacted_csv
from allytui.store.atomic import write_atomic
from allytui.store.git import disk_full
from allytui.store.repo import DataRepo
from allytui.store.subject_access import about_data
from allytui.tui.feedback import describe_error

if TYPE_CHECKING:
    from allytui.tui.app import AllytuiApp

DELIVERY = "allytui-document"
"""The name Textual's delivery events carry for the app's documents (a failed download is said under it)."""


@dataclass(frozen=True)
class Document:
    """One file for the member: its name and its text."""

    name: str
    text: str


@dataclass(frozen=True)
class Delivery:
    """Documents made together. In a terminal they are written in `folder` (in a folder of their own, `bundle`,
    when there is one); in a browser each is a download, or a bundle is one zip."""

    documents: list[Document]
    folder: Path
    bundle: str = ""
    summary: str = field(default="", compare=False)
    """Said before where they went ("22 marks (filter: kind:groups)"); nothing when the title says enough."""


@dataclass(frozen=True)
class Download:
    """One download as a browser receives it: a file name and its bytes or text."""

    name: str
    content: str | bytes


def beside_repo(repo: DataRepo, name: str = "") -> Path:
    """Where a document made in the app goes: beside the data repo (never inside it, where sync would see it)."""
    return repo.root.parent / name


def person_file(repo: DataRepo, person_id: str, today: dt.date) -> Delivery:
    """The person's file (allytui about --markdown)."""
    text = about_markdown(about_data(repo, person_id, today))
    return Delivery([Document(f"about-{person_id}-{today.isoformat()}.md", text)], beside_repo(repo))


def redacted_export(repo: DataRepo, today: dt.date) -> Delivery:
    """Every kind as `allytui export KIND --redact` writes it (CSV), together as shared-DATE."""
    loaded = repo.load()
    documents = [
        Document(f"{kind.value}.csv", redacted_csv(kind, [r for _, r in sorted(loaded.records[kind].items())]))
        for kind in Kind
    ]
    return Delivery(documents, beside_repo(repo), bundle=f"shared-{today.isoformat()}")


def write_out(delivery: Delivery) -> list[Path]:
    """Write the documents (in a terminal); the paths to name: each file, or the bundle's folder."""
    folder = delivery.folder / delivery.bundle if delivery.bundle else delivery.folder
    for document in delivery.documents:
        write_atomic(folder / document.name, document.text.encode("utf-8"))
    return [folder] if delivery.bundle else [folder / d.name for d in delivery.documents]


def downloads(delivery: Delivery) -> list[Download]:
    """What a browser receives: each document, or a bundle as one zip of them."""
    if not delivery.bundle:
        return [Download(d.name, d.text) for d in delivery.documents]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in delivery.documents:
            archive.writestr(f"{delivery.bundle}/{document.name}", document.text)
    return [Download(f"{delivery.bundle}.zip", packed.getvalue())]


def send(app: AllytuiApp, download: Download) -> None:
    """Start one download in the member's browser (Textual streams it through the server, nothing is kept)."""
    if isinstance(download.content, bytes):
        app.deliver_binary(io.BytesIO(download.content), save_filename=download.name, name=DELIVERY)
    else:
        text = io.StringIO(download.content)
        app.deliver_text(text, save_filename=download.name, encoding="utf-8", name=DELIVERY)


async def hand_over(app: AllytuiApp, make: Callable[[], Delivery], what: str) -> list[Path] | None:
    """Make documents in the git worker and get them to the member: written beside the repo in a terminal,
    downloads in a browser (there the app's files are on the server, out of the member's reach). Says where
    they went, or why not, under `what`; the paths written (none in a browser), or None when it failed."""
    web = app.is_web
    try:
        delivery = await app.run_write(make)
        paths = [] if web else await app.run_write(partial(write_out, delivery))
        sent = downloads(delivery) if web else []
        for download in sent:
            send(app, download)
    except Exception as error:  # every failure here is the document's: said under its own title
        app.notify(_why(error), title=f"{what} not saved", severity="error", markup=False)
        return None
    if web:
        said = _sentence(delivery.summary, "sent to your browser as a download:", [d.name for d in sent])
        app.notify(said, title=f"{what} sent", markup=False)
    else:
        said = _sentence(delivery.summary, "saved as", [str(path) for path in paths])
        app.notify(said, title=f"{what} saved", markup=False)
    return paths


def _why(error: Exception) -> str:
    """Why a document could not be made or written: a file the system refused is named, with its reason."""
    if isinstance(error, OSError) and error.strerror and error.filename and not disk_full(error):
        return f"Could not write {visible(str(error.filename))}: {error.strerror}"
    return describe_error(error)


def _sentence(summary: str, done: str, names: list[str]) -> str:
    """The summary, what was done and the names, one a line; "Saved as PATH" for one name and no summary."""
    lead = f"{summary}, {done}" if summary else done[0].upper() + done[1:]
    return f"{lead} {names[0]}" if len(names) == 1 and not summary else "\n".join([lead, *names])
