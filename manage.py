#!/usr/bin/env python
import sys

from desadevisa.cli import manage

if __name__ == "__main__":
    sys.exit(manage(sys.argv))
