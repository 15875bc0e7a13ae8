from django.db import migrations

import initiatives.fields


def index_stored_vectors(apps, schema_editor):
    """Search matches and ranks on the stored vector: fill it, index it, and drop the
    expression index (0002) that made every match parse the text again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE initiatives_initiative SET search_vector = "
        "to_tsvector('danish'::regconfig, COALESCE(search_text, ''::text))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS initiative_search_text_fts")
    schema_editor.execute(
        "CREATE INDEX initiative_search_vector ON initiatives_initiative "
        "USING gin (search_vector)"
    )


def index_search_text_again(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS initiative_search_vector")
    schema_editor.execute(
        "CREATE INDEX initiative_search_text_fts ON initiatives_initiative "
        "USING gin (to_tsvector('danish'::regconfig, COALESCE(search_text, ''::text)))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0005_catalogue_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="search_vector",
            field=initiatives.fields.StoredSearchVectorField(
                editable=False,
                help_text="Udfyldes automatisk ud fra søgeteksten (kun PostgreSQL).",
                null=True,
                verbose_name="søgevektor",
            ),
        ),
        migrations.RunPython(index_stored_vectors, index_search_text_again),
    ]
