"""What the API shows of each record: the public fields only. Contact persons, draft
status, curators' notes on organisations and search columns are never serialized.

Related records are named by slug (and the catalogue id, for joining with the data
package); each record links to its page on the site.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    Category,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    SourceDocument,
    SourceReference,
    TargetGroup,
)
from ..site import absolute_url

MAIN_CATEGORY = "Hovedkategorien; null for en hovedkategori selv."


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The page on the site of the record (or of `source`), as an absolute address."""

    def __init__(self, source: str = "*", **kwargs):
        kwargs.setdefault("help_text", "Postens side i kataloget.")
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return absolute_url(value.get_absolute_url())


class TargetGroupSerializer(serializers.ModelSerializer):
    url = PageLinkField()

    class Meta:
        model = TargetGroup
        fields = ["id", "slug", "name", "name_en", "description", "url"]


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=MAIN_CATEGORY
    )
    url = PageLinkField()

    class Meta:
        model = Category
        fields = [
            "id",
            "slug",
            "name",
            "name_en",
            "parent",
            "definition",
            "definition_locator",
            "position",
            "url",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Regionen, organisationen hører til; null hvis ingen.",
    )
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Organisationen, den er en enhed i; null hvis ingen.",
    )
    url = PageLinkField()

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "kind", "region", "parent", "url"]


class SourceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(
        source="__str__",
        read_only=True,
        help_text="Rapportens navn, som læserne møder det: kort titel, udgiver og år.",
    )
    url = PageLinkField()

    class Meta:
        model = SourceDocument
        fields = [
            "id",
            "code",
            "slug",
            "title",
            "short_title",
            "label",
            "publisher",
            "publisher_short",
            "publisher_note",
            "year",
            "year_basis",
            "kind",
            "description",
            "notes",
            "url",
        ]


class ReferenceSerializer(serializers.ModelSerializer):
    """A place in a report: `passage_url` shows its cited lines in the report's text,
    `source_url` is the report's page."""

    source = serializers.CharField(source="document.slug", read_only=True)
    source_code = serializers.CharField(source="document.code", read_only=True)
    source_label = serializers.CharField(
        source="document.__str__",
        read_only=True,
        help_text="Rapportens navn: kort titel, udgiver og år.",
    )
    links = serializers.ListField(
        source="link_list", child=serializers.URLField(), read_only=True
    )
    source_url = PageLinkField(source="document", help_text="Rapportens side.")
    passage_url = PageLinkField(
        help_text="De citerede linjer i rapportens tekst, med linjerne omkring."
    )

    class Meta:
        model = SourceReference
        fields = [
            "id",
            "source",
            "source_code",
            "source_label",
            "locator",
            "line_start",
            "line_end",
            "cited_source",
            "cited_year",
            "links",
            "note",
            "passage_url",
            "source_url",
        ]


class PlacementSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    main_category = serializers.SlugRelatedField(
        source="category.parent",
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=MAIN_CATEGORY,
    )
    reference = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Kildehenvisningen, der angiver kategorien; null for en "
        "redaktionel vurdering.",
    )

    class Meta:
        model = CategoryAssignment
        fields = ["category", "main_category", "basis", "reference", "note"]


class InvolvementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True
    )
    organisation_kind = serializers.CharField(
        source="organisation.kind", read_only=True
    )

    class Meta:
        model = Involvement
        fields = [
            "organisation",
            "organisation_name",
            "organisation_kind",
            "role",
            "note",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    reference = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "text",
            "figure",
            "unit",
            "kind",
            "refers_to",
            "refers_to_date",
            "reference",
            "position",
        ]


class ResultSerializer(OutcomeSerializer):
    """A result on its own: with its initiative and the place in the report."""

    initiative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    reference = ReferenceSerializer(read_only=True)

    class Meta(OutcomeSerializer.Meta):
        fields = ["initiative", *OutcomeSerializer.Meta.fields]


class InitiativeSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    placements = PlacementSerializer(
        source="category_assignments", many=True, read_only=True
    )
    target_groups = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    regions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    involvements = InvolvementSerializer(many=True, read_only=True)
    results = OutcomeSerializer(source="outcomes", many=True, read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)
    english_outdated = serializers.BooleanField(
        source="english_is_behind",
        read_only=True,
        help_text="Whether the Danish name, summary or purpose has changed since "
        "the English translation (name_en, summary_en, purpose_en) was written.",
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "summary",
            "purpose",
            "name_en",
            "summary_en",
            "purpose_en",
            "english_outdated",
            "description",
            "placements",
            "target_groups",
            "target_group_text",
            "start_year",
            "end_year",
            "period_text",
            "scope",
            "regions",
            "place",
            "setting",
            "budget_dkk",
            "budget_text",
            "involvements",
            "results",
            "references",
        ]
