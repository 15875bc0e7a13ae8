"""The count index counts exactly what the database would, under any filters, and
follows every change to the catalogue on the very next request."""

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from initiatives.listing import count_index
from initiatives.listing.count_index import bitset_of, current_index, positions_of
from initiatives.listing.facets import ORGANISATION
from initiatives.listing.filters import InitiativeFilterSet
from initiatives.models import CatalogueVersion, Initiative, Organisation, Outcome

from .conftest import all_listed, make_full_initiatives, make_initiative

pytestmark = pytest.mark.django_db

FILTER_COMBINATIONS = [
    "",
    "kategori=tilfoert-ressource",
    "kategori=dialogstoette&kategori=organisering",
    "region=hovedstaden&maalgruppe=hjemloese",
    "kilde=kortlaegning-inddragelse-socialt-saarbare&resultater=1",
    "organisationstype=region&kategori=organisering",
    "organisation=kraeftens-bekaempelse",
    "q=sundhed&region=syddanmark",
    "aar_fra=2010&aar_til=2012&kategori=tilfoert-ressource",
    "evidens=evalueret&kategori=organisering",
]


def database_count(query: str, facet: str, value: str) -> int:
    """How many initiatives the database lists with `value` as the only choice in
    `facet` and the other filters of `query` as they are."""
    params = [pair.split("=") for pair in query.split("&") if pair]
    data: dict[str, list[str]] = {}
    for name, chosen in params:
        if name != facet:
            data.setdefault(name, []).append(chosen)
    data[facet] = [value]
    filterset = InitiativeFilterSet(_query_dict(data), Initiative.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def _query_dict(data) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query


@pytest.mark.parametrize("query", FILTER_COMBINATIONS)
def test_every_facet_option_counts_what_the_list_would_show(client, query):
    facets = client.get(f"/initiativer/?{query}").context["facets"]

    checked = 0
    for facet in facets:
        for option in facet.options:
            assert option.count == database_count(query, facet.name, option.value), (
                facet.name,
                option.value,
            )
            checked += 1
    assert checked > 40


SEARCHES = ["q=sundhed", "q=borgere+sundhed&kategori=organisering", "q=navigator"]


@pytest.mark.parametrize(
    "query, order",
    [(query, order) for query in FILTER_COMBINATIONS for order in ("navn", "nyeste")]
    + [(query, "relevans") for query in SEARCHES],
)
def test_every_page_lists_what_the_database_finds_in_its_order(client, query, order):
    data = QueryDict(f"{query}&sortering={order}")
    filterset = InitiativeFilterSet(data, Initiative.objects.published())
    assert filterset.is_valid()

    listed = all_listed(client, f"{query}&sortering={order}")

    assert listed == [initiative.slug for initiative in filterset.qs]
    assert listed


def test_the_front_page_figures_match_the_database(client):
    context = client.get("/").context
    published = Initiative.objects.published()

    assert context["initiative_count"] == published.count()
    # Organisations taking part themselves or through a unit, as the list shows them.
    listed = client.get("/organisationer/").context["paginator"].count
    assert context["organisation_count"] == Organisation.objects.public().count()
    assert context["organisation_count"] == listed
    for row in context["gap_matrix"]["rows"]:
        for main, count in row["cells"]:
            assert count == database_count(
                f"maalgruppe={row['group'].value}", "kategori", main.value
            )


@pytest.mark.parametrize(
    "path, items, facet",
    [
        ("/kategorier/", "categories", "kategori"),
        ("/maalgrupper/", "groups", "maalgruppe"),
        ("/kilder/", "sources", "kilde"),
        ("/organisationer/", "object_list", "organisation"),
    ],
)
def test_each_count_on_an_overview_is_what_its_link_to_the_list_shows(
    client, path, items, facet
):
    for obj in client.get(path).context[items]:
        assert obj.initiative_count == database_count("", facet, obj.slug), obj.slug


def test_a_curators_change_counts_on_the_next_request(client):
    before = client.get("/initiativer/?region=hovedstaden").context["paginator"].count
    make_full_initiatives(2, prefix="ny")  # each is in Hovedstaden

    after = client.get("/initiativer/?region=hovedstaden").context
    region = next(f for f in after["facets"] if f.name == "region")
    hovedstaden = next(o for o in region.options if o.value == "hovedstaden")

    assert after["paginator"].count == before + 2
    assert hovedstaden.count == before + 2


def test_a_draft_is_never_counted(client):
    before = current_index().everything.bit_count()
    make_initiative(slug="kladde-1", status="kladde")

    assert current_index().everything.bit_count() == before


def test_building_the_index_takes_the_same_queries_at_any_size(
    django_assert_num_queries,
):
    make_full_initiatives(2)
    with django_assert_num_queries(23):
        current_index()

    make_full_initiatives(30, prefix="flere")
    with django_assert_num_queries(23):
        current_index()

    with django_assert_num_queries(1):  # the catalogue version only
        current_index()


def test_another_server_process_takes_the_index_one_built_rather_than_building(
    django_assert_num_queries, monkeypatch
):
    make_full_initiatives(2)
    built = current_index()
    monkeypatch.setattr(count_index, "_current", None)  # as in another process

    with django_assert_num_queries(1):  # the catalogue version only
        shared = current_index()

    assert shared.stamp == built.stamp
    assert shared.pks == built.pks
    assert shared.counts(ORGANISATION, shared.everything) == built.counts(
        ORGANISATION, built.everything
    )


def test_the_shared_cache_holds_the_newest_index_not_one_per_change(monkeypatch):
    monkeypatch.setattr(count_index, "_current", None)  # a process just started
    first = current_index()
    assert cache.get(count_index.shared_key(first.stamp)) is not None
    Initiative.objects.get(slug="sammen-om-min-vej").save()  # a change
    second = current_index()

    assert second.stamp != first.stamp
    assert cache.get(count_index.shared_key(second.stamp)) is not None
    assert cache.get(count_index.shared_key(first.stamp)) is None


def test_a_process_waits_for_the_index_another_is_building(
    django_assert_num_queries, monkeypatch
):
    make_full_initiatives(2)
    index = count_index.build()
    key = count_index.shared_key(index.stamp)
    cache.add(key + "-building", True)  # another process has begun building it
    waited = []

    def the_other_process_finishes(seconds):
        waited.append(seconds)
        cache.set(key, index)

    monkeypatch.setattr(count_index, "_current", None)
    monkeypatch.setattr(count_index.time, "sleep", the_other_process_finishes)
    with django_assert_num_queries(1):  # the catalogue version only
        taken = current_index()

    assert waited
    assert taken.pks == index.pks


def publishing_during_the_build(monkeypatch, publish) -> None:
    """Runs `publish` right after the index has read which initiatives are public."""
    read_rows = count_index.plain_rows
    calls = []

    def rows_then_publish(queryset):
        rows = read_rows(queryset)
        calls.append(queryset)
        if len(calls) == 1:
            publish()
        return rows

    monkeypatch.setattr(count_index, "plain_rows", rows_then_publish)


def test_an_initiative_published_while_the_index_is_built_breaks_no_page(
    client, monkeypatch
):
    drafts = make_full_initiatives(3, prefix="kladde")
    Initiative.objects.filter(pk__in=[d.pk for d in drafts]).update(status="kladde")
    CatalogueVersion.bump()  # as every write path does

    def publish():
        Initiative.objects.filter(pk=drafts[0].pk).update(
            status=Initiative.Status.PUBLISHED
        )

    publishing_during_the_build(monkeypatch, publish)
    response = client.get("/initiativer/?organisation=kladde-org")

    assert response.status_code == 200


# A second connection writing during a read needs PostgreSQL's MVCC; on SQLite the
# writer waits for the read, so there is nothing to see.
@pytest.mark.postgresql
def test_the_index_reads_one_snapshot_while_a_curator_publishes(
    catalogue_in_transactional_db, monkeypatch
):
    drafts = make_full_initiatives(2, prefix="snapshot")
    Initiative.objects.filter(pk__in=[d.pk for d in drafts]).update(status="kladde")
    CatalogueVersion.bump()  # as every write path does
    stamp = CatalogueVersion.current_stamp()
    outcomes = Outcome.objects.filter(initiative__in=Initiative.objects.published())
    outcomes_before = outcomes.count()

    def publish_elsewhere():
        settings = connection.settings_dict
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            dbname=settings["NAME"],
            autocommit=True,
        ) as other:
            other.execute(
                "UPDATE initiatives_initiative SET status = %s WHERE id = %s",
                [Initiative.Status.PUBLISHED, drafts[0].pk],
            )
            other.execute("UPDATE initiatives_catalogueversion SET number = number + 1")

    publishing_during_the_build(monkeypatch, publish_elsewhere)
    index = count_index.build()

    assert index.stamp == stamp
    assert index.outcome_count == outcomes_before < outcomes.count()
    assert index.position_of(drafts[0].pk) is None
    assert (
        index.matching(ORGANISATION, [drafts[0].involvements.get().organisation_id])
        == 0
    )


