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
    # The stamp of the latest change not confined to one initiative and its parts
    # (a category renamed, an organisation merged, a catalogue loaded): every page
    # may show what it touched.
    shared_stamp = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("katalogversion")
        verbose_name_plural = _("katalogversioner")

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current_stamp(cls) -> int:
        """The stamp of the catalogue as it is now."""
        return cls.current_stamps()[0]

    @classmethod
    def current_stamps(cls) -> tuple[int, int]:
        """The stamp of the catalogue as it is now, and its shared stamp."""
        # Read by every public request, cached or not, so without building a query.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT stamp, shared_stamp FROM {cls._meta.db_table} WHERE id = 1"
            )
            row = cursor.fetchone()
        return row or (0, 0)

    @classmethod
    def number_and_stamp(cls) -> tuple[int, int]:
        """The version's number, which people cite and which only grows between
        restores, with the stamp that names its content."""
        row = cls.objects.filter(pk=1).values_list("number", "stamp").first()
        return row or (0, 0)

    @classmethod
    def bump(cls, shared: bool = True) -> int:
        """A new stamp, and the shared stamp too unless the change is confined to
        one initiative (which then takes the new stamp itself: changes.py)."""
        stamp = secrets.randbits(63)
        changed = (
            {"stamp": stamp, "shared_stamp": stamp} if shared else {"stamp": stamp}
        )
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, **changed):
            cls.objects.get_or_create(
                pk=1, defaults={"stamp": stamp, "shared_stamp": stamp}
            )
        return stamp
