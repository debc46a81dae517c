"""The Notebook: every highlight, takeaway and Notes paragraph of the library as one list.

``load`` reads the items of the store (of some episodes, when a change names them);
``Notebook`` holds them with each item's analysed words, and filters and groups them fast
enough for the window's GUI thread (20,000 highlights: a few milliseconds; see
benchmarks/bench_window.py). ``markdown`` writes items as a note for the vault.

Free text is matched with the search index's analysis (``reader.search.analysis``): the
same folding and Dutch stemming, so ``modellen`` finds "model". It is imported on first use,
on the thread that loads the Notebook, never on the window's start-up path.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reader.core import tags as tagging
from reader.core.episode import HIGHLIGHT_COLOURS
from reader.core.highlights_md import moment_link
from reader.core.timing import WordTimes, stamp, video_link
from reader.store.models import EpisodeRow, HighlightRow, TakeawayRow

if TYPE_CHECKING:
    from reader.search.analysis import DutchAnalyzer

HIGHLIGHT, TAKEAWAY, NOTE = "highlight", "takeaway", "note"
KINDS = (HIGHLIGHT, TAKEAWAY, NOTE)
KIND_NAMES = {HIGHLIGHT: "Highlight", TAKEAWAY: "Key takeaway", NOTE: "Notes"}
COUNTED = {HIGHLIGHT: ("highlight", "highlights"), TAKEAWAY: ("key takeaway", "key takeaways"),
           NOTE: ("Notes paragraph", "Notes paragraphs")}
GROUPINGS = ("episode", "tag", "colour", "date")
NO_TAG = "No tags of its own"
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_QUERY = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class NotebookItem:
    """One annotation. ``ref`` is the highlight's or takeaway's row id, or the paragraph's
    number in the Notes; ``offset`` where a highlight starts in the transcript (-1 else)."""

    kind: str
    episode_id: str
    ref: int
    text: str
    title: str = ""
    comment: str = ""
    colour: str = ""
    tags: tuple[str, ...] = ()  # its own: a highlight's, or the #tags typed in the text
    episode_tags: tuple[str, ...] = ()
    when: datetime | None = None
    orphan: bool = False
    offset: int = -1
    order: int = 0  # its place in the episode: highlights by offset, then takeaways, then Notes

    @cached_property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.episode_id, self.ref)

    @property
    def all_tags(self) -> tuple[str, ...]:
        return tuple(tagging.unique([*self.tags, *self.episode_tags]))

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "episode_id": self.episode_id, "episode": self.title, "id": self.ref,
            "text": self.text, "comment": self.comment, "colour": self.colour or None,
            "tags": list(self.tags), "episode_tags": list(self.episode_tags),
            "date": self.when.isoformat(timespec="seconds") if self.when else None,
            "orphaned": self.orphan, "offset": self.offset if self.offset >= 0 else None,
        }


def paragraphs(notes: str) -> list[str]:
    """The Notes as paragraphs: blocks between blank lines, a fenced code block whole."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in notes.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return [b for b in blocks if b.strip()]


