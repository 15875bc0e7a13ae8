"""The catalogue's records: reports, categories, organisations, target groups and the
initiatives that tie them together with stated results and source references.

Every model that appears in fixtures has a natural key, so fixtures hold no database ids
and loading them again updates rows instead of duplicating them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .collation import DANISH


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class SourceDocumentKind(models.TextChoices):
    AWARD_NOMINATIONS = "indstillinger", _("award nominations")
    STATUS_REPORT = "statusrapport", _("status report")
    CASE_COLLECTION = "casesamling", _("case collection")
    KNOWLEDGE_MAPPING = "vidensafdaekning", _("knowledge mapping")
    MAPPING = "kortlaegning", _("mapping")


class SourceDocumentYearBasis(models.TextChoices):
    STATED = "angivet", _("stated in the report")
    INFERRED = "udledt", _("inferred by a curator")


class SourceDocument(models.Model):
    Kind = SourceDocumentKind
    YearBasis = SourceDocumentYearBasis

    code = models.CharField(
        _("code"), max_length=3, unique=True, help_text=_("The report's number: 000-004.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(
        _("short title"), max_length=100, help_text=_("Used in lists and source lines.")
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty if the report does not say; explain in the notes."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    year_basis = models.CharField(
        _("basis of the year"), max_length=10, choices=YearBasis, blank=True
    )
    kind = models.CharField(_("kind of report"), max_length=20, choices=Kind)
    file_name = models.CharField(
        _("file name"), max_length=100, help_text=_("The text file in shared/seeds/.")
    )
    description = models.TextField(
        _("description"), help_text=_("What the report is, for a reader of the catalogue.")
    )
    notes = models.TextField(
        _("curator's notes"),
        blank=True,
        help_text=_("Oddities of the text, inferred facts and counts that do not add up."),
    )

    objects = SlugManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceDocumentKind.values), name="sourcedocument_kind_valid"
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

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, db_collation=DANISH)
    name_en = models.CharField(_("English name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Empty for the three main categories."),
    )
    definition = models.TextField(
        _("definition"), help_text=_("The definition report 004 gives, in its words.")
    )
    definition_locator = models.CharField(
        _("where the definition stands"), max_length=200, blank=True
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order in report 004's Figur 3.1.")
    )

    objects = SlugManager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Region(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))

    objects = SlugManager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TargetGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, db_collation=DANISH)
    name_en = models.CharField(_("English name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Who belongs here, for curators.")
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class OrganisationKind(models.TextChoices):
    REGION = "region", _("region")
    MUNICIPALITY = "kommune", _("municipality")
    HOSPITAL = "hospital", _("hospital or psychiatry")
    CIVIL_SOCIETY = "civilsamfund", _("civil-society organisation")
    STATE = "stat", _("state agency")
    RESEARCH = "forskning", _("research or knowledge institution")
    COMPANY = "virksomhed", _("private company")
    HOUSING = "boligforening", _("housing association")
    OTHER = "andet", _("other")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=200, db_collation=DANISH)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Where it is based; empty for national or foreign organisations."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("The hospital a department belongs to, the region of a hospital."),
    )
    notes = models.TextField(_("curator's notes"), blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class InitiativeQuerySet(models.QuerySet):
    def published(self) -> "InitiativeQuerySet":
        """The one definition of what the public may see."""
        return self.filter(status=Initiative.Status.PUBLISHED)


class InitiativeStatus(models.TextChoices):
    DRAFT = "kladde", _("draft")
    PUBLISHED = "offentliggjort", _("published")


class InitiativeScope(models.TextChoices):
    LOCAL = "lokal", _("local")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")
    ABROAD = "udland", _("abroad")


class Initiative(models.Model):
    Status = InitiativeStatus
    Scope = InitiativeScope

    name = models.CharField(_("name"), max_length=300, db_collation=DANISH)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text=_("Only published initiatives are shown to the public."),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences."))
    purpose = models.TextField(_("purpose"), blank=True)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup,
        verbose_name=_("target groups"),
        blank=True,
        related_name="initiatives",
    )
    target_group_text = models.TextField(
        _("target group in the source's words"), blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    period_text = models.CharField(
        _("period in the source's words"),
        max_length=200,
        blank=True,
        help_text=_("For example 'Primo 2023' or '1. august 2009 - 31. juli 2012'."),
    )
    scope = models.CharField(
        _("geographic scope"), max_length=10, choices=Scope, blank=True
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="initiatives"
    )
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Municipality, town or country as the source gives it."),
    )
    setting = models.CharField(
        _("setting"),
        max_length=300,
        blank=True,
        help_text=_("Where it happens: hospital ward, shelter, health centre ..."),
    )
    budget_dkk = models.PositiveBigIntegerField(
        _("budget (DKK)"), null=True, blank=True, help_text=_("Only a stated budget.")
    )
    budget_text = models.CharField(
        _("budget in the source's words"), max_length=300, blank=True
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("Curators only: never shown on public pages or in exports."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)

    objects = SlugManager.from_queryset(InitiativeQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=[*InitiativeScope.values, ""]), name="initiative_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=F("end_year")),
                name="initiative_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = [
        "initiatives.targetgroup",
        "initiatives.region",
    ]


class InitiativePartManager(models.Manager):
    """Parts of an initiative are found by the initiative's slug and their own key."""

    def get_by_natural_key(self, initiative_slug: str, *key):
        return self.get(initiative__slug=initiative_slug, **dict(zip(self.model.key_fields, key)))


