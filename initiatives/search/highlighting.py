"""Marking the typed words in a page's text, always escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .matching import search_terms
from .words import stem


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with the typed words (or their stems, so "gravid" is marked in
    "gravide") marked; safe for any curator text."""
    terms = search_terms(query or "")
    if not text or not terms:
        return escape(text or "")
    marked = set(terms) | {stem(term) for term in terms if len(stem(term)) >= 3}
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
