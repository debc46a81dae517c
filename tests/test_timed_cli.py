"""Timed transcripts from the command line: `attach ID FILE` times a sample from a generated
YouTube auto-caption file; `search --json` and `show --json` then say when each hit and
highlight is spoken. Without subtitles the times are estimates, and say so."""

from __future__ import annotations

import json
from pathlib import Path

from reader.library import Library
from tests.conftest import ROOT, run_cli
from tests.subtitle_files import rolling_vtt, srt, timed_words

EPISODE = "LrrHD9cdz6Q"
OTHER = "xDCa0xgymMY"


def test_a_sample_timed_from_its_vtt_gives_each_hit_its_moment(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Library.open(data_dir) as library:
        transcript = library.episode(EPISODE).transcript
        other = library.episode(OTHER).transcript
        library.add_highlight(EPISODE, transcript.index("chat gpt"), transcript.index("chat gpt") + 8)
    timed = timed_words(transcript)
    vtt = tmp_path / f"DEEPSEEKPANIEK [{EPISODE}].nl.vtt"
    vtt.write_text(rolling_vtt(timed), encoding="utf-8")

    # Untimed: estimated, and marked so.
    before = json.loads(run_cli("search", "chatgpt", "--json", data_dir=data_dir).stdout)
    assert all(r["approximate"] for r in before["results"])

    done = run_cli("attach", EPISODE, vtt, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{EPISODE}: timed from ") and "100% of them in the subtitles" in done.stdout

    found = json.loads(run_cli("search", "chatgpt", "--json", data_dir=data_dir).stdout)
    row = next(r for r in found["results"] if r["id"] == EPISODE)
    assert not row["approximate"] and len(row["seconds"]) == len(row["ranges"]) > 0
    for (start, _end), said in zip(row["ranges"], row["seconds"], strict=True):
        word = len(transcript[:start].split())  # the hit's first word
        assert abs(said - timed[word][1]) < 0.5
    others = [r for r in found["results"] if r["id"] != EPISODE]
    assert others and all(r["approximate"] for r in others)  # the rest stay estimated

    shown = json.loads(run_cli("show", EPISODE, "--json", data_dir=data_dir).stdout)
    assert not shown["approximate"]
    word = len(transcript[:transcript.index("chat gpt")].split())
    assert abs(shown["highlights"][0]["seconds"] - timed[word][1]) < 0.5

    # Another episode's subtitles are refused in one line, and the times kept are untouched.
    wrong = tmp_path / "ander.srt"
    wrong.write_text(srt(timed_words(other)), encoding="utf-8")
    refused = run_cli("attach", EPISODE, wrong, data_dir=data_dir)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "ander.srt" in refused.stderr and "does not match the transcript" in refused.stderr
    again = json.loads(run_cli("show", EPISODE, "--json", data_dir=data_dir).stdout)
    assert again["highlights"][0]["seconds"] == shown["highlights"][0]["seconds"]
    broken = tmp_path / "kapot.vtt"
    broken.write_text("geen ondertitels", encoding="utf-8")
    refused = run_cli("attach", EPISODE, broken, data_dir=data_dir)
    assert refused.returncode == 2 and "kapot.vtt: not a WebVTT file" in refused.stderr


def test_subtitles_beside_a_note_time_it_on_import_and_bad_ones_are_named(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    first, second = seeds[0], seeds[1]
    (vault / "deepseek.md").write_bytes(first.read_bytes())
    (vault / "grok.md").write_bytes(second.read_bytes())
    data_dir = tmp_path / "data"
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([vault / "deepseek.md"])
        transcript = library.episode(EPISODE).transcript
    timed = timed_words(transcript)
    # As yt-dlp names it: the title, the Video ID in brackets, the language.
    (vault / f"DEEPSEEKPANIEK [{EPISODE}].nl.vtt").write_text(rolling_vtt(timed), encoding="utf-8")
    (vault / "grok.nl.srt").write_text("geen ondertitels\n", encoding="utf-8")  # named for the note

    done = run_cli("import", vault, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "1 timed from the subtitles beside them" in done.stdout
    assert "passed over" not in done.stdout  # subtitle files are not counted as stray files
    assert done.stderr.strip() == f"{vault / 'grok.nl.srt'}: subtitles not used: not an SRT file (Invalid format)"

    found = json.loads(run_cli("search", "chatgpt", "--json", data_dir=data_dir).stdout)
    row = next(r for r in found["results"] if r["id"] == EPISODE)
    assert not row["approximate"]
    for (start, _end), said in zip(row["ranges"], row["seconds"], strict=True):
        assert abs(said - timed[len(transcript[:start].split())][1]) < 0.5
    assert next(r for r in found["results"] if r["id"] == OTHER)["approximate"]

    again = run_cli("import", vault, data_dir=data_dir)  # nothing new: not timed again
    assert again.returncode == 0 and "timed" not in again.stdout


def _highlights_section(text: str) -> str:
    start = text.index("## Highlights")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_exported_highlights_link_their_moment_and_come_back_unchanged(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    note = vault / "deepseek.md"
    note.write_bytes(sorted((ROOT / "seeds").glob("*.txt"))[0].read_bytes())
    data_dir = tmp_path / "data"
    with Library.open(data_dir, import_seeds=False) as library:
        library.import_paths([note])
        transcript = library.episode(EPISODE).transcript
    timed = timed_words(transcript)
    (vault / f"DEEPSEEKPANIEK [{EPISODE}].nl.vtt").write_text(rolling_vtt(timed), encoding="utf-8")
    assert run_cli("import", vault, data_dir=data_dir).returncode == 0
    start = transcript.index("chat gpt")
    with Library.open(data_dir, import_seeds=False) as library:
        library.add_highlight(EPISODE, start, start + 8, comment="Het *begin*")
    done = run_cli("export", "--write-back", data_dir=data_dir)
    assert done.returncode == 0, done.stderr

    section = _highlights_section(note.read_text(encoding="utf-8"))
    said = timed[len(transcript[:start].split())][1]
    link = f"https://www.youtube.com/watch?v={EPISODE}&t={int(said)}s"
    assert f"==chat gpt== [{int(said) // 60}:{int(said) % 60:02d}]({link})" in section
    assert "≈" not in section

    # Read back by a library that has never seen it, with the subtitles and without them.
    for name, keep_subtitles in (("fresh", True), ("bare", False)):
        copy = tmp_path / name
        copy.mkdir()
        (copy / "deepseek.md").write_bytes(note.read_bytes())
        if keep_subtitles:
            for vtt in vault.glob("*.vtt"):
                (copy / vtt.name).write_bytes(vtt.read_bytes())
        assert run_cli("import", copy, data_dir=tmp_path / f"{name}-data").returncode == 0
        shown = json.loads(run_cli("show", EPISODE, "--json", data_dir=tmp_path / f"{name}-data").stdout)
        [highlight] = shown["highlights"]
        assert (highlight["start"], highlight["end"], highlight["comment"]) == (start, start + 8, "Het *begin*")
        out = tmp_path / f"{name}-out"
        assert run_cli("export", out, data_dir=tmp_path / f"{name}-data").returncode == 0
        [exported] = out.glob("*.md")
        assert _highlights_section(exported.read_text(encoding="utf-8")) == section


def test_the_episode_length_calibrates_estimated_times(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Library.open(data_dir) as library:
        transcript = library.episode(EPISODE).transcript
        middle = transcript.index(" ", len(transcript) // 2) + 1
        library.add_highlight(EPISODE, middle, middle + 4)
    words = len(transcript.split())
    shown = json.loads(run_cli("show", EPISODE, "--json", data_dir=data_dir).stdout)
    before = shown["highlights"][0]
    assert shown["approximate"]

    done = run_cli("duration", EPISODE, "1:02:03", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{EPISODE}: 1:02:03 long; estimated times spread over it"
    shown = json.loads(run_cli("show", EPISODE, "--json", data_dir=data_dir).stdout)
    after = shown["highlights"][0]
    index = len(transcript[:middle].split())
    assert shown["approximate"] and abs(after["seconds"] - 3723 * index / words) < 1
    assert after["seconds"] != before["seconds"]

    for bad, reason in (("99:99", "minutes and seconds go up to 59"), ("een uur", "is not a time"),
                        ("0", "is not an episode's length")):
        refused = run_cli("duration", EPISODE, bad, data_dir=data_dir)
        assert refused.returncode == 2 and reason in refused.stderr, refused.stderr
        assert refused.stderr.count("\n") == 1
    kept = json.loads(run_cli("show", EPISODE, "--json", data_dir=data_dir).stdout)["highlights"][0]
    assert kept["seconds"] == after["seconds"]

    assert run_cli("duration", EPISODE, "unknown", data_dir=data_dir).returncode == 0
    forgot = json.loads(run_cli("show", EPISODE, "--json", data_dir=data_dir).stdout)["highlights"][0]
    assert forgot["seconds"] == before["seconds"]
