"""Whatever a user types into Notes, a takeaway, a related item or a comment comes back
exactly: after a render and a fresh parse, and after any number of renders (a fixed point).

The text is drawn from Markdown's hard parts (headings of every level, fences open and
closed, rules, lists, block quotes, HTML blocks and comments, blank lines and spaces at
either end), real transcript words and any Unicode, and notes with LF or CRLF and a BOM.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core import tags as tagging
from reader.core.episode import HIGHLIGHT_COLOURS, Highlight
from reader.core.highlights_md import moment_link
from reader.core.note import parse, render
from reader.core.timing import stamp, video_link

ROOT = Path(__file__).resolve().parents[2]
_WORDS = (ROOT / "seeds" / "000_c89e2462edba1bd3.txt").read_text(encoding="utf-8") \
    .split("## Transcript", 1)[1].split()[:400]
TRANSCRIPT = " ".join(_WORDS[:300])

HARD_LINES = [
    "## Mijn kop", "# Kop één", "### Diep", "###### zes", "##", "## ", "##\tmet tab",
    "\\## al ontsnapt", "\\\\## twee keer", "  ## ingesprongen", "   ##drie", "    ## code",
    "## Key Takeaways", "## Related", "## Notes", "## Transcript", "## Highlights",
    "```", "```python", "~~~", "````", "``` ", "~~~~~~",
    "---", "***", "___", "- - -", "--", "-", "===", "--- ",
    "- lijst", "* ster", "+ plus", "1. een", "  - sub", "- [ ] taak", "- [x] klaar",
    "> citaat", ">", "> > dieper", "> ## kop in citaat", "> ```",
    "<!-- commentaar", "-->", "<!-- heel -->", "<div>", "</div>", "<pre>", "</pre>",
    "<script>", "</script>", "<?php", "?>", "<![CDATA[", "]]>", "<!DOCTYPE x", "<style>",
    "", "", " ", "   ", "\t", "  ", "tekst  ", "\\", "\\-", "\\\\",
    "==gemarkeerd==", "[[Link|alias]]", "[[A]]", "| a | b |", "|---|---|",
    "**Tags:** #x", "**Video ID:** nep", "— streep", "—", "%%obsidian%%", "$$", "\u202e omgekeerd",
]
_unicode_line = st.text(st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters="\r\n\x00"), max_size=30)
_words_line = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(" ".join)
md_line = st.one_of(st.sampled_from(HARD_LINES), _words_line, _unicode_line)
md_text = st.lists(md_line, max_size=10).map("\n".join)


def _item(text: str) -> str:
    """A list item as the library stores it: trimmed, its first line too."""
    text = text.strip()
    first, _, rest = text.partition("\n")
    return first.rstrip() + ("\n" + rest if rest else "")


list_item = md_text.map(_item).filter(bool)


@st.composite
def note_text(draw: st.DrawFn) -> str:
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    front = draw(st.sampled_from(["", f"---{nl}tags: [a]{nl}---{nl}"]))
    text = (f"{bom}{front}# Aflevering{nl}{nl}**Video ID:** vid1{nl}{nl}---{nl}{nl}"
            f"## Transcript{nl}{nl}{TRANSCRIPT}{nl}{nl}---{nl}{nl}## Notes{nl}{nl}{nl}"
            f"## Key Takeaways{nl}-{nl}{nl}## Related{nl}-{nl}")
    if draw(st.booleans()):
        text += f"{nl}## Eigen sectie{nl}{nl}blijft staan{nl}"
    return text


# Tags as Obsidian takes them: any letters (ŝ, 中), digits, _ - and / (nested), not only digits.
tag = st.one_of(
    st.sampled_from(["ai-act", "AI-Act", "regulering", "eu/ai-act", "2024-plan", "ŝtuk", "中文", "a_b"]),
    st.from_regex(r"[^\W\d][\w/-]{0,14}", fullmatch=True).map(lambda t: t.rstrip("/")).filter(
        lambda t: tagging.normalise(t) == t))
tag_lists = st.lists(tag, max_size=4, unique_by=str.casefold)


@st.composite
def highlights(draw: st.DrawFn) -> list[Highlight]:
    found: list[Highlight] = []
    for _ in range(draw(st.integers(0, 3))):
        first = draw(st.integers(0, 250))
        count = draw(st.integers(1, 8))
        start = len(" ".join(_WORDS[:first])) + (1 if first else 0)
        quote = " ".join(_WORDS[first:first + count])
        comment = draw(st.one_of(st.just(""), md_text))
        colour = draw(st.sampled_from(HIGHLIGHT_COLOURS))
        highlight = Highlight.at(TRANSCRIPT, start, start + len(quote), colour=colour, comment=comment)
        highlight.tags = tuple(draw(tag_lists))
        if draw(st.booleans()):  # a timed episode's export links the moment (derived, not kept)
            seconds = draw(st.integers(0, 30_000))
            highlight.moment = moment_link(stamp(seconds), video_link("vid1", seconds),
                                           approximate=draw(st.booleans()))
        found.append(highlight)
    return found


def _keys(items: list[Highlight]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return sorted((h.quote, h.comment, h.colour, h.tags) for h in items)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note_text(), md_text, st.lists(list_item, max_size=4), st.lists(list_item, max_size=3),
       highlights(), tag_lists)
def test_typed_annotations_come_back_exactly(text: str, notes: str, takeaways: list[str],
                                              related: list[str], marked: list[Highlight],
                                              episode_tags: list[str]) -> None:
    episode = parse(text)
    tagging.set_on_episode(episode, episode_tags)
    episode.notes = notes
    episode.takeaways = list(takeaways)
    episode.related = list(related)
    episode.highlights = list(marked)
    out = render(episode)

    again = parse(out)
    assert again.notes == notes
    assert again.takeaways == takeaways
    assert again.related == related
    assert _keys(again.highlights) == _keys(marked)
    assert sorted(t.casefold() for t in tagging.of_episode(again)) == sorted(t.casefold() for t in episode_tags)
    for h in marked:  # each moment is written after its quote, as a link Obsidian opens
        if h.moment:
            assert f"=={h.quote.split(chr(10))[-1]}== {h.moment}" in out.replace("\r\n", "\n")
    assert again.transcript == episode.transcript
    assert render(again) == out  # the file is a fixed point

    # Writing the same annotations again (a second write-back) changes no byte.
    again.notes, again.takeaways, again.related = notes, list(takeaways), list(related)
    assert render(again) == out