@given(st.sets(st.integers(min_value=0, max_value=5000)))
def test_bitsets_and_positions_convert_both_ways(positions):
    assert positions_of(bitset_of(positions, 5001)) == sorted(positions)


@given(
    st.lists(st.sets(st.integers(0, 199), max_size=60), min_size=1, max_size=40),
    st.sets(st.integers(0, 199)),
    st.integers(1, 10),
    st.integers(0, 40),
)
def test_the_most_frequent_values_under_a_filter_are_those_a_full_count_gives(
    initiatives_of, among_positions, how_many, dense
):
    """The organisations the list shows (the most frequent under the filters) are
    the same whether counted from the densest values' bitsets or position by
    position."""
    size = 200
    positions = {value: list(found) for value, found in enumerate(initiatives_of)}
    values = count_index.sparse_values(positions, size, dense)
    among = bitset_of(among_positions, size)
    everything = (1 << size) - 1

    def most_frequent(counts):  # as the list shows them: none that no one has
        having = [value for value in counts if counts[value]]
        return sorted(having, key=lambda value: (-counts[value], value))[:how_many]

    quick = values.counts(among, everything, enough=how_many)
    full = values.counts(among, everything)

    assert most_frequent(quick) == most_frequent(full)
    assert all(quick[value] == full[value] for value in quick)


