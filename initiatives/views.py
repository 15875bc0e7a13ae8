from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from .collation import name_matches
from .evidence import level_counts
from .i18n import in_name_order
from .listing.counting import (
    FacetCounts,
    ListResults,
    initiatives_having,
    related_initiatives,
    with_initiative_counts,
)
from .listing.facets import CATEGORY, ORGANISATION, SOURCE, TARGET_GROUP
from .listing.initiative_list import ORGANISATION_PAGE_SIZE, InitiativeList, page_of
from .listing.region_map import region_map
from .listing.rows import initiatives_with_row_fields
from .listing.statistics import front_page_statistics
from .models import (
    Category,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    SourceDocument,
    SourceReference,
    Suggestion,
    TargetGroup,
)
from .models.organisations import PATHS_UP_FROM_INVOLVEMENT
from .models.parts import ROLE_ORDER, participations
from .opendata.built_files import whole_catalogue_response
from .opendata.exports import COLUMNS, EXPLAINED_ON, SEPARATOR, csv_response
from .sources.views import private_if_draft, readable_documents

MAX_NAME_QUERY = 200  # characters of a typed name, as the search field allows


@require_safe
def home(request):
    return render(request, "initiatives/home.html", front_page_statistics())


@require_safe
def evidence_scale(request):
    return render(
        request, "initiatives/evidence_scale.html", {"levels": level_counts()}
    )


@require_safe
def privacy(request):
    return render(
        request,
        "initiatives/privacy.html",
        {"keep_days": Suggestion.KEEP_CONTACT_DAYS},
    )


@require_safe
def initiative_list(request):
    listing = InitiativeList(request.GET, initiatives_with_row_fields())
    page = listing.page()
    context = {
        "filter": listing.filterset,
        "page_obj": page,
        "paginator": page.paginator,
    }
    if not listing.is_valid:
        return render(request, "initiatives/initiative_list.html", context)
    context |= {
        "facets": listing.counts.facets(),
        "object_list": page.object_list,
        "active_filters": listing.chips(),
        "query": listing.search,
        "search": listing.search_plan,
        "region_map": region_map(listing.counts, request.GET),
    }
    if page.paginator.count:
        export = reverse("initiatives:initiative_export")
        context["export_url"] = export + listing.without("side")
    else:
        context["ways_to_widen"] = listing.ways_to_widen()
    return render(request, "initiatives/initiative_list.html", context)


@require_safe
def initiative_export(request):
    """The list's initiatives as CSV: same filters, same order, every page."""
    dialect = request.GET.get("format", "excel")
    listing = InitiativeList(request.GET)
    wrong = (
        [] if dialect in ("excel", "csv") else [_("format: brug 'excel' eller 'csv'.")]
    )
    refused = listing.refusal(_("Eksporten kunne ikke laves:"), *wrong)
    if refused:
        return refused
    excel = dialect == "excel"
    filterset = listing.filterset
    if filterset.is_whole_catalogue:
        return whole_catalogue_response(filterset.qs, filterset.ordering, excel=excel)
    # Counted by the index, as the list is: reading rows to count them would hold
    # back the header line for as long as the search takes.
    count = listing.counts.total()
    return csv_response(filterset.qs, "initiativer", excel, count=count)


@require_safe
def export_help(request):
    return render(
        request,
        "initiatives/export_help.html",
        {
            "columns": [
                (
                    name,
                    help,
                    reverse(EXPLAINED_ON[name]) if name in EXPLAINED_ON else "",
                )
                for name, help in COLUMNS.items()
            ],
            "separator": SEPARATOR,
        },
    )