def load(session: Session, episode_ids: Collection[str] | None = None) -> list[NotebookItem]:
    """The items of these episodes (all for None), in each episode's order."""
    episodes = select(EpisodeRow.id, EpisodeRow.title, EpisodeRow.tags, EpisodeRow.notes,
                      EpisodeRow.notes_changed_at, EpisodeRow.imported_at)
    highlights = select(HighlightRow.id, HighlightRow.episode_id, HighlightRow.start, HighlightRow.quote,
                        HighlightRow.colour, HighlightRow.comment, HighlightRow.tags, HighlightRow.orphan,
                        HighlightRow.created_at).order_by(HighlightRow.episode_id, HighlightRow.start)
    takeaways = select(TakeawayRow.id, TakeawayRow.episode_id, TakeawayRow.text,
                       TakeawayRow.created_at).order_by(TakeawayRow.episode_id, TakeawayRow.position)
    if episode_ids is not None:
        ids = list(episode_ids)
        episodes = episodes.where(EpisodeRow.id.in_(ids))
        highlights = highlights.where(HighlightRow.episode_id.in_(ids))
        takeaways = takeaways.where(TakeawayRow.episode_id.in_(ids))
    heads: dict[str, tuple[str, tuple[str, ...], datetime | None]] = {}
    notes: list[NotebookItem] = []
    for episode_id, title, tag_text, text, changed, imported in session.execute(episodes):
        episode_tags = tuple(tagging.parse(tag_text or ""))
        heads[episode_id] = (title, episode_tags, imported)
        for number, paragraph in enumerate(paragraphs(text or "")):
            notes.append(NotebookItem(NOTE, episode_id, number, paragraph, title,
                                      tags=tuple(tagging.in_text(paragraph)), episode_tags=episode_tags,
                                      when=changed or imported, order=2_000_000 + number))
    items: list[NotebookItem] = []
    for hid, episode_id, start, quote, colour, comment, tag_text, orphan, created in session.execute(highlights):
        title, episode_tags, _ = heads.get(episode_id, ("", (), None))
        own = tagging.unique([*tag_text.split(), *tagging.in_text(comment)])
        items.append(NotebookItem(HIGHLIGHT, episode_id, hid, quote, title, comment, colour, tuple(own),
                                  episode_tags, created, bool(orphan), start if not orphan else -1,
                                  order=-1 if orphan else start))
    for position, (tid, episode_id, text, made) in enumerate(session.execute(takeaways)):
        title, episode_tags, added = heads.get(episode_id, ("", (), None))
        items.append(NotebookItem(TAKEAWAY, episode_id, tid, text, title, tags=tuple(tagging.in_text(text)),
                                  episode_tags=episode_tags, when=made or added,
                                  order=1_000_000 + position))
    items += notes
    # In episode order, each episode's items in its order: a sort of each episode's few items,
    # not one of them all (a sort of 20,000 holds the GIL, and the window's thread, for 80 ms).
    by_episode: dict[str, list[NotebookItem]] = {}
    for item in items:
        by_episode.setdefault(item.episode_id, []).append(item)
    ordered: list[NotebookItem] = []
    for episode_id in sorted(by_episode):
        ordered += sorted(by_episode[episode_id], key=attrgetter("order"))
    return ordered


@dataclass(frozen=True)
class Filter:
    """What the Notebook shows. Tags: items carrying all of them (their own or their
    episode's); colours, episodes, kinds: any of them; empty means no condition."""

    tags: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    episodes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    orphaned: bool | None = None  # True: only orphaned highlights; False: none of them
    query: str = ""

    def describe(self) -> str:
        """The filter in words, for an exported note's heading and the count line."""
        parts = [tagging.hashtags(self.tags)] if self.tags else []
        parts += [", ".join(self.colours)] if self.colours else []
        parts += [", ".join(COUNTED[k][1] for k in self.kinds)] if self.kinds else []
        if self.since or self.until:
            parts.append(f"{self.since or '…'} – {self.until or '…'}")
        if self.orphaned:
            parts.append("orphaned")
        if self.query.strip():
            parts.append(f"“{self.query.strip()}”")
        return " · ".join(parts)


@dataclass
class _Query:
    words: list[frozenset[str]] = field(default_factory=list)  # each: one of these stems
    phrases: list[list[str]] = field(default_factory=list)
    without: list[frozenset[str]] = field(default_factory=list)
    without_phrases: list[list[str]] = field(default_factory=list)


