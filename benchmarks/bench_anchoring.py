"""Re-anchoring timings: 300 highlights over a ~60 KB seed transcript after an edit.

    .venv/bin/python benchmarks/bench_anchoring.py [--highlights N] [--edits E] [--repeat R]

The edit inserts, deletes and changes words all over the text (some inside highlights).
Prints median (min, max) of re-anchoring every highlight, with and without the old transcript,
beside a baseline in the same run: the naive version that only looks for the exact quote and
takes the occurrence nearest the old offset (it cannot place a changed quote at all).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.core.anchoring import reanchor
from reader.core.episode import Highlight, text_hash
from reader.core.note import parse

SEED = Path(__file__).resolve().parent.parent / "seeds" / "002_d97f907783a74456.txt"
FILLER = ("eigenlijk", "gewoon", "natuurlijk", "ook", "dus", "heel", "echt", "nou")


def highlights_over(text: str, count: int, rnd: random.Random) -> list[Highlight]:
    """Word-aligned highlights of 1-15 words (a fifth of them one or two words long)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    out = []
    for _ in range(count):
        size = rnd.randint(1, 2) if rnd.random() < 0.2 else rnd.randint(3, 15)
        first = rnd.randrange(len(words) - size)
        out.append(Highlight.at(text, words[first][0], words[first + size - 1][1],
                                comment=f"note {len(out)}"))
    return out


def edited(text: str, highlights: list[Highlight], count: int, rnd: random.Random) -> str:
    """``count`` word edits: insertions, deletions and one-letter typo fixes.

    Every other edit lands inside a highlight (a chance spread would often miss them all);
    the rest are spread evenly over the text.
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    starts = [w[0] for w in words]
    step = len(words) // (count + 1)
    chosen: set[int] = set()
    for n in range(count):
        if n % 2:
            h = rnd.choice(highlights)
            i = rnd.randint(bisect_left(starts, h.start), bisect_left(starts, h.end) - 1)
        else:
            i = step * (n + 1) + rnd.randrange(step // 2)
        if not chosen & {i - 1, i, i + 1}:
            chosen.add(i)
    cuts = []
    for n, i in enumerate(sorted(chosen)):
        start, end = words[i]
        kind = n % 3
        if kind == 0:
            cuts.append((start, start, " ".join(rnd.sample(FILLER, rnd.randint(1, 3))) + " "))
        elif kind == 1:
            cuts.append((start, words[i + 1][0], ""))
        else:
            word = text[start:end]
            at = rnd.randrange(len(word))
            cuts.append((start + at, start + at + 1, "x" if word[at] != "x" else "y"))
    for start, end, new in sorted(cuts, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def naive(highlights: list[Highlight], transcript: str) -> list[Highlight]:
    """Baseline: exact quote only, occurrence nearest the old offset, else orphan."""
    digest = text_hash(transcript)
    out = []
    for h in highlights:
        at, best = transcript.find(h.quote), -1
        while at != -1:
            if best == -1 or abs(at - h.start) < abs(best - h.start):
                best = at
            at = transcript.find(h.quote, at + 1)
        if best == -1:
            out.append(replace(h, orphan=True))
        else:
            end = best + len(h.quote)
            out.append(replace(h, start=best, end=end, transcript_hash=digest,
                               prefix=transcript[max(0, best - 32):best],
                               suffix=transcript[end:end + 32]))
    return out


def timed(run: Callable[[], list[Highlight]], repeat: int) -> tuple[list[float], list[Highlight]]:
    times, result = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--highlights", type=int, default=300)
    parser.add_argument("--edits", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rnd = random.Random(20240605)
    old = parse(SEED.read_text(encoding="utf-8")).transcript
    highlights = highlights_over(old, args.highlights, rnd)
    new = edited(old, highlights, args.edits, rnd)
    print(f"{SEED.name}: {len(old) / 1000:.1f} KB -> {len(new) / 1000:.1f} KB, "
          f"{args.edits} word edits, {len(highlights)} highlights, {args.repeat} runs")
    runs = {
        "naive exact find (baseline)": lambda: naive(highlights, new),
        "reanchor(new)": lambda: reanchor(highlights, new),
        "reanchor(new, old_transcript)": lambda: reanchor(highlights, new, old),
        "reanchor, transcript unchanged": lambda: reanchor(highlights, old, old),
    }
    base = None
    for label, run in runs.items():
        times, result = timed(run, args.repeat)
        median = statistics.median(times)
        base = base or median
        orphans = sum(h.orphan for h in result)
        changed = sum(not h.orphan and h.quote != o.quote for h, o in zip(result, highlights, strict=True))
        print(f"{label:<32} {median * 1000:>7.1f} ms  (min {min(times) * 1000:.1f}, "
              f"max {max(times) * 1000:.1f})  x{median / base:>5.1f}   "
              f"orphans {orphans:>3}, placed on changed text {changed:>3}")


if __name__ == "__main__":
    main()
