"""Finding initiatives by what a visitor types.

Every typed word (its stem) must occur in the initiative's search text. A word that
occurs nowhere is taken as a typo for the nearest words of the catalogue's own
vocabulary, and when no initiative has all the words, those with most of them are
shown. Both rank by how many of the words the initiative's name and summary hold.

A query is read in the interface's language: in Danish, against the Danish search
text; under /en/, in English (English stems and stop words) against the English one,
which holds the English translation, the vocabulary's English names and the English
words the curated pairs give the Danish text (`documents.english_document`).

Each database has tables of its own for search, kept by triggers: SQLite an FTS5
table of stems per language (0001_initial, 0011_english), PostgreSQL a narrow table
of `danish` and `english` tsvectors with the names and summaries
(0002_postgres_search_table, 0011_english). A filtered queryset (the export, the API)
matches through it; the list page asks it for every match and its relevance in one
query (`ranked_matches`).
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Length

from ..i18n import in_english
from .words import DANISH, ENGLISH, Language, edit_distance, fts5_string, stem, words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_SUGGESTIONS = 3
MIN_PREFIX_STEM = 5
FTS_MATCH = "SELECT rowid FROM {table} WHERE {table} MATCH %s"
POSTGRES_MATCH = "SELECT id FROM initiative_search WHERE {document} @@ ({sql})"


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


def has_any(group: tuple[str, ...], language: Language = DANISH) -> Q:
    """Initiatives whose search text holds one of the words in `group`."""
    if connection.vendor == "postgresql":
        sql, params = tsquery(group, language)
        match = POSTGRES_MATCH.format(document=language.document, sql=sql)
        return Q(pk__in=RawSQL(match, params))
    expression = " OR ".join(
        fts5_string(stem(word, language)) + ("*" if is_prefix(word, language) else "")
        for word in group
    )
    return Q(pk__in=RawSQL(FTS_MATCH.format(table=language.fts_table), [expression]))


def tsquery(
    group: tuple[str, ...], language: Language = DANISH
) -> tuple[str, list[str]]:
    """PostgreSQL: a tsquery for any of the words in `group`, as SQL and parameters.
    Words are letters and digits only (`words`), so safe in to_tsquery's syntax."""
    parts, params = [], []
    config = f"'{language.stemmer}'::regconfig"
    for word in group:
        if is_prefix(word, language):
            parts.append(f"to_tsquery({config}, %s)")
            params.append(f"{word}:*")
        else:
            parts.append(f"plainto_tsquery({config}, %s)")
            params.append(word)
    return " || ".join(parts), params


def mentions(wanted: list[tuple[str, list[str]]]) -> Q:
    """Whether a field (the name, the summary) contains one of its stems, also
    inside a compound: for ranking the matches. SQLite's LIKE folds only ASCII
    letters, so there the stem is also looked for capitalised and in capitals
    ("Ældre", "KOL")."""
    return Q.create(
        [contains_any(field, needles) for field, needles in wanted], connector=Q.OR
    )


def contains_any(field: str, needles: list[str]) -> Q:
    if connection.vendor == "postgresql":
        lookups = [(f"{field}__icontains", needle) for needle in sorted(needles)]
    else:
        spellings = {
            spelling
            for needle in needles
            for spelling in (needle, needle.capitalize(), needle.upper())
        }
        lookups = [(f"{field}__contains", spelling) for spelling in sorted(spellings)]
    return Q.create(lookups, connector=Q.OR)


def has_all(groups: list[tuple[str, ...]], language: Language = DANISH) -> Q:
    return Q.create([has_any(group, language) for group in groups])


def containing(text: str, language: Language = DANISH) -> Q:
    """Initiatives whose search text holds every word of `text` (no typo help)."""
    terms = search_terms(text, language)
    return has_all([(term,) for term in terms] or [("",)], language)


