"""Turns report files into structured reports and builds the search index."""
