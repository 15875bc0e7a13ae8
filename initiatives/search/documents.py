"""The text each initiative is found by, and keeping it (and what is derived from it)
up to date."""

from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import translation

from .words import STOP_WORDS, compound_tails, stem, words

BATCH = 2000


@lru_cache
def kind_name(kind: str) -> str:
    """An organisation kind's Danish name, looked up once per process. (The kind
    was always indexed in the language of the moment, which was Danish wherever
    search texts were made: in commands and in the Danish admin.)"""
    from ..models import OrganisationKind

    with translation.override(settings.LANGUAGE_CODE):
        return str(OrganisationKind(kind).label)


def document_text(
    initiative,
    organisations: Iterable = (),
    groups: Iterable = (),
    categories: Iterable = (),
    outcomes: Iterable[str] = (),
) -> str:
    """What one initiative says, case-folded: its own texts and results; the names of
    its organisations (and their kinds), target groups and categories, the last two
    in Danish and English."""
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
        *(kind_name(o.kind) for o in organisations),
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
    from ..models import SearchWord

    synonyms = curated_synonyms()
    known = set(SearchWord.objects.order_by().values_list("word", flat=True))
    pks = list(queryset.order_by().values_list("pk", flat=True).distinct())
    for start in range(0, len(pks), BATCH):
        batch = with_document_parts(pks[start : start + BATCH])
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
        changed = []
        for initiative, text in zip(batch, texts, strict=True):
            document = search_document(text, synonyms, known)
            if document != initiative.search_text:
                changed.append((document, initiative.pk))
        store_search_texts(changed)
    return len(pks)


def with_document_parts(pks: list[int]) -> list:
    """These initiatives with what their search texts are made of, and no more."""
    from ..models import (
        CategoryAssignment,
        Initiative,
        Involvement,
        Outcome,
        TargetGroup,
    )

    return list(
        Initiative.objects.filter(pk__in=pks)
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
            "search_text",
        )
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("organisation").only(
                    "initiative", "organisation__name", "organisation__kind"
                ),
            ),
            Prefetch(
                "category_assignments",
                queryset=CategoryAssignment.objects.select_related("category").only(
                    "initiative", "category__name", "category__name_en"
                ),
            ),
            Prefetch(
                "target_groups", queryset=TargetGroup.objects.only("name", "name_en")
            ),
            Prefetch("outcomes", queryset=Outcome.objects.only("initiative", "text")),
        )
    )


def store_search_texts(texts: list[tuple[str, int]]) -> None:
    """Write (search text, initiative pk) pairs, each row once: on PostgreSQL with
    its tsvector in the same UPDATE (a second would write every row and its index
    entries again); on SQLite the triggers index the text."""
    from ..models import Initiative

    table = Initiative._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} SET search_text = %s, "
            "search_vector = to_tsvector('danish'::regconfig, %s::text) WHERE id = %s"
        )
        rows = [(text, text, pk) for text, pk in texts]
    else:
        sql = f"UPDATE {table} SET search_text = %s WHERE id = %s"
        rows = texts
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


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
