"""The count index: which published initiatives have which facet values, held in
memory per catalogue version, so that counting every facet option under any
combination of filters, and finding a page of the list in name order, costs no
grouped query over the relation tables. Only the counting layer (counting.py) reads it.

Each published initiative has a position (a bit), in the list's order by name, so the
lowest set bits of a filter's result are its first page. A value's initiatives are a
bitset, a Python int, so "how many would this option give with the other filters" is
an AND and a popcount. A facet with too many values for a bitset each (organisations)
keeps each value's positions and each position's values instead.

The index is built in the first request that needs it after the catalogue changes
(every change bumps `CatalogueVersion`), once per server process, and shared by its
threads; it lives in the process's memory only, so it is never read from another
database's or another deployment's copy. It is read from one snapshot of the
database, so a row published while it is being built is either wholly in it or
wholly out. Pages are kept by the reverse proxy (http_caching.py), so an index is
built about once per change, not once per page.
"""

import threading
import time
from array import array
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from itertools import chain, repeat

from django.db import connection

from ..changes import snapshot
from ..models import CatalogueVersion, Initiative, Outcome
from .facets import FACETS, Facet, Option

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
class SparseValues:
    """A facet's values kept as positions: for facets with too many values."""

    positions: dict  # value -> sorted positions of its initiatives
    values_at: list[tuple]  # position -> its values

    def bitset(self, values) -> int:
        return bitset_of(
            chain.from_iterable(self.positions.get(value, ()) for value in values)
        )

    def counts(self, among: int, everything: int) -> Counter:
        every = Counter({value: len(p) for value, p in self.positions.items()})
        if among == everything:
            return every
        at = self.values_at
        # Visiting positions is the cost: for more than half the catalogue (a common
        # word's matches), count the rest and subtract.
        if among.bit_count() > everything.bit_count() // 2:
            rest = positions_of(everything & ~among)
            return every - Counter(chain.from_iterable(at[p] for p in rest))
        return Counter(chain.from_iterable(at[p] for p in positions_of(among)))


@dataclass(frozen=True)
class CountIndex:
    stamp: int  # the catalogue version's stamp it was built for
    begun: float  # time.monotonic() when its snapshot began: within one process
    pks: list[int]  # position -> initiative pk, in order by name
    position: dict[int, int]  # initiative pk -> position
    # Indexed by initiative pk: its position, or len(pks) if it has none (a draft).
    position_by_pk: list[int]
    everything: int
    bitsets: dict[Facet, dict]  # facet -> value -> bitset
    sparse: dict[Facet, SparseValues]  # facet -> its values' positions
    options: dict[Facet, list[Option]]  # facet -> its options, in order
    outcome_count: int

    def bitset_for_pks(self, pks) -> int:
        """The positions of those of `pks` that have one. A common word matches
        most of a large catalogue, so each pk's position is looked up and marked by
        builtins (map over a list and a bytearray of binary digits, which int()
        reads at once) rather than a loop in Python (bench/search_plans.py)."""
        pks = list(pks)
        spare = len(self.pks)
        by_pk = self.position_by_pk
        if pks and max(pks) >= len(by_pk):  # published after the index was built
            pks = [pk if pk < len(by_pk) else 0 for pk in pks]
        digits = bytearray(b"0" * (spare + 1))
        marked = map(digits.__setitem__, map(by_pk.__getitem__, pks), repeat(ord("1")))
        deque(marked, maxlen=0)  # runs the map
        del digits[spare]  # where the pks without a position were marked
        digits.reverse()  # position 0 is the lowest bit, int() reads it last
        return int(digits, 2) if digits else 0

    def matching(self, facet: Facet, values) -> int:
        """Initiatives with any of `values` (as stored) in `facet`."""
        if facet in self.sparse:
            return self.sparse[facet].bitset(values)
        found = 0
        for value in values:
            found |= self.bitsets[facet].get(value, 0)
        return found

    def count(self, facet: Facet, value, among: int) -> int:
        return (self.matching(facet, [value]) & among).bit_count()

    def counts(self, facet: Facet, among: int) -> Counter:
        """Value -> how many of `among` have it, for every value that any has."""
        if facet in self.sparse:
            return self.sparse[facet].counts(among, self.everything)
        return Counter(
            {
                value: (bits & among).bit_count()
                for value, bits in self.bitsets[facet].items()
            }
        )

    def pks_at(self, bits: int, page: slice) -> list[int]:
        positions = positions_of(bits, enough=page.stop)
        return [self.pks[position] for position in positions[page]]

    def most_shared(self, pk: int, values: list, how_many: int) -> list[int]:
        """Other initiatives having most of `values` ((facet, value) pairs), then by
        name: `at_least[k]` holds those with k or more of them."""
        at_least = [self.everything] + [0] * len(values)
        for facet, value in values:
            bits = self.matching(facet, [value])
            for k in range(len(values), 0, -1):
                at_least[k] |= at_least[k - 1] & bits
        taken = 1 << self.position[pk] if pk in self.position else 0
        found: list[int] = []
        for k in range(len(values), 0, -1):
            wanted = how_many - len(found)
            found += positions_of(at_least[k] & ~taken, enough=wanted)[:wanted]
            taken |= at_least[k]
        return [self.pks[position] for position in found]


