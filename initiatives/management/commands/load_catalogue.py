from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from initiatives.catalogue_fixtures import catalogue_fixture_paths
from initiatives.models import CatalogueVersion, Initiative
from initiatives.search import refresh_search_text
from initiatives.source_texts import load_shipped_texts


class Command(BaseCommand):
    help = (
        "Load the whole catalogue from fixtures/, with the reports' texts from "
        "fixtures/reports/, in one transaction. Loading again updates the same rows "
        "(natural keys) and adds nothing."
    )

    def handle(self, *args, **options) -> None:
        paths = [str(path) for path in catalogue_fixture_paths()]
        with transaction.atomic():
            call_command("loaddata", *paths, verbosity=options["verbosity"])
            load_shipped_texts()
            refresh_search_text(Initiative.objects.all())
            # loaddata saves raw rows, which the page cache's signals ignore.
            CatalogueVersion.bump()
