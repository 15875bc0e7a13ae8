from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Write the catalogue's content as a fixture with natural keys, which "
        "restore_catalogue restores into a migrated database of either kind. It "
        "leaves out the change history, the catalogue version, users, groups and "
        "logs (login attempts, sessions, admin log)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write, e.g. katalog.json")

    def handle(self, *args, output: str, **options) -> None:
        history = [
            f"initiatives.{model.__name__}"
            for model in apps.get_app_config("initiatives").get_models()
            if model.__name__.startswith("Historical")
        ] + ["initiatives.CatalogueVersion"]
        call_command(
            "dumpdata",
            "initiatives",
            *[f"--exclude={label}" for label in history],
            "--natural-foreign",
            "--natural-primary",
            "--indent=1",
            output=output,
            verbosity=options["verbosity"],
        )
