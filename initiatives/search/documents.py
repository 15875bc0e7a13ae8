"""The text each initiative is found by, and keeping it (and what is derived from it)
up to date."""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import translation

from .words import STOP_WORDS, compound_tails, stem, words

SEARCH_VECTOR = SearchVector("search_text", config="danish")
BATCH = 2000


def fill_search_vectors(queryset: QuerySet) -> None:
    """PostgreSQL's stored tsvector; on SQLite, triggers keep the FTS5 table in step
    with `search_text` (the initial migration)."""
    if connection.vendor == "postgresql":
        queryset.update(search_vector=SEARCH_VECTOR)


def english_label(choices_label) -> str:
    with translation.override("en"):
        return str(choices_label)


def document_text(
    initiative,
    organisations: Iterable = (),
    groups: Iterable = (),
    categories: Iterable = (),
    outcomes: Iterable[str] = (),
) -> str:
    """What one initiative says, case-folded: its own texts and results; the names of
    its organisations (and their kinds), target groups and categories, in Danish and
    English."""
    organisations, groups, categories = (
        list(organisations),
        list(groups),
        list(categories),
    )
    parts = [
        initiative.name,
        initiative.summary,
        initiative.purpose,
        initiative.description,
        initiative.target_group_text,
        initiative.place,
        initiative.setting,
        *(o.name for o in organisations),
        *(g.name for g in groups),
        *(c.name for c in categories),
        *outcomes,
        *(english_label(o.get_kind_display()) for o in organisations),
        *(g.name_en for g in groups),
        *(c.name_en for c in categories),
    ]
    return " ".join(part for part in parts if part).casefold()


def search_document(
    text: str, synonyms: list[tuple[str, frozenset[str]]], known: set[str]
) -> str:
    """The text an initiative is found by: what it says, the curated synonyms of its
    words, and the tails of its compound words that are words of the catalogue
    (`known`), so "rygere" finds "storrygere"."""
    own_words = set(words(text))
    tails = {
        tail for word in own_words for tail in compound_tails(word, known)
    } - own_words
    found_stems = {stem(word) for word in own_words | tails}
    extra = [word for word, means in synonyms if means and means <= found_stems]
    return " ".join([text, *extra, *sorted(tails)])


def curated_synonyms() -> list[tuple[str, frozenset[str]]]:
    """(words to add, the stems a text must hold for them), both ways round: an
    initiative that says "hjemløse" is found by "§110", and one that says "§110" by
    "hjemløse"."""
    from ..models import Synonym

    pairs = []
    for word, means in Synonym.objects.values_list("word", "means"):
        for added, held in [(word, means), (means, word)]:
            pairs.append((added.casefold(), frozenset(stem(w) for w in words(held))))
    return pairs


def refresh_search_text(queryset: QuerySet) -> int:
    """Recompute `search_text` (and so the search index) for these initiatives, and
    learn their words; call it after every write."""
    from ..models import CategoryAssignment, Initiative, Involvement, SearchWord

    synonyms = curated_synonyms()
    known = set(SearchWord.objects.order_by().values_list("word", flat=True))
    pks = list(queryset.order_by().values_list("pk", flat=True).distinct())
    for start in range(0, len(pks), BATCH):
        batch = list(
            Initiative.objects.filter(pk__in=pks[start : start + BATCH])
            .order_by()
            .only(
                "pk",
                "name",
                "summary",
                "purpose",
                "description",
                "target_group_text",
                "place",
                "setting",
            )
            .prefetch_related(
                Prefetch(
                    "involvements",
                    queryset=Involvement.objects.select_related("organisation"),
                ),
                Prefetch(
                    "category_assignments",
                    queryset=CategoryAssignment.objects.select_related("category"),
                ),
                "target_groups",
                "outcomes",
            )
        )
        texts = []
        for initiative in batch:
            text = document_text(
                initiative,
                organisations=(i.organisation for i in initiative.involvements.all()),
                groups=initiative.target_groups.all(),
                categories=(a.category for a in initiative.category_assignments.all()),
                outcomes=(o.text for o in initiative.outcomes.all()),
            )
            texts.append(text)
        learned = learn_words([*texts, *(added for added, _ in synonyms)])
        known |= learned
        for initiative, text in zip(batch, texts, strict=True):
            initiative.search_text = search_document(text, synonyms, known)
        Initiative.objects.bulk_update(batch, ["search_text"], batch_size=500)
        fill_search_vectors(Initiative.objects.filter(pk__in=[i.pk for i in batch]))
    return len(pks)


def learn_words(texts: Iterable[str]) -> set[str]:
    """Add the words of what initiatives say (not their compound tails) to the
    vocabulary that suggestions come from. Words that leave the catalogue stay: a
    suggestion of one finds nothing, which is harmless."""
    from ..models import SearchWord

    found = set()
    for text in texts:
        found.update(
            word
            for word in words(text)
            if 3 <= len(word) <= 40 and word.isalpha() and word not in STOP_WORDS
        )
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(found)],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return found
