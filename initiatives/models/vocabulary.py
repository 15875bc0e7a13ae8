"""The catalogue's own vocabulary: categories, regions and target groups."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..collation import DANISH
from .managers import SlugManager


class Category(models.Model):
    name = models.CharField(_("navn"), max_length=100, db_collation=DANISH)
    name_en = models.CharField(_("engelsk navn"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hovedkategori"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Tom for de tre hovedkategorier."),
    )
    definition = models.TextField(
        _("definition"),
        help_text=_("Definitionen, som rapport 004 giver den, med rapportens ord."),
    )
    definition_locator = models.CharField(
        _("hvor definitionen står"), max_length=200, blank=True
    )
    position = models.PositiveSmallIntegerField(
        _("rækkefølge"), help_text=_("Rækkefølge i rapport 004's Figur 3.1.")
    )

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:category_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Region(models.Model):
    name = models.CharField(_("navn"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TargetGroup(models.Model):
    name = models.CharField(_("navn"), max_length=100, unique=True, db_collation=DANISH)
    name_en = models.CharField(_("engelsk navn"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(
        _("beskrivelse"),
        blank=True,
        help_text=_("Hvem der hører hertil, til kuratorer."),
    )
    description_en = models.TextField(
        _("engelsk beskrivelse"),
        blank=True,
        help_text=_("Beskrivelsen oversat til engelsk, til den engelske side."),
    )

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("målgruppe")
        verbose_name_plural = _("målgrupper")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:targetgroup_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
