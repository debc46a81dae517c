"""How many of `terms suggest`'s top 10 are real mishearings, on the five samples.

The list below was made by reading the samples where each suggestion stands (grep for it):
a spelling counts as right when, in its place, the speaker says that name. Anything else
suggested counts as wrong. Run: ``python benchmarks/bench_suggest.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from reader.library import Library

ROOT = Path(__file__).resolve().parents[1]

# name → the spellings of it found in the samples by reading them.
HEARD = {
    "DeepSeek": {"diep zek", "diep ziek", "diep seek", "diep siek", "diep siik", "deep zek", "die siek",
                 "deep seek", "dieps"},
    "Wietse Hagen": {"wietse haag", "wiets haagen", "wietse haagen"},
    "Grok": {"grock", "rock", "gook"},  # "rok met een q" is Groq, another name
    "ChatGPT": {"chat gpt", "chat gpd"},
    "OpenAI": {"openair", "openi", "open nei", "open eni", "open neij", "openid", "open ai"},
    "Nvidia": {"envidia"},
    "Sam Altman": {"sam alman", "sam altm", "sam ultimate"},
}


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        library = Library.open(Path(temp) / "data", import_seeds=False)
        library.import_paths([ROOT / "seeds"])
        right_10 = shown_10 = right_5 = shown_5 = 0
        times = []
        for name, heard in HEARD.items():
            library.suggest_spellings(name)  # the vocabulary is read once per index state
            started = time.perf_counter()
            found = library.suggest_spellings(name, limit=10)
            times.append((time.perf_counter() - started) * 1000)
            marks = [s.text in heard for s in found]
            right_10 += sum(marks)
            shown_10 += len(marks)
            right_5 += sum(marks[:5])
            shown_5 += len(marks[:5])
            listed = ", ".join(f"{'✓' if ok else '✗'} {s.text}" for s, ok in zip(found, marks, strict=True))
            print(f"{name:<14} {sum(marks)}/{len(marks)}  {listed}")
        library.close()
    times.sort()
    print(f"\nright in the top 10: {right_10}/{shown_10} ({right_10 / max(shown_10, 1):.0%}); "
          f"in the top 5: {right_5}/{shown_5} ({right_5 / max(shown_5, 1):.0%})")
    print(f"suggest, warm, median {times[len(times) // 2]:.0f} ms, slowest {times[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
