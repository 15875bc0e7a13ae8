"""What the pages most read show, named without rendering them, for their ETags
(http_caching.py): a list of initiatives filtered by facets in order by name, an
initiative's page, both through the API, and an organisation's page.

Each is named by the count index's digest (which initiatives are published, in which
order, with which facet values) and by the changed stamps of the initiatives it
shows (changes.py stamps an initiative at every change to it or its parts); the ETag
adds the shared stamp, which any other change moves. So after a curator saves one
initiative, only the pages showing it are rendered again. A page whose content the
index cannot tell (a search, a year filter, another order, any other page) is named
by the catalogue's version as a whole: None here.
"""

from django.http import QueryDict
from django.urls import ResolverMatch

from .api.views import CataloguePagination
from .listing.count_index import CountIndex, current_index
from .listing.counting import FacetCounts, initiatives_having, related_initiatives
from .listing.facets import ORGANISATION
from .listing.filters import BEYOND_FACETS, ORDER_NAME
from .listing.initiative_list import ORGANISATION_PAGE_SIZE, PAGE_SIZE, InitiativeList
from .models import Initiative, Organisation


def initiatives_shown(index: CountIndex, pks: list[int]) -> str:
    stamps = index.changed_stamps_of(pks)
    return index.digest + " " + " ".join(map("{}:{}".format, pks, stamps))


def whole_number(query: QueryDict, name: str, default: int) -> int | None:
    value = query.get(name)
    if value is None:
        return default
    if value.isascii() and value.isdigit() and len(value) < 10 and int(value) > 0:
        return int(value)
    return None  # a page the view refuses


def list_page(query: QueryDict, per_page: int | None, stamp: int) -> str | None:
    """A list filtered by facets alone, in order by name: the index tells its
    counts and which initiatives its page holds."""
    if any(query.get(name) for name in BEYOND_FACETS):
        return None  # before the filters' queries, which would be in vain
    listing = InitiativeList(query)
    if not listing.is_valid:
        return None
    filterset = listing.filterset
    if filterset.narrows_beyond_facets or filterset.ordering != ORDER_NAME:
        return None
    number = whole_number(query, "side", 1)
    if per_page is None:  # the API's: as many as `antal` asks for
        per_page = whole_number(query, "antal", CataloguePagination.page_size)
    if number is None or per_page is None:
        return None
    index = current_index(stamp)
    start = (number - 1) * per_page
    counts = FacetCounts.for_filters(filterset, index)
    return initiatives_shown(index, counts.pks_on_page(slice(start, start + per_page)))


def pk_by_slug(records, slug: str) -> int | None:
    return records.filter(slug=slug).values_list("pk", flat=True).first()


def initiative(slug: str, with_related: bool, stamp: int) -> str | None:
    pk = pk_by_slug(Initiative.objects.published(), slug)
    if pk is None:
        return None
    index = current_index(stamp)
    shown = [pk, *related_initiatives(pk, index)] if with_related else [pk]
    return initiatives_shown(index, shown)


def organisation(slug: str, query: QueryDict, stamp: int) -> str | None:
    """Its initiatives on the page; the organisation and its units themselves are
    not an initiative's parts, so a change to them moves the shared stamp."""
    pk = pk_by_slug(Organisation.objects.all(), slug)
    number = whole_number(query, "side", 1)
    if pk is None or number is None:
        return None
    index = current_index(stamp)
    start = (number - 1) * ORGANISATION_PAGE_SIZE
    having = initiatives_having(ORGANISATION, pk, index)
    return initiatives_shown(index, having[start : start + ORGANISATION_PAGE_SIZE])


def shown_by(match: ResolverMatch, query: QueryDict, stamp: int) -> str | None:
    """What the page `match` resolved shows, or None (see the module's doc), when
    the catalogue's stamp is `stamp`."""
    page = f"{match.namespace}:{match.url_name}"
    if page == "initiatives:initiative_list":
        return list_page(query, PAGE_SIZE, stamp)
    if page == "api:initiative-list":
        return list_page(query, None, stamp)
    if page == "initiatives:initiative_detail":
        return initiative(match.kwargs["slug"], True, stamp)
    if page == "api:initiative-detail":
        return initiative(match.kwargs["slug"], False, stamp)
    if page == "initiatives:organisation_detail":
        return organisation(match.kwargs["slug"], query, stamp)
    return None
