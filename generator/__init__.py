"""Briefings: a static site generator that turns news articles into briefings."""

__version__ = "0.1.0"
