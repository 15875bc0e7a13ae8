"""Finding initiatives by what a visitor types.

Every typed word (its stem) must occur in the initiative's search text. A word that
occurs nowhere is taken as a typo for the nearest words of the catalogue's own
vocabulary, and when no initiative has all the words, those with most of them are
shown. Both rank by how many of the words the initiative's name and summary hold.

A query is read in the interface's language: in Danish, against the Danish search
text; under /en/, in English (English stems and stop words) against the English one,
which holds the English translation, the vocabulary's English names and the English
words the curated pairs give the Danish text (`documents.english_document`).

Both databases keep a narrow table of every initiative as search reads it (the model
`SearchEntry`: published or not, name and summary case-folded, and on PostgreSQL the
`danish` and `english` tsvectors), and rank by it alike (`relevance`). They match
differently: PostgreSQL through the vectors' GIN indexes, SQLite through FTS5 tables
of stems per language (0001_initial, 0011_english). A filtered queryset (the export,
the API) matches through it; the list page asks it for every match and its
relevance in one query (`ranked_matches`).
"""

import operator
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Length, StrIndex
from django.db.models.lookups import GreaterThan

from ..i18n import in_english
from .words import DANISH, ENGLISH, Language, edit_distance, fts5_string, stem, words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_SUGGESTIONS = 3
MIN_PREFIX_STEM = 5
FIRST_LOOKED_AT = 50
FTS_MATCH = "SELECT rowid FROM {table} WHERE {table} MATCH %s"

# What an initiative's relevance adds up, per typed word: the field of its search
# entry that holds the word (its stem, also inside a compound) and how much that
# counts; and, when no initiative has every word, how much each word it has counts.
WEIGHTS = {"name": 2, "summary": 1}
WORD_HELD = 10


def current_language() -> Language:
    """The language a query is read in: English under /en/, Danish elsewhere."""
    return ENGLISH if in_english() else DANISH


@dataclass(frozen=True)
class SearchPlan:
    terms: list[str] = field(default_factory=list)
    # Per typed word, the words searched for it: itself and its curated synonyms, or
    # the nearest words of the catalogue when it occurs nowhere.
    groups: list[tuple[str, ...]] = field(default_factory=list)
    # Typed words found nowhere -> the nearest words of the catalogue, nearest first.
    nearest: dict[str, list[str]] = field(default_factory=dict)
    # No initiative has every word, so those with most of them are shown.
    partial: bool = False
    language: Language = DANISH
    # English: per group, the Danish words its words mean through the curated pairs
    # (and their Danish synonyms), which rank an initiative as its English words do
    # when its Danish name or summary holds them.
    meanings: list[tuple[str, ...]] = field(default_factory=list)

    def needles(self, column: str) -> list[list[tuple[str, list[str]]]]:
        """Per group, the (column, stems) whose holding in the name or summary
        (`column`) scores: the group's own stems in the plan's language, and in an
        English plan the Danish meanings' stems in the Danish column."""
        own = getattr(self.language, column)
        found = []
        for position, group in enumerate(self.groups):
            wanted = [(own, sorted({stem(word, self.language) for word in group}))]
            meanings = self.meanings[position] if self.meanings else ()
            if meanings:
                wanted.append((column, sorted({stem(word) for word in meanings})))
            found.append(wanted)
        return found

    @property
    def suggestions(self) -> list[str]:
        """Whole queries with each word found nowhere replaced by a near word."""
        found = []
        for rank in range(MAX_SUGGESTIONS):
            replaced = [
                self.nearest[term][rank]
                if len(self.nearest.get(term, [])) > rank
                else (self.nearest.get(term) or [term])[0]
                for term in self.terms
            ]
            if replaced != self.terms and replaced not in found:
                found.append(replaced)
        return [" ".join(query) for query in found]


def search_terms(query: str, language: Language = DANISH) -> list[str]:
    found = [word for word in words(query) if word not in language.stop_words]
    return list(dict.fromkeys(found))[:MAX_TERMS]


