"""The count index: which published initiatives have which facet values, held in
memory per catalogue version, so that counting every facet option under any
combination of filters, and finding a page of the list in name order, costs no
grouped query over the relation tables. The counting layer (counting.py) reads it,
and page_contents.py names the pages most read by its digest and changed stamps.

Each published initiative has a position (a bit), in the list's order by name, so the
lowest set bits of a filter's result are its first page. A value's initiatives are a
bitset, a Python int, so "how many would this option give with the other filters" is
an AND and a popcount. A facet with too many values for a bitset each (organisations)
keeps each value's positions and each position's values instead.

The index is made in the first request that needs it after the catalogue changes
(every change bumps `CatalogueVersion`): updated from the one before if the change
left every initiative's place and facet values as they were (an edited text, a
result added), else built afresh. One server process makes it and shares it with
the others through Django's cache (whose keys name the deployment: the site and the
database) under the version's stamp; each keeps the current one in memory for its
threads. It is read from one snapshot of the database, so a row published while it
is being built is either wholly in it or wholly out. Pages are kept by the reverse
proxy (http_caching.py), so an index is built about once per change, not once per
page.
"""

import hashlib
import threading
import time
from array import array
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, replace
from heapq import heappush, heapreplace
from itertools import chain, repeat
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from ..changes import snapshot
from ..models import CatalogueVersion, Initiative, Outcome
from . import facets
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


def bitset_of(positions, size: int) -> int:
    """The bitset of `positions`, each below `size` or equal to it, which stands for
    no position (a draft's) and is left out. A facet's value or a common word has
    tens of thousands at 100,000 initiatives, so each is marked by builtins (map over
    a bytearray of binary digits, which int() reads at once), not a loop in Python."""
    digits = bytearray(b"0" * (size + 1))
    deque(map(digits.__setitem__, positions, repeat(ord("1"))), maxlen=0)
    del digits[size]
    digits.reverse()  # position 0 is the lowest bit, int() reads it last
    return int(digits, 2) if digits else 0


@dataclass(frozen=True)
class SparseValues:
    """A facet's values kept as positions: for facets with too many values."""

    positions: dict  # value -> sorted positions of its initiatives
    values_at: list[tuple]  # position -> its values
    # (value, how many have it, their bitset) of the values most have, most first.
    densest: list[tuple]

    def bitset(self, values) -> int:
        return bitset_of(
            chain.from_iterable(self.positions.get(value, ()) for value in values),
            len(self.values_at),
        )

    def counts(self, among: int, everything: int, enough: int | None = None) -> Counter:
        """Value -> how many of `among` have it; with `enough`, maybe only for
        the values that hold the `enough` most frequent ones."""
        every = Counter({value: len(p) for value, p in self.positions.items()})
        if among == everything:
            return every
        if enough is not None:
            counted = self.most_frequent(among, enough)
            if counted is not None:
                return counted
        at = self.values_at
        # Visiting positions is the cost: for more than half the catalogue (a common
        # word's matches), count the rest and subtract.
        if among.bit_count() > everything.bit_count() // 2:
            rest = positions_of(everything & ~among)
            return every - Counter(chain.from_iterable(at[p] for p in rest))
        return Counter(chain.from_iterable(at[p] for p in positions_of(among)))

    def most_frequent(self, among: int, how_many: int) -> Counter | None:
        """The counts in `among` of the densest values, as far as it takes to hold
        the `how_many` most frequent: a value that fewer have in all than the last
        of the best so far have in `among` cannot be among them, nor can any after
        it. None if the densest values do not settle it (a narrow `among`, whose
        positions are few to visit)."""
        counted, best = Counter(), []  # best: the largest counts, smallest first
        for value, total, bits in self.densest:
            if len(best) == how_many and total < best[0]:
                return counted
            counted[value] = count = (bits & among).bit_count()
            if len(best) < how_many:
                heappush(best, count)
            elif count > best[0]:
                heapreplace(best, count)
        return counted if len(self.densest) == len(self.positions) else None


