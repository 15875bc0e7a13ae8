"""Model fields of our own."""

from django.contrib.postgres.search import SearchVectorField


class StoredSearchVectorField(SearchVectorField):
    """A tsvector on PostgreSQL; on SQLite an unused text column, so that both
    databases share one schema."""

    def db_type(self, connection):
        return (
            super().db_type(connection) if connection.vendor == "postgresql" else "text"
        )
