"""What a visitor reads is written for visitors: no field names, no curator shorthand,
no folder on someone's computer."""

import re

import pytest

from initiatives.models import Initiative, Involvement, Outcome, SourceReference

pytestmark = pytest.mark.django_db

CURATOR_WORDS = re.compile(
    r"cited_year|cited_source|target_group_text|refers_to|line_start|line_end"
    r"|contact_\w+|\[sic\]|kolonnen fremgår ikke|file:/|[A-Z]:[\\/]Users|/Users/",
    re.IGNORECASE,
)

# How a curator points at the report ("(linje 106)", "Report 003 nævner",
# "Teksten skriver blot 'Psykiatrien'", "Bilag 1's årstal er kildens år"), which a
# reader of an involvement or a period has no use for.
POINTING_AT_THE_TEXT = re.compile(
    r"\blinjer?\b|\brapport 00\d|\breport\b|\bteksten( skriver|:)|\(?rapporten[:)]"
    r"|rapporten (skriver|siger ikke)|bilag 1's|hvor/hvem|\bkilden er\b",
    re.IGNORECASE,
)


def test_public_notes_results_and_cited_sources_use_no_curator_shorthand():
    texts = list(SourceReference.objects.values_list("note", "cited_source"))
    texts += list(Outcome.objects.values_list("text", "refers_to"))

    found = [text for pair in texts for text in pair if CURATOR_WORDS.search(text)]

    assert found == []


def test_no_initiative_page_shows_curator_shorthand_or_a_local_path(client):
    for initiative in Initiative.objects.published():
        body = client.get(initiative.get_absolute_url()).content.decode()

        assert CURATOR_WORDS.findall(body) == [], initiative.slug


def test_the_curators_reasoning_is_kept_in_their_own_note():
    assert SourceReference.objects.exclude(curator_note="").count() >= 200


def test_involvement_notes_and_periods_say_what_a_reader_needs_not_where_it_stands():
    texts = list(Involvement.objects.values_list("note", flat=True))
    texts += list(Initiative.objects.values_list("period_text", flat=True))

    found = [text for text in texts if POINTING_AT_THE_TEXT.search(text)]

    assert found == []


def test_the_reasoning_behind_involvements_and_periods_is_kept_for_curators():
    assert Involvement.objects.exclude(curator_note="").count() >= 95
    assert Initiative.objects.exclude(period_curator_note="").count() >= 20


def test_a_curators_note_on_an_involvement_or_a_period_is_never_public(client):
    involvement = Involvement.objects.get(
        initiative__slug="broen-til-bedre-sundhed",
        organisation__slug="psykiatrien-i-region-sjaelland",
    )
    initiative = Initiative.objects.get(slug="akutteam-aarhus-kommune")
    private = ["Teksten skriver blot", "rapporten siger ikke, at indsatsen startede"]
    assert private[0] in involvement.curator_note
    assert private[1] in initiative.period_curator_note

    for url in [
        involvement.initiative.get_absolute_url(),
        initiative.get_absolute_url(),
        "/api/v1/initiativer/broen-til-bedre-sundhed/",
        "/api/v1/initiativer/akutteam-aarhus-kommune/",
        "/initiativer/eksport.csv?q=akutteam",
        "/initiativer/nyt.atom",
        "/data/lighedskataloget.json",
    ]:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content

        assert response.status_code == 200, url
        assert not any(note.encode() in body for note in private), url
