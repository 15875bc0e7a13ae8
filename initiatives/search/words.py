"""Words as search sees them: tokens, stems and the tails of compounds.

Both databases index and query the same words: PostgreSQL stems them with its `danish`
(or `english`) text-search configuration, SQLite with the same Snowball algorithms
(PyStemmer) before they go into its FTS5 tables, and both drop the same stop words.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[^\W_]+")

# PostgreSQL's danish.stop, so that a query means the same on both databases.
STOP_WORDS = frozenset(
    "og i jeg det at en den til er som på de med han af for ikke der var mig sig men "
    "et har om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor "
    "eller hvad skal selv her alle vil blev kunne ind når være dog noget ville jo "
    "deres efter ned skulle denne end dette mit også under have dig anden hende mine "
    "alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes "
    "været thi jer sådan".split()
)

# PostgreSQL's english.stop, for the same reason.
ENGLISH_STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him "
    "his himself she her hers herself it its itself they them their theirs "
    "themselves what which who whom this that these those am is are was were be been "
    "being have has had having do does did doing a an the and but if or because as "
    "until while of at by for with about against between into through during before "
    "after above below to from up down in out on off over under again further then "
    "once here there when where why how all any both each few more most other some "
    "such no nor not only own same so than too very s t can will just don should "
    "now".split()
)


@dataclass(frozen=True)
class Language:
    """A language search reads: its Snowball stemmer (PyStemmer's and PostgreSQL's
    configuration of the same name), its stop words, and where its search texts
    are kept."""

    code: str
    stemmer: str
    stop_words: frozenset[str] = field(repr=False)
    # The initiative's search text, SQLite's FTS5 table of its stems, and the
    # columns of PostgreSQL's narrow search table: vector, name, summary.
    text_field: str
    fts_table: str
    document: str
    name: str
    summary: str


DANISH = Language(
    "da",
    "danish",
    STOP_WORDS,
    "search_text",
    "initiative_search",
    "document",
    "name",
    "summary",
)
ENGLISH = Language(
    "en",
    "english",
    ENGLISH_STOP_WORDS,
    "search_text_en",
    "initiative_search_en",
    "document_en",
    "name_en",
    "summary_en",
)
LANGUAGES = {language.code: language for language in (DANISH, ENGLISH)}

# A compound's tail is indexed beside it when it is a word of the catalogue and both
# parts are long enough: "storrygere" is also found as "rygere", "socialsygeplejersker"
# as "sygeplejersker", but "forældre" is not found as "ældre".
MIN_HEAD, MIN_TAIL = 4, 5


def words(text: str) -> list[str]:
    """The words of `text`, case-folded, in order."""
    return WORD.findall(text.casefold())


def stem(word: str, language: Language = DANISH) -> str:
    return stem_with(word, language.stemmer)


@lru_cache(maxsize=200_000)
def stem_with(word: str, stemmer: str) -> str:
    # A stemmer keeps state between calls and is not to be shared by threads
    # (gunicorn's threaded workers), so each word not stemmed before gets a new one:
    # making one costs about as much as stemming a word with it.
    return Stemmer.Stemmer(stemmer).stemWord(word)


def compound_tails(word: str, known: set[str] | frozenset[str]) -> list[str]:
    """The ends of `word` that are words of their own in `known`: "storrygere" ends
    in "rygere", "folkeskoler" in "skoler" (but not in "koler")."""
    return [
        word[start:]
        for start in range(MIN_HEAD, len(word) - MIN_TAIL + 1)
        if word[start:] in known
    ]


def stems(text: str, language: Language = DANISH) -> str:
    """What SQLite's FTS5 table indexes for a search text: the stems of its words,
    without stop words (the SQL functions `danish_stems` and `english_stems`)."""
    return " ".join(
        dict.fromkeys(
            stem(word, language)
            for word in words(text or "")
            if word not in language.stop_words
        )
    )


def english_stems(text: str) -> str:
    return stems(text, ENGLISH)


def fts5_string(word: str) -> str:
    """A word as an FTS5 string, so that no typed word is read as query syntax."""
    return '"' + word.replace('"', '""') + '"'


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps, or `limit + 1` once it is above
    `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and char_a == b[j - 2]
                and a[i - 2] == char_b
            ):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """The FTS5 tables' triggers stem with `danish_stems` (the initial migration)
    and `english_stems` (0011_english); the search entries' triggers case-fold with
    `casefold` (0013_search_entry), as SQLite's lower() folds only ASCII letters."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "casefold", 1, str.casefold, deterministic=True
        )
        connection.connection.create_function(
            "danish_stems", 1, stems, deterministic=True
        )
        connection.connection.create_function(
            "english_stems", 1, english_stems, deterministic=True
        )
