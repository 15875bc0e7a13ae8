"""A report's lines read as running text: the PDF extraction's line breaks undone
where they only wrapped a paragraph, each piece of text still carrying the number of
the line it came from.

Pure functions over (number, text) pairs as `redaction.public_lines` gives them:
nothing here reads the database, and the lines are redacted one by one before they
are joined, so a name split over two lines is replaced on each line and joining cannot
bring it back together.

What joins and what stays apart, read from the five reports:

- A blank line ends a paragraph, except in the double-spaced extractions (report 001
  has a blank line after every line of text): there a full-width line that stops
  mid-sentence goes on after one blank line if the next starts in lower case.
- A list item (▪, •, ›, a dash ...), a numbered heading ("1.1 Baggrund"), and the line
  after a label ending in ":" or "?" ("Hvad er formålet med initiativet?") start a new
  paragraph; so does the line after a short line that ends a sentence.
- A line holding two table cells (a run of spaces, not after a full stop, before a
  capital or a digit: "2005-  4 sygeplejersker") is kept as the report has it, on a
  line of its own: which words belong to which column cannot be told from the text.
- A line ending in a hyphen after a lower-case word fragment, followed by a line
  starting in lower case, is one word split in two: "Kommu-" + "nes" is "Kommunes".
  The hyphen stays where it is a real one: before "og"/"eller"/"samt" ("social- og
  sundhedsområdet"), after one letter ("e-mail"), after capitals or digits
  ("SOSU-assistent", "2009-2012"), in addresses and compounds that already hold one
  ("hjerte-kar-patienter"), after "ikke", and before a capital ("Pit-Stop").
- A printed page number survives in report 003 only where its page began with an
  empty line: a line holding one space, at most one blank line, the number alone, then
  a blank line (" ", "", "27 ", ""). Those lines become a page mark, "side 27"; every
  other page break left no trace in the extraction that could be told from text, and
  a lone number elsewhere is a footnote mark or a table cell (001's "1" before
  " Sundhedsstyrelsens ...", 003's "105" of "ABL 105").
"""

import re
from dataclasses import dataclass

BULLET = re.compile(r"^(?:[▪•\uf0b7›·●◦–-]|\d{1,2}[.)])(?:\s|$)")
HEADING = re.compile(r"^\d+(?:\.\d+)+\.?\s+\S")
# Two cells on one line: a run of spaces that does not follow the end of a sentence
# and is followed by a capital, a digit or a quotation mark.
COLUMN_GAP = re.compile(r"[^\s.:;!?]\s{2,}[A-ZÆØÅ0-9\"”]")
PAGE_NUMBER = re.compile(r"\d{1,3}")
SENTENCE_END = (".", "!", "?", ":", ";", ".)", ".”", '."')
KEEP_SPACE_AFTER_HYPHEN = {"og", "eller", "samt", "&"}
HYPHENATED_PREFIXES = {"ikke", "hoc", "online"}
# A line at least this long reached the right margin, so it wrapped rather than ended.
FULL_LINE = 40


