"""Documents the app writes beside the data repo: a person's file, redacted exports, and the flow that writes
one and says where it went."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from allytui.model.records import Kind
from allytui.render.rights import about_markdown, redacted_csv
from allytui.store.repo import DataRepo
from allytui.store.subject_access import about_data
from allytui.tui.feedback import describe_error

if TYPE_CHECKING:
    from allytui.tui.app import AllytuiApp


def beside_repo(repo: DataRepo, name: str) -> Path:
    """Where a document made in the app goes: beside the data repo (never inside it, where sync would see it)."""
    return repo.root.parent / name


def person_file_job(repo: DataRepo, person_id: str, today: dt.date) -> Path:
    """Write the person's file (allytui about --markdown) beside the repo; its path."""
    path = beside_repo(repo, f"about-{person_id}-{today.isoformat()}.md")
    path.write_text(about_markdown(about_data(repo, person_id, today)), encoding="utf-8")
    return path


def redacted_export_job(repo: DataRepo, today: dt.date) -> Path:
    """Every kind as `allytui export KIND --redact` writes it (CSV), in a folder beside the repo; the folder."""
    loaded = repo.load()
    folder = beside_repo(repo, f"shared-{today.isoformat()}")
    folder.mkdir(exist_ok=True)
    for kind in Kind:
        records = [record for _, record in sorted(loaded.records[kind].items())]
        (folder / f"{kind.value}.csv").write_text(redacted_csv(kind, records), encoding="utf-8", newline="")
    return folder


async def write_document(app: AllytuiApp, job: Callable[[], Path], what: str) -> None:
    """Run a job that writes a document in the git worker, and say where it went or why it could not."""
    try:
        path = await app.run_write(job)
    except Exception as error:  # every failure here is the document's: said under its own title
        app.notify(describe_error(error), title=f"{what} not saved", severity="error", markup=False)
        return
    app.notify(f"Saved as {path}", title=f"{what} saved", markup=False)
