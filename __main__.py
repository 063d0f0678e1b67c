"""``python -m carbonsink``: the command line (see :mod:`carbonsink.cli`)."""
import sys

from carbonsink.cli import main

if __name__ == "__main__":
    sys.exit(main())