class Notebook:
    """The items with what filtering needs precomputed. Not thread-safe: built on a worker
    thread, then used and updated on one thread (the window's GUI thread)."""

    def __init__(self, items: Iterable[NotebookItem] = ()) -> None:
        self._analyzer: DutchAnalyzer | None = None
        self.items: list[NotebookItem] = []
        self._terms: list[tuple[str, ...]] = []
        self._term_sets: list[frozenset[str]] = []
        self._tag_sets: list[frozenset[str]] = []
        self._tag_counts: dict[str, int] = {}  # case-folded tag → items carrying it
        self._spellings: dict[str, str] = {}
        self._words: frozenset[str] | None = None
        self.replace(None, items)

    def _analysis(self) -> DutchAnalyzer:
        if self._analyzer is None:
            from reader.search.analysis import DutchAnalyzer

            self._analyzer = DutchAnalyzer()
        return self._analyzer

    def replace(self, episode_ids: Collection[str] | None, items: Iterable[NotebookItem]) -> None:
        """These episodes' items are now ``items`` (all of the Notebook's for None)."""
        new = list(items)
        if episode_ids is None:
            kept: list[int] = []
        else:
            gone = set(episode_ids)
            kept = [i for i, item in enumerate(self.items) if item.episode_id not in gone]
        analyzer = self._analysis()
        terms = [tuple(analyzer.terms(f"{i.text}\n{i.comment}\n{' '.join(i.tags)}")) for i in new]
        self._words = None
        kept_set = set(kept)
        for i, item in enumerate(self.items):
            if i not in kept_set:
                self._count_tags(item, -1)
        for item in new:
            self._count_tags(item, 1)
        self.items = [self.items[i] for i in kept] + new
        self._terms = [self._terms[i] for i in kept] + terms
        self._term_sets = [self._term_sets[i] for i in kept] + [frozenset(t) for t in terms]
        self._tag_sets = [self._tag_sets[i] for i in kept] + [
            frozenset(t.casefold() for t in i.all_tags) for i in new]
        if kept:  # the kept ones and the new ones are each in order (``load``): merged, not sorted again
            count = len(kept)
            order = list(heapq.merge(range(count), range(count, len(self.items)),
                                     key=lambda i: self.items[i].episode_id))
            for name in ("items", "_terms", "_term_sets", "_tag_sets"):
                values = getattr(self, name)
                setattr(self, name, [values[i] for i in order])

    def _vocabulary(self) -> frozenset[str]:
        """Every term of the items (what a prefix expands over), made once until they change."""
        if self._words is None:
            self._words = frozenset().union(*self._term_sets)
        return self._words

    def _count_tags(self, item: NotebookItem, by: int) -> None:
        if not (item.tags or item.episode_tags):
            return
        for tag in item.all_tags:
            key = tag.casefold()
            left = self._tag_counts.get(key, 0) + by
            if left > 0:
                self._tag_counts[key] = left
                self._spellings.setdefault(key, tag)
            else:
                self._tag_counts.pop(key, None)

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of items carrying it, most used first (kept counted as
        items come and go: no pass over all of them)."""
        return sorted(((self._spellings[k], n) for k, n in self._tag_counts.items()),
                      key=lambda p: (-p[1], p[0].casefold()))

    def _parse(self, query: str) -> _Query:
        analyzer = self._analysis()
        parsed = _Query()
        vocabulary: frozenset[str] | None = None
        for m in _QUERY.finditer(query):
            negated, phrase, word = m.group(1) == "-", m.group(2), m.group(3)
            if phrase is not None:
                stems = analyzer.terms(phrase)
                if len(stems) > 1:
                    (parsed.without_phrases if negated else parsed.phrases).append(stems)
                elif stems:
                    (parsed.without if negated else parsed.words).append(frozenset(stems))
                continue
            assert word is not None
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            if word.endswith("*") and len(word.rstrip("*")) > 0:
                from reader.search.analysis import fold

                prefix = fold(word.rstrip("*"))
                if vocabulary is None:
                    vocabulary = self._vocabulary()
                # A prefix finds every word it starts, by the word's stem or by itself.
                forms = frozenset(t for t in vocabulary if t.startswith(prefix)) | frozenset(
                    analyzer.terms(prefix)[:1])
                (parsed.without if negated else parsed.words).append(forms)
                continue
            for stem in analyzer.terms(word):
                (parsed.without if negated else parsed.words).append(frozenset([stem]))
        return parsed

    def matching(self, wanted: Filter) -> list[int]:
        """The positions (in ``items``) of the items the filter lets through, in order."""
        tags = [t.casefold() for t in wanted.tags]
        colours = set(wanted.colours)
        episodes = set(wanted.episodes)
        kinds = set(wanted.kinds)
        if colours:
            kinds = (kinds & {HIGHLIGHT}) if kinds else {HIGHLIGHT}
        query = self._parse(wanted.query) if wanted.query.strip() else None
        since = datetime.combine(wanted.since, datetime.min.time()) if wanted.since else None
        until = datetime.combine(wanted.until, datetime.max.time()) if wanted.until else None
        if not (kinds or colours or episodes or tags or query or since or until or wanted.orphaned is not None):
            return list(range(len(self.items)))
        found: list[int] = []
        items, tag_sets, term_sets = self.items, self._tag_sets, self._term_sets
        for i, item in enumerate(items):
            if kinds and item.kind not in kinds:
                continue
            if colours and item.colour not in colours:
                continue
            if episodes and item.episode_id not in episodes:
                continue
            if wanted.orphaned is not None and item.orphan != wanted.orphaned:
                continue
            if tags and not all(t in tag_sets[i] for t in tags):
                continue
            if (since or until) and (item.when is None or (since and item.when < since)
                                     or (until and item.when > until)):
                continue
            if query is not None and not self._matches(i, query, term_sets[i]):
                continue
            found.append(i)
        return found

    def _matches(self, i: int, query: _Query, terms: frozenset[str]) -> bool:
        for forms in query.words:
            if forms.isdisjoint(terms):
                return False
        for forms in query.without:
            if not forms.isdisjoint(terms):
                return False
        for phrase in query.phrases:
            if not (terms.issuperset(phrase) and _has_run(self._terms[i], phrase)):
                return False
        return not any(terms.issuperset(phrase) and _has_run(self._terms[i], phrase)
                       for phrase in query.without_phrases)

    def filtered(self, wanted: Filter) -> list[NotebookItem]:
        return [self.items[i] for i in self.matching(wanted)]


def _has_run(terms: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    first = phrase[0]
    return any(terms[i] == first and list(terms[i:i + n]) == list(phrase) for i in range(len(terms) - n + 1))


def group_of(item: NotebookItem, by: str) -> list[str]:
    """The group(s) an item is listed under: ``by`` is one of ``GROUPINGS``."""
    if by == "tag":  # its own tags: every episode of a show tends to carry the same ones
        return list(item.tags) or [NO_TAG]
    if by == "colour":
        return [item.colour] if item.kind == HIGHLIGHT else [KIND_NAMES[item.kind]]
    if by == "date":
        return [item.when.date().isoformat() if item.when else "Undated"]
    return [item.episode_id]


def grouped(items: Sequence[NotebookItem], by: str,
            name: Callable[[str], str] | None = None) -> list[tuple[str, list[NotebookItem]]]:
    """Items in groups, in a reading order: episodes by title, tags by name, colours in the
    palette's order (then takeaways and Notes), dates newest first; items keep their order
    (by date, newest first, within a date)."""
    groups: dict[str, list[NotebookItem]] = {}
    if by == "episode":  # the items come in episode order: runs, not one lookup an item (20,000: 4× faster)
        for episode_id, run in groupby(items, key=attrgetter("episode_id")):
            groups.setdefault(episode_id, []).extend(run)
    else:
        for item in items:
            for group in group_of(item, by):
                groups.setdefault(group, []).append(item)
    if by == "episode":
        titles = {i.episode_id: i.title for i in items}
        keys = sorted(groups, key=lambda g: (titles.get(g, "").casefold(), g))
    elif by == "tag":
        keys = sorted(groups, key=lambda g: (g == NO_TAG, g.casefold()))
    elif by == "colour":
        rank = {c: n for n, c in enumerate([*HIGHLIGHT_COLOURS, *KIND_NAMES.values()])}
        keys = sorted(groups, key=lambda g: rank.get(g, 99))
    else:
        keys = sorted(groups, reverse=True)
        for values in groups.values():
            values.sort(key=lambda i: i.when or datetime.min, reverse=True)
    if by == "episode" and name is None:
        titles = {i.episode_id: i.title for i in items}
        return [(titles.get(k) or k, groups[k]) for k in keys]
    return [(name(k) if name else k, groups[k]) for k in keys]


# -- as a note for the vault ------------------------------------------------------------------

@dataclass(frozen=True)
class Sources:
    """What a note of items links to: each episode's wikilink name, video and word times."""

    names: dict[str, str]
    videos: dict[str, str | None]
    times: dict[str, WordTimes]


