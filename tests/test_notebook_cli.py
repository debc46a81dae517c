"""`transcript-reader notebook` and `tag`, run as real subprocesses over a real library."""

from __future__ import annotations

import json
from pathlib import Path

from reader.library import Library
from tests.conftest import run_cli

A, B = "LrrHD9cdz6Q", "Q6ISUYLpI4A"


def _annotated(data_dir: Path) -> tuple[int, int]:
    with Library.open(data_dir) as library:
        one = library.add_highlight(A, 200, 260, "green", "de kern")
        two = library.add_highlight(B, 300, 340, "pink")
        library.add_takeaway(B, "Open modellen voor Nederland #gpt-nl")
    assert one.id is not None and two.id is not None
    return one.id, two.id


def test_tag_then_list_filter_and_write_as_one_note(data_dir: Path) -> None:
    one, two = _annotated(data_dir)
    tagged = run_cli("tag", A, "--highlight", str(one), "--add", "#ai-act", data_dir=data_dir)
    assert tagged.returncode == 0, tagged.stderr
    assert tagged.stdout.strip() == f"highlight {one}: #ai-act"
    assert run_cli("tag", B, "--highlight", str(two), "--add", "ai-act", "--add", "eu",
                   data_dir=data_dir).returncode == 0
    episode = run_cli("tag", B, "--add", "gpt-nl", "--remove", "transcript", data_dir=data_dir)
    assert episode.stdout.strip() == f"{B}: #youtube #ai-report #gpt-nl"

    listed = json.loads(run_cli("notebook", "--tag", "ai-act", "--json", data_dir=data_dir).stdout)
    assert [(i["episode_id"], i["kind"], i["id"], i["tags"]) for i in listed["items"]] == [
        (A, "highlight", one, ["ai-act"]), (B, "highlight", two, ["ai-act", "eu"])]
    assert listed["filter"] == "#ai-act" and listed["total"] == 2
    # Tags: all of them; colours: any of them; words as search analyses them.
    both = json.loads(run_cli("notebook", "--tag", "ai-act", "--tag", "eu", "--json", data_dir=data_dir).stdout)
    assert [i["id"] for i in both["items"]] == [two]
    colours = json.loads(run_cli("notebook", "--colour", "pink", "--colour", "green", "--json",
                                 data_dir=data_dir).stdout)
    assert [i["id"] for i in colours["items"]] == [one, two]
    words = json.loads(run_cli("notebook", "--query", "model", "--json", data_dir=data_dir).stdout)
    assert [(i["kind"], i["text"]) for i in words["items"]] == [("takeaway", "Open modellen voor Nederland #gpt-nl")]
    # The episode's tag counts for its items: the takeaway carries #gpt-nl twice over.
    by_episode_tag = json.loads(run_cli("notebook", "--tag", "gpt-nl", "--kind", "highlight", "--json",
                                        data_dir=data_dir).stdout)
    assert [i["id"] for i in by_episode_tag["items"]] == [two]

    note = run_cli("notebook", "--tag", "ai-act", "--markdown", data_dir=data_dir)
    assert note.stdout.startswith("# Notebook: #ai-act\n")
    assert note.stdout.count("\n## [[") == 2 and "> — de kern" in note.stdout
    assert f"(https://www.youtube.com/watch?v={A}&t=" in note.stdout
    plain = run_cli("notebook", "--tag", "ai-act", data_dir=data_dir)
    assert plain.stdout.splitlines()[0] == "2 highlights (#ai-act)"


def test_bad_input_is_one_line_and_changes_nothing(data_dir: Path) -> None:
    one, _ = _annotated(data_dir)
    for args, said in ((("tag", A, "--highlight", str(one), "--add", "2024"), "'2024' is not a tag"),
                       (("tag", A, "--highlight", "999999", "--add", "x"), "no highlight 999999"),
                       (("tag", "nope", "--add", "x"), "nope: no such episode"),
                       (("tag", A), "say what to do"),
                       (("notebook", "--episode", "nope"), "nope: no such episode"),
                       (("notebook", "--since", "gisteren"), "'gisteren' is not a day")):
        result = run_cli(*args, data_dir=data_dir)
        assert result.returncode == 2, args
        # One line says it (argparse's own errors come after its usage lines, as for every command).
        assert said in result.stderr.strip().splitlines()[-1], result.stderr
        assert "Traceback" not in result.stderr
    shown = json.loads(run_cli("show", A, "--json", data_dir=data_dir).stdout)
    assert [h["tags"] for h in shown["highlights"]] == [[]]
