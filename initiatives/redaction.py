"""What a visitor reads of a report: its lines with personal data replaced by a visible
mark ("[navn fjernet]"), the line numbers unchanged.

Two things are removed: what a curator has recorded for the document (`Redaction`),
and what is found automatically on every line, curated or not: e-mail addresses (also
inside links, as `%40`), phone numbers, and local file paths, which name someone's own
computer and folders.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Redaction, RedactionKind, SourceDocument

EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
# +45 and eight digits, spaced or not, or eight digits in pairs ("20 33 42 09") or
# unbroken; never digits that run on into a number with dots or commas (amounts).
PHONE = re.compile(
    r"(?<![\w.,])(?:\+45 ?(?:\d ?){7}\d|\d{2}(?: \d{2}){3}|\d{8})(?![\w]|[.,]\d)"
)
# file:///C:/Users/..., C:\Users\..., /Users/... and /home/...: up to the next space.
LOCAL_PATH = re.compile(
    r"(?:file:/+|\b[A-Za-z]:[\\/]|(?<![\w.])/(?:Users|home)/)[^\s]*", re.IGNORECASE
)
# Each pattern with a quick test a line must pass before the pattern is tried: the
# patterns are slow to scan a line with, and almost no line holds anything.
DETECTED = [
    (re.compile(r"@|%40"), EMAIL, RedactionKind.CONTACT),
    (re.compile(r"\+45|\d{8}|\d\d \d\d \d\d \d\d"), PHONE, RedactionKind.CONTACT),
    (
        re.compile(r":[\\/]|/(?:users|home)/", re.IGNORECASE),
        LOCAL_PATH,
        RedactionKind.PATH,
    ),
]


def marks() -> dict[str, str]:
    """What a reader sees in place of each kind, in the active language."""
    return {
        RedactionKind.CONTACT: _("[kontaktoplysninger fjernet]"),
        RedactionKind.NAME: _("[navn fjernet]"),
        RedactionKind.PATH: _("[filsti fjernet]"),
        RedactionKind.PERSONAL: _("[personoplysning fjernet]"),
    }


@dataclass(frozen=True)
class Finding:
    number: int
    text: str
    kind: str


def detect(number: int, text: str) -> list[Finding]:
    """What the automatic detection removes from one line."""
    return [
        Finding(number, match.group(), kind)
        for hint, pattern, kind in DETECTED
        if hint.search(text)
        for match in pattern.finditer(text)
    ]


def proposals(lines) -> list[Finding]:
    """Every automatic finding in `lines` (pairs of number and text), for a curator
    to review."""
    return [finding for number, text in lines for finding in detect(number, text)]


def redact_line(text: str, redactions: list[Redaction], mark: dict[str, str]) -> str:
    for redaction in redactions:
        if not redaction.text:
            return mark[redaction.kind]
        text = text.replace(redaction.text, mark[redaction.kind])
    for hint, pattern, kind in DETECTED:
        if hint.search(text):
            text = pattern.sub(lambda _match, kind=kind: mark[kind], text)
    return text


def public_lines(document: SourceDocument, first: int, last: int) -> list[tuple]:
    """Lines `first`..`last` of the document as a visitor may read them: pairs of
    number and redacted text. Two queries."""
    redactions = list(
        document.redactions.filter(line_start__lte=last, line_end__gte=first)
    )
    # Longest first, so a full name goes before a first name inside it.
    redactions.sort(key=lambda r: (bool(r.text), -len(r.text)))
    lines = document.lines.filter(number__range=(first, last)).values_list(
        "number", "text"
    )
    mark = marks()
    return [
        (
            number,
            redact_line(
                text,
                [r for r in redactions if r.line_start <= number <= r.line_end],
                mark,
            ),
        )
        for number, text in lines
    ]
