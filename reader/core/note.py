"""Parse an episode note into an ``Episode`` and render it back, losslessly.

The note is kept as a layout of raw pieces (BOM, front matter, preamble lines, sections with
their heading and body lines, each line with its own line ending). ``render`` gives back the
raw pieces for everything whose value did not change, so ``render(parse(x)) == x`` byte for
byte, and changing Notes only rewrites the body of ``## Notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from reader.core import highlights_md, markdown, tags
from reader.core.episode import Episode
from reader.core.lists import parse_list, render_list

TRANSCRIPT = "transcript"
NOTES = "notes"
TAKEAWAYS = "key takeaways"
RELATED = "related"
HIGHLIGHTS = "highlights"
KNOWN_SECTIONS = (TRANSCRIPT, NOTES, TAKEAWAYS, HIGHLIGHTS, RELATED)
FIELD_OF = {
    TRANSCRIPT: "transcript",
    NOTES: "notes",
    TAKEAWAYS: "takeaways",
    HIGHLIGHTS: "highlights",
    RELATED: "related",
}
HEADINGS = {
    TRANSCRIPT: "Transcript",
    NOTES: "Notes",
    TAKEAWAYS: "Key Takeaways",
    HIGHLIGHTS: "Highlights",
    RELATED: "Related",
}

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_TITLE = re.compile(r"^# (.*)$")
_SOURCE = re.compile(r"^\*\*Source:\*\*\s*(?:\[[^\]]*\]\((?P<url>[^)\s]*)\)|(?P<bare>\S+))")
_VIDEO_ID = re.compile(r"^\*\*Video ID:\*\*\s*(\S*)")
_TAGS = re.compile(r"^\*\*Tags:\*\*(.*)$")


class NoteError(ValueError):
    """The text is not an episode note; the message says why, in one line."""


class NotAnEpisode(NoteError):
    """Readable markdown, but no episode in it (an ordinary note of the vault)."""


@dataclass
class Section:
    heading: str  # the raw heading line, line ending included ("" for the preamble)
    key: str  # normalised name ("notes"), "" for the preamble
    lines: list[str]  # raw body lines, line endings included
    open_fence: bool = False  # the body ends inside a code fence that never closes


@dataclass
class Layout:
    bom: bool
    newline: str
    front_matter_lines: list[str]
    preamble: Section
    sections: list[Section]
    values: dict[str, Any] = field(default_factory=dict)
    front_matter_error: str | None = None
    # The Notes as versions before 0.2 read them (blank lines and trailing rules around them
    # dropped): a library imported then holds these, and they are not a change of the user's.
    legacy_notes: str | None = None


def _strip_eol(line: str) -> str:
    return line.rstrip("\r\n")


def _split_lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _is_blank(line: str) -> bool:
    return not line.strip()


def _split_front_matter(lines: list[str]) -> tuple[list[str], list[str]]:
    if not lines or _strip_eol(lines[0]) != "---":
        return [], lines
    for i in range(1, len(lines)):
        if _strip_eol(lines[i]) in ("---", "..."):
            return lines[: i + 1], lines[i + 1:]
    return [], lines


def _load_front_matter(fm_lines: list[str]) -> tuple[dict[str, Any] | None, str | None]:
    if not fm_lines:
        return None, None
    body = "".join(fm_lines[1:-1]).replace("\r\n", "\n")
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"front matter is not valid YAML ({first})"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, "front matter is not a mapping of properties"
    return data, None


def _split_sections(lines: list[str]) -> tuple[Section, list[Section]]:
    preamble = Section("", "", [])
    sections: list[Section] = []
    current = preamble
    headings = markdown.section_heading_lines(lines)
    for index, line in enumerate(lines):
        if index in headings:
            bare = _strip_eol(line).strip()
            key = bare[2:].strip().rstrip("#").strip().lower()
            current = Section(line, key, [])
            sections.append(current)
            continue
        current.lines.append(line)
    current.open_fence = markdown.ends_open(current.lines)
    return preamble, sections


def _notes_text(lines: list[str]) -> str:
    """The Notes from their section's body: one blank line after the heading and one before
    the next are the layout; every other line is the user's, blank or not."""
    if lines and lines[0] in ("\n", "\r\n"):
        lines = lines[1:]
    if lines and lines[-1] in ("\n", "\r\n"):
        lines = lines[:-1]
    text = "".join(lines).replace("\r\n", "\n")
    return markdown.decode_notes(text[:-1] if text.endswith("\n") else text)


