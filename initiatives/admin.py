from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


class CategoryAssignmentInline(admin.TabularInline):
    model = CategoryAssignment
    extra = 0
    fields = ["category", "basis", "reference", "note"]


class InvolvementInline(admin.TabularInline):
    model = Involvement
    extra = 0
    autocomplete_fields = ["organisation"]


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    fields = [
        ("reference", "position"),
        "text",
        ("kind", "figure", "unit"),
        ("refers_to", "refers_to_date"),
    ]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "start_year", "scope"]
    list_filter = ["status", "scope", "regions", "category_assignments__category"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["target_groups", "regions"]
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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent"]
    list_filter = ["kind", "region"]
    list_select_related = ["region", "parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "parent", "position"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["code", "short_title", "publisher", "year", "year_basis", "kind"]
    search_fields = ["title", "short_title"]


@admin.register(SourceReference)
class SourceReferenceAdmin(admin.ModelAdmin):
    list_display = ["initiative", "document", "locator", "line_start", "line_end"]
    list_filter = ["document"]
    list_select_related = ["initiative", "document"]
    search_fields = ["initiative__name", "locator", "cited_source"]
    autocomplete_fields = ["initiative"]
