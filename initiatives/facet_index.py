"""Which published initiatives have which facet values, held in memory per catalogue
version, so that counting every facet option under any combination of filters costs
no grouped query over the relation tables.

Each published initiative has a position (a bit), in the list's order by name, so the
lowest set bits of a filter's result are its first page. A value's initiatives are a
bitset, a Python int, so "how many would this option give with the other filters" is
an AND and a popcount. Organisations are too many for a bitset each; they keep their
positions, and each initiative its organisations, so they are counted over the
matching initiatives.

The index is built on the first request after the catalogue changes (every curator
save bumps `CatalogueVersion`), once per server process, and shared by its threads.
"""

import threading
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

from django.db import connection

from .filters import related_exists
from .models import (
    CatalogueVersion,
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

# The set bits of every byte value, for turning a bitset into positions.
_BYTE_POSITIONS = [tuple(b for b in range(8) if value >> b & 1) for value in range(256)]


def positions_of(bits: int, enough: int | None = None) -> list[int]:
    """The set bits, lowest first; with `enough`, stop once that many are found."""
    found = []
    for offset, byte in enumerate(
        bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    ):
        if byte:
            base = offset * 8
            found.extend(base + b for b in _BYTE_POSITIONS[byte])
            if enough is not None and len(found) >= enough:
                break
    return found


def bitset_of(positions) -> int:
    positions = list(positions)
    if not positions:
        return 0
    buffer = bytearray(max(positions) // 8 + 1)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def bitsets_by_value(rows, position: dict[int, int]) -> dict:
    """(initiative pk, value) rows as value -> bitset of those initiatives; rows of
    initiatives without a position (drafts) are left out."""
    grouped = defaultdict(list)
    for pk, value in rows:
        if pk in position:
            grouped[value].append(position[pk])
    return {value: bitset_of(found) for value, found in grouped.items()}


@dataclass(frozen=True)
class FacetIndex:
    version: int
    pks: list[int]  # position -> initiative pk, in order by name
    position: dict[int, int]  # initiative pk -> position
    everything: int
    # Facet name -> value -> bitset; a main category includes its subcategories.
    bitsets: dict[str, dict]
    categories: list[Category]
    target_groups: list[TargetGroup]
    regions: list[Region]
    documents: list[SourceDocument]
    # Every organisation, in Danish name order, with only pk, slug and name loaded.
    organisations: dict[int, Organisation]
    organisation_rank: dict[int, int]  # pk -> place in Danish name order
    organisation_positions: dict[int, array]  # sorted
    organisations_at: list[tuple[int, ...]]  # position -> organisation pks
    outcome_count: int

    def bitsets_by_value(self, rows) -> dict:
        return bitsets_by_value(rows, self.position)

    def bitset_for_pks(self, pks) -> int:
        position = self.position
        return bitset_of(position[pk] for pk in pks if pk in position)

    def matching(self, facet: str, values) -> int:
        """Initiatives with any of `values` in `facet` (pks; kinds for organisation
        kinds; True for outcomes)."""
        if facet == "organisation":
            return bitset_of(
                chain.from_iterable(
                    self.organisation_positions.get(pk, ()) for pk in values
                )
            )
        found = 0
        for value in values:
            found |= self.bitsets[facet].get(value, 0)
        return found

    def initiatives_of(self, organisation: int) -> list[int]:
        """The published initiatives an organisation takes part in, by name."""
        return [
            self.pks[at] for at in self.organisation_positions.get(organisation, ())
        ]

    def initiative_count(self, facet: str, value) -> int:
        """How many published initiatives have `value`, whatever else they have."""
        if facet == "organisation":
            return len(self.organisation_positions.get(value, ()))
        return self.bitsets[facet].get(value, 0).bit_count()

    def count(self, facet: str, value, among: int) -> int:
        return (self.bitsets[facet].get(value, 0) & among).bit_count()

    def most_shared(self, pk: int, values: list, how_many: int) -> list[int]:
        """Other initiatives having most of `values` ((facet, value) pairs), then by
        name: `at_least[k]` holds those with k or more of them."""
        at_least = [self.everything] + [0] * len(values)
        for facet, value in values:
            bits = self.bitsets[facet].get(value, 0)
            for k in range(len(values), 0, -1):
                at_least[k] |= at_least[k - 1] & bits
        taken = 1 << self.position[pk] if pk in self.position else 0
        found: list[int] = []
        for k in range(len(values), 0, -1):
            wanted = how_many - len(found)
            found += positions_of(at_least[k] & ~taken, enough=wanted)[:wanted]
            taken |= at_least[k]
        return [self.pks[position] for position in found]

    def organisation_counts(self, among: int) -> Counter:
        if among == self.everything:
            return Counter(
                {pk: len(found) for pk, found in self.organisation_positions.items()}
            )
        at = self.organisations_at
        return Counter(chain.from_iterable(at[p] for p in positions_of(among)))


def plain_rows(queryset) -> list[tuple]:
    """The rows of a values_list query as the driver gives them: at 100,000
    initiatives the index reads a million, and Django's per-row work would double
    the time it takes."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def build(version: int) -> FacetIndex:
    published = Initiative.objects.published()
    pks = [
        pk for (pk,) in plain_rows(published.order_by("name", "pk").values_list("pk"))
    ]
    position = {pk: i for i, pk in enumerate(pks)}

    def bitsets(model, field: str, **lookups) -> dict:
        """Value of `field` -> bitset of the published initiatives having it."""
        pairs = (
            model.objects.filter(initiative__in=published, **lookups)
            .values_list("initiative_id", field)
            .order_by()
        )
        return bitsets_by_value(plain_rows(pairs), position)

    categories = bitsets(CategoryAssignment, "category_id")
    for main, found in bitsets(
        CategoryAssignment, "category__parent_id", category__parent__isnull=False
    ).items():
        categories[main] = categories.get(main, 0) | found
    organisations_at: list[list[int]] = [[] for _ in pks]
    organisation_positions = defaultdict(lambda: array("I"))
    involved = (
        Involvement.objects.filter(initiative__in=published)
        .values_list("initiative_id", "organisation_id")
        .order_by()
        .distinct()
    )
    for pk, organisation in plain_rows(involved):
        at = position[pk]
        organisations_at[at].append(organisation)
        organisation_positions[organisation].append(at)
    with_outcomes = published.filter(related_exists(Outcome))
    through = Initiative.target_groups.through, Initiative.regions.through
    organisations = list(
        Organisation.objects.only("pk", "slug", "name").order_by("name", "pk")
    )
    return FacetIndex(
        version=version,
        pks=pks,
        position=position,
        everything=(1 << len(pks)) - 1,
        bitsets={
            "kategori": categories,
            "maalgruppe": bitsets(through[0], "targetgroup_id"),
            "region": bitsets(through[1], "region_id"),
            "organisationstype": bitsets(Involvement, "organisation__kind"),
            "kilde": bitsets(SourceReference, "document_id"),
            "resultater": {
                True: bitset_of(
                    position[pk]
                    for (pk,) in plain_rows(with_outcomes.values_list("pk"))
                )
            },
        },
        categories=list(Category.objects.all()),
        target_groups=list(TargetGroup.objects.all()),
        regions=list(Region.objects.all()),
        documents=list(SourceDocument.objects.all()),
        organisations={o.pk: o for o in organisations},
        organisation_rank={o.pk: rank for rank, o in enumerate(organisations)},
        organisation_positions={
            pk: array("I", sorted(found))
            for pk, found in organisation_positions.items()
        },
        organisations_at=[tuple(found) for found in organisations_at],
        outcome_count=Outcome.objects.filter(initiative__in=published).count(),
    )


_lock = threading.Lock()
_current: FacetIndex | None = None


def current_index() -> FacetIndex:
    """The index for the catalogue as it is now. The version is read before the data,
    so an index is never older than the version it is filed under."""
    global _current
    version = CatalogueVersion.current()
    index = _current
    if index is not None and index.version == version:
        return index
    with _lock:
        if _current is None or _current.version != version:
            _current = build(version)
        return _current


def forget() -> None:
    """Drop the index, for tests whose rolled-back data can reuse a version number."""
    global _current
    with _lock:
        _current = None
