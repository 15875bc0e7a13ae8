"""A report's lines as running text: what joins, what stays apart, and that every
character and every line number survives the joining."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from initiatives.models import Redaction, RedactionKind
from initiatives.sources.redaction import across_line_breaks, marks, redact_line
from initiatives.sources.running_text import blocks, hyphen_joint
from initiatives.sources.texts import REPORTS_DIR, split_lines
from initiatives.sources.views import running_text

REPORTS = {
    path.name[:3]: split_lines(path.read_text(encoding="utf-8"))
    for path in sorted(REPORTS_DIR.glob("*.txt"))
}


def excerpt(code: str, first: int, last: int) -> list[tuple[int, str]]:
    return [(number, REPORTS[code][number - 1]) for number in range(first, last + 1)]


def read(code: str, first: int, last: int) -> list[tuple[str, int, int, str]]:
    """The blocks with text: kind, first and last line, and the text as read."""
    return [
        (block.kind, block.first, block.last, block.text)
        for block in blocks(excerpt(code, first, last))
        if block.kind != "blank"
    ]


def texts(code: str, first: int, last: int) -> list[str]:
    return [text for _, _, _, text in read(code, first, last)]


def test_the_sundhedsteam_passage_reads_as_two_sentences_not_three_words_a_line():
    assert (
        "SundhedsTeam er en del af Københavns Kommunes hjemløsearbejde og er en "
        "sundhedsfaglig indsats rettet mod de borgere som ønsker hjælp, men som ikke "
        "selv formår at opsøge den. SundhedsTeam er placeret som en selvstændig "
        "enhed under Aktivitetscentret Sundholm."
    ) in texts("003", 3749, 3802)


def test_the_sundhedsteam_table_cells_stay_apart_as_the_report_sets_them():
    assert read("003", 3749, 3802) == [
        ("paragraph", 3749, 3750, "SundhedsTeam KBH"),
        (
            "paragraph",
            3752,
            3753,
            "http://www.hjemlosesundhed.dk/ og https://sundhedsteamet.kk.dk/",
        ),
        ("lines", 3755, 3755, "2005-  4 sygeplejersker med lang erfaring fra alle "),
        (
            "paragraph",
            3756,
            3768,
            "dele af sundhedsvæsenet, 1 læge med erfaring fra sundhedsvæsenet, "
            "misbrugsbehandlings- og hjemløsesystemet samt 1 læge med baggrund i "
            "almen praksis. Teamet har gennem alle årene bestået af de samme "
            "personer, kontinuitet (eksisterer stadig som projekt og er ikke kørt i "
            "drift men fungerer godt og er evidensbaseret og virkningsfuldt – skal "
            "overvejes som casestudie.) Både opsporende, følgeordning, "
            "behandlingsvaretagelse – samarbejder bl.a. med sygelejecentre om "
            "opbevaring af medicin for de hjemløse, og sørger for at de tager deres "
            "medicin).",
        ),
        (
            "paragraph",
            3770,
            3781,
            "SundhedsTeam er en del af Københavns Kommunes hjemløsearbejde og er en "
            "sundhedsfaglig indsats rettet mod de borgere som ønsker hjælp, men som "
            "ikke selv formår at opsøge den. SundhedsTeam er placeret som en "
            "selvstændig enhed under Aktivitetscentret Sundholm.",
        ),
        (
            "paragraph",
            3783,
            3800,
            "Fungerer som lægepraksis med ydernummer men placeret i kommunens "
            "socialafdeling og er i virkeligheden stadig et projekt. Kan flyve frit "
            "mellem region, kommune, frivillighedsorganisationer osv. Er ikke et "
            "ønske, at det skal blive regionalt.",
        ),
        ("paragraph", 3802, 3802, "København"),
    ]


def test_real_hyphens_at_a_line_end_stay_and_split_words_are_rejoined():
    # "Børne-" / "og ungdomspsykiatrien": a word left for "og" to finish.
    assert "Børne- og ungdomspsykiatrien." in texts("002", 674, 675)[0]
    # Capitals, digits and "ikke" keep their hyphen, without a space.
    assert "ADHD-basisteam" in " ".join(texts("001", 609, 613))
    assert "2010-udmøntningen" in " ".join(texts("001", 69, 71))
    assert "ikke-dansktalende" in " ".join(texts("001", 2276, 2278))
    assert "Pit-Stop" in " ".join(texts("003", 2670, 2672))
    # A word already holding a hyphen keeps the one at the line's end.
    assert "hjerte-kar-patienter" in " ".join(texts("001", 3941, 3943))
    # A dash after a space is a dash.
    assert "ny lægesamtale - og dermed" in " ".join(texts("000", 1113, 1115))


def test_hyphen_rules_the_five_reports_do_not_happen_to_break_a_line_at():
    assert hyphen_joint("send en e-", "mail til os") == "keep"
    assert hyphen_joint("uddannet SOSU-", "assistent") == "keep"
    assert hyphen_joint("inden for social-", "og sundhedsområdet") == "space"
    assert hyphen_joint("af Københavns Kommu-", "nes hjemløsearbejde") == "rejoin"
    assert hyphen_joint("listen:", "- første punkt") == "space"


def test_a_double_spaced_report_joins_its_lines_over_the_blank_ones():
    assert texts("001", 5, 9) == [
        "Som en del af satspuljeaftalen på sundhedsområdet for 2009-2012 blev der "
        "afsat 72,1 mio. kr. til en styrket sundhedsindsats for socialt udsatte og "
        "sårbare grupper.",
        "Det overordnede formål med puljen er:",
    ]
    assert "Bevillingsmodtagere er både private" in texts("001", 23, 25)[0]


def test_list_items_headings_and_form_fields_start_their_own_paragraphs():
    assert read("001", 9, 15)[1][0] == "item"
    assert texts("004", 3, 4) == [
        "1.1 Baggrund for kortlægningen",
        "Der er et stigende fokus på at inddrage kræftpatienter i beslutninger i "
        "forbindelse med deres behandling.",
    ]
    assert texts("000", 2, 5) == [
        "Titel på initiativet:",
        "Patientpanel for kvinder & par i fertilitetsbevarende behandling",
        "Ansvarlig for initiativet:",
        "Anne Kirstine Revsbeck og Susanne Lund Kristensen",
    ]


def test_a_line_with_two_table_cells_is_kept_as_the_report_has_it():
    assert read("004", 1248, 1248) == [
        (
            "lines",
            1248,
            1248,
            "Åben dialog  Åben dialog i Odsherred, 2012 Odsherred Kommune ",
        )
    ]
    # Two spaces after a full stop are a typing habit, not a column.
    assert read("000", 2016, 2016)[0][0] == "paragraph"


def test_a_printed_page_number_becomes_a_page_mark_and_a_footnote_mark_does_not():
    marks = [
        (block.page, block.first, block.last)
        for block in blocks(excerpt("003", 1015, 1030))
        if block.kind == "page"
    ]
    assert marks == [(27, 1021, 1023)]
    assert [
        block.page
        for code, lines in REPORTS.items()
        for block in blocks(list(enumerate(lines, start=1)))
        if block.kind == "page"
    ] == [25, 27, 32, 42, 50]  # 82's is followed at once by a cell, like a footnote
    assert not [b for b in blocks(excerpt("001", 50, 66)) if b.kind == "page"]


def test_the_running_text_keeps_every_line_anchor_and_marks_the_cited_lines():
    lines = excerpt("003", 3744, 3807)

    page = running_text(lines, cited=range(3749, 3803))

    assert re.findall(r'id="linje-(\d+)"', page) == [str(n) for n, _ in lines]
    assert re.findall(r'id="linje-(\d+)" class="cited"', page) == [
        str(n) for n in range(3749, 3803)
    ]
    assert "Kommunes" in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert '<a class="line-range" href="#linje-3770">' in page


# Lines as the extractions have them: words, split words, dashes, bullets, numbers,
# blank lines, lines of one space, runs of spaces.
LINE = st.one_of(
    st.just(""),
    st.just(" "),
    st.sampled_from(["27 ", "5", "- ", "▪ punkt", "1.1 Afsnit", "Navn:"]),
    st.text(alphabet="abcæøå ABCÆØÅ-–.,:?()/0123456789", max_size=60),
)


def assert_nothing_lost(lines: list[tuple[int, str]]) -> None:
    found = [piece for block in blocks(lines) for piece in block.pieces]
    assert [piece.number for piece in found] == [number for number, _ in lines]
    for block in blocks(lines):
        for piece in block.pieces:
            text = dict(lines)[piece.number]
            if block.kind in ("paragraph", "item"):
                hyphen = "-" if piece.hyphen_dropped else ""
                assert piece.text + hyphen == text.strip()
            else:
                assert piece.text == text


@given(st.lists(LINE, max_size=40))
def test_no_character_is_lost_but_a_joining_hyphen_and_every_line_keeps_its_number(
    texts,
):
    assert_nothing_lost(list(enumerate(texts, start=100)))


@given(
    st.sampled_from(sorted(REPORTS)),
    st.integers(min_value=1, max_value=4900),
    st.integers(min_value=1, max_value=120),
)
def test_no_character_of_a_real_report_is_lost_in_any_window(code, first, length):
    lines = REPORTS[code]
    first = min(first, len(lines))
    last = min(first + length, len(lines))

    assert_nothing_lost(excerpt(code, first, last))


@given(st.lists(LINE, max_size=30))
def test_every_line_has_exactly_one_anchor_in_the_running_text(texts):
    lines = list(enumerate(texts, start=1))

    page = running_text(lines)

    assert re.findall(r'id="linje-(\d+)"', page) == [str(n) for n, _ in lines]


@given(
    st.from_regex(r"[A-ZÆØ][a-zæøå]{2,8} [A-ZÆØ][a-zæøå]{3,10}", fullmatch=True),
    st.integers(min_value=1, max_value=19),
    st.booleans(),
)
def test_a_redacted_name_split_over_two_lines_is_not_joined_back_together(
    name, cut, hyphen
):
    cut = min(cut, len(name) - 1)
    hyphen = hyphen and " " not in name[cut - 1 : cut + 1]
    lines = [
        (1, f"Projektet blev ledet af {name[:cut]}{'-' if hyphen else ''}"),
        (2, f"{name[cut:]} og to kolleger fra afdelingen."),
    ]
    redaction = Redaction(line_start=1, line_end=2, text=name, kind=RedactionKind.NAME)
    mark = marks()

    redacted = across_line_breaks(
        [(n, redact_line(text, [redaction], mark)) for n, text in lines],
        [redaction],
        mark,
    )

    read = " ".join(block.text for block in blocks(redacted))
    assert name not in read
    assert name.replace(" ", "") not in read.replace(" ", "")
    assert read.endswith("[navn fjernet] og to kolleger fra afdelingen.")
