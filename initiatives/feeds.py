"""An Atom feed of new and changed initiatives, for the whole catalogue or for any of
the list's filters (the same parameters, through the same FilterSet)."""

from django.contrib.syndication.views import Feed
from django.db.models import Max, Min, OuterRef, Subquery
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .filters import InitiativeFilterSet
from .models import Initiative

ENTRIES = 50


def history_date(aggregate):
    """When an initiative was first or last saved, from its change history; none for
    an initiative unchanged since the catalogue was loaded."""
    History = Initiative.history.model
    return Subquery(
        History.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(when=aggregate("history_date"))
        .values("when")
    )


class InitiativeFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        filterset = InitiativeFilterSet(
            request.GET, queryset=Initiative.objects.published()
        )
        if not filterset.is_valid():
            problems = [
                f"{name}: {' '.join(errors)}"
                for name, errors in filterset.errors.items()
            ]
            return HttpResponseBadRequest(
                _("Feedet kunne ikke laves:") + "\n" + "\n".join(problems),
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs) -> InitiativeFilterSet:
        return InitiativeFilterSet(request.GET, queryset=Initiative.objects.published())

    def title(self, filterset: InitiativeFilterSet) -> str:
        if any(filterset.data.get(name) for name in filterset.filters):
            return _("Lighedskataloget: nye og ændrede indsatser (filtreret)")
        return _("Lighedskataloget: nye og ændrede indsatser")

    def link(self, filterset: InitiativeFilterSet) -> str:
        query = filterset.data.copy()
        query.pop("side", None)
        return f"{reverse('initiatives:initiative_list')}?{query.urlencode()}"

    def subtitle(self, filterset: InitiativeFilterSet) -> str:
        return _("De senest tilføjede og ændrede indsatser blandt dem, listen viser.")

    def items(self, filterset: InitiativeFilterSet):
        return (
            filterset.qs.annotate(
                first_saved=history_date(Min), last_saved=history_date(Max)
            )
            .filter(last_saved__isnull=False)
            .only("name", "slug", "summary")
            .order_by("-last_saved", "pk")[:ENTRIES]
        )

    def item_title(self, initiative: Initiative) -> str:
        return initiative.name

    def item_description(self, initiative: Initiative) -> str:
        return initiative.summary

    def item_pubdate(self, initiative: Initiative):
        return initiative.first_saved

    def item_updateddate(self, initiative: Initiative):
        return initiative.last_saved