@dataclass(frozen=True)
class CountIndex:
    stamp: int  # the catalogue version's stamp it was built for
    shared_stamp: int  # and its shared stamp (changes.py)
    begun: float  # time.monotonic() when its snapshot began: within one process
    pks: list[int]  # position -> initiative pk, in order by name
    changed_stamps: array  # position -> the initiative's changed_stamp, or 0
    # Names what the index holds but the stamps: which initiatives are published,
    # in which order, with which facet values.
    digest: str
    # Indexed by initiative pk: its position, or len(pks) if it has none (a draft).
    position_by_pk: list[int]
    everything: int
    bitsets: dict[Facet, dict]  # facet -> value -> bitset
    sparse: dict[Facet, SparseValues]  # facet -> its values' positions
    options: dict[Facet, list[Option]]  # facet -> its options, in order
    outcome_count: int

    def position_of(self, pk: int) -> int | None:
        """The initiative's position, or None if it has none (a draft)."""
        at = next(positions_at([pk], self.position_by_pk))
        return at if at < len(self.pks) else None

    def bitset_for_pks(self, pks) -> int:
        """The positions of those of `pks` that have one."""
        return bitset_of(positions_at(pks, self.position_by_pk), len(self.pks))

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

    def counts(self, facet: Facet, among: int, enough: int | None = None) -> Counter:
        """Value -> how many of `among` have it, for every value that any has; with
        `enough`, maybe only for the values holding the `enough` most frequent."""
        if facet in self.sparse:
            return self.sparse[facet].counts(among, self.everything, enough)
        return Counter(
            {
                value: (bits & among).bit_count()
                for value, bits in self.bitsets[facet].items()
            }
        )

    def pks_at(self, bits: int, page: slice) -> list[int]:
        positions = positions_of(bits, enough=page.stop)
        return [self.pks[position] for position in positions[page]]

    def changed_stamps_of(self, pks) -> list[int]:
        """Each initiative's changed_stamp, 0 for one without a position."""
        spare = len(self.pks)
        return [
            0 if at == spare else self.changed_stamps[at]
            for at in positions_at(pks, self.position_by_pk)
        ]

    def values_of(self, pk: int, facet: Facet) -> list:
        """The initiative's values (as stored) in a facet."""
        at = self.position_of(pk)
        if at is None:
            return []
        if facet in self.sparse:
            return list(self.sparse[facet].values_at[at])
        bit = 1 << at
        return [value for value, bits in self.bitsets[facet].items() if bits & bit]

    def most_shared(self, pk: int, values: list, how_many: int) -> list[int]:
        """Other initiatives having most of `values` ((facet, value) pairs), then by
        name: `at_least[k]` holds those with k or more of them."""
        at_least = [self.everything] + [0] * len(values)
        for facet, value in values:
            bits = self.matching(facet, [value])
            for k in range(len(values), 0, -1):
                at_least[k] |= at_least[k - 1] & bits
        at = self.position_of(pk)
        taken = 0 if at is None else 1 << at
        found: list[int] = []
        for k in range(len(values), 0, -1):
            wanted = how_many - len(found)
            found += positions_of(at_least[k] & ~taken, enough=wanted)[:wanted]
            taken |= at_least[k]
        return [self.pks[position] for position in found]


def positions_at(pks, position_by_pk: list[int]):
    """Each pk's position; those without one (drafts, and any published after the
    index's snapshot, where the database has none: SQLite) at the spare position."""
    pks = list(pks)
    if pks and max(pks) >= len(position_by_pk):
        pks = [pk if pk < len(position_by_pk) else 0 for pk in pks]
    return map(position_by_pk.__getitem__, pks)