class InitiativeDetailView(DetailView):
    template_name = "initiatives/initiative_detail.html"

    def get_queryset(self) -> QuerySet:
        # Curators preview drafts here; everyone else sees only what is published.
        if self.request.user.has_perm("initiatives.view_initiative"):
            initiatives = Initiative.objects.all()
        else:
            initiatives = Initiative.objects.published()
        return initiatives.select_related("evidence_basis__document").prefetch_related(
            Prefetch(
                "category_assignments",
                queryset=CategoryAssignment.objects.select_related(
                    "category__parent", "reference__document"
                ),
            ),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("organisation"),
            ),
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("reference__document"),
            ),
            Prefetch(
                "references",
                queryset=SourceReference.objects.select_related("document"),
            ),
            "target_groups",
            "regions",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pks = related_initiatives(self.object.pk)
        found = Initiative.objects.only(
            "name", "slug", "summary", "name_en", "summary_en"
        ).in_bulk(pks)
        context["related"] = [found[pk] for pk in pks if pk in found]
        context["participations"] = participations(
            sorted(self.object.involvements.all(), key=lambda i: ROLE_ORDER[i.role])
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            response["Cache-Control"] = "private, no-store"
        return response


class OrganisationListView(ListView):
    template_name = "initiatives/organisation_list.html"
    paginate_by = 100
    page_kwarg = "side"

    def get_queryset(self) -> list:
        """The organisations taking part in a published initiative, themselves or
        through a unit (as Organisation.objects.public()), told by the count index,
        which already holds them, rather than the database, which must join every
        involvement of every published initiative to know. Those whose name has
        the words typed (`q`) in it, in any case and with or without accents and
        æ, ø, å, which SQLite's LIKE cannot compare: among organisations already
        read for their counts, in Python."""
        organisations = Organisation.objects.select_related("region")
        if self.kind in Organisation.Kind.values:
            organisations = organisations.filter(kind=self.kind)
        counted = with_initiative_counts(organisations.order_by("name"), ORGANISATION)
        return [
            organisation
            for organisation in counted
            if organisation.initiative_count
            and name_matches(organisation.name, self.query)
        ]

    @property
    def kind(self) -> str:
        return self.request.GET.get("type", "")

    @property
    def query(self) -> str:
        return self.request.GET.get("q", "")[:MAX_NAME_QUERY]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = Organisation.Kind.choices
        context["chosen_kind"] = self.kind
        context["query"] = self.query
        return context


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "initiatives/organisation_detail.html"

    def get_queryset(self) -> QuerySet:
        return Organisation.objects.public().select_related("region", "parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiatives = initiatives_having(ORGANISATION, self.object.pk)
        page = page_of(self.request.GET, initiatives, per_page=ORGANISATION_PAGE_SIZE)
        place = {pk: i for i, pk in enumerate(page.object_list)}
        own_or_units = Q()
        for path in PATHS_UP_FROM_INVOLVEMENT:
            own_or_units |= Q(**{path: self.object})
        involvements = (
            Involvement.objects.filter(own_or_units, initiative__in=page.object_list)
            .select_related("initiative", "organisation")
            .only(
                "role",
                "initiative__name",
                "initiative__name_en",
                "initiative__slug",
                "organisation__name",
                "organisation__slug",
            )
        )
        context["page_obj"] = page
        context["participations"] = participations(
            sorted(involvements, key=lambda i: place[i.initiative_id])
        )
        context["units"] = self.object.units.all()
        return context


@require_safe
def target_group_list(request):
    groups = with_initiative_counts(
        in_name_order(TargetGroup.objects.all()), TARGET_GROUP
    )
    return render(request, "initiatives/targetgroup_list.html", {"groups": groups})


@require_safe
def category_list(request):
    categories = with_initiative_counts(
        Category.objects.select_related("parent"), CATEGORY
    )
    return render(request, "initiatives/category_list.html", {"categories": categories})


@require_safe
def sourcedocument_list(request):
    sources = with_initiative_counts(SourceDocument.objects.published(), SOURCE)
    return render(request, "initiatives/sourcedocument_list.html", {"sources": sources})


@require_safe
def target_group_detail(request, slug: str):
    group = get_object_or_404(TargetGroup, slug=slug)
    initiatives = ListResults(FacetCounts.of({TARGET_GROUP: [group.pk]}))
    return render(
        request,
        "initiatives/targetgroup_detail.html",
        {"group": group, "page_obj": page_of(request.GET, initiatives)},
    )


@require_safe
def category_detail(request, slug: str):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    initiatives = ListResults(FacetCounts.of({CATEGORY: [category.pk]}))
    return render(
        request,
        "initiatives/category_detail.html",
        {
            "category": category,
            "children": category.children.all(),
            "page_obj": page_of(request.GET, initiatives),
        },
    )


@require_safe
def sourcedocument_detail(request, slug: str):
    source = get_object_or_404(readable_documents(request), slug=slug)
    references = (
        SourceReference.objects.filter(
            document=source, initiative__in=Initiative.objects.published()
        )
        .select_related("initiative", "document")
        .order_by("line_start", "pk")
    )
    page = page_of(request.GET, references, per_page=100)
    response = render(
        request,
        "initiatives/sourcedocument_detail.html",
        {
            "source": source,
            "page_obj": page,
            "references": page.object_list,
            "initiative_count": with_initiative_counts([source], SOURCE)[
                0
            ].initiative_count,
        },
    )
    return private_if_draft(response, source)
