"""Record text made safe to put into Markdown.

Record text is escaped just enough that it cannot change the Markdown's structure: no headings, lists,
quotes, code blocks, links, images or HTML can come from a record, only from the document around it.
The escapes are backslashes in front of the few characters that matter, so the text stays readable.
"""

from __future__ import annotations

import re

# Anywhere in a line: backslash itself, emphasis, code spans, links and images, raw HTML and autolinks.
_INLINE = re.compile(r"([\\`*_\[\]<])")
# At the start of a line (after the indent we strip): headings, quotes, list markers, rules, setext
# underlines, fences, tables.
_LINE_START = re.compile(r"^([#>+=|~-])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")  # "Name #" would lose its # as a heading's closing sequence


def md_inline(text: str) -> str:
    """One line of record text, safe anywhere in a Markdown line (not at its start: see md_line)."""
    text = " ".join(text.split())  # tabs and stray line breaks become plain spaces
    text = _INLINE.sub(r"\\\1", text)
    return _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\#" * len(m.group(2)), text)


def md_line(text: str) -> str:
    """One line of record text that may begin a Markdown line: its first character escaped if it needs it."""
    text = md_inline(text)
    text = _ORDERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(r"\\\1", text)


def md_block(text: str, indent: str = "") -> list[str]:
    """Several lines of record text (aims, notes), each made safe, blank lines kept, indented by indent."""
    lines = text.strip().splitlines()
    return [indent + md_line(line) if line.strip() else "" for line in lines]
