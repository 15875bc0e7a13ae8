"""Visitors' suggestions: the public form and its limits, and the curators' queue."""
