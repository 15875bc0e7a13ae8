"""The catalogue's version, which every change bumps."""

import secrets

from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class CatalogueVersion(models.Model):
    """One row whose number changes whenever catalogue content changes
    (changes.py); the pages' ETags and the count index are keyed by it, so every
    server process sharing the database sees a change at once."""

    number = models.PositiveBigIntegerField(default=1)
    # What caches are keyed by: random, so that a number a restore brings back never
    # matches a page cached before the restore.
    stamp = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("katalogversion")
        verbose_name_plural = _("katalogversioner")

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current_stamp(cls) -> int:
        """The stamp of the catalogue as it is now."""
        # Read by every public request, cached or not, so without building a query.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT stamp FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def number_and_stamp(cls) -> tuple[int, int]:
        """The version's number, which people cite and which only grows between
        restores, with the stamp that names its content."""
        row = cls.objects.filter(pk=1).values_list("number", "stamp").first()
        return row or (0, 0)

    @classmethod
    def bump(cls) -> None:
        stamp = secrets.randbits(63)
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, stamp=stamp):
            cls.objects.get_or_create(pk=1, defaults={"stamp": stamp})
