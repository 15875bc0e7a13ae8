"""What a visitor reads of a report: its lines with personal data replaced by a visible
mark ("[navn fjernet]"), the line numbers unchanged.

Two things are removed: what a curator has recorded for the document (`Redaction`),
and what is found automatically on every line, curated or not: e-mail addresses (also
inside links, as `%40`), phone numbers, and local file paths, which name someone's own
computer and folders.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

from ..catalogue_fixtures import FIXTURES_DIR
from ..models import Redaction, RedactionKind, SourceDocument

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
    # A line either side too, for what is split over the range's edge.
    before, after = max(first - 1, 1), last + 1
    redactions = list(
        document.redactions.filter(line_start__lte=after, line_end__gte=before)
    )
    # Longest first, so a full name goes before a first name inside it.
    redactions.sort(key=lambda r: (bool(r.text), -len(r.text)))
    lines = document.lines.filter(number__range=(before, after)).values_list(
        "number", "text"
    )
    mark = marks()
    redacted = [
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
    redacted = across_line_breaks(redacted, redactions, mark)
    return [(number, text) for number, text in redacted if first <= number <= last]


def across_line_breaks(
    lines: list[tuple], redactions: list[Redaction], mark: dict[str, str]
) -> list[tuple]:
    """What a line-by-line search misses because the report broke a line inside it
    ("Kontakt: Kurt" / "Kurator"; "Kura-" / "tor"; an e-mail address): looked for
    again across each line break, over at most one blank line, as running text joins
    the lines. Each half is replaced by the mark."""
    lines = list(lines)
    with_text = [index for index, (_, text) in enumerate(lines) if text.strip()]
    for here, there in zip(with_text, with_text[1:], strict=False):
        if there - here > 2:
            continue
        (number, head), (next_number, tail) = lines[here], lines[there]
        searches = [
            (re.compile(re.escape(r.text)), r.kind)
            for r in redactions
            if r.text and r.line_start <= number and next_number <= r.line_end
        ] + [(EMAIL, RedactionKind.CONTACT)]
        for pattern, kind in searches:
            split = split_match(head, tail, pattern)
            if split:
                head = head[: split[0]] + mark[kind]
                tail = mark[kind] + tail[split[1] :]
        lines[here], lines[there] = (number, head), (next_number, tail)
    return lines


def split_match(head: str, tail: str, pattern: re.Pattern) -> tuple[int, int] | None:
    """Where a match of `pattern` that runs from `head` over the line break into
    `tail` starts in `head` and ends in `tail`, or None. The break is read as a space,
    as nothing, and, after a hyphen, as the hyphen dropped."""
    end = len(head.rstrip())
    start = len(tail) - len(tail.lstrip())
    joints = [(end, " "), (end, "")]
    if head.rstrip().endswith("-"):
        joints.append((end - 1, ""))
    for cut, joint in joints:
        joined = head[:cut] + joint + tail[start:]
        boundary = cut + len(joint)
        for match in pattern.finditer(joined):
            if match.start() < cut and match.end() > boundary:
                return match.start(), start + match.end() - boundary
    return None


# What else looks like personal data, for the curator to judge before a report is
# published: names, which no pattern can tell from other capitalised words, so
# these are hints and never removed automatically.
FIRST_NAMES_FILE = FIXTURES_DIR / "first_names.txt"
# A capitalised word: "Mette", "Anne-Marie", "Østergaard".
WORD = r"[A-ZÆØÅ][a-zæøåäöüé]+(?:-[A-ZÆØÅ][a-zæøåäöüé]+)?"
# A word, perhaps an initial, and another word: "Mette Jensen", "Mette K. Jensen";
# or a word alone inside a sentence (not after a full stop): "Eva og jeg".
FULL_NAME = re.compile(rf"\b({WORD})(?:\s+[A-ZÆØÅ]\.)?\s+{WORD}\b")
INSIDE_SENTENCE = re.compile(rf"(?<=[\w,;] )({WORD})\b")
# Capitalised words up to three words after a contact word or "v/" (ved).
CONTACT = re.compile(
    r"(?:\b(?i:kontakt\w*|tlf|telefon\w*|mobil\w*|e-?mail\w*|mail)\b|\bv/)"
    rf"[\s.:,()/-]*(?:\w+\s+){{0,2}}?({WORD}(?:\s+{WORD})*)"
)


# Capitalised words before a comma and a job title: "Jensen, frivillighedskoordinator".
BEFORE_TITLE = re.compile(
    rf"((?:{WORD}\s+(?:(?:van|von|de|der|den)\s+)*)*{WORD}),\s+"
    r"(?i:\w*(?:leder|koordinator|sygeplejerske|chef|direktør|konsulent|formand|"
    r"rådgiver|medarbejder|læge|psykolog|projektansvarlig))\b"
)


@cache
def first_names() -> frozenset[str]:
    lines = FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.startswith("#")
    )


@dataclass(frozen=True)
class Hint:
    """A line that looks like it names a person: where, and why."""

    number: int
    text: str
    spans: tuple[tuple[int, int], ...]
    reasons: tuple[str, ...]


def hints(lines) -> list[Hint]:
    """Lines (pairs of number and text, as the public would read them) with a first
    name from the list (before another capitalised word, or inside a sentence),
    capitalised words after a contact word ("Kontaktperson: Mette Jensen", "tlf.",
    "mail", "v/"), or before a job title ("Jensen, projektleder")."""
    names = first_names()
    found = []
    for number, text in lines:
        spans, reasons = [], []
        for pattern in (FULL_NAME, INSIDE_SENTENCE):
            for match in pattern.finditer(text):
                if match.group(1).split("-")[0] in names:
                    spans.append(match.span())
                    reasons.append(_("fornavn"))
        for match in CONTACT.finditer(text):
            spans.append(match.span(1))
            reasons.append(_("ved et kontaktord"))
        for match in BEFORE_TITLE.finditer(text):
            spans.append(match.span(1))
            reasons.append(_("før en stillingsbetegnelse"))
        if spans:
            found.append(
                Hint(number, text, merged(spans), tuple(dict.fromkeys(reasons)))
            )
    return found


def merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return tuple(result)
