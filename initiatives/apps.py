from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from .collation import register_sqlite_collation
        from .page_cache import connect_signals
        from .search.words import register_sqlite_functions

        connection_created.connect(register_sqlite_collation)
        connection_created.connect(register_sqlite_functions)
        connect_signals(self)
