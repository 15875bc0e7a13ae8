"""Open data: CSV exports, the data package, feeds, sitemaps and the changelog."""
