"""What belongs to one initiative: its source references, category assignments,
involved organisations and stated results."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .initiatives import Initiative
from .managers import InitiativePartManager
from .organisations import Organisation
from .sources import SourceDocument
from .texts import validate_line_range
from .vocabulary import Category


class SourceReference(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("indsats"),
        on_delete=models.CASCADE,
        related_name="references",
    )
    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("rapport"),
        on_delete=models.PROTECT,
        related_name="references",
    )
    locator = models.CharField(
        _("placering i rapporten"),
        max_length=200,
        help_text=_("Hvor i rapporten: 'Bilag 2, Samtaleredskab', 'afsnit 3.4'."),
    )
    line_start = models.PositiveIntegerField(_("første linje"))
    line_end = models.PositiveIntegerField(_("sidste linje"))
    cited_source = models.TextField(
        _("kilde angivet i rapporten"),
        blank=True,
        help_text=_(
            "Den publikation, rapporten angiver ('Kilde'), som den er skrevet."
        ),
    )
    cited_year = models.PositiveSmallIntegerField(
        _("kildens år"), null=True, blank=True
    )
    links = models.TextField(
        _("links"),
        blank=True,
        help_text=_("Offentlige webadresser, som rapporten angiver, én pr. linje."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "Offentlig: en sætning til læseren om stedet i rapporten, fx at teksten er "
            "afskåret. Ingen feltnavne, ingen kuratorforkortelser."
        ),
    )
    curator_note = models.TextField(
        _("kuratorens note"),
        blank=True,
        help_text=_(
            "Kun for kuratorer: afskåret, forvansket eller forskudt tekst, hvad der "
            "derfor er udeladt, og hvorfor felterne er udfyldt, som de er."
        ),
    )

    key_fields = ("document__slug", "locator")
    history = HistoricalRecords()
    objects = InitiativePartManager()

    class Meta:
        ordering = ["document__code", "line_start"]
        verbose_name = _("kildehenvisning")
        verbose_name_plural = _("kildehenvisninger")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "document", "locator"],
                name="sourcereference_unique_locator",
            ),
            models.CheckConstraint(
                condition=Q(line_start__lte=F("line_end")),
                name="sourcereference_lines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.short_title}, {self.locator}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.initiative.slug, self.document.slug, self.locator)

    natural_key.dependencies = ["initiatives.initiative", "initiatives.sourcedocument"]

    def get_absolute_url(self) -> str:
        """The passage: the cited lines with some text around them."""
        return reverse(
            "initiatives:passage",
            args=[self.document.slug, self.line_start, self.line_end],
        )

    def clean(self) -> None:
        validate = URLValidator(schemes=["http", "https"])
        for link in self.link_list:
            validate(link)
        if None not in (self.document_id, self.line_start, self.line_end):
            validate_line_range(self.document, self.line_start, self.line_end)
        # A missing relation raises an AttributeError: the form reports it.
        initiative = getattr(self, "initiative", None)
        document = getattr(self, "document", None)
        if (
            initiative
            and document
            and initiative.is_published
            and not document.is_published
        ):
            raise ValidationError(
                {
                    "document": _(
                        "Rapporten %(document)s er en kladde, og en offentliggjort "
                        "indsats kan kun citere offentliggjorte rapporter. "
                        "Offentliggør rapporten først, eller gem indsatsen som kladde."
                    )
                    % {"document": document}
                }
            )

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class CitesOwnReference(models.Model):
    """A part of an initiative whose "angivet i" must be one of the initiative's own
    source references."""

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.reference_id and self.reference.initiative_id != self.initiative_id:
            raise ValidationError(
                {
                    "reference": _(
                        "Vælg en kildehenvisning, der hører til denne indsats."
                    )
                }
            )


class CategoryAssignmentBasis(models.TextChoices):
    STATED = "rapport", _("angivet i rapport 004")
    EDITORIAL = "redaktionel", _("redaktionel")


class CategoryAssignment(CitesOwnReference):
    Basis = CategoryAssignmentBasis

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("indsats"),
        on_delete=models.CASCADE,
        related_name="category_assignments",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    basis = models.CharField(
        _("grundlag"),
        max_length=20,
        choices=Basis,
        help_text=_(
            "Rapport: rapport 004 placerer den her. Redaktionel: en kurators vurdering."
        ),
    )
    reference = models.ForeignKey(
        SourceReference,
        verbose_name=_("angivet i"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        help_text=_("Skal udfyldes, når grundlaget er en rapport."),
    )
    note = models.TextField(
        _("begrundelse"),
        blank=True,
        help_text=_("Hvorfor en kurator har placeret den her."),
    )

    key_fields = ("category__slug",)
    history = HistoricalRecords()
    objects = InitiativePartManager()

    class Meta:
        ordering = ["category__position"]
        verbose_name = _("kategoriplacering")
        verbose_name_plural = _("kategoriplaceringer")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "category"], name="categoryassignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=CategoryAssignmentBasis.values),
                name="categoryassignment_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    basis=CategoryAssignmentBasis.EDITORIAL, reference__isnull=True
                )
                | Q(basis=CategoryAssignmentBasis.STATED, reference__isnull=False),
                name="categoryassignment_stated_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.category}"

    @property
    def is_stated(self) -> bool:
        return self.basis == CategoryAssignmentBasis.STATED

    def natural_key(self) -> tuple[str, str]:
        return (self.initiative.slug, self.category.slug)

    natural_key.dependencies = ["initiatives.initiative", "initiatives.category"]


class InvolvementRole(models.TextChoices):
    OWNER = "ansvarlig", _("ansvarlig")
    PARTNER = "partner", _("partner")
    FUNDER = "bevillingsgiver", _("bevillingsgiver")
    EVALUATOR = "evaluator", _("evaluator")
    PERFORMER = "udfoerer", _("udfører")
    SENDER = "afsender", _("afsender")
    DEVELOPER = "udvikler", _("udvikler")


class Involvement(models.Model):
    Role = InvolvementRole

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("indsats"),
        on_delete=models.CASCADE,
        related_name="involvements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="involvements",
    )
    role = models.CharField(
        _("rolle"),
        max_length=20,
        choices=Role,
        help_text=_("Afsender: den organisation, en rapport nævner som 'Afsender'."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_(
            "Offentlig: hvad læseren har brug for at vide om medvirken, fx en "
            "afdeling, på almindeligt dansk. Ingen linjenumre, ingen citater af "
            "rapportens ordvalg."
        ),
    )
    curator_note = models.TextField(
        _("kuratorens note"),
        blank=True,
        help_text=_(
            "Kun for kuratorer: hvor i rapporten medvirken står, med linjenumre, og "
            "hvorfor organisationen er identificeret, som den er."
        ),
    )

    key_fields = ("organisation__slug", "role")
    history = HistoricalRecords()
    objects = InitiativePartManager()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("medvirken")
        verbose_name_plural = _("medvirkende")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "role"], name="involvement_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=InvolvementRole.values),
                name="involvement_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.initiative.slug, self.organisation.slug, self.role)

    natural_key.dependencies = ["initiatives.initiative", "initiatives.organisation"]


ROLE_ORDER = {role: place for place, role in enumerate(InvolvementRole.values)}


@dataclass
class Participation:
    """One organisation's part in one initiative, with every role it has there:
    "Københavns Kommune – ansvarlig, udfører" is one line, not two."""

    involvements: list[Involvement]

    @property
    def initiative(self) -> Initiative:
        return self.involvements[0].initiative

    @property
    def organisation(self) -> Organisation:
        return self.involvements[0].organisation

    @property
    def roles(self) -> list[str]:
        ordered = sorted(self.involvements, key=lambda i: ROLE_ORDER[i.role])
        return [str(involvement.get_role_display()) for involvement in ordered]

    @property
    def notes(self) -> list[str]:
        return [
            involvement.note for involvement in self.involvements if involvement.note
        ]


def participations(involvements: Iterable[Involvement]) -> list[Participation]:
    """Involvements joined per initiative and organisation, in the order of each
    pair's first involvement."""
    joined: dict[tuple[int, int], list[Involvement]] = {}
    for involvement in involvements:
        key = (involvement.initiative_id, involvement.organisation_id)
        joined.setdefault(key, []).append(involvement)
    return [Participation(together) for together in joined.values()]


