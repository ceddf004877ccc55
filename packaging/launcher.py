"""The frozen program's entry point: the same `nianbao` command as from source."""

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
