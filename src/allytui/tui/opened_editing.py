"""The $EDITOR round trip for a file with sealed values the member can open (a private opened copy, like sops),
and the question both hand-edit round trips ask before a conversation gains a do-not-contact person."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from allytui.model.records import Record
from allytui.model.text import visible
from allytui.store.errors import InvalidRecord
from allytui.store.scratch import private_folder
from allytui.sync.edits import EditOutcome
from allytui.sync.hand_contact import conversation_in, hand_edit_contact_reason
from allytui.sync.opened_edit import open_for_editing, save_opened_edit
from allytui.tui.editor import run_editor
from allytui.tui.keymap import key_of
from allytui.tui.safe import plain
from allytui.tui.screens.clash import ClashScreen
from allytui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from allytui.tui.app import AllytuiApp


async def edit_opened(app: AllytuiApp, rel: str) -> bool:
    """Edit rel with its sealed values opened, in a private folder removed whatever happens (a failed or
    killed editor, a mistake, a clash, this flow cancelled). False when the file holds no sealed value this
    member can open: it is then edited in place as before."""
    with private_folder() as folder:
        edit = await app.run_write(partial(open_for_editing, app.repo, rel, app.keyring, folder))
        if edit is None:
            return False
        keep_mine: dict[str, bool] | None = None
        contact_asked = False
        while True:
            if keep_mine is None:
                status = run_editor(app, edit.path)
                if status is None:
                    return True
                if status != 0:
                    why = f"was stopped by signal {-status}" if status < 0 else f"failed (exit status {status})"
                    app.notify(f"The editor {why}; nothing was saved.", severity="error", markup=False)
                    return True
                if not contact_asked and not await hand_edit_allowed(app, rel, edit.base, edited=edit.path):
                    return True
                contact_asked = True
            try:
                outcome: EditOutcome = await app.run_write(
                    partial(save_opened_edit, app.repo, edit, app.keyring, keep_mine)
                )
            except InvalidRecord as error:
                keep_mine = None
                if await app.ask_edit_again(rel, error):
                    continue
                app.notify(f"Nothing was saved; {visible(rel)} is as it was.", markup=False)
                return True
            if outcome.clashes:
                keep_mine = await app.ask(ClashScreen(rel, outcome.clashes, since="while your editor was open"))
                if keep_mine is not None:
                    continue
                app.notify("Not saved: your edit was let go; the file is as the other change left it.", markup=False)
            elif outcome.commit is not None:
                text = f"{outcome.commit.message}\ncommit {outcome.commit.sha[:8]}"
                app.notify(text, title="Saved", markup=False)
            else:
                app.notify("No changes to save.", markup=False)
            app.action_reload()
            return True


async def hand_edit_allowed(
    app: AllytuiApp, rel: str, before: Record | bytes | None, edited: Path | None = None
) -> bool:
    """Whether to commit a hand edit of rel (edited there, or in the private copy `edited`): asks first, saying
    why, when it brings someone who asked not to be contacted into a conversation, as the form does.

    before: the record, or the file's bytes, as they were when the editor opened. Refused, the edit is not
    committed and nothing is lost: the file in the repo keeps what was written (the private copy's edit is
    let go, the file in the repo was never changed).
    """
    index = app.loaded.records if app.loaded else None
    if index is None:
        return True
    path = edited or app.repo.root / rel
    logged = conversation_in(rel, before) if isinstance(before, bytes) or before is None else before
    reason = await app.run_write(lambda: hand_edit_contact_reason(index, rel, logged, path))
    if reason is None:
        return True
    question = plain(f"{reason} Commit your edit anyway?")
    if await app.ask(ConfirmScreen(question, yes="Commit it anyway", no="Don't commit it")):
        return True
    if edited is None:
        lists = key_of(app, "review-changes")
        app.notify(
            f"Not committed: {visible(rel)} is kept as you wrote it, uncommitted ({lists} lists it).", markup=False
        )
        app.action_reload()
    else:
        app.notify(f"Nothing was saved; {visible(rel)} is as it was.", markup=False)
    return False
