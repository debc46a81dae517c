"""The bundle's entry point: the same command line as the installed ``transcript-reader``."""

import sys

from reader.cli import main

if __name__ == "__main__":
    sys.exit(main())
