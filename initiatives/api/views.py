"""The read-only JSON API under /api/v1/: the published catalogue, filtered exactly like
the initiative list (the same FilterSet, the same parameter names), a page at a time in
a fixed number of queries."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.viewsets import ReadOnlyModelViewSet

from ..listing.filters import InitiativeFilterSet
from ..listing.initiative_list import InitiativeList
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
from ..site import on_site
from . import serializers
from .parameters import Parameter, filter_parameters, page_parameters, refusals
from .schema import CatalogueSchema

NOT_FOUND = "Ikke fundet."


class CataloguePagination(PageNumberPagination):
    """Pages as the schema describes them (parameters.py checks `side` and `antal`
    before the list is paged): no `side=last`, no quiet fallback for a bad `antal`."""

    page_query_param = "side"  # as on the site's list
    page_size = 50
    page_size_query_param = "antal"
    max_page_size = 100
    last_page_strings = ()
    invalid_page_message = "Siden findes ikke: listen har færre sider."

    def get_page_size(self, request) -> int:
        return int(request.query_params.get(self.page_size_query_param, self.page_size))

    # On SITE_URL, as every link the API gives, not on the request's host.
    def get_next_link(self) -> str | None:
        link = super().get_next_link()
        return link and on_site(link)

    def get_previous_link(self) -> str | None:
        link = super().get_previous_link()
        return link and on_site(link)


class CatalogueViewSet(ReadOnlyModelViewSet):
    """Answers in Danish whatever the client's languages, so that links point to the
    Danish pages and a cached answer fits every client."""

    pagination_class = CataloguePagination
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # as the site's <slug:...> paths
    schema = CatalogueSchema()

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def query_parameters(self) -> list[Parameter]:
        """The list's query parameters, as the schema shows them."""
        return page_parameters(self.paginator)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "list":
            refused = refusals(request.query_params, self.query_parameters())
            if refused:
                raise ValidationError(refused)

    def get_object(self):
        # Django's own message names the model, in English.
        try:
            return super().get_object()
        except Http404:
            raise NotFound(NOT_FOUND) from None


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
def not_found(request):
    """Any other address under the API (a slug the paths do not allow, say): a 404
    in the API's shape and language, not the site's page."""
    raise NotFound(NOT_FOUND)


def with_parts(initiatives: QuerySet) -> QuerySet:
    """Everything an initiative's serialization reads, in one query per kind."""
    return initiatives.prefetch_related(
        Prefetch(
            "category_assignments",
            queryset=CategoryAssignment.objects.select_related("category__parent"),
        ),
        Prefetch(
            "involvements", queryset=Involvement.objects.select_related("organisation")
        ),
        "outcomes",
        Prefetch(
            "references", queryset=SourceReference.objects.select_related("document")
        ),
        "target_groups",
        "regions",
    )


class InitiativeViewSet(CatalogueViewSet):
    """Published initiatives with their categories, target groups, organisations,
    results and sources. Takes the list's filters and order, as the parameters
    below describe them; `side` and `antal` page through them."""

    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilterSet

    def query_parameters(self) -> list[Parameter]:
        return filter_parameters(self.filterset_class) + super().query_parameters()

    def get_queryset(self) -> QuerySet:
        return with_parts(Initiative.objects.published())

    def list(self, request, *args, **kwargs):
        """Counted and paged by the counting layer, as the site's list is, rather
        than by a COUNT over the filtered catalogue on every page."""
        listing = InitiativeList(request.query_params, self.get_queryset())
        if not listing.is_valid:
            raise ValidationError(listing.errors)
        page = self.paginate_queryset(listing.results(records=self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OrganisationViewSet(CatalogueViewSet):
    serializer_class = serializers.OrganisationSerializer
    queryset = (
        Organisation.objects.public()
        .select_related("region", "parent")
        .order_by("name", "pk")
    )


class TargetGroupViewSet(CatalogueViewSet):
    serializer_class = serializers.TargetGroupSerializer
    queryset = TargetGroup.objects.order_by("name", "pk")


class CategoryViewSet(CatalogueViewSet):
    serializer_class = serializers.CategorySerializer
    queryset = Category.objects.select_related("parent").order_by("position", "pk")


class SourceViewSet(CatalogueViewSet):
    serializer_class = serializers.SourceSerializer
    queryset = SourceDocument.objects.published().order_by("code")


class ResultViewSet(CatalogueViewSet):
    """The results the reports state for published initiatives, with the place in
    the report each comes from."""

    serializer_class = serializers.ResultSerializer
    lookup_field = "pk"
    lookup_value_regex = "[0-9]{1,18}"  # fits a bigint on PostgreSQL

    def get_queryset(self) -> QuerySet:
        return (
            Outcome.objects.filter(initiative__in=Initiative.objects.published())
            .select_related("initiative", "reference__document")
            .order_by("pk")
        )


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local files, its start script a file too: the site's
    Content-Security-Policy allows no inline script or style."""

    template_name = "api/swagger_ui.html"
