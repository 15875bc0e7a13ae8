"""The curators' tools beside admin.py: edits, history, merges, roles, logins."""
