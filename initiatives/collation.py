"""Danish sorting on both databases: æ, ø and å come after z.

PostgreSQL gets an ICU collation in the first migration. SQLite knows no locales, so
each new connection is given a collation of the same name that compares Danish keys.
"""

import unicodedata
from functools import lru_cache

DANISH = "dansk"

_LAST_LETTERS = {"æ": "z\U0010fff0", "ø": "z\U0010fff1", "å": "z\U0010fff2"}


# SQLite calls the collation for every comparison of a sort, each time with two texts
# it has seen before: a sort of n names asks for about 2 n log n keys of n texts.
@lru_cache(maxsize=2**14)
def danish_sort_key(text: str) -> tuple[str, str]:
    """Letters without accents (é as e), then æ, ø, å after z, with "aa" as å (as
    PostgreSQL's ICU collation does); case only breaks ties."""
    folded = []
    for char in text.casefold().replace("aa", "å"):
        if char.isascii():
            folded.append(char)
        elif char in _LAST_LETTERS:
            folded.append(_LAST_LETTERS[char])
        else:
            base = unicodedata.normalize("NFKD", char)
            folded.append("".join(c for c in base if not unicodedata.combining(c)))
    return ("".join(folded), text)


def compare_danish(left: str, right: str) -> int:
    left_key, right_key = danish_sort_key(left), danish_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(DANISH, compare_danish)


# Spellings a name may be typed in: "Kobenhavn", "Koebenhavn" and "København" alike.
_TYPED_AS = [("æ", "a"), ("ø", "o"), ("aa", "a"), ("ae", "a"), ("oe", "o")]


def folded(text: str) -> str:
    """`text` as a name is looked up: without case or accents, with æ, ø, å and
    their two-letter spellings as plain vowels. Compare only folded with folded."""
    base = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in base if not unicodedata.combining(char))
    for letters, vowel in _TYPED_AS:
        plain = plain.replace(letters, vowel)
    return plain


def name_matches(name: str, query: str) -> bool:
    """Whether every word of `query` is in `name`, however either is spelled."""
    name = folded(name)
    return all(word in name for word in folded(query).split())
