"""The note parser and renderer: lossless, and changing a section changes only it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.episode import Highlight
from reader.core.note import NoteError, parse, render


def test_every_seed_renders_back_byte_for_byte(seed_texts: list[str]) -> None:
    for text in seed_texts:
        assert render(parse(text)) == text


def test_seed_fields(seed_texts: list[str]) -> None:
    episode = parse(seed_texts[0])
    assert episode.title.startswith("DEEPSEEKPANIEK: Sam Altman")
    assert episode.video_id == "LrrHD9cdz6Q"
    assert episode.source_url == "https://www.youtube.com/watch?v=LrrHD9cdz6Q"
    assert episode.tags == ["youtube", "transcript", "ai-report"]
    assert episode.transcript.startswith("Welkom bij poki")
    assert episode.transcript.endswith("[Muziek] [Applaus] [Muziek]")
    assert episode.notes == "" and episode.takeaways == [] and episode.related == []
    assert 12_000 < episode.word_count < 13_000


def test_changing_notes_changes_only_the_notes_section(seed_texts: list[str]) -> None:
    text = seed_texts[2]
    episode = parse(text)
    episode.notes = "Eerste gedachte\n\n- met een lijstje"
    out = render(episode)
    head, tail = text.split("## Notes", 1)
    assert out.startswith(head + "## Notes\n\nEerste gedachte\n\n- met een lijstje\n\n## Key Takeaways")
    assert out.endswith(tail[tail.index("## Key Takeaways"):])
    again = parse(out)
    assert again.notes == episode.notes
    assert render(again) == out


def test_takeaways_related_and_highlights_round_trip(seed_texts: list[str]) -> None:
    episode = parse(seed_texts[1])
    episode.takeaways = ["Groq bouwt eigen chips", "Twee regels\nin een punt"]
    episode.related = ["[[Andere aflevering|Andere aflevering]]", "https://example.org"]
    episode.highlights = [
        Highlight.at(episode.transcript, 100, 160, comment="Mooi gezegd\nop twee regels"),
        Highlight.at(episode.transcript, 500, 520, colour="green"),
    ]
    out = render(episode)
    assert "## Highlights" in out
    assert out.index("## Key Takeaways") < out.index("## Highlights") < out.index("## Related")
    again = parse(out)
    assert again.takeaways == episode.takeaways
    assert again.related == episode.related
    assert [(h.quote, h.comment, h.colour) for h in again.highlights] == [
        (h.quote, h.comment, h.colour) for h in episode.highlights
    ]
    assert render(again) == out


def test_crlf_and_bom_survive_and_new_text_uses_crlf(seed_texts: list[str]) -> None:
    text = "\ufeff" + seed_texts[0].replace("\n", "\r\n")
    episode = parse(text)
    assert render(episode) == text
    episode.takeaways = ["een", "twee"]
    out = render(episode)
    assert out.startswith("\ufeff")
    assert "\n" not in out.replace("\r\n", "")
    assert "## Key Takeaways\r\n- een\r\n- twee\r\n\r\n## Related" in out


def test_front_matter_is_kept_and_safe_loaded(seed_texts: list[str]) -> None:
    text = "---\naliases: [deepseek]\nrating: 4\n---\n" + seed_texts[0]
    episode = parse(text)
    assert episode.front_matter == {"aliases": ["deepseek"], "rating": 4}
    assert render(episode) == text


def test_hostile_front_matter_never_runs(tmp_path, seed_texts: list[str]) -> None:
    marker = tmp_path / "pwned"
    text = f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n" + seed_texts[0]
    episode = parse(text)
    assert not marker.exists()
    assert episode.front_matter is None
    assert "not valid YAML" in episode.layout.front_matter_error
    assert render(episode) == text


def test_sections_in_another_order_and_a_section_of_the_users_own(seed_texts: list[str]) -> None:
    episode = parse(seed_texts[0])
    transcript = episode.transcript
    text = (
        "# Titel\n**Video ID:** abc123\n\n## Mijn eigen kopje\nblijft staan\n\n"
        "## Notes\nal ingevuld\n\n## Related\n- [[x]]\n\n## Transcript\n\n" + transcript + "\n"
    )
    episode = parse(text)
    assert episode.notes == "al ingevuld"
    assert episode.related == ["[[x]]"]
    assert render(episode) == text
    episode.takeaways = ["nieuw"]
    out = render(episode)
    assert "## Mijn eigen kopje\nblijft staan\n" in out
    assert out.index("## Key Takeaways") < out.index("## Related")
    assert parse(out).takeaways == ["nieuw"]


def test_transcript_heading_inside_a_code_block_in_notes(seed_texts: list[str]) -> None:
    base = seed_texts[3]
    text = base.replace("## Notes\n\n", "## Notes\n\n```\n## Transcript\nniet echt\n```\n", 1)
    episode = parse(text)
    assert episode.notes == "```\n## Transcript\nniet echt\n```"
    assert episode.transcript == parse(base).transcript
    assert render(episode) == text


@pytest.mark.parametrize("text,reason", [
    ("", "empty"),
    ("   \n\n", "empty"),
    ("# Titel\n\nGeen transcript hier\n", "no '## Transcript' section"),
    ("## Transcript\n\nwoorden\n", "no '# Title' line"),
    ("# T\x00\n## Transcript\n", "binary"),
])
def test_not_a_note(text: str, reason: str) -> None:
    with pytest.raises(NoteError, match=reason):
        parse(text)


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
    max_size=40,
)


@st.composite
def notes(draw: st.DrawFn) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    title = draw(_line.filter(lambda s: s.strip() != ""))
    transcript = draw(st.text(alphabet="abcdefgh [] ", min_size=1, max_size=200).filter(str.strip))
    # The Transcript comes first: a code fence left open in a section before it would make
    # the text no episode note at all, and every generated text must be one.
    transcript_section = f"## Transcript{newline}{newline}{transcript}{newline}"
    sections = []
    for heading in draw(st.lists(st.sampled_from(
            ["Notes", "Key Takeaways", "Related", "Highlights", "Eigen", "notes"]), max_size=5)):
        body = draw(st.lists(st.one_of(_line, st.just("-"), st.just("---"), st.just("```"),
                                       _line.map(lambda s: "- " + s), _line.map(lambda s: "> " + s)),
                             max_size=6))
        sections.append(f"## {heading}{newline}" + "".join(b + newline for b in body))
    draw(st.randoms()).shuffle(sections)
    sections.insert(0, transcript_section)
    tail = draw(st.sampled_from(["", newline, newline + newline]))
    text = bom + f"# {title}{newline}**Video ID:** v1{newline}{newline}" + "".join(sections) + tail
    return text.rstrip("\r\n") if draw(st.booleans()) else text


@settings(max_examples=300, deadline=None)
@given(notes())
def test_generated_notes_render_back_byte_for_byte(text: str) -> None:
    episode = parse(text)
    assert render(episode) == text


@settings(max_examples=200, deadline=None)
@given(notes(), st.text(alphabet="abc \n", max_size=80),
       st.lists(_line.filter(str.strip), max_size=4))
def test_generated_notes_take_new_annotations(text: str, new_notes: str, takeaways: list[str]) -> None:
    episode = parse(text)
    episode.notes = new_notes.replace("\r", "")
    episode.takeaways = [t.strip() for t in takeaways]
    out = render(episode)
    again = parse(out)
    assert again.notes.strip() == episode.notes.strip()
    assert again.takeaways == episode.takeaways
    assert again.transcript == episode.transcript
    assert render(again) == out
