from itertools import chain

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError

# The order the rows are written in, so that `loaddata` finds what each row refers to.
# An initiative and its source references refer to each other (a reference is the
# basis of the initiative's evidence level), a cycle dumpdata's sorting cannot order:
# initiatives come first, and loaddata resolves their basis as a forward reference.
MODEL_ORDER = [
    "Category",
    "Region",
    "TargetGroup",
    "Organisation",
    "SourceDocument",
    "SourceLine",
    "Redaction",
    "Initiative",
    "StaleSearchText",
    "SourceReference",
    "CategoryAssignment",
    "Involvement",
    "Outcome",
    "Synonym",
    "SearchWord",
]

# Bookkeeping the code writes, search's entries (which triggers make from the
# initiatives as they are restored), and visitors' suggestions: not catalogue
# content, and their senders' contact details must be gone after 180 days, which a
# backup kept longer would defeat (pg_dump of the whole database does hold them).
NOT_CONTENT = ("CatalogueVersion", "SearchEntry", "Suggestion")


class Command(BaseCommand):
    help = (
        "Write the catalogue's content as a fixture with natural keys, which "
        "restore_catalogue restores into a migrated database of either kind. It "
        "leaves out the change history, the catalogue version and its marks of "
        "changed initiatives, visitors' suggestions, users, groups and "
        "logs (login attempts, sessions, admin log)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write, e.g. katalog.json")

    def handle(self, *args, output: str, **options) -> None:
        app = apps.get_app_config("initiatives")
        content = [
            model
            for model in app.get_models()
            if not model.__name__.startswith("Historical")
            and model.__name__ not in NOT_CONTENT
        ]
        if {model.__name__ for model in content} != set(MODEL_ORDER):
            raise CommandError(
                "Every catalogue model must have a place in MODEL_ORDER."
            )
        # A row's natural keys name the rows it refers to: fetched with it, not one
        # query per row for each (a report's lines are most of the catalogue).
        rows = chain.from_iterable(
            app.get_model(name)._default_manager.select_related().order_by("pk")
            for name in MODEL_ORDER
        )
        with open(output, "w", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                rows,
                indent=1,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                stream=stream,
            )
