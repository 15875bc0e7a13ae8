from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# Indexes for search.py on PostgreSQL; SQLite has no text-search indexes to offer.
POSTGRES_INDEXES = [
    (
        "initiative_search_text_fts",
        "CREATE INDEX initiative_search_text_fts ON initiatives_initiative "
        "USING gin (to_tsvector('danish'::regconfig, COALESCE(search_text, ''::text)))",
    ),
    (
        "initiative_name_trgm",
        "CREATE INDEX initiative_name_trgm ON initiatives_initiative "
        "USING gin (name gin_trgm_ops)",
    ),
]


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _name, sql in POSTGRES_INDEXES:
            schema_editor.execute(sql)


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _sql in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="initiative",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Udfyldes automatisk ud fra indsatsen og dens relationer.",
                verbose_name="søgetekst",
            ),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
    ]
