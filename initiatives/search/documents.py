"""The texts each initiative is found by, one per language, and keeping them (and what
is derived from them) up to date.

The Danish search text holds everything the initiative says, in Danish. The English
one holds its English translation, the English names of its vocabulary, its proper
names (its Danish name, organisations and place, as a visitor may type them), and
the English words of the curated pairs whose Danish meaning its Danish text holds:
so "refugees" finds an initiative whose results alone say "flygtninge"."""

from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import translation

from .words import DANISH, ENGLISH, LANGUAGES, compound_tails, stem, words

BATCH = 2000


@lru_cache
def kind_name(kind: str, language: str = settings.LANGUAGE_CODE) -> str:
    """An organisation kind's name in `language`, looked up once per process. (The
    kind was always indexed in the language of the moment, which was Danish wherever
    search texts were made: in commands and in the Danish admin.)"""
    from ..models import OrganisationKind

    with translation.override(language):
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


def english_text(initiative, groups: Iterable = (), categories: Iterable = ()) -> str:
    """What one initiative says in English, case-folded: its translation and the
    English names of its target groups and categories."""
    parts = [
        initiative.name_en,
        initiative.summary_en,
        initiative.purpose_en,
        *(g.name_en for g in groups),
        *(c.name_en for c in categories),
    ]
    return " ".join(part for part in parts if part).casefold()


def proper_names(initiative, organisations: Iterable = ()) -> str:
    """The names an English reader may type as the Danish has them, and the English
    names of its organisations' kinds, case-folded."""
    organisations = list(organisations)
    parts = [
        initiative.name,
        initiative.place,
        *(o.name for o in organisations),
        *(kind_name(o.kind, ENGLISH.code) for o in organisations),
    ]
    return " ".join(part for part in parts if part).casefold()


def search_document(
    text: str, synonyms: list[tuple[str, frozenset[str]]], known: set[str]
) -> str:
    """The text an initiative is found by in Danish: what it says, the curated
    synonyms of its words, and the tails of its compound words that are words of the
    catalogue (`known`), so "rygere" finds "storrygere"."""
    own_words = set(words(text))
    tails = {
        tail for word in own_words for tail in compound_tails(word, known)
    } - own_words
    found_stems = {stem(word) for word in own_words | tails}
    extra = [word for word, means in synonyms if means and means <= found_stems]
    return " ".join([text, *extra, *sorted(tails)])


def english_document(
    english: str,
    names: str,
    danish_stems: set[str],
    pairs: list[tuple[str, frozenset[str]]],
) -> str:
    """The text an initiative is found by in English: its English text, its proper
    names, and the English word of every curated pair whose Danish meaning its
    Danish search text holds (with the Danish synonyms and compound tails, so
    "asylum seekers", which means "flygtninge", is found where the text says
    "etniske minoriteter")."""
    extra = [word for word, means in pairs if means and means <= danish_stems]
    return " ".join(part for part in [english, names, *extra] if part)


def curated_synonyms() -> list[tuple[str, frozenset[str]]]:
    """The Danish pairs as (words to add, the stems a text must hold for them),
    both ways round: an initiative that says "hjemløse" is found by "§110", and one
    that says "§110" by "hjemløse"."""
    from ..models import Synonym

    pairs = []
    danish = Synonym.objects.filter(language=DANISH.code)
    for word, means in danish.values_list("word", "means"):
        for added, held in [(word, means), (means, word)]:
            pairs.append((added.casefold(), frozenset(stem(w) for w in words(held))))
    return pairs


def english_pairs() -> list[tuple[str, frozenset[str]]]:
    """The English pairs as (English word, the Danish stems a Danish text must hold
    for it): "refugees" for a text that says "flygtninge"."""
    from ..models import Synonym

    english = Synonym.objects.filter(language=ENGLISH.code)
    return [
        (word.casefold(), frozenset(stem(w) for w in words(means)))
        for word, means in english.values_list("word", "means")
    ]


def refresh_search_text(queryset: QuerySet) -> int:
    """Recompute `search_text` and `search_text_en` (and so the search indexes) for
    these initiatives, and learn their words; call it after every write."""
    from ..models import SearchWord

    synonyms, pairs = curated_synonyms(), english_pairs()
    known = set(
        SearchWord.objects.filter(language=DANISH.code)
        .order_by()
        .values_list("word", flat=True)
    )
    pks = list(queryset.order_by().values_list("pk", flat=True).distinct())
    for start in range(0, len(pks), BATCH):
        batch = with_document_parts(pks[start : start + BATCH])
        texts, english = [], []
        for initiative in batch:
            organisations = [i.organisation for i in initiative.involvements.all()]
            groups = initiative.target_groups.all()
            categories = [a.category for a in initiative.category_assignments.all()]
            text = document_text(
                initiative,
                organisations=organisations,
                groups=groups,
                categories=categories,
                outcomes=(o.text for o in initiative.outcomes.all()),
            )
            texts.append(text)
            english.append(
                (
                    english_text(initiative, groups, categories),
                    proper_names(initiative, organisations),
                )
            )
        known |= learn_words([*texts, *(added for added, _ in synonyms)])
        learn_words(
            [*(own for own, _names in english), *(word for word, _ in pairs)],
            ENGLISH.code,
        )
        changed = []
        for initiative, text, (own, names) in zip(batch, texts, english, strict=True):
            document = search_document(text, synonyms, known)
            danish_stems = {stem(word) for word in words(document)}
            in_english = english_document(own, names, danish_stems, pairs)
            if (document, in_english) != (
                initiative.search_text,
                initiative.search_text_en,
            ):
                changed.append((document, in_english, initiative.pk))
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
            "name_en",
            "summary_en",
            "purpose_en",
            "search_text",
            "search_text_en",
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


def store_search_texts(texts: list[tuple[str, str, int]]) -> None:
    """Write (Danish search text, English search text, initiative pk), each row
    once: on PostgreSQL with their tsvectors in the same UPDATE (a second would write
    every row and its index entries again); on SQLite the triggers index the texts."""
    from ..models import Initiative

    table = Initiative._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} SET search_text = %s, "
            "search_vector = to_tsvector('danish'::regconfig, %s::text), "
            "search_text_en = %s, "
            "search_vector_en = to_tsvector('english'::regconfig, %s::text) "
            "WHERE id = %s"
        )
        rows = [(text, text, english, english, pk) for text, english, pk in texts]
    else:
        sql = f"UPDATE {table} SET search_text = %s, search_text_en = %s WHERE id = %s"
        rows = texts
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def learn_words(texts: Iterable[str], language: str = DANISH.code) -> set[str]:
    """Add the words of what initiatives say in `language` (not their compound
    tails) to the vocabulary that suggestions in that language come from. Words that
    leave the catalogue stay: a suggestion of one finds nothing, which is
    harmless."""
    from ..models import SearchWord

    stop_words = LANGUAGES[language].stop_words
    found = set()
    for text in texts:
        found.update(
            word
            for word in words(text)
            if 3 <= len(word) <= 40 and word.isalpha() and word not in stop_words
        )
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, language=language) for word in sorted(found)],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return found
