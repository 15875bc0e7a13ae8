"""Free-text search over initiatives.

Each initiative keeps a lower-cased `search_text`: its own texts plus the names of its
organisations, target groups and categories, so that one indexed column answers a
search. On PostgreSQL its `danish` text-search vector (stemming) is stored beside it in
`search_vector`, so matching does not parse the text again, and small typos in a name
are forgiven by trigram word similarity; both have GIN indexes (migrations 0002 and
0006). SQLite has neither, so there every word must occur in the text. On both, the
initiatives whose name holds more of the typed words come first.
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Prefetch, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10

SEARCH_VECTOR = SearchVector("search_text", config="danish")


class StoredSearchVectorField(SearchVectorField):
    """A tsvector on PostgreSQL; on SQLite an unused text column, so that both
    databases share one schema."""

    def db_type(self, connection):
        return (
            super().db_type(connection) if connection.vendor == "postgresql" else "text"
        )


def fill_search_vectors(queryset: QuerySet) -> None:
    if connection.vendor == "postgresql":
        queryset.update(search_vector=SEARCH_VECTOR)


def search_terms(query: str) -> list[str]:
    words = re.findall(r"\w+", query.casefold())
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search_initiatives(queryset: QuerySet, query: str) -> QuerySet:
    """Initiatives matching `query`, annotated with `relevance` (higher is better)."""
    terms = search_terms(query)
    if not terms:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        phrase = " ".join(terms)
        text_query = SearchQuery(phrase, search_type="plain", config="danish")
        # Ranked by the typed words in the name: ranking by the stored vector would
        # read every match's vector from TOAST storage, and trigram similarity or the
        # summary are slow to compute for tens of thousands of matches.
        return queryset.filter(
            Q(search_vector=text_query) | Q(name__trigram_word_similar=phrase)
        ).annotate(relevance=occurrences(terms))
    matches = queryset
    for term in terms:
        matches = matches.filter(search_text__contains=term)
    return matches.annotate(relevance=occurrences(terms))


def occurrences(terms: list[str]):
    """Relevance: how many of the terms the name contains."""
    in_name = [
        Case(When(name__icontains=term, then=Value(1.0)), default=Value(0.0))
        for term in terms
    ]
    return sum(in_name[1:], in_name[0])


def search_document(
    initiative,
    organisations: Iterable[str],
    groups: Iterable[str],
    categories: Iterable[str],
) -> str:
    """The text one initiative is found by: its own texts and the names of its
    organisations, target groups and categories."""
    parts = [
        initiative.name,
        initiative.summary,
        initiative.purpose,
        initiative.description,
        initiative.target_group_text,
        initiative.place,
        initiative.setting,
        *organisations,
        *groups,
        *categories,
    ]
    return " ".join(part for part in parts if part).casefold()


def refresh_search_text(queryset: QuerySet) -> int:
    """Recompute `search_text` for these initiatives; call it after every write."""
    from .models import CategoryAssignment, Initiative, Involvement

    initiatives = list(
        queryset.prefetch_related(
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("organisation"),
            ),
            Prefetch(
                "category_assignments",
                queryset=CategoryAssignment.objects.select_related("category"),
            ),
            "target_groups",
        )
    )
    for initiative in initiatives:
        initiative.search_text = search_document(
            initiative,
            organisations=(i.organisation.name for i in initiative.involvements.all()),
            groups=(group.name for group in initiative.target_groups.all()),
            categories=(a.category.name for a in initiative.category_assignments.all()),
        )
    Initiative.objects.bulk_update(initiatives, ["search_text"], batch_size=500)
    fill_search_vectors(Initiative.objects.filter(pk__in=[i.pk for i in initiatives]))
    return len(initiatives)


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with the search terms marked; safe for any curator text."""
    terms = search_terms(query or "")
    if not text or not terms:
        return escape(text or "")
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)),
        re.IGNORECASE,
    )
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


def relevance_ordering() -> list:
    return [F("relevance").desc(nulls_last=True), "name", "pk"]
