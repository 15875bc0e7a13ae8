"""The curators' workplace. Every change is kept by django-simple-history (who, when,
which fields) and can be reverted from an object's history page."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .curation.edits import CatalogueAdmin
from .curation.filters import (
    DuplicateNameFilter,
    EnglishFilter,
    MissingFilter,
    facet_filters,
)
from .curation.merging import merge_initiatives, merge_organisations
from .curation.search import FoundByNames, FoundBySynonyms
from .curation.sources import RedactionInline, SourceDocumentForm, SourceTextAdmin
from .listing.rows import count_of
from .models import (
    Category,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    Region,
    SourceDocument,
    SourceReference,
    Synonym,
    TargetGroup,
)
from .models.initiatives import TRANSLATED_FIELDS
from .opendata.exports import csv_response
from .search import refresh_search_text
from .suggestions.admin import SuggestionAdmin

admin.site.site_header = _("Lighedskataloget – kuratorer")
admin.site.site_title = _("Lighedskataloget")
admin.site.index_title = _("Vedligehold kataloget")


def year_column(model, field: str):
    """A list column for a year, shown as 2013: a number column would be localized
    with a thousands separator (2.013)."""

    @admin.display(
        ordering=field, description=model._meta.get_field(field).verbose_name
    )
    def column(obj) -> str:
        year = getattr(obj, field)
        return "" if year is None else str(year)

    return column


class SourceReferenceInline(admin.StackedInline):
    model = SourceReference
    extra = 0
    fields = [
        ("document", "locator"),
        ("line_start", "line_end"),
        ("cited_source", "cited_year"),
        "links",
        "note",
        "curator_note",
    ]


def short_reference_label(reference: SourceReference) -> str:
    return Truncator(f"{reference.document.code}, {reference.locator}").chars(60)


def offer_own_references(field, initiative) -> None:
    """A reference choice limited to the initiative's own references, with short
    labels, not every reference in the catalogue."""
    field.queryset = SourceReference.objects.filter(
        initiative=initiative.pk if initiative else None
    ).select_related("document")
    field.label_from_instance = short_reference_label


class OwnReferencesInline:
    """An inline whose "angivet i" (reference) choices are the initiative's own
    references, with short labels, not every reference in the catalogue."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["reference"]
        offer_own_references(field, obj)
        if obj is None:
            field.help_text = _(
                "Gem først indsatsen med dens kildehenvisninger; så kan de vælges her."
            )
        return formset


class CategoryAssignmentInline(OwnReferencesInline, admin.TabularInline):
    model = CategoryAssignment
    extra = 0
    fields = ["category", "basis", "reference", "note"]


class InvolvementInline(admin.TabularInline):
    model = Involvement
    extra = 0
    fields = ["organisation", "role", "note", "curator_note"]
    autocomplete_fields = ["organisation"]


class OutcomeInline(OwnReferencesInline, admin.StackedInline):
    model = Outcome
    extra = 0
    fields = [
        ("reference", "position"),
        "text",
        ("kind", "figure", "unit"),
        "found_by",
        ("refers_to", "refers_to_date"),
    ]


def choose_record_to_keep(modeladmin, request, queryset, merge, title):
    """An intermediate page: the curator picks the record that survives the merge."""
    if queryset.count() < 2:
        modeladmin.message_user(
            request, _("Vælg mindst to, der skal lægges sammen."), messages.WARNING
        )
        return None
    if "keep" in request.POST:
        chosen = request.POST["keep"]
        keep = queryset.filter(pk=chosen).first() if chosen.isdigit() else None
        if keep is None:
            modeladmin.message_user(
                request, _("Vælg en af de markerede."), messages.ERROR
            )
            return None
        duplicates = list(queryset.exclude(pk=keep.pk))
        merge(keep, duplicates)
        modeladmin.message_user(
            request,
            _("%(count)d er lagt sammen med %(name)s.")
            % {"count": len(duplicates), "name": keep},
            messages.SUCCESS,
        )
        return None
    return render(
        request,
        "admin/initiatives/merge.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "objects": queryset,
            "action": request.POST["action"],
            "opts": modeladmin.model._meta,
        },
    )


