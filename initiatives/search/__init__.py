"""Free-text search over initiatives, the same on SQLite and PostgreSQL.

`words` says what a word is (tokens, Danish stems, compound tails), `documents` what
text each initiative is found by and keeps it up to date, `matching` finds and ranks
initiatives for a query, and `highlighting` marks the typed words in a page.
"""

from .documents import (
    document_text,
    learn_words,
    refresh_search_text,
    search_document,
)
from .highlighting import highlight
from .matching import (
    MAX_QUERY_LENGTH,
    SearchPlan,
    containing,
    ranked_matches,
    relevance_ordering,
    search_initiatives,
    search_plan,
    search_terms,
)

__all__ = [
    "MAX_QUERY_LENGTH",
    "SearchPlan",
    "containing",
    "document_text",
    "highlight",
    "learn_words",
    "ranked_matches",
    "refresh_search_text",
    "relevance_ordering",
    "search_document",
    "search_initiatives",
    "search_plan",
    "search_terms",
]
