"""Initiatives, the catalogue's main records."""

import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import MD5, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..collation import DANISH
from ..fields import StoredSearchVectorField
from ..i18n import TRANSLATED as TRANSLATED_FIELDS
from .managers import SlugManager
from .vocabulary import Region, TargetGroup

# A period text that is only years: "2005", "2005-", "2009-11", "2015-2018".
YEARS_ONLY = re.compile(r"\s*(\d{4})\s*(?:[-–—]\s*(\d{4}|\d{2})?)?\s*")

# Between the Danish texts in a fingerprint, a character no text holds.
FINGERPRINT_SEPARATOR = "\x1f"


def danish_fingerprint(name: str, summary: str, purpose: str) -> str:
    """What `english_made_from` holds: the MD5 of the Danish texts the English was
    translated from, as `danish_fingerprint_sql` computes it in the database."""
    text = FINGERPRINT_SEPARATOR.join([name, summary, purpose])
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def danish_fingerprint_sql() -> MD5:
    parts = []
    for field in TRANSLATED_FIELDS:
        parts += [F(field), Value(FINGERPRINT_SEPARATOR)]
    return MD5(Concat(*parts[:-1], output_field=models.TextField()))


def english_behind_condition() -> Q:
    return ~Q(english_made_from="") & ~Q(english_made_from=danish_fingerprint_sql())


