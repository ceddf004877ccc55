"""The frozen program's entry point: the same `nianbao` command as from source."""

import multiprocessing
import sys

from cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the batch's reading processes start through this program when frozen
    sys.exit(main())
