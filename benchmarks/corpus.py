"""A deterministic corpus of seed-like episodes for benchmarks.

Words are drawn with the seeds' own frequencies (so a query term is as common as in real
transcripts), plus a small per-episode topic vocabulary so that ranking has something to rank.
The same (n, seed) always gives the same episodes, on any machine and Python version.

    python -m benchmarks.corpus OUT_DIR --episodes 100   # write notes into OUT_DIR
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
MIN_WORDS, MAX_WORDS = 12_000, 22_000
TOPIC_WORDS = 60
TOPIC_SHARE = 0.08  # of an episode's words come from its topic vocabulary
MARKERS = ("[Muziek]", "[Applaus]", "[&nbsp;__&nbsp;]")
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

NOTE_TEMPLATE = """# {title}

**Source:** [YouTube](https://www.youtube.com/watch?v={video_id})
**Video ID:** {video_id}
**Tags:** #youtube #transcript #ai-report

---

## Transcript

{transcript}

---

## Notes


## Key Takeaways
-

## Related
-
"""


def seed_transcript(note: str) -> str:
    return note.split("## Transcript\n\n", 1)[1].split("\n\n---\n", 1)[0]


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]:
    """(words, cumulative weights, content words) from the seed transcripts."""
    counts: Counter[str] = Counter()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = seed_transcript(path.read_text("utf-8"))
        counts.update(w for w in text.split() if not w.startswith("[") and "&" not in w)
    words = tuple(sorted(counts))  # sorted: independent of dict and hash order
    weights = tuple(accumulate(counts[w] for w in words))
    # Topic words: real, less common words (the common ones are everywhere anyway).
    content = tuple(w for w in words if len(w) >= 6 and 2 <= counts[w] <= 30)
    return words, weights, content


def _video_id(seed: int, index: int) -> str:
    digest = hashlib.sha256(f"corpus:{seed}:{index}".encode()).digest()
    return "".join(_ID_ALPHABET[b % 64] for b in digest[:11])


def episode(index: int, seed: int = 0) -> tuple[str, str, str]:
    """(episode id, title, transcript) of episode ``index``."""
    words, weights, content = _vocabulary()
    rng = random.Random(f"corpus:{seed}:{index}")
    length = rng.randint(MIN_WORDS, MAX_WORDS)
    topic = rng.sample(content, TOPIC_WORDS)
    body = rng.choices(words, cum_weights=weights, k=length)
    for i in rng.sample(range(length), int(length * TOPIC_SHARE)):
        body[i] = rng.choice(topic)
    for i in rng.sample(range(length), length // 900):
        body[i] = rng.choice(MARKERS)
    title_words = [w.capitalize() for w in rng.sample(topic, 3)] + rng.choices(words, k=4)
    title = f"{' '.join(title_words)} | Poki S{rng.randint(1, 4):02d}E{rng.randint(1, 40):02d}"
    return _video_id(seed, index), title, " ".join(body)


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str, str]]:
    """``n`` episodes as (episode id, title, transcript), deterministic by ``seed``."""
    for index in range(n):
        yield episode(index, seed)


def note_text(video_id: str, title: str, transcript: str) -> str:
    return NOTE_TEMPLATE.format(title=title, video_id=video_id, transcript=transcript)


def file_name(title: str) -> str:
    # As the seeds' generator did: drop <>:"/\|?* and non-ASCII, cut at 100 characters.
    name = re.sub(r'[<>:"/\\|?*]', "", title).encode("ascii", "ignore").decode()
    return name.strip()[:100].strip()


def write_notes(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` generated episodes into ``folder`` as notes in the seeds' format."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    taken: set[str] = set()
    for video_id, title, transcript in generate(n, seed):
        stem = file_name(title) or video_id
        candidate, k = stem, 1
        while candidate in taken:
            candidate, k = f"{stem} ({k})", k + 1
        taken.add(candidate)
        path = folder / f"{candidate}.md"
        path.write_text(note_text(video_id, title, transcript), "utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = write_notes(args.folder, args.episodes, args.seed)
    print(f"wrote {len(paths)} notes to {args.folder}")


if __name__ == "__main__":
    main()