def exists_each(
    wanted: list[list[tuple[str, ...]]], language: Language = DANISH
) -> list[bool]:
    """For each list of word groups, whether any published initiative has a word of
    every group in it: one query."""
    from ..models import Initiative

    parts, params = [], []
    for groups in wanted:
        if connection.vendor == "postgresql":
            sql, condition_params = all_groups_sql(groups, language)
            sql = f"SELECT 1 FROM initiative_search WHERE published AND {sql}"
        else:
            published = Initiative.objects.published().order_by()
            sql, condition_params = (
                published.filter(has_all(groups, language))
                .values("pk")[:1]
                .query.sql_with_params()
            )
        parts.append(f"EXISTS ({sql})")
        params += condition_params
    with through_search_index(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [bool(value) for value in cursor.fetchone()]


def all_groups_sql(
    groups: list[tuple[str, ...]], language: Language = DANISH
) -> tuple[str, list[str]]:
    """PostgreSQL: the condition that the document holds a word of every group."""
    queries = [tsquery(group, language) for group in groups]
    sql = " && ".join(f"({query})" for query, _ in queries)
    params = [p for _, params in queries for p in params]
    return f"{language.document} @@ ({sql})", params


_index_only = threading.local()


@contextmanager
def through_search_index():
    """PostgreSQL's planner prices `@@` as if a search vector were a few bytes, but
    each is a few kilobytes stored aside (TOAST): for a common word it prefers a
    sequential scan that unpacks every vector (290 ms at 100,000 initiatives) to the
    GIN index (70 ms), and for a word found nowhere it scans everything (260 ms
    against 0.1 ms). Inside, it takes the index. Nested uses share one setting."""
    if connection.vendor != "postgresql" or getattr(_index_only, "active", False):
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        _index_only.active = True
        try:
            yield
        finally:
            _index_only.active = False
        # Still inside a savepoint of the caller's transaction, when there is one.
        cursor.execute("SET LOCAL enable_seqscan = on")


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


# Within one request, the list, its facets and its notices share one plan.
_request = threading.local()


def remember_plans(**kwargs) -> None:
    _request.plans = {}


def forget_plans(**kwargs) -> None:
    _request.plans = None


def search_plan(query: str, language: Language | None = None) -> SearchPlan:
    """What a search for `query` looks for, in the interface's language unless told:
    two to four small queries, made once per request."""
    language = language or current_language()
    plans = getattr(_request, "plans", None)
    if plans is None:
        return make_plan(query, language)
    if (query, language) not in plans:
        plans[query, language] = make_plan(query, language)
    return plans[query, language]


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


def search_initiatives(
    queryset: QuerySet, query: str, plan: SearchPlan | None = None
) -> QuerySet:
    """Initiatives matching `query`, annotated with `relevance` (higher is better):
    per word, 2 when the name holds it and 1 when the summary does; and when no
    initiative has every word, 10 for each word the initiative has."""
    plan = plan or search_plan(query)
    if not plan.groups:
        # Cast, because PostgreSQL refuses to order by a bare constant.
        return queryset.annotate(relevance=Cast(Value(0.0), FloatField()))
    language = plan.language
    relevance = sum_of([mentions(wanted) for wanted in plan.needles("name")], 2.0)
    relevance += sum_of([mentions(wanted) for wanted in plan.needles("summary")], 1.0)
    if not plan.partial:
        return queryset.filter(has_all(plan.groups, language)).annotate(
            relevance=relevance
        )
    anywhere = [has_any(group, language) for group in plan.groups]
    return queryset.filter(Q.create(anywhere, connector=Q.OR)).annotate(
        relevance=relevance + sum_of(anywhere, 10.0)
    )


def ranked_matches(query: str, among: QuerySet | None = None) -> dict[float, list]:
    """Relevance -> the pks of the published initiatives matching `query` that well
    (and in `among`, when given): what the list page counts and pages with, in one
    query after the plan's. Relevance as in `search_initiatives`."""
    from ..models import Initiative

    with through_search_index():
        plan = search_plan(query)
        if connection.vendor == "postgresql" and plan.groups:
            return postgres_ranked_matches(plan, among)
    matches = search_initiatives(
        among if among is not None else Initiative.objects.published(), query, plan
    )
    grouped = defaultdict(list)
    for pk, relevance in matches.order_by().values_list("pk", "relevance"):
        grouped[relevance].append(pk)
    return dict(grouped)


def postgres_ranked_matches(plan: SearchPlan, among: QuerySet | None) -> dict:
    sql, params = ranked_sql(plan)
    if among is not None:
        among_sql, among_params = among.order_by().values("pk").query.sql_with_params()
        sql += f" AND id IN ({among_sql})"
        params += among_params
    # Grouped in the database: 67,000 rows of a common word come as a few arrays.
    sql = f"SELECT relevance, array_agg(id) FROM ({sql}) m GROUP BY relevance"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def ranked_sql(plan: SearchPlan) -> tuple[str, list]:
    """PostgreSQL: `ranked_matches` over the narrow search table."""
    scores, params = [], []
    language = plan.language
    for column, weight in [("name", 2), ("summary", 1)]:
        for wanted in plan.needles(column):
            held = " OR ".join(f"{field} LIKE ANY(%s)" for field, _ in wanted)
            scores.append(f"CASE WHEN {held} THEN {weight} ELSE 0 END")
            params += [[f"%{needle}%" for needle in needles] for _, needles in wanted]
    if not plan.partial:
        condition, condition_params = all_groups_sql(plan.groups, language)
    else:
        anywhere = [tsquery(group, language) for group in plan.groups]
        for sql, group_params in anywhere:
            match = POSTGRES_MATCH.format(document=language.document, sql=sql)
            scores.append(f"CASE WHEN id IN ({match}) THEN 10 ELSE 0 END")
            params += group_params
        condition = f"{language.document} @@ ({{}})".format(
            " || ".join(f"({sql})" for sql, _ in anywhere)
        )
        condition_params = [p for _, group_params in anywhere for p in group_params]
    sql = (
        f"SELECT id, {' + '.join(scores)} AS relevance FROM initiative_search "
        f"WHERE published AND {condition}"
    )
    return sql, params + condition_params


def sum_of(conditions: list[Q], weight: float):
    """How many of the conditions hold, times `weight`, as an SQL expression."""
    counted = [
        Case(
            When(condition, then=Value(weight)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for condition in conditions
    ]
    return sum(counted[1:], counted[0])


def relevance_ordering() -> list:
    return [F("relevance").desc(nulls_last=True), "name", "pk"]
