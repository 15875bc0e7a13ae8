from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from .exports import COLUMNS, SEPARATOR, stream_initiatives
from .facets import facets_for
from .filters import InitiativeFilterSet
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
from .statistics import front_page_statistics

PAGE_SIZE = 20


def published_for_lists() -> QuerySet:
    """Published initiatives with what a list row shows, in a fixed number of
    queries."""
    return Initiative.objects.published().prefetch_related(
        Prefetch(
            "category_assignments",
            queryset=CategoryAssignment.objects.select_related("category"),
        ),
        "regions",
        "target_groups",
        Prefetch(
            "references",
            queryset=SourceReference.objects.select_related("document").only(
                "initiative_id", "document__code", "document__short_title", "locator"
            ),
        ),
        Prefetch("outcomes", queryset=Outcome.objects.only("id", "initiative_id")),
    )


@require_safe
def home(request):
    return render(request, "initiatives/home.html", front_page_statistics())


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilterSet
    template_name = "initiatives/initiative_list.html"
    paginate_by = PAGE_SIZE
    page_kwarg = "side"

    def get_queryset(self) -> QuerySet:
        return published_for_lists()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, so the bare list gets facet counts like any filtered view.
        return {
            **super().get_filterset_kwargs(filterset_class),
            "data": self.request.GET,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        if filterset.is_valid():
            context["facets"] = facets_for(filterset, Initiative.objects.published())
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
    def related_initiatives(initiative: Initiative) -> QuerySet:
        """Others in the same subcategory or for the same target group."""
        subcategories = [
            a.category_id
            for a in initiative.category_assignments.all()
            if a.category.parent_id
        ]
        groups = [group.pk for group in initiative.target_groups.all()]
        return (
            Initiative.objects.published()
            .exclude(pk=initiative.pk)
            .filter(
                Q(category_assignments__category__in=subcategories)
                | Q(target_groups__in=groups)
            )
            .annotate(shared=Count("pk"))
            .order_by("-shared", "name")
            .only("name", "slug", "summary")[:6]
        )


class OrganisationListView(ListView):
    template_name = "initiatives/organisation_list.html"
    paginate_by = 100
    page_kwarg = "side"

    def get_queryset(self) -> QuerySet:
        kind = self.request.GET.get("type", "")
        organisations = Organisation.objects.select_related("region").annotate(
            initiative_count=Count(
                "involvements__initiative",
                filter=Q(involvements__initiative__in=Initiative.objects.published()),
                distinct=True,
            )
        )
        if kind in Organisation.Kind.values:
            organisations = organisations.filter(kind=kind)
        return organisations.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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
        context["involvements"] = (
            Involvement.objects.filter(
                organisation=self.object,
                initiative__in=Initiative.objects.published(),
            )
            .select_related("initiative")
            .order_by("initiative__name", "role")
        )
        context["units"] = self.object.units.all()
        return context


@require_safe
def target_group_list(request):
    groups = TargetGroup.objects.annotate(
        initiative_count=Count(
            "initiatives", filter=Q(initiatives__in=Initiative.objects.published())
        )
    )
    return render(request, "initiatives/targetgroup_list.html", {"groups": groups})


@require_safe
def category_list(request):
    categories = Category.objects.select_related("parent").annotate(
        initiative_count=Count(
            "assignments__initiative",
            filter=Q(assignments__initiative__in=Initiative.objects.published()),
            distinct=True,
        )
    )
    return render(request, "initiatives/category_list.html", {"categories": categories})


@require_safe
def source_list(request):
    sources = SourceDocument.objects.annotate(
        initiative_count=Count(
            "references__initiative",
            filter=Q(references__initiative__in=Initiative.objects.published()),
            distinct=True,
        )
    )
    return render(request, "initiatives/sourcedocument_list.html", {"sources": sources})


@require_safe
def target_group_detail(request, slug: str):
    group = get_object_or_404(TargetGroup, slug=slug)
    initiatives = published_for_lists().filter(target_groups=group)
    return render(
        request,
        "initiatives/targetgroup_detail.html",
        {"group": group, "initiatives": initiatives},
    )


@require_safe
def category_detail(request, slug: str):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    initiatives = (
        published_for_lists()
        .filter(
            Q(category_assignments__category=category)
            | Q(category_assignments__category__parent=category)
        )
        .distinct()
    )
    return render(
        request,
        "initiatives/category_detail.html",
        {
            "category": category,
            "children": category.children.all(),
            "initiatives": initiatives,
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
        .order_by("line_start")
    )
    return render(
        request,
        "initiatives/sourcedocument_detail.html",
        {
            "source": source,
            "references": references,
            "initiative_count": len({ref.initiative_id for ref in references}),
        },
    )
