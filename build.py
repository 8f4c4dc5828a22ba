#!/usr/bin/env python3
"""Build the site: `python build.py [build|ingest|render|clean|serve|check] [options]`."""

import os
import sys

from briefs.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# Leave without the interpreter's teardown: freeing a large build's objects one by one took
# ~0.1 s of a one-brief rebuild. Every file is closed and every worker joined by now.
os._exit(code)
