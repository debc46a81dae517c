"""The bundle's entry point: the same command line as the installed ``transcript-reader``."""

import multiprocessing
import sys

from reader.cli import main

if __name__ == "__main__":
    # The index rebuild runs worker processes; in a frozen bundle each starts this same
    # program, which must run the worker instead of the app (a no-op outside a bundle).
    multiprocessing.freeze_support()
    sys.exit(main())
