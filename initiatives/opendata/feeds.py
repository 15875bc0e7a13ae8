"""An Atom feed of new and changed initiatives, for the whole catalogue or for any of
the list's filters (the same parameters, read by the same InitiativeList)."""

from django.contrib.syndication.views import Feed
from django.db.models import Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ..i18n import initiative_text
from ..listing.initiative_list import InitiativeList
from ..models import Initiative
from ..site import absolute_url

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
        listing = InitiativeList(request.GET)
        refused = listing.refusal(_("Feedet kunne ikke laves:"))
        return refused or super().__call__(request, *args, listing=listing, **kwargs)

    def get_object(self, request, *args, listing: InitiativeList, **kwargs):
        return listing

    def title(self, listing: InitiativeList) -> str:
        if any(listing.query.get(name) for name in listing.filterset.filters):
            return _("Lighedskataloget: nye og ændrede indsatser (filtreret)")
        return _("Lighedskataloget: nye og ændrede indsatser")

    # Every link on SITE_URL: Feed would otherwise put the request's host on them.
    def link(self, listing: InitiativeList) -> str:
        return self.with_filters("initiatives:initiative_list", listing)

    def feed_url(self, listing: InitiativeList) -> str:
        return self.with_filters("initiatives:initiative_feed", listing)

    @staticmethod
    def with_filters(name: str, listing: InitiativeList) -> str:
        query = listing.query.copy()
        query.pop("side", None)
        return absolute_url(reverse(name) + (f"?{query.urlencode()}" if query else ""))

    def item_link(self, initiative: Initiative) -> str:
        return absolute_url(initiative.get_absolute_url())

    def subtitle(self, listing: InitiativeList) -> str:
        return _("De senest tilføjede og ændrede indsatser blandt dem, listen viser.")

    def items(self, listing: InitiativeList):
        return (
            listing.filterset.qs.annotate(
                first_saved=history_date(Min), last_saved=history_date(Max)
            )
            .filter(last_saved__isnull=False)
            .only("name", "slug", "summary", "name_en", "summary_en")
            .order_by("-last_saved", "pk")[:ENTRIES]
        )

    # The feed says its language (Django takes the interface's); under /en/ the
    # entries are the English translations.
    def item_title(self, initiative: Initiative) -> str:
        return initiative_text(initiative, "name").text

    def item_description(self, initiative: Initiative) -> str:
        return initiative_text(initiative, "summary").text

    def item_pubdate(self, initiative: Initiative):
        return initiative.first_saved

    def item_updateddate(self, initiative: Initiative):
        return initiative.last_saved
