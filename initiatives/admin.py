"""The curators' workplace. Every change is kept by django-simple-history (who, when,
which fields) and can be reverted from an object's history page."""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from .admin_filters import (
    CategoryFilter,
    DuplicateNameFilter,
    MissingFilter,
    OrganisationKindFilter,
    SourceFilter,
)
from .admin_history import CatalogueHistoryAdmin
from .exports import stream_initiatives
from .merging import merge_initiatives, merge_organisations
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
    TargetGroup,
)
from .rows import count_of
from .search import refresh_search_text

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
    ]


def short_reference_label(reference: SourceReference) -> str:
    return Truncator(f"{reference.document.code}, {reference.locator}").chars(60)


class OwnReferencesInline:
    """An inline whose "angivet i" (reference) choices are the initiative's own
    references, with short labels, not every reference in the catalogue."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["reference"]
        field.queryset = SourceReference.objects.filter(
            initiative=obj.pk if obj else None
        ).select_related("document")
        field.label_from_instance = short_reference_label
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
    autocomplete_fields = ["organisation"]


class OutcomeInline(OwnReferencesInline, admin.StackedInline):
    model = Outcome
    extra = 0
    fields = [
        ("reference", "position"),
        "text",
        ("kind", "figure", "unit"),
        ("refers_to", "refers_to_date"),
    ]


def choose_record_to_keep(modeladmin, request, queryset, merge, title):
    """An intermediate page: the curator picks the record that survives the merge."""
    if queryset.count() < 2:
        modeladmin.message_user(
            request, _("Vælg mindst to, der skal lægges sammen."), messages.WARNING
        )
        return None
    if request.POST.get("keep"):
        keep = queryset.filter(pk=request.POST["keep"]).first()
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


@admin.register(Initiative)
class InitiativeAdmin(CatalogueHistoryAdmin):
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
        MissingFilter,
        CategoryFilter,
        "regions",
        OrganisationKindFilter,
        SourceFilter,
        "scope",
    ]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["target_groups", "regions"]
    actions = ["publish", "make_draft", "export_csv", "merge"]
    inlines = [
        SourceReferenceInline,
        CategoryAssignmentInline,
        InvolvementInline,
        OutcomeInline,
    ]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "status", "summary", "purpose", "description"]},
        ),
        (_("Målgrupper"), {"fields": ["target_groups", "target_group_text"]}),
        (
            _("Tid og sted"),
            {
                "fields": [
                    ("start_year", "end_year"),
                    "period_text",
                    "scope",
                    "regions",
                    "place",
                    "setting",
                ]
            },
        ),
        (_("Budget"), {"fields": ["budget_dkk", "budget_text"]}),
        (
            _("Kontakt (kun for kuratorer, aldrig offentlig)"),
            {"fields": ["contact_name", "contact_email", "contact_phone"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                references_n=count_of(SourceReference),
                outcomes_n=count_of(Outcome),
            )
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
        site_url = request.build_absolute_uri("/").rstrip("/")
        response = StreamingHttpResponse(
            stream_initiatives(
                Initiative.objects.filter(pk__in=queryset.values("pk")).order_by(
                    "name"
                ),
                site_url,
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="initiativer-udvalgte-{localdate():%Y-%m-%d}.csv"'
        )
        return response

    @admin.action(description=_("Læg de valgte indsatser sammen"))
    def merge(self, request, queryset):
        return choose_record_to_keep(
            self, request, queryset, merge_initiatives, _("Læg indsatser sammen")
        )


@admin.register(Organisation)
class OrganisationAdmin(CatalogueHistoryAdmin):
    list_display = ["name", "kind", "region", "parent", "initiative_count"]
    list_filter = ["kind", "region", DuplicateNameFilter]
    list_select_related = ["region", "parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(initiatives_n=Count("involvements__initiative", distinct=True))
        )

    @admin.display(description=_("indsatser"), ordering="initiatives_n")
    def initiative_count(self, organisation):
        return organisation.initiatives_n

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_text(Initiative.objects.filter(involvements__organisation=obj))

    @admin.action(description=_("Læg de valgte organisationer sammen"))
    def merge(self, request, queryset):
        return choose_record_to_keep(
            self, request, queryset, merge_organisations, _("Læg organisationer sammen")
        )


@admin.register(TargetGroup)
class TargetGroupAdmin(CatalogueHistoryAdmin):
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_text(obj.initiatives.all())


@admin.register(Category)
class CategoryAdmin(CatalogueHistoryAdmin):
    list_display = ["name", "name_en", "parent", "position"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_text(
            Initiative.objects.filter(category_assignments__category=obj)
        )


@admin.register(Region)
class RegionAdmin(CatalogueHistoryAdmin):
    list_display = ["name", "position"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(CatalogueHistoryAdmin):
    list_display = [
        "code",
        "short_title",
        "publisher",
        year_column(SourceDocument, "year"),
        "year_basis",
        "kind",
    ]
    search_fields = ["title", "short_title"]


@admin.register(SourceReference)
class SourceReferenceAdmin(CatalogueHistoryAdmin):
    list_display = ["initiative", "document", "locator", "line_start", "line_end"]
    list_filter = ["document"]
    list_select_related = ["initiative", "document"]
    search_fields = ["initiative__name", "locator", "cited_source"]
    autocomplete_fields = ["initiative"]
