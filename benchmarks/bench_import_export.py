"""Import and export timings for the seeds and for N generated episodes.

    .venv/bin/python benchmarks/bench_import_export.py [--episodes N] [--repeat R]

Prints medians (with min and max) beside a baseline: reading and writing the same files
as plain bytes, the least any import or export has to do.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from reader.files import seeds_dir
from reader.library import Library


def _timed(run: Callable[[Path], None], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            run(Path(tmp))
            times.append(time.perf_counter() - start)
    return times


def _row(label: str, times: list[float], baseline: list[float]) -> str:
    median, base = statistics.median(times), statistics.median(baseline)
    return (f"{label:<34} {median * 1000:>9.0f} ms  (min {min(times) * 1000:.0f}, "
            f"max {max(times) * 1000:.0f})   baseline {base * 1000:>7.0f} ms   x{median / base:.1f}")


def _copy_bytes(files: list[Path], out: Path) -> None:
    out.mkdir()
    for f in files:
        (out / f.name).write_bytes(f.read_bytes())


def bench(label: str, folder: Path, repeat: int) -> None:
    files = sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt"))
    size = sum(p.stat().st_size for p in files) / 1e6

    def do_import(tmp: Path) -> None:
        with Library.open(tmp / "data", import_seeds=False) as library:
            report = library.import_paths([folder])
            assert len(report.imported) == len(files), report.failed

    with tempfile.TemporaryDirectory() as tmp:
        with Library.open(Path(tmp) / "data", import_seeds=False) as library:
            library.import_paths([folder])

            def do_export(out: Path) -> None:
                report = library.export(None, out / "export")
                assert len(report.written) == len(files)

            export_times = _timed(do_export, repeat)
    import_times = _timed(do_import, repeat)
    baseline = _timed(lambda out: _copy_bytes(files, out / "copy"), repeat)
    print(f"\n{label}: {len(files)} notes, {size:.1f} MB")
    print(_row("import into a fresh library", import_times, baseline))
    print(_row("export all to a folder", export_times, baseline))
    print(f"{'per note (import / export)':<34} {statistics.median(import_times) / len(files) * 1000:>9.1f}"
          f" ms / {statistics.median(export_times) / len(files) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench("seeds", seeds_dir(), args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "generated"
        corpus.write_notes(folder, args.episodes)
        bench(f"generated ({args.episodes})", folder, max(1, args.repeat // 2))
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
