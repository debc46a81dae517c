"""Speech-recognition spellings, through the real command line on the bundled samples: split
and joined names match each other, the glossary's variants find each other, suggestions
and "did you mean" come from the library's own words."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reader.core.note import parse
from reader.search import SearchIndex
from tests.conftest import SEED_FILES, run_cli


def _search(data_dir: Path, query: str) -> dict:
    done = run_cli("search", query, "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _written(query_result: dict, texts: dict[str, str]) -> set[str]:
    return {" ".join(texts[r["id"]][s:e].lower().split()) for r in query_result["results"]
            for s, e in r["ranges"]}


def _transcripts(data_dir: Path) -> dict[str, str]:
    """The samples' transcripts as the library reads them (the offsets --json gives)."""
    notes = [parse(path.read_text("utf-8")) for path in SEED_FILES]
    return {n.episode_id: n.transcript for n in notes}


def test_split_and_joined_names_find_each_other(data_dir: Path) -> None:
    assert run_cli("--samples", "list", data_dir=data_dir).returncode == 0
    texts = _transcripts(data_dir)
    chatgpt = _search(data_dir, "chatgpt")
    assert chatgpt["total"] == 5  # "chat gpt" is in every sample, "chatgpt" in none
    assert "chat gpt" in _written(chatgpt, texts)
    joined_text = sum(len(re.findall(r"(?<!\w)chat gpt(?!\w)", t, re.I)) for t in texts.values())
    hits = sum(1 for r in chatgpt["results"] for s, e in r["ranges"]
               if " ".join(texts[r["id"]][s:e].lower().split()) == "chat gpt")
    assert hits == joined_text  # every place, and each as one hit
    assert _search(data_dir, "openai")["total"] == 5
    # The other way round: words typed apart find the word written together.
    written = _written(_search(data_dir, '"open ai"'), texts)
    assert "openai" in written or "open ai" in written
    assert _search(data_dir, '"chat gpt"')["total"] == 5


def test_the_glossary_finds_every_variant(data_dir: Path) -> None:
    assert run_cli("--samples", "list", data_dir=data_dir).returncode == 0
    texts = _transcripts(data_dir)
    before = _search(data_dir, "deepseek")
    added = run_cli("terms", "add", "DeepSeek", "diep zek", "deep seek", "dieps", "--json",
                    data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"canonical": "DeepSeek", "variants": ["diep zek", "dieps"]}
    after = _search(data_dir, "deepseek")
    assert len(after["results"]) == 2 and before["total"] == 2
    written = _written(after, texts)
    assert {"diep zek", "deep seek", "dieps"} <= written
    assert "diep" not in written  # "dieps" is the word written so, not every word of its stem
    # A variant finds the canonical name's other spellings too.
    assert "deep seek" in _written(_search(data_dir, '"diep zek"'), texts)
    listed = run_cli("terms", "list", "--json", data_dir=data_dir)
    assert json.loads(listed.stdout) == [{"canonical": "DeepSeek", "variants": ["diep zek", "dieps"]}]
    # A spelling belongs to one name.
    taken = run_cli("terms", "add", "Deep Sea", "Diep Zek", data_dir=data_dir)
    assert taken.returncode == 2 and "already a spelling of 'DeepSeek'" in taken.stderr
    assert len(taken.stderr.splitlines()) == 1
    removed = run_cli("terms", "remove", "dieps", "nergens", data_dir=data_dir)
    assert removed.returncode == 1 and "'nergens' is not in the glossary" in removed.stderr
    assert "dieps" not in _written(_search(data_dir, "deepseek"), texts)
    assert run_cli("terms", "remove", "deepseek", data_dir=data_dir).returncode == 0
    assert json.loads(run_cli("terms", "list", "--json", data_dir=data_dir).stdout) == []


def test_suggestions_and_did_you_mean(data_dir: Path) -> None:
    assert run_cli("--samples", "list", data_dir=data_dir).returncode == 0
    done = run_cli("terms", "suggest", "DeepSeek", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    suggestions = json.loads(done.stdout)
    assert "diep zek" in [s["text"] for s in suggestions[:5]]
    first = next(s for s in suggestions if s["text"] == "diep zek")
    assert first["count"] >= 12 and len(first["episodes"]) == 2 and not first["in_glossary"]
    nothing = _search(data_dir, "inteligentie")
    assert nothing["total"] == 0 and "intelligentie" in nothing["did_you_mean"]
    said = run_cli("search", "kunstmatige inteligentie", data_dir=data_dir)
    assert "did you mean: 'kunstmatige intelligentie'?" in said.stdout


def test_spellings_inside_and_or_not_and_fields(seed_index: SearchIndex, texts: dict[str, str]) -> None:
    """A widened word keeps its place in any query: Whoosh's pruning around it (unions,
    intersections, NOT) once asked it for a score bound it could not give."""
    def total(q: str) -> int:
        return seed_index.search(q, transcript_of=texts.__getitem__).total

    alone = total("chatgpt")
    assert alone == 5
    assert total("chatgpt NOT qqqzzz") == alone
    assert total("chatgpt AND model") <= alone
    assert total("chatgpt OR deepseek") == alone
    assert total("voorbeeld NOT chatgpt") == 0
    assert total("deepseek NOT chatgpt") == 0
    assert total("transcript:chatgpt") == alone
    assert total("open ai NOT openai") == 0  # "open ai" is openai written apart
