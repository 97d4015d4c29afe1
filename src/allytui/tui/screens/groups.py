"""Groups: every group we may ally with, filterable and sortable, with the selected group's details."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from allytui.model.records import Kind
from allytui.store.loader import Loaded
from allytui.tui.messages import NewConversation
from allytui.tui.rows import GROUP_COLUMNS, GROUP_FIELDS, Column, Row, group_rows
from allytui.tui.screens.record_list import IMPORT_TIP, RecordListScreen


class GroupsScreen(RecordListScreen):
    KIND = Kind.GROUPS
    TITLE_TEXT = "Groups"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "log_conversation", "Log talk", id="log-conversation"),
        Binding("b", "brief", "Brief", id="brief"),
        Binding("D", "duplicates", "Duplicates", id="duplicates", show=False, tooltip="Likely duplicates, to merge"),
        Binding("i", "import_sheet", "Import CSV", id="import-sheet", show=False, tooltip=IMPORT_TIP),
    ]
    COLUMNS: ClassVar[list[Column]] = GROUP_COLUMNS
    FIELDS = GROUP_FIELDS

    def rows(self, loaded: Loaded) -> list[Row]:
        return group_rows(loaded.records, self.today)

    def action_brief(self) -> None:
        """A brief on the selected group, before a conversation or meeting."""
        record = self.current_record()
        if record is not None:
            from allytui.tui.screens.brief import BriefScreen  # here: its renderers are not needed to start

            self.app.push_screen(BriefScreen(record.id))

    def action_log_conversation(self) -> None:
        """Log a conversation with the selected group (date and group filled in)."""
        record = self.current_record()
        self.post_message(NewConversation(group_id=record.id if record else None))

    def action_duplicates(self) -> None:
        """Likely duplicate groups, with the reasons; merge one into the other."""
        from allytui.tui.screens.duplicates import DuplicatesScreen  # here: not needed to start

        self.app.push_screen(DuplicatesScreen(self.KIND))