def plain_rows(queryset) -> list[tuple]:
    """The rows of a values_list query as the driver gives them, without Django's
    per-row work."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def positions_by_value(facet: Facet, initiatives, position_by_pk: list[int]) -> dict:
    """Value -> the positions of the initiatives having it in `facet`, maybe
    repeated. Grouped by value in the database: at 100,000 initiatives a facet has
    hundreds of thousands of (initiative, value) pairs, but only hundreds of values."""
    found = defaultdict(list)
    for query in facet.grouped(initiatives):
        for value, pks in plain_rows(query):
            if pks:
                found[value] += positions_at(map(int, pks.split(",")), position_by_pk)
    return found


# A sparse facet's values most initiatives have, kept as bitsets too: for finding the
# most frequent under a filter that lets most of the catalogue through (a common
# word) without visiting every position.
DENSE_VALUES = 128


def sparse_values(
    positions: dict, size: int, dense: int = DENSE_VALUES
) -> SparseValues:
    """An initiative may reach one value by several paths (an organisation and its
    unit): each value counts once per initiative. In the values' order, not the
    database's, so that the same catalogue gives the same index."""
    values_at: list[list] = [[] for _ in range(size)]
    kept = {}
    for value, found in sorted(positions.items()):
        kept[value] = array("I", sorted(set(found) - {size}))
        for at in kept[value]:
            values_at[at].append(value)
    most_first = sorted(kept, key=lambda value: (-len(kept[value]), value))
    densest = [
        (value, len(kept[value]), bitset_of(kept[value], size))
        for value in most_first[:dense]
    ]
    return SparseValues(kept, [tuple(values) for values in values_at], densest)