def plain_rows(queryset) -> list[tuple]:
    """The rows of a values_list query as the driver gives them: at 100,000
    initiatives the index reads a million, and Django's per-row work would double
    the time it takes."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sparse_values(rows, position: dict[int, int], size: int) -> SparseValues:
    """An initiative may reach one value by several paths (an organisation and its
    unit): each value counts once per initiative."""
    values_at: list[set] = [set() for _ in range(size)]
    positions = defaultdict(set)
    for pk, value in rows:
        if pk in position:
            at = position[pk]
            values_at[at].add(value)
            positions[value].add(at)
    return SparseValues(
        positions={value: array("I", sorted(p)) for value, p in positions.items()},
        values_at=[tuple(values) for values in values_at],
    )


def build() -> CountIndex:
    begun = time.monotonic()
    with snapshot():
        stamp = CatalogueVersion.current_stamp()
        published = Initiative.objects.published()
        by_name = published.order_by("name", "pk").values_list("pk")
        pks = [pk for (pk,) in plain_rows(by_name)]
        position = {pk: i for i, pk in enumerate(pks)}
        # 0 is no pk: it stands for those beyond the list (bitset_for_pks).
        position_by_pk = [len(pks)] * (max(pks, default=0) + 1)
        for pk, at in position.items():
            position_by_pk[pk] = at
        bitsets, sparse = {}, {}
        for facet in FACETS:
            rows = chain.from_iterable(plain_rows(q) for q in facet.pairs(published))
            if facet.most_shown:
                sparse[facet] = sparse_values(rows, position, len(pks))
            else:
                bitsets[facet] = bitsets_by_value(rows, position)
        return CountIndex(
            stamp=stamp,
            begun=begun,
            pks=pks,
            position=position,
            position_by_pk=position_by_pk,
            everything=(1 << len(pks)) - 1,
            bitsets=bitsets,
            sparse=sparse,
            options={facet: facet.options() for facet in FACETS},
            outcome_count=Outcome.objects.filter(initiative__in=published).count(),
        )


_lock = threading.Lock()
_current: CountIndex | None = None


def current_index() -> CountIndex:
    """The index for the catalogue as it is now, built on the first need after a
    change, once per server process: its threads wait for the one that builds it
    rather than each building the same (seconds at 100,000 initiatives), and take an
    index whose snapshot began after they read the version, though another change
    may have come since: it shows at least as much as they asked for."""
    global _current
    asked = time.monotonic()
    stamp = CatalogueVersion.current_stamp()
    index = _current
    if index is not None and index.stamp == stamp:
        return index
    with _lock:
        index = _current
        if index is None or (index.stamp != stamp and index.begun < asked):
            index = _current = build()
    return index
