#!/usr/bin/env python3
"""Build the site: `python build.py [build|ingest|render|clean|serve|check] [options]`."""

from briefs.cli import main

raise SystemExit(main())