class OutcomeKind(models.TextChoices):
    QUANTITATIVE = "kvantitativ", _("kvantitativt")
    QUALITATIVE = "kvalitativ", _("kvalitativt")


class OutcomeFinder(models.TextChoices):
    INITIATIVE = "indsatsen", _("indsatsen selv")
    EXTERNAL_EVALUATOR = "ekstern-evaluator", _("ekstern evaluator")
    RESEARCHERS = "forskere", _("forskere")


class Outcome(CitesOwnReference):
    Kind = OutcomeKind
    Finder = OutcomeFinder

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("indsats"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    # RESTRICT, not PROTECT: a reference that results cite cannot be deleted on its
    # own, but deleting the whole initiative takes its references and results along.
    reference = models.ForeignKey(
        SourceReference,
        verbose_name=_("angivet i"),
        on_delete=models.RESTRICT,
        related_name="outcomes",
    )
    position = models.PositiveSmallIntegerField(
        _("rækkefølge"),
        help_text=_("Rækkefølge blandt resultaterne fra samme kildehenvisning."),
    )
    text = models.TextField(
        _("resultat"), help_text=_("Et resultat, rapporten angiver – aldrig et mål.")
    )
    figure = models.DecimalField(
        _("tal"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("enhed"),
        max_length=100,
        blank=True,
        help_text=_("'borgere', 'procent', 'kr.' ..."),
    )
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=Kind,
        help_text=_("Kvantitativt: et tal. Kvalitativt: en erfaring eller vurdering."),
    )
    found_by = models.CharField(
        _("fundet af"),
        max_length=20,
        choices=Finder,
        blank=True,
        help_text=_("Hvem der fandt resultatet, hvor rapporten siger det."),
    )
    refers_to = models.CharField(
        _("gælder"),
        max_length=100,
        blank=True,
        help_text=_(
            "Den dato eller periode, resultatet gælder, som rapporten angiver den."
        ),
    )
    refers_to_date = models.DateField(
        _("gælder dato"),
        null=True,
        blank=True,
        help_text=_("Det samme som dato, hvor rapporten angiver en."),
    )

    key_fields = ("reference__document__slug", "reference__locator", "position")
    history = HistoricalRecords()
    objects = InitiativePartManager()

    class Meta:
        ordering = ["reference__document__code", "reference__line_start", "position"]
        verbose_name = _("resultat")
        verbose_name_plural = _("resultater")
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "position"], name="outcome_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(found_by__in=[*OutcomeFinder.values, ""]),
                name="outcome_found_by_valid",
            ),
            models.CheckConstraint(
                condition=Q(figure__isnull=True) | Q(kind="kvantitativ"),
                name="outcome_figure_is_quantitative",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple:
        return (*self.reference.natural_key(), self.position)

    natural_key.dependencies = ["initiatives.sourcereference"]
