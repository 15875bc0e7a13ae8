"""The five source reports."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .initiatives import Initiative
from .managers import SlugManager


class SourceDocumentKind(models.TextChoices):
    AWARD_NOMINATIONS = "indstillinger", _("prisindstillinger")
    STATUS_REPORT = "statusrapport", _("statusrapport")
    CASE_COLLECTION = "casesamling", _("casesamling")
    KNOWLEDGE_MAPPING = "vidensafdaekning", _("vidensafdækning")
    MAPPING = "kortlaegning", _("kortlægning")


class SourceDocumentStatus(models.TextChoices):
    DRAFT = "kladde", _("kladde")
    PUBLISHED = "offentliggjort", _("offentliggjort")


class SourceDocumentQuerySet(models.QuerySet):
    def published(self) -> "SourceDocumentQuerySet":
        """The one definition of which reports, and whose texts, the public sees."""
        return self.filter(status=SourceDocumentStatus.PUBLISHED)


class SourceDocumentYearBasis(models.TextChoices):
    STATED = "angivet", _("angivet i rapporten")
    INFERRED = "udledt", _("udledt af en kurator")


def report_label(
    short_title: str, publisher_short: str, publisher: str, year: int | None
) -> str:
    """How a reader meets a report: "Casesamling om forebyggelse i regionerne
    (Danske Regioner, 2017)". The report's number is for URLs and data only."""
    details = ", ".join(
        part for part in [publisher_short or publisher, f"{year or ''}"] if part
    )
    return f"{short_title} ({details})" if details else short_title


# A report's text file is read from fixtures/reports/ and published, so its name may
# neither name a folder nor climb out of it, whoever wrote the name. The loader
# checks the resolved path again (source_texts.report_path): a symlink in the folder
# can still point elsewhere.
SAFE_FILE_NAME = (
    ~Q(file_name="")
    & ~Q(file_name__contains="/")
    & ~Q(file_name__contains="\\")
    & ~Q(file_name__startswith=".")
)


def validate_file_name(name: str) -> None:
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
        raise ValidationError(
            _(
                "Filnavnet skal være navnet på én fil i rapporternes mappe: uden / "
                "og \\, og det må ikke begynde med et punktum."
            ),
            code="unsafe_file_name",
        )


class SourceDocument(models.Model):
    Kind = SourceDocumentKind
    Status = SourceDocumentStatus
    YearBasis = SourceDocumentYearBasis

    code = models.CharField(
        _("nummer"),
        max_length=3,
        unique=True,
        help_text=_("Rapportens nummer: 000-004."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text=_(
            "En ny rapport er en kladde, som kun kuratorer ser. Offentliggør den, "
            "når du har læst teksten og registreret de personoplysninger, der skal "
            "fjernes (se forslagene nederst): så kan alle læse den."
        ),
    )
    title = models.CharField(_("titel"), max_length=300)
    short_title = models.CharField(
        _("kort titel"),
        max_length=100,
        help_text=_(
            "Rapportens titel i kort form, som læserne møder den i lister og "
            "kildelinjer sammen med udgiver og år."
        ),
    )
    publisher = models.CharField(
        _("udgiver"),
        max_length=200,
        blank=True,
        help_text=_(
            "Lad feltet stå tomt, hvis rapporten ikke siger det; forklar i noterne."
        ),
    )
    publisher_short = models.CharField(
        _("udgiverens korte navn"),
        max_length=60,
        blank=True,
        help_text=_(
            'Det navn, læserne kender udgiveren under, fx "VIVE"; bruges i '
            "kildelinjer. Tomt: udgiveren med fuldt navn."
        ),
    )
    publisher_note = models.TextField(
        _("hvem står bag"),
        blank=True,
        help_text=_(
            "Offentlig: hvem kataloget forstår står bag rapporten, og hvorfor, når "
            "rapporten ikke selv siger, hvem der har udgivet den. Skriv det som en "
            "kurators vurdering."
        ),
    )
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    year_basis = models.CharField(
        _("grundlag for året"), max_length=10, choices=YearBasis, blank=True
    )
    kind = models.CharField(_("rapporttype"), max_length=20, choices=Kind)
    file_name = models.CharField(
        _("filnavn"),
        max_length=100,
        validators=[validate_file_name],
        help_text=_(
            "Tekstfilen i fixtures/reports/, eller navnet på den fil, en kurator har "
            "uploadet. Sættes af uploaden og kan ikke rettes her."
        ),
    )
    published_where = models.TextField(
        _("hvor rapporten er udgivet"),
        blank=True,
        help_text=_(
            "Hvor rapporten selv siger, at den er udgivet eller kan hentes, som den "
            "skriver det. Lad feltet stå tomt, hvis teksten ikke siger det; gæt aldrig "
            "en webadresse."
        ),
    )
    description = models.TextField(
        _("beskrivelse"),
        help_text=_("Hvad rapporten er, til katalogets læsere."),
    )
    notes = models.TextField(
        _("kuratorens noter"),
        blank=True,
        help_text=_(
            "Tekstens særheder, udledte oplysninger og optællinger, der ikke stemmer."
        ),
    )

    history = HistoricalRecords()
    objects = SlugManager.from_queryset(SourceDocumentQuerySet)()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kilde")
        verbose_name_plural = _("kilder")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceDocumentKind.values),
                name="sourcedocument_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SourceDocumentStatus.values),
                name="sourcedocument_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(year_basis__in=[*SourceDocumentYearBasis.values, ""]),
                name="sourcedocument_year_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | ~Q(year_basis=""),
                name="sourcedocument_year_has_basis",
            ),
            models.CheckConstraint(
                condition=SAFE_FILE_NAME, name="sourcedocument_file_name_safe"
            ),
        ]

    def __str__(self) -> str:
        return report_label(
            self.short_title, self.publisher_short, self.publisher, self.year
        )

    def get_absolute_url(self) -> str:
        return reverse("initiatives:sourcedocument_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def line_count(self) -> int:
        return self.lines.count()

    @property
    def is_published(self) -> bool:
        return self.status == SourceDocument.Status.PUBLISHED

    def clean(self) -> None:
        # A published initiative's references are public: the report they cite
        # must be too (SourceReference.clean keeps the other side).
        if self.pk is None or self.is_published:
            return
        citing = self.references.filter(
            initiative__in=Initiative.objects.published()
        ).count()
        if citing:
            raise ValidationError(
                {
                    "status": _(
                        "%(count)s offentliggjorte indsatser citerer rapporten, så "
                        "den kan ikke blive en kladde. Gør dem til kladder først."
                    )
                    % {"count": citing}
                }
            )
