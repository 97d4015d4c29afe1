"""The $EDITOR round trip for a file with sealed values the member can open: a private opened copy, like sops."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from allytui.model.text import visible
from allytui.store.errors import InvalidRecord
from allytui.store.scratch import private_folder
from allytui.sync.edits import EditOutcome
from allytui.sync.opened_edit import open_for_editing, save_opened_edit
from allytui.tui.editor import run_editor
from allytui.tui.screens.clash import ClashScreen

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
        while True:
            if keep_mine is None:
                status = run_editor(app, edit.path)
                if status is None:
                    return True
                if status != 0:
                    why = f"was stopped by signal {-status}" if status < 0 else f"failed (exit status {status})"
                    app.notify(f"The editor {why}; nothing was saved.", severity="error", markup=False)
                    return True
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
