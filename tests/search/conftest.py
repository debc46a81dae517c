"""Fixtures: real on-disk indexes in tmp_path, built from the real seed transcripts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.search import AnnotationDoc, IndexDoc, SearchIndex

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@dataclass(frozen=True)
class Seed:
    episode_id: str
    title: str
    transcript: str


def _load(path: Path) -> Seed:
    note = path.read_text("utf-8")
    title = note.splitlines()[0].removeprefix("# ")
    video_id = re.search(r"\*\*Video ID:\*\* (\S+)", note)
    assert video_id is not None
    transcript = note.split("## Transcript\n\n", 1)[1].split("\n\n---\n", 1)[0]
    return Seed(video_id.group(1), title, transcript)


@pytest.fixture(scope="session")
def seeds() -> list[Seed]:
    return [_load(p) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture()
def texts(seeds: list[Seed]) -> dict[str, str]:
    return {s.episode_id: s.transcript for s in seeds}


def build(directory: Path, items: list[tuple[IndexDoc, AnnotationDoc | None]],
          processes: int | None = None) -> SearchIndex:
    index = SearchIndex.open(directory)
    for _ in index.rebuild(items, len(items), processes=processes):
        pass
    return index


@pytest.fixture()
def seed_index(tmp_path: Path, seeds: list[Seed]) -> Iterator[SearchIndex]:
    index = build(tmp_path / "index",
                  [(IndexDoc(s.episode_id, s.title, s.transcript), None) for s in seeds])
    yield index
    index.close()
