"""The JSON API: the list and records of initiatives, with the list's filters."""