@pytest.mark.parametrize("slug", ["sammen-om-min-vej", "ekstra-0"])
def test_related_initiatives_share_most_first_then_follow_the_name_order(client, slug):
    make_full_initiatives(8)
    make_initiative(slug="kladde-2", status="kladde").target_groups.set(
        Initiative.objects.get(slug="ekstra-0").target_groups.all()
    )
    initiative = Initiative.objects.get(slug=slug)
    subcategories = set(
        initiative.category_assignments.filter(
            category__parent__isnull=False
        ).values_list("category", flat=True)
    )
    groups = set(initiative.target_groups.values_list("pk", flat=True))

    def shared(other: Initiative) -> int:
        categories = set(other.category_assignments.values_list("category", flat=True))
        targets = set(other.target_groups.values_list("pk", flat=True))
        return len(subcategories & categories) + len(groups & targets)

    in_name_order = Initiative.objects.published().exclude(pk=initiative.pk)
    sharing = [other for other in in_name_order.order_by("name", "pk") if shared(other)]
    expected = sorted(sharing, key=lambda other: -shared(other))[:6]

    related = client.get(initiative.get_absolute_url()).context["related"]

    assert [other.slug for other in related] == [other.slug for other in expected]
    assert len(related) == 6


def test_a_searchs_matches_count_only_published_initiatives_the_index_knows():
    draft = make_initiative(slug="kladde-soeg", status="kladde")
    index = current_index()
    published = list(Initiative.objects.published().values_list("pk", flat=True))
    some = published[::3]
    # A pk beyond the index's: published after it was built.
    matches = [*some, draft.pk, max(published) + 1000]

    found = [index.pks[p] for p in positions_of(index.bitset_for_pks(matches))]

    assert found == sorted(some, key=index.position_of)
    assert index.bitset_for_pks([]) == 0