class InitiativeQuerySet(models.QuerySet):
    def published(self) -> "InitiativeQuerySet":
        """The one definition of what the public may see."""
        return self.filter(status=Initiative.Status.PUBLISHED)

    def english_behind(self) -> "InitiativeQuerySet":
        """Those whose Danish name, summary or purpose has changed since their
        English was written."""
        return self.filter(english_behind_condition())

    def with_english_outdated(self) -> "InitiativeQuerySet":
        """Each with `english_outdated`: "ja" where `english_behind` has it, else
        empty (a column of the data package)."""
        return self.annotate(
            english_outdated=Case(
                When(english_behind_condition(), then=Value("ja")),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

    def without_english(self) -> "InitiativeQuerySet":
        return self.filter(Q(name_en="") | Q(summary_en=""))


class InitiativeStatus(models.TextChoices):
    DRAFT = "kladde", _("kladde")
    PUBLISHED = "offentliggjort", _("offentliggjort")


class InitiativeScope(models.TextChoices):
    LOCAL = "lokal", _("lokal")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")
    ABROAD = "udland", _("udlandet")


class EvidenceLevel(models.TextChoices):
    """How sure the catalogue is that an initiative works, weakest first; the
    definitions a curator places an initiative by are in `initiatives.evidence`."""

    DESCRIBED = "beskrevet", _("Beskrevet")
    EXPERIENCE = "erfaringer", _("Erfaringer")
    EVALUATED = "evalueret", _("Evalueret")
    EFFECT_SHOWN = "effekt-paavist", _("Effekt påvist")


class BudgetPeriod(models.TextChoices):
    WHOLE_PERIOD = "hele-perioden", _("for hele perioden")
    PER_YEAR = "pr-aar", _("pr. år")


class Initiative(models.Model):
    Status = InitiativeStatus
    Scope = InitiativeScope
    EvidenceLevel = EvidenceLevel
    BudgetPeriod = BudgetPeriod

    name = models.CharField(_("navn"), max_length=300, db_collation=DANISH)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text=_("Kun offentliggjorte indsatser vises for offentligheden."),
    )
    summary = models.TextField(_("resumé"), help_text=_("En eller to sætninger."))
    purpose = models.TextField(_("formål"), blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    name_en = models.CharField(
        _("navn på engelsk"),
        max_length=300,
        blank=True,
        help_text=_(
            "En oversættelse af det danske navn, ingen nye oplysninger. Egennavne "
            "bevares, evt. med en engelsk gengivelse i parentes."
        ),
    )
    summary_en = models.TextField(
        _("resumé på engelsk"),
        blank=True,
        help_text=_("En tro oversættelse af det danske resumé."),
    )
    purpose_en = models.TextField(
        _("formål på engelsk"),
        blank=True,
        help_text=_("En tro oversættelse af det danske formål, hvor der er et."),
    )
    english_made_from = models.CharField(
        _("engelsk oversat fra"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_(
            "Et fingeraftryk af det danske navn, resumé og formål, som den engelske "
            "tekst blev oversat fra; afviger det fra det nuværende, er den danske "
            "tekst ændret siden."
        ),
    )
    target_groups = models.ManyToManyField(
        TargetGroup,
        verbose_name=_("målgrupper"),
        blank=True,
        related_name="initiatives",
    )
    target_group_text = models.TextField(_("målgruppe med kildens ord"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("startår"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("slutår"), null=True, blank=True)
    period_text = models.CharField(
        _("periode med kildens ord"),
        max_length=200,
        blank=True,
        help_text=_(
            "For eksempel 'Primo 2023' eller '1. august 2009 - 31. juli 2012'."
        ),
    )
    period_curator_note = models.TextField(
        _("kuratorens note om perioden"),
        blank=True,
        help_text=_(
            "Kun for kuratorer: hvor årstallene står, og hvorfor start- og slutår er "
            "udfyldt eller tomme."
        ),
    )
    scope = models.CharField(
        _("geografisk rækkevidde"), max_length=10, choices=Scope, blank=True
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regioner"), blank=True, related_name="initiatives"
    )
    place = models.CharField(
        _("sted"),
        max_length=300,
        blank=True,
        help_text=_("Kommune, by eller land, som kilden angiver det."),
    )
    setting = models.CharField(
        _("arena"),
        max_length=300,
        blank=True,
        help_text=_("Hvor det foregår: hospitalsafdeling, herberg, sundhedscenter ..."),
    )
    budget_dkk = models.PositiveBigIntegerField(
        _("budget (kr.)"),
        null=True,
        blank=True,
        help_text=_("Kun et budget, kilden angiver."),
    )
    budget_text = models.CharField(
        _("budget med kildens ord"), max_length=300, blank=True
    )
    budget_period = models.CharField(
        _("budgettet gælder"),
        max_length=20,
        choices=BudgetPeriod,
        blank=True,
        help_text=_(
            "Om beløbet dækker hele perioden eller ét år, som kilden siger det; "
            "tom, hvor kilden ikke siger det."
        ),
    )
    evidence_level = models.CharField(
        _("evidensniveau"),
        max_length=20,
        choices=EvidenceLevel,
        blank=True,
        help_text=_(
            "Det, indsatsens stærkeste kilde understøtter (se /om/evidens/); "
            "aldrig en plan, et mål eller en forventning."
        ),
    )
    evidence_basis = models.ForeignKey(
        "SourceReference",
        verbose_name=_("evidensniveauets grundlag"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Den af indsatsens egne kildehenvisninger, niveauet bygger på."),
    )
    evidence_reason = models.CharField(
        _("begrundelse for evidensniveauet"),
        max_length=400,
        blank=True,
        help_text=_("Én sætning: hvad kilden siger, der giver netop dette niveau."),
    )
    search_text = models.TextField(
        _("søgetekst"),
        blank=True,
        editable=False,
        help_text=_("Udfyldes automatisk ud fra indsatsen og dens relationer."),
    )
    search_vector = StoredSearchVectorField(
        _("søgevektor"),
        null=True,
        editable=False,
        help_text=_("Udfyldes automatisk ud fra søgeteksten (kun PostgreSQL)."),
    )
    search_text_en = models.TextField(
        _("engelsk søgetekst"),
        blank=True,
        editable=False,
        help_text=_("Udfyldes automatisk ud fra indsatsen og dens relationer."),
    )
    search_vector_en = StoredSearchVectorField(
        _("engelsk søgevektor"),
        null=True,
        editable=False,
        help_text=_(
            "Udfyldes automatisk ud fra den engelske søgetekst (kun PostgreSQL)."
        ),
    )
    contact_name = models.CharField(
        _("kontaktperson"),
        max_length=200,
        blank=True,
        help_text=_(
            "Kun for kuratorer: vises aldrig på offentlige sider eller i eksporter."
        ),
    )
    contact_email = models.EmailField(_("kontaktens e-mail"), blank=True)
    contact_phone = models.CharField(_("kontaktens telefon"), max_length=50, blank=True)
    # The catalogue's stamp at the latest change to the initiative or one of its
    # parts (changes.py): what its page shows, and its row in a list, is named by it.
    # Null until then, which lets SQLite add the column without making the table
    # again (and losing its search triggers).
    changed_stamp = models.BigIntegerField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[target_groups, regions],
        excluded_fields=[
            "search_text",
            "search_vector",
            "search_text_en",
            "search_vector_en",
            "changed_stamp",
        ],
    )
    objects = SlugManager.from_queryset(InitiativeQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indsats")
        verbose_name_plural = _("indsatser")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values),
                name="initiative_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=[*InitiativeScope.values, ""]),
                name="initiative_scope_valid",
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__in=[*EvidenceLevel.values, ""]),
                name="initiative_evidence_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(budget_period__in=[*BudgetPeriod.values, ""]),
                name="initiative_budget_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=F("end_year")),
                name="initiative_years_in_order",
            ),
        ]
        indexes = [
            # Pages in order by name are read in order instead of sorted.
            models.Index(fields=["status", "name", "id"], name="initiative_by_name"),
            # The list's years filter reads this index alone, not the wide rows
            # (bench/RESULTS.md measures it at 100,000 initiatives).
            models.Index(
                fields=["status", "start_year", "end_year", "id"],
                name="initiative_years",
            ),
            # The admin's list of every initiative, in name order, is read in
            # order too.
            models.Index(fields=["name", "id"], name="initiative_admin_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative_detail", args=[self.slug])

    def clean(self) -> None:
        if self.evidence_basis_id and self.evidence_basis.initiative_id != self.pk:
            raise ValidationError(
                {
                    "evidence_basis": _(
                        "Vælg en kildehenvisning, der hører til denne indsats."
                    )
                }
            )

    @property
    def is_published(self) -> bool:
        return self.status == Initiative.Status.PUBLISHED

    @property
    def has_english(self) -> bool:
        return bool(self.name_en and self.summary_en)

    @property
    def danish_fingerprint(self) -> str:
        return danish_fingerprint(*(getattr(self, f) for f in TRANSLATED_FIELDS))

    @property
    def english_is_behind(self) -> bool:
        """Whether the Danish has changed since the English was written."""
        made_from = self.english_made_from
        return bool(made_from) and made_from != self.danish_fingerprint

    @property
    def shown_category_assignments(self) -> list:
        """Its categories without a main category that a subcategory already names;
        uses the prefetched assignments and their categories."""
        assignments = list(self.category_assignments.all())
        named_by_sub = {(a.category.parent_id, a.basis) for a in assignments}
        return [a for a in assignments if (a.category_id, a.basis) not in named_by_sub]

    @property
    def period_note(self) -> str:
        """The period in the source's words, unless it only restates the start and
        end years shown beside it ("2005-" beside 2005)."""
        years = YEARS_ONLY.fullmatch(self.period_text)
        if not years or self.start_year is None:
            return self.period_text
        start, end = int(years[1]), years[2]
        if end and len(end) == 2:  # "2009-11": the same century
            end = start // 100 * 100 + int(end)
        if start == self.start_year and (end is None or int(end) == self.end_year):
            return ""
        return self.period_text

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = [
        "initiatives.targetgroup",
        "initiatives.region",
    ]
