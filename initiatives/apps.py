from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from .changes import connect_signals
        from .collation import register_sqlite_collation
        from .curation.roles import keep_curators_up_to_date
        from .search.words import register_sqlite_functions

        connection_created.connect(register_sqlite_collation)
        connection_created.connect(register_sqlite_functions)
        connect_signals(self)
        post_migrate.connect(keep_curators_up_to_date, sender=self)
