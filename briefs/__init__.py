"""Briefs: a static site generator that turns raw news text into tagged, well-marked-up briefs."""

__version__ = "0.1.0"
