from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from initiatives.models import CatalogueVersion


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
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", backup, verbosity=options["verbosity"])
            CatalogueVersion.bump()
