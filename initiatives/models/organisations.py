"""Organisations that run or take part in initiatives."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..collation import DANISH
from .managers import SlugManager
from .vocabulary import Region

# An involvement counts for its organisation and for the organisations above it: a
# hospital's initiative is also its region's. The catalogue nests units two deep.
PATHS_UP_FROM_INVOLVEMENT = (
    "organisation",
    "organisation__parent",
    "organisation__parent__parent",
)


class OrganisationQuerySet(models.QuerySet):
    def public(self) -> "OrganisationQuerySet":
        """Organisations that take part, themselves or through their units, in a
        published initiative: the others have nothing to show the public."""
        from .initiatives import Initiative
        from .parts import Involvement

        published = Involvement.objects.filter(
            initiative__status=Initiative.Status.PUBLISHED
        )
        taking_part = Q()
        for path in PATHS_UP_FROM_INVOLVEMENT:
            taking_part |= Exists(published.filter(**{path: OuterRef("pk")}))
        return self.filter(taking_part)


class OrganisationKind(models.TextChoices):
    REGION = "region", _("region")
    MUNICIPALITY = "kommune", _("kommune")
    HOSPITAL = "hospital", _("hospital eller psykiatri")
    CIVIL_SOCIETY = "civilsamfund", _("civilsamfundsorganisation")
    STATE = "stat", _("statslig myndighed")
    RESEARCH = "forskning", _("forsknings- eller videninstitution")
    COMPANY = "virksomhed", _("privat virksomhed")
    HOUSING = "boligforening", _("boligforening")
    OTHER = "andet", _("andet")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("navn"), max_length=200, db_collation=DANISH)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Hvor den hører hjemme; tom for landsdækkende og udenlandske."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("del af"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("Det hospital, en afdeling hører til, eller et hospitals region."),
    )
    notes = models.TextField(_("kuratorens noter"), blank=True)

    history = HistoricalRecords()
    objects = SlugManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:organisation_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
