"""The initiative list: its state, facets, filters, counts, rows and map."""
