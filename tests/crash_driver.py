"""Runs one library operation and says on stdout how far it got, for tests/test_crash.py.

    python tests/crash_driver.py DATA_DIR import FOLDER
    python tests/crash_driver.py DATA_DIR export OUT_DIR
    python tests/crash_driver.py DATA_DIR annotate EPISODE_ID

Each line is printed after the step it names is durable, so a test can SIGKILL the
process right after reading line N and know what must have survived.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reader.library import ImportProgress, Library


def main(data_dir: str, action: str, arg: str) -> None:
    with Library.open(Path(data_dir), import_seeds=False) as library:
        if action == "import":
            def progress(p: ImportProgress) -> None:
                print(f"import {p.done} {p.path}", flush=True)

            library.import_paths([Path(arg)], progress=progress)
        elif action == "export":
            library.export(None, Path(arg), progress=lambda done, total: print(
                f"export {done}", flush=True))
        elif action == "annotate":
            for n in range(1_000_000):
                library.set_notes(arg, f"versie {n}")
                library.set_takeaways(arg, [f"punt {n}", f"punt {n} b"])
                print(f"annotate {n}", flush=True)
        print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
