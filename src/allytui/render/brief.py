"""The brief on a group (allytui.model.brief) written as Markdown, with record text escaped (render.markdown)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from allytui.model.brief import Block, BlockKind, Opener, brief
from allytui.model.relations import RecordIndex
from allytui.render.markdown import md_block, md_inline


def _lead_in(block: Block) -> str:
    if not block.label:
        return ""
    label = md_inline(block.label)
    return (f"**{label}**" if block.strong else label) + (block.sep if block.text else "")


def _markdown(block: Block) -> list[str]:
    """One block as Markdown lines (no blank line around it)."""
    if block.kind == "title":
        return [f"# Brief: {md_inline(block.text)}"]
    if block.kind == "heading":
        return [f"## {md_inline(block.text)}"]
    if block.kind == "subheading":
        return [f"### {md_inline(block.text)}"]
    if block.kind == "warning":
        return [f"> **⚠ {md_inline(block.text)}**"]
    if block.kind == "note":
        return [f"*{md_inline(block.text)}*"]
    if block.kind == "field":
        lines = md_block(block.text)
        if len(lines) == 1:
            return [f"**{md_inline(block.label)}:** {md_inline(block.text)}"]
        return [f"**{md_inline(block.label)}:**", *lines]
    if block.kind in ("item", "subitem"):
        indent = "" if block.kind == "item" else "  "
        first, *rest = md_block(block.text) or [""]
        if block.label:  # the text follows the label, so its first line no longer starts a Markdown line
            first = md_inline(block.text.strip().splitlines()[0]) if block.text.strip() else ""
        lines = [f"{indent}- {_lead_in(block)}{first}".rstrip()]
        return lines + [f"{indent}  {line}" if line else "" for line in rest]
    return md_block(block.text)  # meta, para


def brief_markdown(
    index: RecordIndex, group_id: str, today: dt.date, *, opened: Opener | None = None, also: Sequence[str] = ()
) -> str:
    """The brief on a group as Markdown, ending with a newline. NoSuchGroup when there is no such group."""
    lines: list[str] = []
    previous: BlockKind | None = None
    for block in brief(index, group_id, today, opened=opened, also=also):
        listed = block.kind in ("item", "subitem") and previous in ("item", "subitem")
        if lines and not listed:
            lines.append("")
        lines += _markdown(block)
        previous = block.kind
    return "\n".join(lines) + "\n"
