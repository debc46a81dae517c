"""Markdown bullet lists as the Key Takeaways and Related sections hold them."""

from __future__ import annotations

import re

_ITEM = re.compile(r"^[-*+](?:\s+(.*)|\s*)$")
_CONTINUATION_INDENT = "  "


def parse_list(content: str) -> list[str]:
    """Items of a top-level bullet list; an empty ``-`` (the template's) is no item.

    Indented lines continue the item above; any other line stands as an item of its own
    so no text the user wrote is dropped.
    """
    items: list[str] = []
    open_item = False
    for line in content.split("\n"):
        match = _ITEM.match(line)
        if match:
            text = (match.group(1) or "").rstrip()
            open_item = bool(text)
            if text:
                items.append(text)
        elif line.startswith((" ", "\t")) and open_item and line.strip():
            items[-1] += "\n" + line.strip()
        elif line.strip():
            items.append(line.strip())
            open_item = True
        else:
            open_item = False
    return items


def render_list(items: list[str]) -> str:
    """The list as markdown; no items gives the template's lone ``-``."""
    if not items:
        return "-"
    lines: list[str] = []
    for item in items:
        first, *rest = item.split("\n")
        lines.append(f"- {first}")
        lines.extend(_CONTINUATION_INDENT + more for more in rest)
    return "\n".join(lines)
