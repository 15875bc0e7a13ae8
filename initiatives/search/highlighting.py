"""Marking the typed words in a page's text, always escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .matching import current_language, search_terms
from .words import stem


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with the typed words (or their stems in the interface's
    language, so "gravid" is marked in "gravide") marked; safe for any curator
    text."""
    language = current_language()
    terms = search_terms(query or "", language)
    if not text or not terms:
        return escape(text or "")
    stems = {stem(term, language) for term in terms}
    marked = set(terms) | {found for found in stems if len(found) >= 3}
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(marked, key=len, reverse=True)),
        re.IGNORECASE,
    )
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))