ENGLISH_FIELDS = [f"{field}_en" for field in TRANSLATED_FIELDS]


class InitiativeForm(forms.ModelForm):
    english_checked = forms.BooleanField(
        label=_("Den engelske tekst svarer til den danske"),
        required=False,
        help_text=_(
            "Sæt kryds, når du har læst den engelske oversættelse igen efter en "
            "ændring af den danske, og den stadig passer. At rette den engelske "
            "tekst gør det samme."
        ),
    )

    class Meta:
        model = Initiative
        fields = "__all__"


@admin.register(Initiative)
class InitiativeAdmin(CatalogueAdmin):
    form = InitiativeForm
    list_display = [
        "name",
        "status",
        year_column(Initiative, "start_year"),
        "reference_count",
        "outcome_count",
        "preview_link",
    ]
    list_filter = [
        "status",
        "evidence_level",
        MissingFilter,
        EnglishFilter,
        *facet_filters(),
        "scope",
    ]
    search_fields = ["name", "slug", "summary"]
    # In the order of an index (initiative_admin_by_name), so a page is read, not
    # sorted out of the whole catalogue; and one count, not two, per page.
    ordering = ["name", "pk"]
    show_full_result_count = False
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["target_groups", "regions"]
    actions = ["publish", "make_draft", "export_csv", "merge"]
    inlines = [
        SourceReferenceInline,
        CategoryAssignmentInline,
        InvolvementInline,
        OutcomeInline,
    ]
    readonly_fields = ["english_state", "from_suggestions"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "status", "summary", "purpose", "description"]},
        ),
        (
            _("På engelsk"),
            {
                "fields": [*ENGLISH_FIELDS, "english_state", "english_checked"],
                "description": _(
                    "En oversættelse af navnet, resuméet og formålet ovenfor, vist på "
                    "de engelske sider (/en/) og markeret som oversættelse: ingen "
                    "oplysninger, som den danske tekst ikke har. Beskrivelse, "
                    "resultater og noter står kun på dansk."
                ),
            },
        ),
        (_("Målgrupper"), {"fields": ["target_groups", "target_group_text"]}),
        (
            _("Tid og sted"),
            {
                "fields": [
                    ("start_year", "end_year"),
                    "period_text",
                    "period_curator_note",
                    "scope",
                    "regions",
                    "place",
                    "setting",
                ]
            },
        ),
        (_("Budget"), {"fields": ["budget_dkk", "budget_period", "budget_text"]}),
        (
            _("Evidens"),
            {"fields": ["evidence_level", "evidence_basis", "evidence_reason"]},
        ),
        (
            _("Kontakt (kun for kuratorer, aldrig offentlig)"),
            {"fields": ["contact_name", "contact_email", "contact_phone"]},
        ),
        (_("Fra besøgendes forslag"), {"fields": ["from_suggestions"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The level rests on one of the initiative's own references.
        if "evidence_basis" in form.base_fields:
            offer_own_references(form.base_fields["evidence_basis"], obj)
        return form

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                references_n=count_of(SourceReference),
                outcomes_n=count_of(Outcome),
            )
        )

    @admin.display(description=_("den engelske tekst"))
    def english_state(self, initiative):
        if not initiative.pk or not initiative.has_english:
            return _("Ingen engelsk oversættelse endnu.")
        if initiative.english_is_behind:
            return _(
                "Ældre end den danske: det danske navn, resumé eller formål er "
                "ændret, siden den engelske tekst blev skrevet."
            )
        return _("Oversat fra den danske tekst, som den er nu.")

    def save_model(self, request, obj, form, change):
        """The English is taken to be made from the Danish as saved when a curator
        writes it or ticks that it still fits; a change of the Danish alone leaves
        it behind, and the curator is told."""
        english_written = any(field in form.changed_data for field in ENGLISH_FIELDS)
        if english_written or form.cleaned_data.get("english_checked"):
            obj.english_made_from = obj.danish_fingerprint if obj.has_english else ""
        super().save_model(request, obj, form, change)
        danish_changed = [f for f in TRANSLATED_FIELDS if f in form.changed_data]
        if change and danish_changed and obj.has_english and obj.english_is_behind:
            labels = ", ".join(
                str(Initiative._meta.get_field(field).verbose_name)
                for field in danish_changed
            )
            self.message_user(
                request,
                _(
                    "Du har ændret den danske tekst (%(fields)s). Den engelske "
                    "oversættelse kan have brug for samme ændring: ret den under "
                    "'På engelsk', eller sæt kryds ved, at den stadig svarer til den "
                    "danske."
                )
                % {"fields": labels},
                messages.WARNING,
            )

    @admin.display(description=_("forslag, indsatsen er lavet ud fra"))
    def from_suggestions(self, initiative):
        """What the suggestions it was made from say, for the curator to find the
        source they name; the senders' details stay on the suggestions."""
        suggestions = initiative.suggestions.all() if initiative.pk else []
        return (
            format_html_join(
                "",
                '<p><a href="{}">{}</a>: {}</p>',
                (
                    (
                        reverse("admin:initiatives_suggestion_change", args=[s.pk]),
                        s.name,
                        s.described_in or "–",
                    )
                    for s in suggestions
                ),
            )
            or "–"
        )

    @admin.display(description=_("kilder"), ordering="references_n")
    def reference_count(self, initiative):
        return initiative.references_n

    @admin.display(description=_("resultater"), ordering="outcomes_n")
    def outcome_count(self, initiative):
        return initiative.outcomes_n

    @admin.display(description=_("side"))
    def preview_link(self, initiative):
        label = (
            _("Se side")
            if initiative.status == Initiative.Status.PUBLISHED
            else _("Forhåndsvis")
        )
        return format_html('<a href="{}">{}</a>', initiative.get_absolute_url(), label)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_text(Initiative.objects.filter(pk=form.instance.pk))

    @admin.action(description=_("Offentliggør de valgte indsatser"))
    def publish(self, request, queryset):
        self.set_status(request, queryset, Initiative.Status.PUBLISHED)

    @admin.action(description=_("Gør de valgte indsatser til kladder"))
    def make_draft(self, request, queryset):
        self.set_status(request, queryset, Initiative.Status.DRAFT)

    def set_status(self, request, queryset, status: str) -> None:
        if status == Initiative.Status.PUBLISHED:
            # A published initiative's references are public: so must its reports be.
            citing_drafts = queryset.filter(
                references__document__status=SourceDocument.Status.DRAFT
            ).distinct()
            for initiative in citing_drafts:
                self.message_user(
                    request,
                    _(
                        "%(name)s er ikke offentliggjort: den citerer en rapport, "
                        "der er en kladde."
                    )
                    % {"name": initiative},
                    messages.ERROR,
                )
            queryset = queryset.exclude(pk__in=citing_drafts.values("pk"))
        # One save per initiative, so that history records each change.
        for initiative in queryset:
            initiative.status = status
            initiative.save()
        self.message_user(
            request,
            _("%(count)d indsatser er nu: %(status)s.")
            % {"count": len(queryset), "status": Initiative.Status(status).label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Eksportér de valgte som CSV"))
    def export_csv(self, request, queryset):
        chosen = Initiative.objects.filter(pk__in=queryset.values("pk"))
        return csv_response(chosen.order_by("name"), "initiativer-udvalgte")

    @admin.action(description=_("Læg de valgte indsatser sammen"))
    def merge(self, request, queryset):
        return choose_record_to_keep(
            self, request, queryset, merge_initiatives, _("Læg indsatser sammen")
        )


@admin.register(Organisation)
class OrganisationAdmin(FoundByNames, CatalogueAdmin):
    list_display = ["name", "kind", "region", "parent", "initiative_count"]
    list_filter = ["kind", "region", DuplicateNameFilter]
    list_select_related = ["region", "parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]
    searched_fields = ("name", "kind")
    show_full_result_count = False

    def get_queryset(self, request):
        # Counted for the rows shown, not grouped over every involvement.
        involved = (
            Involvement.objects.filter(organisation=OuterRef("pk"))
            .order_by()
            .values("organisation")
            .annotate(n=Count("initiative", distinct=True))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(initiatives_n=Coalesce(Subquery(involved), 0))
        )

    @admin.display(description=_("indsatser"), ordering="initiatives_n")
    def initiative_count(self, organisation):
        return organisation.initiatives_n

    def initiatives_of(self, organisation):
        return Initiative.objects.filter(involvements__organisation=organisation)

    @admin.action(description=_("Læg de valgte organisationer sammen"))
    def merge(self, request, queryset):
        return choose_record_to_keep(
            self, request, queryset, merge_organisations, _("Læg organisationer sammen")
        )


@admin.register(TargetGroup)
class TargetGroupAdmin(FoundByNames, CatalogueAdmin):
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}

    def initiatives_of(self, group):
        return group.initiatives.all()


@admin.register(Category)
class CategoryAdmin(FoundByNames, CatalogueAdmin):
    list_display = ["name", "name_en", "parent", "position"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en"]

    def initiatives_of(self, category):
        return Initiative.objects.filter(category_assignments__category=category)


@admin.register(Synonym)
class SynonymAdmin(FoundBySynonyms, CatalogueAdmin):
    list_display = ["word", "means", "language"]
    list_filter = ["language"]
    search_fields = ["word", "means"]


@admin.register(Region)
class RegionAdmin(CatalogueAdmin):
    list_display = ["name", "position"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(SourceTextAdmin, CatalogueAdmin):
    """A curator adds a report by uploading its text, reads it line-numbered with the
    personal data the detection finds and the lines that look like it, records what
    else must be redacted, and publishes it."""

    form = SourceDocumentForm
    list_display = [
        "code",
        "short_title",
        "status",
        "publisher",
        year_column(SourceDocument, "year"),
        "year_basis",
        "kind",
    ]
    list_filter = ["status"]
    search_fields = ["title", "short_title"]
    actions = ["publish", "make_draft"]
    readonly_fields = [
        "file_name",
        "proposed_redactions",
        "personal_data_hints",
        "numbered_text",
    ]
    inlines = [RedactionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("code", "slug"),
                    "status",
                    "title",
                    "short_title",
                    ("publisher", "publisher_short"),
                    ("year", "year_basis"),
                    "publisher_note",
                    "kind",
                    "published_where",
                    "description",
                    "notes",
                ]
            },
        ),
        (_("Rapportens tekst"), {"fields": ["upload", "file_name"]}),
        (
            _("Teksten med linjenumre (kun for kuratorer)"),
            {"fields": ["proposed_redactions", "personal_data_hints", "numbered_text"]},
        ),
    ]


@admin.register(Outcome)
class OutcomeAdmin(CatalogueAdmin):
    list_display = ["__str__", "initiative", "kind", "found_by", "reference"]
    list_filter = ["kind", "found_by", "reference__document"]
    list_select_related = ["initiative", "reference__document"]
    search_fields = ["text", "initiative__name"]
    # The latest first, read backwards along the primary key: the models' order
    # (by report and line) would sort every result in the catalogue for a page.
    ordering = ["-pk"]
    show_full_result_count = False
    # A search, not a list of every reference in the catalogue.
    autocomplete_fields = ["initiative", "reference"]


@admin.register(SourceReference)
class SourceReferenceAdmin(CatalogueAdmin):
    list_display = ["initiative", "document", "locator", "line_start", "line_end"]
    list_filter = ["document"]
    list_select_related = ["initiative", "document"]
    search_fields = ["initiative__name", "locator", "cited_source"]
    ordering = ["-pk"]  # see OutcomeAdmin
    show_full_result_count = False
    autocomplete_fields = ["initiative"]


# Registered where it is defined, with the queue's own module; named here so that
# admin.site has it whenever this module, which Django's autodiscovery imports, is.
__all__ = ["SuggestionAdmin"]
