"""The catalogue's records: reports, categories, organisations, target groups and the
initiatives that tie them together with stated results and source references.

Every model that appears in fixtures has a natural key, so fixtures hold no database ids
and loading them again updates rows instead of duplicating them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .collation import DANISH
from .search import StoredSearchVectorField


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class SourceDocumentKind(models.TextChoices):
    AWARD_NOMINATIONS = "indstillinger", _("prisindstillinger")
    STATUS_REPORT = "statusrapport", _("statusrapport")
    CASE_COLLECTION = "casesamling", _("casesamling")
    KNOWLEDGE_MAPPING = "vidensafdaekning", _("vidensafdækning")
    MAPPING = "kortlaegning", _("kortlægning")


class SourceDocumentYearBasis(models.TextChoices):
    STATED = "angivet", _("angivet i rapporten")
    INFERRED = "udledt", _("udledt af en kurator")


class SourceDocument(models.Model):
    Kind = SourceDocumentKind
    YearBasis = SourceDocumentYearBasis

    code = models.CharField(
        _("nummer"),
        max_length=3,
        unique=True,
        help_text=_("Rapportens nummer: 000-004."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    short_title = models.CharField(
        _("kort titel"), max_length=100, help_text=_("Bruges i lister og kildelinjer.")
    )
    publisher = models.CharField(
        _("udgiver"),
        max_length=200,
        blank=True,
        help_text=_(
            "Lad feltet stå tomt, hvis rapporten ikke siger det; forklar i noterne."
        ),
    )
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    year_basis = models.CharField(
        _("grundlag for året"), max_length=10, choices=YearBasis, blank=True
    )
    kind = models.CharField(_("rapporttype"), max_length=20, choices=Kind)
    file_name = models.CharField(
        _("filnavn"), max_length=100, help_text=_("Tekstfilen i shared/seeds/.")
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
    objects = SlugManager()

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
                condition=Q(year_basis__in=[*SourceDocumentYearBasis.values, ""]),
                name="sourcedocument_year_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | ~Q(year_basis=""),
                name="sourcedocument_year_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_title}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:source_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


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
    objects = SlugManager()

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


class InitiativeQuerySet(models.QuerySet):
    def published(self) -> "InitiativeQuerySet":
        """The one definition of what the public may see."""
        return self.filter(status=Initiative.Status.PUBLISHED)


class InitiativeStatus(models.TextChoices):
    DRAFT = "kladde", _("kladde")
    PUBLISHED = "offentliggjort", _("offentliggjort")


class InitiativeScope(models.TextChoices):
    LOCAL = "lokal", _("lokal")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")
    ABROAD = "udland", _("udlandet")


class Initiative(models.Model):
    Status = InitiativeStatus
    Scope = InitiativeScope

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

    history = HistoricalRecords(
        m2m_fields=[target_groups, regions],
        excluded_fields=["search_text", "search_vector"],
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
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=F("end_year")),
                name="initiative_years_in_order",
            ),
        ]
        # Pages in order by name are read in order instead of sorted.
        indexes = [
            models.Index(fields=["status", "name", "id"], name="initiative_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative_detail", args=[self.slug])

    @property
    def shown_category_assignments(self) -> list:
        """Its categories without a main category that a subcategory already names;
        uses the prefetched assignments and their categories."""
        assignments = list(self.category_assignments.all())
        named_by_sub = {(a.category.parent_id, a.basis) for a in assignments}
        return [a for a in assignments if (a.category_id, a.basis) not in named_by_sub]

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = [
        "initiatives.targetgroup",
        "initiatives.region",
    ]


class InitiativePartManager(models.Manager):
    """Parts of an initiative are found by the initiative's slug and their own key."""

    def get_by_natural_key(self, initiative_slug: str, *key):
        return self.get(
            initiative__slug=initiative_slug,
            **dict(zip(self.model.key_fields, key, strict=True)),
        )


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
            "Afskåret, forvansket eller forskudt tekst, og hvad der derfor er udeladt."
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

    def clean(self) -> None:
        validate = URLValidator(schemes=["http", "https"])
        for link in self.link_list:
            validate(link)

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class CategoryAssignmentBasis(models.TextChoices):
    STATED = "rapport", _("angivet i rapport 004")
    EDITORIAL = "redaktionel", _("redaktionel")


class CategoryAssignment(models.Model):
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
                condition=Q(basis="redaktionel", reference__isnull=True)
                | Q(basis="rapport", reference__isnull=False),
                name="categoryassignment_stated_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.category}"

    def natural_key(self) -> tuple[str, str]:
        return (self.initiative.slug, self.category.slug)

    natural_key.dependencies = ["initiatives.initiative", "initiatives.category"]

    def clean(self) -> None:
        if self.reference_id and self.reference.initiative_id != self.initiative_id:
            raise ValidationError(
                {
                    "reference": _(
                        "Vælg en kildehenvisning, der hører til denne indsats."
                    )
                }
            )


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
    note = models.CharField(_("note"), max_length=300, blank=True)

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


class OutcomeKind(models.TextChoices):
    QUANTITATIVE = "kvantitativ", _("kvantitativt")
    QUALITATIVE = "kvalitativ", _("kvalitativt")


class Outcome(models.Model):
    Kind = OutcomeKind

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
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
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
                condition=Q(figure__isnull=True) | Q(kind="kvantitativ"),
                name="outcome_figure_is_quantitative",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple:
        return (*self.reference.natural_key(), self.position)

    natural_key.dependencies = ["initiatives.sourcereference"]

    def clean(self) -> None:
        if self.reference_id and self.reference.initiative_id != self.initiative_id:
            raise ValidationError(
                {
                    "reference": _(
                        "Vælg en kildehenvisning, der hører til denne indsats."
                    )
                }
            )


class CatalogueVersion(models.Model):
    """One row whose number changes whenever catalogue content changes; cached pages
    are keyed by it, so every app server sharing the database sees a change at once."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("katalogversion")
        verbose_name_plural = _("katalogversioner")

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current(cls) -> int:
        # Read by every public request, cached or not, so without building a query.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1)
