from django.core.management import call_command
from django.core.management.base import BaseCommand

from initiatives.catalogue_fixtures import catalogue_fixture_paths


class Command(BaseCommand):
    help = (
        "Load the whole catalogue from fixtures/ in one transaction. Loading again "
        "updates the same rows (natural keys) and adds nothing."
    )

    def handle(self, *args, **options) -> None:
        paths = [str(path) for path in catalogue_fixture_paths()]
        call_command("loaddata", *paths, verbosity=options["verbosity"])