def _quoted(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.split("\n")]


def counted(items: Sequence[NotebookItem]) -> str:
    """"2 highlights, 1 key takeaway": what the items are, in words."""
    counts = {k: sum(1 for i in items if i.kind == k) for k in KINDS}
    return ", ".join(f"{n} {COUNTED[k][n != 1]}" for k, n in counts.items() if n)


def item_markdown(item: NotebookItem, sources: Sources, *, linked: bool = True) -> str:
    """One item as a self-contained Markdown block: the quote (or takeaway, or paragraph),
    its comment, and a line saying where it comes from, with the episode as a wikilink."""
    from reader.library.note_export import link_alias

    lines: list[str] = []
    if item.kind == HIGHLIGHT:
        lines += _quoted(f"=={item.text}==")
        if item.comment:
            lines += _quoted(f"— {item.comment}")
    else:
        lines += _quoted(item.text)
    name = sources.names.get(item.episode_id, item.episode_id)
    origin = ([f"[[{name}|{link_alias(item.title)}]]" if item.title else f"[[{name}]]"] if linked else [])
    video = sources.videos.get(item.episode_id)
    times = sources.times.get(item.episode_id)
    if item.kind == HIGHLIGHT and item.offset >= 0 and video and times is not None:
        seconds = times.seconds_at(item.offset)
        origin.append(moment_link(stamp(seconds), video_link(video, seconds), approximate=times.approximate))
    origin.append(item.colour if item.kind == HIGHLIGHT else KIND_NAMES[item.kind])
    if item.orphan:
        origin.append("orphaned (its words are no longer in the transcript)")
    own = [t for t in item.tags if not tagging.has(tagging.in_text(f"{item.text}\n{item.comment}"), t)]
    if own:
        origin.append(tagging.hashtags(own))
    lines += [">", "> " + " · ".join(origin)]
    return "\n".join(lines)


def markdown(items: Sequence[NotebookItem], sources: Sources, *, title: str | None = "Notebook",
             by: str = "episode", exported: date | None = None) -> str:
    """Items as one note: a heading per group (an episode's a wikilink), the items under it.
    Without a title, the items alone, each with its episode's link (what Copy puts on the
    clipboard)."""
    from reader.library.note_export import link_alias

    if title is None:
        return "\n\n".join(item_markdown(item, sources) for item in items) + "\n"

    said = counted(items)
    out = [f"# {title}", "", f"Exported {(exported or date.today()).isoformat()} from Transcript Reader: "
           f"{said or 'nothing'}."]
    for group, members in grouped(items, by, name=str):  # keys: an episode's is its id
        if by == "episode":
            title_of = members[0].title
            name = sources.names.get(group, group)
            heading = f"[[{name}|{link_alias(title_of)}]]" if title_of else f"[[{name}]]"
        elif by == "tag" and group != NO_TAG:
            heading = f"#{group}"
        else:
            heading = group
        out += ["", f"## {heading}"]
        for item in members:
            out += ["", item_markdown(item, sources, linked=by != "episode")]
    return "\n".join(out) + "\n"
