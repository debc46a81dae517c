"""Markdown bullet lists as the Key Takeaways and Related sections hold them.

An item is written ``- first line`` with each further line indented by two spaces, and read
back exactly. An item (or a further line) that would read as something else — a thematic
break such as ``- --``, or text that starts with a backslash — gets one backslash in front,
which reading takes off again.
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"^[-*+](?:\s+(.*)|\s*)$")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_CONTINUATION_INDENT = "  "


def _needs_escape(line: str, prefix: str) -> bool:
    return line.startswith("\\") or bool(_RULE.match(prefix + line))


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("\\") else text


def parse_list(content: str) -> list[str]:
    """Items of a top-level bullet list; an empty ``-`` (the template's) is no item.

    Lines indented by two spaces continue the item above (exactly, blank ones too); other
    indented lines continue it with their indentation dropped; any other line stands as an
    item of its own so no text the user wrote is dropped.
    """
    items: list[str] = []
    open_item = False
    for line in content.split("\n"):
        match = _ITEM.match(line)
        if match:
            text = (match.group(1) or "").rstrip()
            open_item = bool(text)
            if text:
                items.append(_unescape(text))
        elif open_item and line.startswith(_CONTINUATION_INDENT):
            items[-1] += "\n" + _unescape(line[len(_CONTINUATION_INDENT):])
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
        lines.append("- " + ("\\" if _needs_escape(first, "- ") else "") + first)
        lines.extend(_CONTINUATION_INDENT + ("\\" if _needs_escape(more, "  ") else "") + more
                     for more in rest)
    return "\n".join(lines)