class SourceReference(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="references",
    )
    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="references",
    )
    locator = models.CharField(
        _("locator"),
        max_length=200,
        help_text=_("Where in the report: 'Bilag 2, Samtaleredskab', 'afsnit 3.4'."),
    )
    line_start = models.PositiveIntegerField(_("first line"))
    line_end = models.PositiveIntegerField(_("last line"))
    cited_source = models.TextField(
        _("cited source"),
        blank=True,
        help_text=_("The publication the report names for it ('Kilde'), as written."),
    )
    cited_year = models.PositiveSmallIntegerField(
        _("year of the cited source"), null=True, blank=True
    )
    links = models.TextField(
        _("links"),
        blank=True,
        help_text=_("Public web addresses the report gives, one per line."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Cut-off, garbled or misplaced text, and what was left out because of it."),
    )

    key_fields = ("document__slug", "locator")
    objects = InitiativePartManager()

    class Meta:
        ordering = ["document__code", "line_start"]
        verbose_name = _("source reference")
        verbose_name_plural = _("source references")
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
    STATED = "rapport", _("stated in report 004")
    EDITORIAL = "redaktionel", _("editorial")


class CategoryAssignment(models.Model):
    Basis = CategoryAssignmentBasis

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="category_assignments",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    basis = models.CharField(
        _("basis"),
        max_length=20,
        choices=Basis,
        help_text=_("Stated: report 004 places it here. Editorial: a curator's judgement."),
    )
    reference = models.ForeignKey(
        SourceReference,
        verbose_name=_("stated in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Required when the basis is a report."),
    )
    note = models.TextField(
        _("reasoning"), blank=True, help_text=_("Why a curator placed it here.")
    )

    key_fields = ("category__slug",)
    objects = InitiativePartManager()

    class Meta:
        ordering = ["category__position"]
        verbose_name = _("category assignment")
        verbose_name_plural = _("category assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "category"], name="categoryassignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=CategoryAssignmentBasis.values), name="categoryassignment_basis_valid"
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
            raise ValidationError({"reference": _("Choose a reference of this initiative.")})


class InvolvementRole(models.TextChoices):
    OWNER = "ansvarlig", _("owner")
    PARTNER = "partner", _("partner")
    FUNDER = "bevillingsgiver", _("funder")
    EVALUATOR = "evaluator", _("evaluator")
    PERFORMER = "udfoerer", _("performer")
    SENDER = "afsender", _("sender")
    DEVELOPER = "udvikler", _("developer")


class Involvement(models.Model):
    Role = InvolvementRole

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
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
        _("role"),
        max_length=20,
        choices=Role,
        help_text=_("Sender: the organisation a report names as 'Afsender'."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    key_fields = ("organisation__slug", "role")
    objects = InitiativePartManager()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "role"], name="involvement_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=InvolvementRole.values), name="involvement_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.initiative.slug, self.organisation.slug, self.role)

    natural_key.dependencies = ["initiatives.initiative", "initiatives.organisation"]


class OutcomeKind(models.TextChoices):
    QUANTITATIVE = "kvantitativ", _("quantitative")
    QUALITATIVE = "kvalitativ", _("qualitative")


class Outcome(models.Model):
    Kind = OutcomeKind

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    reference = models.ForeignKey(
        SourceReference,
        verbose_name=_("stated in"),
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order among the results of the same reference.")
    )
    text = models.TextField(_("result"), help_text=_("A result the report states, never a goal."))
    figure = models.DecimalField(
        _("figure"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=100, blank=True, help_text=_("'borgere', 'procent', 'kr.' ...")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    refers_to = models.CharField(
        _("refers to"),
        max_length=100,
        blank=True,
        help_text=_("The date or period the result refers to, as the report gives it."),
    )
    refers_to_date = models.DateField(
        _("refers to date"),
        null=True,
        blank=True,
        help_text=_("The same as a date, where the report gives one."),
    )

    key_fields = ("reference__document__slug", "reference__locator", "position")
    objects = InitiativePartManager()

    class Meta:
        ordering = ["reference__document__code", "reference__line_start", "position"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
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
            raise ValidationError({"reference": _("Choose a reference of this initiative.")})