def typo_limit(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def is_prefix(word: str, language: Language = DANISH) -> bool:
    """Whether `word` also finds the words it begins ("diabetes" finds
    "Diabetesbussen"); not for short stems, so "KOL" does not find "Kolding"."""
    return len(stem(word, language)) >= MIN_PREFIX_STEM


def entries_holding(
    groups: list[tuple[str, ...]], language: Language = DANISH, every: bool = True
) -> Q:
    """Search entries whose search text holds a word of every group (or, not
    `every`, of any group)."""
    if connection.vendor == "postgresql":
        queries = [search_query(group, language) for group in groups]
        combine = operator.and_ if every else operator.or_
        return Q(**{language.document: reduce(combine, queries)})
    return Q.create(
        [
            Q(
                pk__in=RawSQL(
                    FTS_MATCH.format(table=language.fts_table), [fts5(group, language)]
                )
            )
            for group in groups
        ],
        connector=Q.AND if every else Q.OR,
    )


def fts5(group: tuple[str, ...], language: Language = DANISH) -> str:
    """SQLite: an FTS5 query for any of the words in `group`."""
    return " OR ".join(
        fts5_string(stem(word, language)) + ("*" if is_prefix(word, language) else "")
        for word in group
    )


def search_query(group: tuple[str, ...], language: Language = DANISH) -> SearchQuery:
    """PostgreSQL: a tsquery for any of the words in `group`. Words are letters and
    digits only (`words`), so safe in to_tsquery's syntax."""
    queries = [
        SearchQuery(f"{word}:*", search_type="raw", config=language.stemmer)
        if is_prefix(word, language)
        else SearchQuery(word, config=language.stemmer)
        for word in group
    ]
    return reduce(operator.or_, queries)


def has_all(
    groups: list[tuple[str, ...]], language: Language = DANISH, every: bool = True
) -> Q:
    """Initiatives (or search entries) whose search text holds a word of every
    group (or, not `every`, of any group)."""
    from ..models import SearchEntry

    entries = SearchEntry.objects.filter(entries_holding(groups, language, every))
    return Q(pk__in=entries.order_by().values("pk"))


def has_any(group: tuple[str, ...], language: Language = DANISH) -> Q:
    """Initiatives (or search entries) whose search text holds one of the words in
    `group`."""
    return has_all([group], language)


def mentions(wanted: list[tuple[str, list[str]]], through: str = "") -> Q:
    """Whether a field of the search entry (the name, the summary; `through` the
    relation that leads to it) contains one of its stems, also inside a compound:
    for ranking the matches. The entry is case-folded, as the stems are. By the
    stem's position (strpos, instr) rather than LIKE '%stem%', which PostgreSQL
    evaluates more slowly over a common word's many matches (bench/RESULTS.md)."""
    return Q.create(
        [
            GreaterThan(StrIndex(F(f"{through}{field}"), Value(needle)), 0)
            for field, needles in wanted
            for needle in sorted(needles)
        ],
        connector=Q.OR,
    )


def containing(text: str, language: Language = DANISH) -> Q:
    """Initiatives whose search text holds every word of `text` (no typo help)."""
    terms = search_terms(text, language)
    return has_all([(term,) for term in terms] or [("",)], language)


def exists_each(
    wanted: list[list[tuple[str, ...]]], language: Language = DANISH
) -> list[bool]:
    """For each list of word groups, whether any published initiative has a word of
    every group in it: one query."""
    from ..models import SearchEntry

    published = SearchEntry.objects.filter(published=True).order_by()
    parts, params = [], []
    for groups in wanted:
        holding = entries_holding(groups, language)
        sql, condition_params = (
            published.filter(holding).values("pk")[:1].query.sql_with_params()
        )
        if connection.vendor == "postgresql":
            # The index gathers every match before it answers, all of them for a
            # word most initiatives hold; such a word is in one of the first few
            # entries, which answer at once. A rare word costs their look.
            first = published.values("pk")[:FIRST_LOOKED_AT]
            sample_sql, sample_params = (
                SearchEntry.objects.order_by()
                .filter(pk__in=first)
                .filter(holding)
                .values("pk")[:1]
                .query.sql_with_params()
            )
            parts.append(f"(EXISTS ({sample_sql}) OR EXISTS ({sql}))")
            params += [*sample_params, *condition_params]
        else:
            parts.append(f"EXISTS ({sql})")
            params += condition_params
    with through_search_index(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [bool(value) for value in cursor.fetchone()]


@contextmanager
def through_search_index():
    """PostgreSQL's planner prices `@@` as if a search vector were a few bytes, but
    each is a few kilobytes stored aside (TOAST): for a common word it prefers a
    sequential scan that unpacks every vector, many times slower than the GIN index,
    and for a word found nowhere it scans everything instead of reading nothing.
    Inside, it takes the index. A scan it cannot avoid is then priced so high that
    PostgreSQL would compile the query first (JIT), which takes longer than the
    search itself, so that is off too.
    Uses may nest: a use inside a transaction puts the settings back after."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        # A transaction of its own, whose end ends the settings.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL jit = off")
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('jit'), "
            "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
        )
        seqscan, jit = cursor.fetchone()[:2]
        yield
        cursor.execute(
            "SELECT set_config('enable_seqscan', %s, true), "
            "set_config('jit', %s, true)",
            [seqscan, jit],
        )


def nearest_words(
    terms: list[str], language: Language = DANISH
) -> dict[str, list[str]]:
    """For each term, the catalogue's words in its language within a few typing
    mistakes, nearest first (one query for all terms)."""
    from ..models import SearchWord

    wanted = Q()
    for term in terms:
        reach = typo_limit(term) + 1
        wanted |= Q(
            word__startswith=term[0],
            length__gte=len(term) - reach,
            length__lte=len(term) + reach,
        )
    candidates = list(
        SearchWord.objects.filter(language=language.code)
        .annotate(length=Length("word"))
        .filter(wanted)
        .values_list("word", flat=True)
    )
    nearest = {}
    for term in terms:
        reach = typo_limit(term) + 1
        scored = sorted(
            (distance, word)
            for word in candidates
            if word[0] == term[0]
            and (distance := edit_distance(term, word, reach)) <= reach
        )
        nearest[term] = [word for _, word in scored[:MAX_SUGGESTIONS]]
    return nearest


def curated_synonyms_of(
    terms: list[str], language: Language = DANISH
) -> dict[str, list[str]]:
    """The one-word synonyms of each term in its language, both ways round (one
    query). An English word's pairs mean Danish words, which the English search text
    holds as the English word, so it has none to search for beside itself."""
    from ..models import Synonym

    found = {term: [] for term in terms}
    if language != DANISH:
        return found
    pairs = Synonym.objects.filter(language=language.code).filter(
        Q(word__in=terms) | Q(means__in=terms)
    )
    for word, means in pairs.values_list("word", "means"):
        for typed, other in [(word, means), (means, word)]:
            if typed in found and len(words(other)) == 1:
                found[typed].append(words(other)[0])
    return found


def search_plan(query: str, language: Language | None = None) -> SearchPlan:
    """What a search for `query` looks for, in the interface's language unless told:
    two to four small queries. A list's FilterSet makes its search's plan once and
    passes it on (`InitiativeFilterSet.search_plan`)."""
    return make_plan(query, language or current_language())


def make_plan(query: str, language: Language = DANISH) -> SearchPlan:
    terms = search_terms(query or "", language)
    if not terms:
        return SearchPlan(language=language)
    # A word's curated synonyms are in the search texts already; they are searched
    # for here too so that a name holding one ranks first ("tandlæge": "Tandpleje").
    synonyms = curated_synonyms_of(terms, language)
    groups = [(term, *synonyms[term]) for term in terms]
    every_word = [groups] if len(groups) > 1 else []
    found = exists_each([[group] for group in groups] + every_word, language)
    unknown = [term for term, known in zip(terms, found, strict=False) if not known]
    if not unknown:
        partial = len(groups) > 1 and not found[-1]
        meanings = danish_meanings(query, groups) if language == ENGLISH else []
        return SearchPlan(terms, groups, {}, partial, language, meanings)
    nearest = nearest_words(unknown, language)
    for position, term in enumerate(terms):
        near_misses = [
            word
            for word in nearest.get(term, [])
            if edit_distance(term, word, typo_limit(term)) <= typo_limit(term)
        ]
        if near_misses:
            groups[position] = tuple(near_misses)
    partial = len(groups) > 1 and not exists_each([groups], language)[0]
    meanings = danish_meanings(query, groups) if language == ENGLISH else []
    return SearchPlan(terms, groups, nearest, partial, language, meanings)


def ranking_word(text: str) -> str:
    """The word of a Danish meaning that ranks by it: its longest ("psykisk" of
    "psykisk sygdom", "indkomst" of "lav indkomst")."""
    return max(words(text), key=len, default="")


def danish_meanings(query: str, groups: list[tuple[str, ...]]) -> list[tuple]:
    """Per group of an English query, the Danish words its words mean through the
    curated pairs, and the Danish synonyms of those that are one word, as a Danish
    query's word has them; a pair of several words ("rough sleepers") counts for
    every group of a query that is just those words (two queries)."""
    from ..models import Synonym

    english = Synonym.objects.filter(language=ENGLISH.code)
    by_word = defaultdict(set)
    for word, means in english.values_list("word", "means"):
        by_word[" ".join(words(word))].add(means.casefold())
    whole = by_word.get(" ".join(words(query)), set())
    meant = [
        whole.union(*(by_word.get(word, set()) for word in group)) for group in groups
    ]
    single = sorted({means for group in meant for means in group if " " not in means})
    synonyms = curated_synonyms_of(single, DANISH)
    return [
        tuple(
            sorted(
                {ranking_word(means) for means in group if ranking_word(means)}
                | {synonym for means in group for synonym in synonyms.get(means, [])}
            )
        )
        for group in meant
    ]


def relevance(plan: SearchPlan, through: str = ""):
    """How well an initiative matches the plan (higher is better), as an SQL
    expression over its search entry (`through` the relation that leads to it):
    `WEIGHTS` for each word its name and summary hold, and when no initiative has
    every word, `WORD_HELD` for each word it has."""
    scores = [
        (mentions(wanted, through), weight)
        for column, weight in WEIGHTS.items()
        for wanted in plan.needles(column)
    ]
    if plan.partial:
        scores += [(has_any(group, plan.language), WORD_HELD) for group in plan.groups]
    counted = [
        Case(
            When(held, then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for held, weight in scores
    ]
    return sum(counted[1:], counted[0])


def no_relevance():
    # Cast, because PostgreSQL refuses to order by a bare constant.
    return Cast(Value(0), IntegerField())


def search_initiatives(
    queryset: QuerySet, query: str, plan: SearchPlan | None = None
) -> QuerySet:
    """Initiatives matching `query`, annotated with their `relevance`."""
    plan = plan or search_plan(query)
    if not plan.groups:
        return queryset.annotate(relevance=no_relevance())
    if plan.partial:
        found = has_all(plan.groups, plan.language, every=False)
    else:
        found = has_all(plan.groups, plan.language)
    return queryset.filter(found).annotate(
        relevance=relevance(plan, through="search_entry__")
    )


def ranked_matches(
    query: str, among: QuerySet | None = None, plan: SearchPlan | None = None
) -> dict[int, list]:
    """Relevance -> the pks of the published initiatives matching `query` that well
    (and in `among`, when given): what the list page counts and pages with, in one
    query after the plan's. Relevance as in `search_initiatives`."""
    entries = ranked_entries(plan or search_plan(query), among)
    with through_search_index():
        if connection.vendor == "postgresql":
            # Grouped in the database: 67,000 rows of a common word come as a few
            # arrays.
            grouped = entries.values("relevance").annotate(pks=ArrayAgg("pk"))
            return dict(grouped.values_list("relevance", "pks"))
        found = defaultdict(list)
        for pk, score in entries.values_list("pk", "relevance"):
            found[score].append(pk)
        return dict(found)


def ranked_entries(plan: SearchPlan, among: QuerySet | None = None) -> QuerySet:
    """The search entries of the published initiatives the plan finds (and in
    `among`, when given), annotated with their `relevance`."""
    from ..models import SearchEntry

    entries = SearchEntry.objects.filter(published=True).order_by()
    if among is not None:
        entries = entries.filter(pk__in=among.order_by().values("pk"))
    if not plan.groups:
        return entries.annotate(relevance=no_relevance())
    found = entries_holding(plan.groups, plan.language, every=not plan.partial)
    return entries.filter(found).annotate(relevance=relevance(plan))


def relevance_ordering() -> list:
    return [F("relevance").desc(nulls_last=True), "name", "pk"]