@dataclass(frozen=True)
class Piece:
    """One line's text in a block. In a paragraph, `text` is the line without its
    outer spaces and, if `hyphen_dropped`, without the hyphen that split a word;
    `runs_on` says it joins the next piece without a space."""

    number: int
    text: str
    hyphen_dropped: bool = False
    runs_on: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph, a list item, lines kept as the report has them, blank lines, or
    a page mark (`page` is the printed page number)."""

    kind: str
    pieces: tuple[Piece, ...]
    page: int | None = None

    @property
    def first(self) -> int:
        return self.pieces[0].number

    @property
    def last(self) -> int:
        return self.pieces[-1].number

    @property
    def text(self) -> str:
        if self.kind not in ("paragraph", "item"):
            return "\n".join(piece.text for piece in self.pieces)
        return "".join(
            piece.text + ("" if piece.runs_on else " ") for piece in self.pieces
        ).rstrip()


def blocks(lines: list[tuple[int, str]]) -> list[Block]:
    """The lines in order as blocks; every line is in exactly one block."""
    result: list[Block] = []
    paragraph = Paragraph()
    index = 0
    while index < len(lines):
        number, text = lines[index]
        stripped = text.strip()
        mark = page_mark(lines, index)
        if mark:
            paragraph.close_into(result)
            page, marked = mark
            result.append(Block("page", pieces_as_they_are(marked), page))
            index += len(marked)
        elif not stripped:
            blank = blank_run(lines, index)
            following = lines[index + 1][1] if index + 1 < len(lines) else ""
            if len(blank) == 1 and paragraph.goes_on_after_blank(following.strip()):
                paragraph.add(number, "")
            else:
                paragraph.close_into(result)
                result.append(Block("blank", pieces_as_they_are(blank)))
            index += len(blank)
        elif COLUMN_GAP.search(stripped):
            paragraph.close_into(result)
            result.append(Block("lines", (Piece(number, text),)))
            index += 1
        else:
            if paragraph.lines and paragraph.ends_before(text, stripped):
                paragraph.close_into(result)
            paragraph.add(number, stripped)
            index += 1
    paragraph.close_into(result)
    return result


class Paragraph:
    """The lines of the paragraph being read, stripped, and what the rules ask of
    it: its last line with text and its longest line."""

    def __init__(self):
        self.lines: list[tuple[int, str]] = []
        self.previous = ""
        self.longest = 0

    def add(self, number: int, stripped: str) -> None:
        self.lines.append((number, stripped))
        if stripped:
            self.previous = stripped
            self.longest = max(self.longest, len(stripped))

    def close_into(self, result: list[Block]) -> None:
        if self.lines:
            kind = "item" if BULLET.match(self.lines[0][1]) else "paragraph"
            result.append(Block(kind, joined(self.lines)))
        self.__init__()

    def goes_on_after_blank(self, following: str) -> bool:
        """Report 001's double spacing: a full line that stops mid-sentence (or a
        line ending in a split word), then one blank line, then a line in lower
        case."""
        split_word = self.previous.endswith("-") and self.previous[-2:-1].isalpha()
        return (
            (len(self.previous) >= FULL_LINE or split_word)
            and not self.previous.endswith(SENTENCE_END)
            and following[:1].islower()
            and not COLUMN_GAP.search(following)
        )

    def ends_before(self, text: str, stripped: str) -> bool:
        if BULLET.match(stripped) or HEADING.match(stripped) or is_label(stripped):
            return True
        if not (stripped[:1].isupper() or stripped[:1].isdigit()):
            return False
        if HEADING.match(self.previous):
            return True
        if text[:1].isspace():
            # A new text object in the PDF (a page's first line, a table cell).
            return True
        if self.previous.endswith((":", "?")):
            return True
        # A sentence ending well before the right margin ends its paragraph.
        return (
            self.previous.endswith(SENTENCE_END)
            and len(self.previous) < 0.75 * self.longest
        )


def pieces_as_they_are(lines: list[tuple[int, str]]) -> tuple[Piece, ...]:
    return tuple(Piece(number, text) for number, text in lines)


def page_mark(lines, index: int):
    """(page number, the lines of the mark) if a printed page number starts here."""
    if lines[index][1] != " ":
        return None
    window = [text for _, text in lines[index + 1 : index + 4]]
    skip = 1 if window and not window[0].strip() else 0
    if len(window) < skip + 2:
        return None
    number, after = window[skip].strip(), window[skip + 1]
    if not PAGE_NUMBER.fullmatch(number) or after.strip():
        return None
    return int(number), lines[index : index + skip + 2]


def blank_run(lines, index: int) -> list[tuple[int, str]]:
    end = index
    while end < len(lines) and not lines[end][1].strip():
        if end > index and page_mark(lines, end):
            break
        end += 1
    return lines[index:end]


def is_label(stripped: str) -> bool:
    """A form's field name or a question heading ("E-mail:", "Hvem er målgruppen for
    initiativet?"): report 000's nominations are forms."""
    return (
        stripped[:1].isupper() and stripped.endswith((":", "?")) and len(stripped) < 70
    )


def joined(lines: list[tuple[int, str]]) -> tuple[Piece, ...]:
    """Pieces of a paragraph's stripped lines, each hyphen at a line's end decided."""
    pieces = []
    following = ""
    for number, stripped in reversed(lines):
        if not stripped:
            # A blank line inside a paragraph (double spacing) adds nothing.
            pieces.append(Piece(number, "", runs_on=True))
            continue
        joint = hyphen_joint(stripped, following)
        if joint == "rejoin":
            pieces.append(Piece(number, stripped[:-1], True, True))
        else:
            pieces.append(Piece(number, stripped, False, joint == "keep"))
        following = stripped
    return tuple(reversed(pieces))


def hyphen_joint(line: str, following: str) -> str:
    """How a line meets the next: "rejoin" (a split word: drop the hyphen), "keep"
    (a real hyphen: no space), or "space"."""
    if not line.endswith("-") or not following:
        return "space"
    words = line[:-1].split()
    fragment = words[-1] if words and not line[-2:-1].isspace() else ""
    next_word = following.split()[0]
    if not fragment:
        return "space"
    if next_word in KEEP_SPACE_AFTER_HYPHEN:
        return "space"
    if (
        len(fragment) == 1
        or not fragment[-1].islower()
        or any(mark in fragment for mark in "-/.:%")
        or fragment.lower() in HYPHENATED_PREFIXES
        or "-" in next_word.rstrip("-")
        or not following[:1].islower()
    ):
        return "keep" if following[:1].isalnum() else "space"
    return "rejoin"