def _body_parts(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split body lines into leading blanks, content, and trailing blanks / rules."""
    start = 0
    while start < len(lines) and _is_blank(lines[start]):
        start += 1
    end = len(lines)
    while end > start and (_is_blank(lines[end - 1]) or _RULE.match(_strip_eol(lines[end - 1]))):
        end -= 1
    return lines[:start], lines[start:end], lines[end:]


def _content_text(lines: list[str]) -> str:
    _, content, _ = _body_parts(lines)
    return "".join(content).replace("\r\n", "\n").rstrip("\n")


def _parse_preamble(lines: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {"title": "", "source_url": None, "video_id": None, "tags": []}
    for line in lines:
        bare = _strip_eol(line)
        if not values["title"] and (m := _TITLE.match(bare)):
            values["title"] = m.group(1).strip()
        elif m := _SOURCE.match(bare):
            values["source_url"] = m.group("url") or m.group("bare")
        elif m := _VIDEO_ID.match(bare):
            values["video_id"] = m.group(1) or None
        elif m := _TAGS.match(bare):
            values["tags"] = tags.parse(m.group(1))
    return values


def parse(text: str) -> Episode:
    """Parse the text of an episode note; raises ``NoteError`` when it is not one."""
    if not text.strip():
        raise NoteError("the file is empty")
    if "\x00" in text:
        raise NoteError("the file is binary, not a text note")
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    newline = "\r\n" if "\r\n" in body else "\n"
    lines = _split_lines(body)
    fm_lines, rest = _split_front_matter(lines)
    front_matter, fm_error = _load_front_matter(fm_lines)
    preamble, sections = _split_sections(rest)
    by_key: dict[str, Section] = {}
    for section in sections:
        by_key.setdefault(section.key, section)
    if TRANSCRIPT not in by_key:
        raise NotAnEpisode("no '## Transcript' section")
    head = _parse_preamble(preamble.lines)
    if not head["title"] and isinstance(front_matter, dict) and front_matter.get("title"):
        head["title"] = str(front_matter["title"])
    if not head["title"]:
        raise NoteError("no '# Title' line")
    values: dict[str, Any] = dict(head)
    values["transcript"] = _content_text(by_key[TRANSCRIPT].lines)
    values["notes"] = _notes_text(by_key[NOTES].lines) if NOTES in by_key else ""
    values["takeaways"] = parse_list(_content_text(by_key[TAKEAWAYS].lines)) if TAKEAWAYS in by_key else []
    values["related"] = parse_list(_content_text(by_key[RELATED].lines)) if RELATED in by_key else []
    values["highlights"] = (
        highlights_md.parse(_content_text(by_key[HIGHLIGHTS].lines)) if HIGHLIGHTS in by_key else []
    )
    values["front_matter"] = front_matter
    layout = Layout(bom, newline, fm_lines, preamble, sections, {}, fm_error,
                    _content_text(by_key[NOTES].lines) if NOTES in by_key else "")
    episode = Episode(
        title=values["title"],
        transcript=values["transcript"],
        source_url=values["source_url"],
        video_id=values["video_id"],
        tags=list(values["tags"]),
        notes=values["notes"],
        takeaways=list(values["takeaways"]),
        related=list(values["related"]),
        highlights=[replace(h) for h in values["highlights"]],
        front_matter=_copy(front_matter),
        layout=layout,
    )
    layout.values = _snapshot(episode)
    return episode


def _copy(value: Any) -> Any:
    import copy

    return copy.deepcopy(value)


def _snapshot(episode: Episode) -> dict[str, Any]:
    return {
        "title": episode.title,
        "source_url": episode.source_url,
        "video_id": episode.video_id,
        "tags": list(episode.tags),
        "transcript": episode.transcript,
        "notes": episode.notes,
        "takeaways": list(episode.takeaways),
        "related": list(episode.related),
        # A multiset: the order highlights are written in is the file's own, not a change.
        "highlights": sorted(highlights_md.key(h) for h in episode.highlights),
        "front_matter": _copy(episode.front_matter),
    }


def _section_content(key: str, episode: Episode) -> str:
    if key == TRANSCRIPT:
        return episode.transcript
    if key == NOTES:
        return markdown.encode_notes(episode.notes)
    if key == TAKEAWAYS:
        return render_list(episode.takeaways)
    if key == RELATED:
        return render_list(episode.related)
    if key == HIGHLIGHTS:
        return highlights_md.render(episode.highlights)
    raise KeyError(key)


def _to_lines(text: str, newline: str) -> list[str]:
    if not text:
        return []
    return [line + newline for line in text.split("\n")]


def _rewrite_body(section: Section, content: str, newline: str, is_last: bool) -> list[str]:
    lead, old, trail = _body_parts(section.lines)
    if not old and lead:
        # An empty section: keep one blank line above the new content, the rest below it.
        lead, trail = lead[:1], lead[1:] + trail
    new = _to_lines(content, newline)
    if new and not trail and not is_last:
        trail = [newline]
    ends_without_newline = bool(section.lines) and not section.lines[-1].endswith("\n")
    if new and ends_without_newline and not trail:
        new[-1] = new[-1][: -len(newline)]
    return lead + new + trail


def _fresh_section(key: str, content: str, newline: str) -> Section:
    lines = [newline] + _to_lines(content, newline) + [newline]
    return Section(f"## {HEADINGS[key]}{newline}", key, lines)


def _changed(episode: Episode, layout: Layout) -> set[str]:
    now = _snapshot(episode)
    return {k for k, v in now.items() if layout.values.get(k) != v}


def _rewrite_preamble(preamble: Section, episode: Episode, changed: set[str], newline: str) -> list[str]:
    lines = list(preamble.lines)
    fields = {
        "title": (_TITLE, f"# {episode.title}"),
        "source_url": (_SOURCE, f"**Source:** [YouTube]({episode.source_url})"),
        "video_id": (_VIDEO_ID, f"**Video ID:** {episode.video_id or ''}"),
        "tags": (_TAGS, f"**Tags:** {tags.hashtags(episode.tags)}".rstrip()),
    }
    for name, (pattern, replacement) in fields.items():
        if name not in changed:
            continue
        for i, line in enumerate(lines):
            if pattern.match(_strip_eol(line)):
                ending = line[len(_strip_eol(line)):]
                lines[i] = replacement + ending
                break
        else:
            # A new line goes under the note's other fields (after the title when it has none).
            at = max((i + 1 for i, line in enumerate(lines)
                      if any(p.match(_strip_eol(line)) for p, _ in fields.values())), default=0)
            lines.insert(min(max(at, 1), len(lines)), replacement + newline)
    return lines


def _front_matter_lines(episode: Episode, layout: Layout, changed: set[str]) -> list[str]:
    if "front_matter" not in changed:
        return layout.front_matter_lines
    if not episode.front_matter:
        return []
    dumped = yaml.safe_dump(episode.front_matter, allow_unicode=True, sort_keys=False)
    nl = layout.newline
    return [f"---{nl}"] + _to_lines(dumped.rstrip("\n"), nl) + [f"---{nl}"]


def render(episode: Episode) -> str:
    """The note's text: untouched pieces byte for byte, changed sections rewritten."""
    layout: Layout | None = episode.layout
    if layout is None:
        layout = parse(render_new(episode)).layout
        layout.values = {}
    changed = _changed(episode, layout)
    nl = layout.newline
    out: list[str] = ["\ufeff"] if layout.bom else []
    out += _front_matter_lines(episode, layout, changed)
    out += _rewrite_preamble(layout.preamble, episode, changed, nl)
    sections = list(layout.sections)
    present = {s.key for s in sections}
    for key in (NOTES, TAKEAWAYS, HIGHLIGHTS, RELATED):
        if FIELD_OF[key] in changed and key not in present and _section_content(key, episode):
            sections.insert(_insert_at(sections, key), _fresh_section(key, "", nl))
            present.add(key)
    seen: set[str] = set()
    for index, section in enumerate(sections):
        if out and not out[-1].endswith("\n"):
            out.append(nl)  # a section added after a last line that had no line ending
        first = section.key in KNOWN_SECTIONS and section.key not in seen
        seen.add(section.key)
        if first and FIELD_OF[section.key] in changed:
            content = _section_content(section.key, episode)
            if section.key == NOTES:
                body = [nl, *_to_lines(content, nl), nl] if content else [nl, nl]
            else:
                body = _rewrite_body(section, content, nl, index == len(sections) - 1)
            heading = section.heading
            if body and not heading.endswith("\n"):
                heading += nl  # the heading was the file's last line
            out += [heading, *body]
        else:
            out += [section.heading, *section.lines]
    text = "".join(out)
    if out and not layout.sections and not text.endswith("\n"):
        text += nl
    return text


def _insert_at(sections: list[Section], key: str) -> int:
    """Where a missing known section goes: before the next known one, else at the end."""
    order = list(KNOWN_SECTIONS)
    later = set(order[order.index(key) + 1:])
    for i, section in enumerate(sections):
        if section.key in later:
            return i
    # An unclosed code fence swallows all that follows it: never add a section after one.
    if sections and sections[-1].open_fence:
        return len(sections) - 1
    return len(sections)


def render_new(episode: Episode) -> str:
    """A note in the generator's template, for an episode that came from no file."""
    source = f"**Source:** [YouTube]({episode.source_url})\n" if episode.source_url else ""
    video = f"**Video ID:** {episode.video_id}\n" if episode.video_id else ""
    tags_line = f"**Tags:** {tags.hashtags(episode.tags)}\n" if episode.tags else ""
    return (
        f"# {episode.title}\n\n{source}{video}{tags_line}\n---\n\n"
        f"## Transcript\n\n{episode.transcript}\n\n---\n\n"
        "## Notes\n\n\n## Key Takeaways\n-\n\n## Related\n-\n"
    )
