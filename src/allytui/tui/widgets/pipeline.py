"""The groups pipeline at a glance: every stage with its count, in order; enter picks a stage."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from allytui.model.enums import Stage

# Stages past the main line: shown after it, apart.
ASIDE = {Stage.PAUSED, Stage.DECLINED}


def stage_label(stage: Stage) -> str:
    return stage.value.replace("_", " ")


class Pipeline(Widget, can_focus=True):
    """Counts per stage. As a column with bars when there is room for a line per stage, else a wrapped row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,up,k", "move(-1)", "Previous stage", id="pipeline-previous", show=False),
        Binding("right,down,j", "move(1)", "Next stage", id="pipeline-next", show=False),
        Binding("enter", "choose", "Show groups", id="pipeline-choose", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"pipeline--cursor", "pipeline--bar", "pipeline--aside"}
    DEFAULT_CSS = """
    Pipeline { height: auto; }
    Pipeline > .pipeline--cursor { text-style: reverse; }
    Pipeline:focus > .pipeline--cursor { background: $accent; color: $text; text-style: bold reverse; }
    Pipeline > .pipeline--bar { color: $primary; }
    Pipeline > .pipeline--aside { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0)
    """Index of the highlighted stage, in pipeline order."""

    class Chosen(Message):
        """Enter (or a click) on a stage."""

        def __init__(self, pipeline: Pipeline, stage: Stage) -> None:
            super().__init__()
            self.pipeline = pipeline
            self.stage = stage

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.counts: dict[Stage, int] = dict.fromkeys(Stage, 0)
        self.counted = False  # until the records are loaded: each count shows as "…", never a misleading 0
        self._hits: list[tuple[int, int, int, int]] = []  # (y, x from, x to, stage index) of each drawn stage

    def set_counts(self, counts: dict[Stage, int]) -> None:
        self.counts = {stage: counts.get(stage, 0) for stage in Stage}
        self.counted = True
        self.refresh(layout=True)

    def _count(self, stage: Stage) -> str:
        return str(self.counts[stage]) if self.counted else "…"

    # drawing

    def render(self) -> Text:
        width = max(10, self.content_size.width)
        if self.content_size.height >= len(Stage):
            return self._column(width)
        return self._flow(width)

    def _column(self, width: int) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        label_width = max(len(stage_label(s)) for s in Stage)
        top = max(1, *self.counts.values())
        bar_room = max(1, width - label_width - 5)
        bar_style = self.get_component_rich_style("pipeline--bar", partial=True)
        self._hits = []
        for n, stage in enumerate(Stage):
            count = self.counts[stage]
            cell = f"{stage_label(stage):<{label_width}} {self._count(stage):>3}"
            text.append(cell, style=self._cursor_style(n, stage))
            bar = "█" * max(1 if count else 0, round(count * bar_room / top))
            text.append(" " + bar, style=bar_style)
            self._hits.append((n, 0, len(cell), n))
            if n < len(Stage) - 1:
                text.append("\n")
        return text

    def _cursor_style(self, index: int, stage: Stage) -> Style:
        if index == self.cursor and self.has_focus:
            return self.get_component_rich_style("pipeline--cursor", partial=True)
        if stage in ASIDE:
            return self.get_component_rich_style("pipeline--aside", partial=True)
        return Style()

    def _flow(self, width: int) -> Text:
        text = Text(end="")
        self._hits = []
        x = y = 0
        stages = list(Stage)
        for n, stage in enumerate(stages):
            item = f"{stage_label(stage)} {self._count(stage)}"
            if n == 0:
                gap = ""
            elif stage in ASIDE:
                gap = " · " if stages[n - 1] in ASIDE else "  │ "
            else:
                gap = " → "
            if x and x + len(gap) + len(item) > width:
                text.append("\n")
                x, y = 0, y + 1
                gap = gap.lstrip()
            text.append(gap, style="dim")
            x += len(gap)
            text.append(item, style=self._cursor_style(n, stage))
            self._hits.append((y, x, x + len(item), n))
            x += len(item)
        return text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.styles.height is not None and not self.styles.height.is_auto:
            return super().get_content_height(container, viewport, width)
        if self.styles.column_span > 1:
            # Textual's grid sizes an auto row by one column's width even for a spanning cell;
            # the container is the grid, so its width is the width we really get.
            width = container.width - self.styles.gutter.width
        return self._flow(max(10, width)).plain.count("\n") + 1

    # moving

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(Stage)

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self, list(Stage)[self.cursor]))

    def on_click(self, event: Click) -> None:
        for y, start, end, index in self._hits:
            if event.y == y and start <= event.x < end:
                self.cursor = index
                self.action_choose()
                return

    @property
    def stage(self) -> Stage:
        return list(Stage)[self.cursor]