def digest_of(pks: list[int], bitsets: dict, sparse: dict) -> str:
    """Names the order and every facet's values; the same for the same catalogue
    whichever order the database gave the values in."""
    made = hashlib.sha256(array("q", pks).tobytes())
    for facet in FACETS:
        if facet in sparse:
            kept = sparse[facet].positions
            values = ((value, kept[value].tobytes()) for value in kept)
        else:
            values = (
                (value, bits.to_bytes((bits.bit_length() + 7) // 8, "little"))
                for value, bits in bitsets[facet].items()
            )
        for value, held in sorted(values, key=lambda pair: repr(pair[0])):
            made.update(f"{facet.name} {value!r} {len(held)}".encode())
            made.update(held)
    return made.hexdigest()


# More initiatives changed than this since the index was built: build it afresh.
MOST_CHECKED = 20


def values_in_database(pk: int, position_by_pk: list[int]) -> dict[Facet, set]:
    """The published initiative's values in every facet, as the index reads them."""
    one = Initiative.objects.published().filter(pk=pk)
    return {
        facet: set(positions_by_value(facet, one, position_by_pk)) for facet in FACETS
    }


def keeps_its_place(index: CountIndex, pk: int) -> bool:
    """Whether the initiative is where the index has it, in order by name, and has
    the facet values the index gives it."""
    at = index.position_of(pk)
    published = Initiative.objects.published()
    name = published.filter(pk=pk).values_list("name", flat=True).first()
    if at is None or name is None:
        return False
    before = published.filter(Q(name__lt=name) | Q(name=name, pk__lt=pk)).count()
    if before != at:
        return False
    in_index = {facet: set(index.values_of(pk, facet)) for facet in FACETS}
    return values_in_database(pk, index.position_by_pk) == in_index


def updated(previous: CountIndex, stamp: int, shared_stamp: int) -> CountIndex | None:
    """The index for `stamp` made from `previous`, if every change since is
    confined to initiatives that kept their place and their facet values (a text
    edited, a result added, a name that sorts where it did): their changed stamps
    and the count of results are all that differ from a new build. None if any
    other change came (then the index is built afresh): an initiative published or
    withdrawn, moved in the order or given other values, or a shared change."""
    if shared_stamp != previous.shared_stamp:
        return None
    published = Initiative.objects.published().order_by()
    rows = plain_rows(published.values_list("pk", "changed_stamp"))
    if len(rows) != len(previous.pks):
        return None
    changed_stamps = array("q", previous.changed_stamps)
    changed = []
    for pk, changed_stamp in rows:
        at = previous.position_of(pk)
        if at is None:
            return None  # published since (the count alone may not tell)
        if changed_stamps[at] != (changed_stamp or 0):
            changed_stamps[at] = changed_stamp or 0
            changed.append(pk)
    if len(changed) > MOST_CHECKED or not all(
        keeps_its_place(previous, pk) for pk in changed
    ):
        return None
    return replace(
        previous,
        stamp=stamp,
        changed_stamps=changed_stamps,
        outcome_count=published_outcomes(),
    )


def published_outcomes() -> int:
    return Outcome.objects.filter(initiative__in=Initiative.objects.published()).count()


def build(previous: CountIndex | None = None) -> CountIndex:
    """The index of the catalogue as it is now: `previous` updated if it can be
    (`updated`), else built afresh."""
    begun = time.monotonic()
    with snapshot():
        stamp, shared_stamp = CatalogueVersion.current_stamps()
        if previous is not None:
            index = updated(previous, stamp, shared_stamp)
            if index is not None:
                return replace(index, begun=begun)
        published = Initiative.objects.published()
        by_name = published.order_by("name", "pk").values_list("pk", "changed_stamp")
        rows = plain_rows(by_name)
        pks = [pk for pk, _ in rows]
        size = len(pks)
        # 0 is no pk: it stands for those beyond the list (bitset_for_pks).
        position_by_pk = [size] * (max(pks, default=0) + 1)
        for at, pk in enumerate(pks):
            position_by_pk[pk] = at
        bitsets, sparse = {}, {}
        for facet in FACETS:
            found = positions_by_value(facet, published, position_by_pk)
            if facet.most_shown:
                sparse[facet] = sparse_values(found, size)
            else:
                bitsets[facet] = {
                    value: bitset_of(positions, size)
                    for value, positions in found.items()
                }
        return CountIndex(
            stamp=stamp,
            shared_stamp=shared_stamp,
            begun=begun,
            pks=pks,
            changed_stamps=array("q", (changed or 0 for _, changed in rows)),
            digest=digest_of(pks, bitsets, sparse),
            position_by_pk=position_by_pk,
            everything=(1 << size) - 1,
            bitsets=bitsets,
            sparse=sparse,
            options={facet: facet.options() for facet in FACETS},
            outcome_count=published_outcomes(),
        )


_lock = threading.Lock()
_current: CountIndex | None = None


def current_index(stamp: int | None = None) -> CountIndex:
    """The index for the catalogue as it is now (its version's `stamp`, if the
    caller has just read it). Its threads wait for the one that gets it rather than
    each building the same (seconds at 100,000 initiatives), and take an index
    whose snapshot began after they read the version, though another change may
    have come since: it shows at least as much as they asked for."""
    global _current
    asked = time.monotonic()
    if stamp is None:
        stamp = CatalogueVersion.current_stamp()
    index = _current
    if index is not None and index.stamp == stamp:
        return index
    with _lock:
        index = _current
        if index is None or (index.stamp != stamp and index.begun < asked):
            index = _current = shared_index(stamp, asked, index)
    return index


# Shared through Django's cache, under a key that names this code, so that an index
# pickled by another release is never read.
_CODE = hashlib.sha256(
    Path(__file__).read_bytes() + Path(facets.__file__).read_bytes()
).hexdigest()[:12]
# How long another process waits for an index being built before building its own;
# and how long a built one is kept for the others (they ask within seconds).
BUILD_WAIT = 30
KEPT_FOR = 60


def shared_key(stamp: int) -> str:
    return f"count-index-{_CODE}-{stamp}"


_shared_keys: set[str] = set()  # what this process last shared an index under


def share(index: CountIndex, asked_for: int) -> None:
    """Under the stamp asked for and its own (a later change may have come before
    its snapshot began); what this process shared before is deleted, so a cache
    holds about one index per process, not one per change."""
    keys = {shared_key(asked_for), shared_key(index.stamp)}
    cache.set_many(dict.fromkeys(keys, index), KEPT_FOR)
    cache.delete_many(list(_shared_keys - keys))
    _shared_keys.clear()
    _shared_keys.update(keys)


def shared_index(
    stamp: int, asked: float, previous: CountIndex | None = None
) -> CountIndex:
    """The index for version `stamp` (or a later one): built once for every server
    process sharing the cache, by the first that needs it (from `previous`, the
    one it had, if it can), while the others wait for it and read it."""
    key = shared_key(stamp)
    building = key + "-building"
    while True:
        index = cache.get(key)
        if index is not None:
            # Built by another process: as new as the version read at `asked`.
            return replace(index, begun=asked)
        if (
            cache.add(building, True, BUILD_WAIT)
            or time.monotonic() > asked + BUILD_WAIT
        ):
            break
        time.sleep(0.05)  # another process is building it
    index = build(previous)
    share(index, stamp)
    cache.delete(building)
    return index
