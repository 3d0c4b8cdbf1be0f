"""Answers queries over the index; knows nothing of Flask."""
