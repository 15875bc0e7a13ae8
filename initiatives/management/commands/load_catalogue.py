from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from initiatives.catalogue_fixtures import (
    catalogue_fixture_paths,
    english_translation_paths,
)
from initiatives.models import CatalogueVersion, Initiative
from initiatives.models.managers import natural_keys_found_once
from initiatives.search import refresh_search_text
from initiatives.translations import TranslationError, load_translations

from ...sources.texts import UnsafeFileName, load_shipped_texts


class Command(BaseCommand):
    help = (
        "Load the whole catalogue from fixtures/, with the reports' texts from "
        "fixtures/reports/ and the English translations from fixtures/english/, in "
        "one transaction. Loading again updates the same rows (natural keys) and "
        "adds nothing."
    )

    def handle(self, *args, **options) -> None:
        paths = [str(path) for path in catalogue_fixture_paths()]
        with transaction.atomic():
            # loaddata's many-to-many writes would each record a "changed" version;
            # every object instead gets one "created" version below, the first time.
            with (
                override_settings(SIMPLE_HISTORY_ENABLED=False),
                natural_keys_found_once(),
            ):
                call_command("loaddata", *paths, verbosity=options["verbosity"])
            try:
                load_translations(english_translation_paths())
            except TranslationError as error:
                raise CommandError(str(error)) from error
            record_creation_once()
            try:
                load_shipped_texts()
            except UnsafeFileName as error:
                # Nothing is loaded: the transaction rolls back.
                raise CommandError(str(error)) from error
            refresh_search_text(Initiative.objects.all())
            # loaddata saves raw rows, which changes.py's signals ignore.
            CatalogueVersion.bump()


def record_creation_once() -> None:
    """One "created" history row for every catalogue object that has none yet."""
    for model in apps.get_app_config("initiatives").get_models():
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history is None:
            continue
        manager = getattr(model, history)
        recorded = manager.values("id")
        manager.bulk_history_create(
            list(model.objects.exclude(pk__in=recorded)), batch_size=500
        )
