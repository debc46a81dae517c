"""Tags as Obsidian reads them, and an episode's tags written back touching only what changed."""

from __future__ import annotations

from reader.core import tags as tagging
from reader.core.note import parse, render

NOTE = ("# Aflevering\r\n\r\n**Source:** [YouTube](https://www.youtube.com/watch?v=vid1)\r\n"
        "**Video ID:** vid1\r\n**Tags:** #youtube  #transcript,#ai-report\r\n\r\n---\r\n\r\n"
        "## Transcript\r\n\r\nwoorden van de aflevering\r\n\r\n## Notes\r\n\r\n\r\n")


def test_what_is_a_tag() -> None:
    assert tagging.normalise("#ai-act") == "ai-act"
    assert tagging.normalise("eu/ai act") == "eu/ai-act"  # a space becomes a dash
    assert tagging.normalise("ŝtuk") == "ŝtuk"
    assert tagging.normalise("#2024") is None  # only digits: Obsidian takes no such tag
    assert tagging.normalise("ai.act") is None
    assert tagging.parse("#a, b  #A c") == ["a", "b", "c"]  # case-insensitively once


def test_tags_in_text_are_those_obsidian_finds() -> None:
    text = "Een #idee en page#anchor, # Kop\n#tweede-idee.\n```\n#include <x>\n```\n#2024"
    assert tagging.in_text(text) == ["idee", "tweede-idee"]


def test_an_unchanged_tags_line_keeps_its_bytes_and_a_changed_one_is_rewritten_in_place() -> None:
    episode = parse(NOTE)
    assert tagging.of_episode(episode) == ["youtube", "transcript", "ai-report"]
    tagging.set_on_episode(episode, ["youtube", "transcript", "ai-report"])
    assert render(episode) == NOTE
    tagging.set_on_episode(episode, ["transcript", "ai-report", "ai-act"])
    out = render(episode)
    assert out == NOTE.replace("**Tags:** #youtube  #transcript,#ai-report",
                               "**Tags:** #transcript #ai-report #ai-act")


def test_a_note_without_a_tags_line_gets_one_under_its_fields() -> None:
    text = NOTE.replace("**Tags:** #youtube  #transcript,#ai-report\r\n", "")
    episode = parse(text)
    tagging.set_on_episode(episode, ["ai-act"])
    out = render(episode)
    assert "**Video ID:** vid1\r\n**Tags:** #ai-act\r\n\r\n---" in out
    assert out.replace("**Tags:** #ai-act\r\n", "") == text


def test_yaml_tags_count_and_a_removed_one_leaves_the_yaml() -> None:
    text = "---\ntags:\n  - podcast\n  - ai\nauthor: mij\n---\n" + NOTE.replace("\r\n", "\n")
    episode = parse(text)
    assert tagging.of_episode(episode) == ["youtube", "transcript", "ai-report", "podcast", "ai"]
    tagging.set_on_episode(episode, tagging.of_episode(episode))
    assert render(episode) == text  # nothing changed: not a byte
    tagging.set_on_episode(episode, ["youtube", "transcript", "ai-report", "podcast", "nieuw"])
    again = parse(render(episode))
    assert again.front_matter == {"tags": ["podcast"], "author": "mij"}
    assert again.tags == ["youtube", "transcript", "ai-report", "nieuw"]  # the new one on the line
