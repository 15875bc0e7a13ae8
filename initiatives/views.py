from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from .exports import COLUMNS, SEPARATOR, stream_initiatives
from .facet_index import current_index
from .facets import CountedResults, FacetCounter, facets_for
from .filters import InitiativeFilterSet
from .i18n import in_name_order
from .models import (
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
from .querystrings import active_filters, without
from .rows import published_for_rows
from .statistics import front_page_statistics

PAGE_SIZE = 20


@require_safe
def home(request):
    return render(request, "initiatives/home.html", front_page_statistics())


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilterSet
    template_name = "initiatives/initiative_list.html"
    paginate_by = PAGE_SIZE
    page_kwarg = "side"

    def get_queryset(self) -> QuerySet:
        return published_for_rows()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, so the bare list gets facet counts like any filtered view.
        return {
            **super().get_filterset_kwargs(filterset_class),
            "data": self.request.GET,
        }

    def paginate_queryset(self, queryset, page_size):
        if self.filterset.is_valid():
            self.facet_counter = FacetCounter.for_filters(
                self.filterset, Initiative.objects.published()
            )
            in_index_order = self.filterset.ordering in (
                self.filterset.ORDER_NAME,
                self.filterset.ORDER_RELEVANCE,
            )
            queryset = CountedResults(
                self.facet_counter,
                published_for_rows() if in_index_order else queryset,
                in_index_order,
            )
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        if filterset.is_valid():
            context["facets"] = facets_for(self.facet_counter)
            context["active_filters"] = active_filters(self.request.GET, filterset)
            context["query"] = filterset.form.cleaned_data.get("q", "")
            context["export_url"] = reverse("initiatives:initiative_export") + without(
                self.request.GET, "side"
            )
        return context


@require_safe
def initiative_export(request):
    """The list's initiatives as CSV: same filters, same order, every page."""
    dialect = request.GET.get("format", "excel")
    filterset = InitiativeFilterSet(
        request.GET, queryset=Initiative.objects.published()
    )
    if dialect not in ("excel", "csv") or not filterset.is_valid():
        problems = [
            f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
        ]
        if dialect not in ("excel", "csv"):
            problems.append(_("format: brug 'excel' eller 'csv'."))
        return HttpResponseBadRequest(
            _("Eksporten kunne ikke laves:") + "\n" + "\n".join(problems),
            content_type="text/plain; charset=utf-8",
        )
    site_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        stream_initiatives(filterset.qs, site_url, excel=dialect == "excel"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="initiativer-{localdate():%Y-%m-%d}.csv"'
    )
    return response


@require_safe
def export_help(request):
    return render(
        request,
        "initiatives/export_help.html",
        {"columns": COLUMNS.items(), "separator": SEPARATOR},
    )


class InitiativeDetailView(DetailView):
    template_name = "initiatives/initiative_detail.html"

    def get_queryset(self) -> QuerySet:
        # Curators preview drafts here; everyone else sees only what is published.
        if self.request.user.has_perm("initiatives.view_initiative"):
            initiatives = Initiative.objects.all()
        else:
            initiatives = Initiative.objects.published()
        return initiatives.prefetch_related(
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
        context["related"] = self.related_initiatives(self.object)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.object.status != Initiative.Status.PUBLISHED:
            response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def related_initiatives(initiative: Initiative) -> list[Initiative]:
        """Others in the same subcategories or for the same target groups, those
        sharing most first."""
        shared = [
            ("kategori", a.category_id)
            for a in initiative.category_assignments.all()
            if a.category.parent_id
        ] + [("maalgruppe", group.pk) for group in initiative.target_groups.all()]
        pks = current_index().most_shared(initiative.pk, list(dict.fromkeys(shared)), 6)
        found = Initiative.objects.only("name", "slug", "summary").in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]


class OrganisationListView(ListView):
    template_name = "initiatives/organisation_list.html"
    paginate_by = 100
    page_kwarg = "side"

    def get_queryset(self) -> QuerySet:
        kind = self.request.GET.get("type", "")
        organisations = Organisation.objects.select_related("region")
        if kind in Organisation.Kind.values:
            organisations = organisations.filter(kind=kind)
        return organisations.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_initiative_counts(
            context["object_list"], "organisation"
        )
        context["kinds"] = Organisation.Kind.choices
        context["chosen_kind"] = self.request.GET.get("type", "")
        return context


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "initiatives/organisation_detail.html"

    def get_queryset(self) -> QuerySet:
        return Organisation.objects.select_related("region", "parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiatives = current_index().initiatives_of(self.object.pk)
        page = page_of(self.request, initiatives, per_page=50)
        place = {pk: i for i, pk in enumerate(page.object_list)}
        involvements = (
            Involvement.objects.filter(
                organisation=self.object, initiative__in=page.object_list
            )
            .select_related("initiative")
            .only("role", "initiative__name", "initiative__slug")
        )
        context["page_obj"] = page
        context["involvements"] = sorted(
            involvements, key=lambda i: (place[i.initiative_id], i.role)
        )
        context["units"] = self.object.units.all()
        return context


@require_safe
def target_group_list(request):
    groups = with_initiative_counts(
        in_name_order(TargetGroup.objects.all()), "maalgruppe"
    )
    return render(request, "initiatives/targetgroup_list.html", {"groups": groups})


@require_safe
def category_list(request):
    categories = with_initiative_counts(
        Category.objects.select_related("parent"), "kategori"
    )
    return render(request, "initiatives/category_list.html", {"categories": categories})


@require_safe
def source_list(request):
    sources = with_initiative_counts(SourceDocument.objects.all(), "kilde")
    return render(request, "initiatives/sourcedocument_list.html", {"sources": sources})


def with_initiative_counts(objects, facet: str) -> list:
    """The objects, each with `initiative_count`: how many published initiatives the
    list shows when filtered by it (a main category counts its subcategories')."""
    index = current_index()
    objects = list(objects)
    for obj in objects:
        obj.initiative_count = index.initiative_count(facet, obj.pk)
    return objects


def page_of(request, object_list, per_page: int = PAGE_SIZE) -> Page:
    """The page the `side` parameter asks for; not found, like the list's, if there is
    no such page."""
    try:
        return Paginator(object_list, per_page).page(request.GET.get("side") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error


def paginated_rows(request, counter: FacetCounter) -> dict:
    """A page of the initiatives `counter` lets through, in order by name, for a
    page that lists them like the initiative list does."""
    results = CountedResults(counter, published_for_rows(), in_index_order=True)
    page = page_of(request, results)
    return {"page_obj": page, "initiatives": page.object_list}


@require_safe
def target_group_detail(request, slug: str):
    group = get_object_or_404(TargetGroup, slug=slug)
    counter = FacetCounter(current_index(), chosen={"maalgruppe": [group]})
    return render(
        request,
        "initiatives/targetgroup_detail.html",
        {"group": group, **paginated_rows(request, counter)},
    )


@require_safe
def category_detail(request, slug: str):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    counter = FacetCounter(current_index(), chosen={"kategori": [category]})
    return render(
        request,
        "initiatives/category_detail.html",
        {
            "category": category,
            "children": category.children.all(),
            **paginated_rows(request, counter),
        },
    )


@require_safe
def source_detail(request, slug: str):
    source = get_object_or_404(SourceDocument, slug=slug)
    references = (
        SourceReference.objects.filter(
            document=source, initiative__in=Initiative.objects.published()
        )
        .select_related("initiative")
        .order_by("line_start", "pk")
    )
    page = page_of(request, references, per_page=100)
    return render(
        request,
        "initiatives/sourcedocument_detail.html",
        {
            "source": source,
            "page_obj": page,
            "references": page.object_list,
            "initiative_count": current_index().initiative_count("kilde", source.pk),
        },
    )
