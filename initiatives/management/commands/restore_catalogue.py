import io
import json
from functools import cached_property

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import loaddata
from django.db import transaction
from django.test.utils import override_settings

from initiatives.models import CatalogueVersion, SourceDocument, SourceLine
from initiatives.models.managers import natural_keys_found_once

LINE = SourceLine._meta.label_lower


class LoadObjects(loaddata.Command):
    """Django's loaddata, reading a fixture's objects from memory the way it reads
    standard input ("-"), so that they get all it does: natural keys looked up and
    rows updated in place, forward references, constraint checks, sequences."""

    def __init__(self, objects: list[dict]):
        super().__init__()
        self.objects = objects

    @cached_property
    def compression_formats(self) -> dict:
        return {"stdin": (lambda *args: io.StringIO(json.dumps(self.objects)), None)}


class Command(BaseCommand):
    help = (
        "Restore a copy made by backup_catalogue into a migrated database, in one "
        "transaction: the rows are restored as they were, without new change "
        "history, and the catalogue gets a new version, so that no page or count "
        "cached before the restore is served after it."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The file backup_catalogue wrote")

    def handle(self, *args, backup: str, **options) -> None:
        with open(backup, encoding="utf-8") as stream:
            objects = json.load(stream)
        lines = [item["fields"] for item in objects if item["model"] == LINE]
        rest = [item for item in objects if item["model"] != LINE]
        with (
            transaction.atomic(),
            override_settings(SIMPLE_HISTORY_ENABLED=False),
            natural_keys_found_once(),
        ):
            call_command(
                LoadObjects(rest), "-", format="json", verbosity=options["verbosity"]
            )
            restore_lines(lines)
            CatalogueVersion.bump()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Restored {len(lines)} line(s) of the reports' texts")


def restore_lines(lines: list[dict]) -> None:
    """A report's lines, thousands to a query: loaddata spends about four queries on
    each (its natural key, its report twice, the row), and they are most of the
    catalogue. Nothing refers to a line, so they can come after the rest; a line the
    database holds already (same report, same number) gets the backup's text."""
    documents = dict(SourceDocument.objects.values_list("slug", "pk"))
    rows = []
    for fields in lines:
        (slug,) = fields["document"]
        if slug not in documents:
            raise CommandError(f"A line's report is not in the database: {slug}")
        rows.append(
            SourceLine(
                document_id=documents[slug],
                number=fields["number"],
                text=fields["text"],
            )
        )
    SourceLine.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["document", "number"],
        update_fields=["text"],
    )
