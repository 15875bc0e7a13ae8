"""What a visitor reads is written for visitors: no field names, no curator shorthand,
no folder on someone's computer."""

import re

import pytest

from initiatives.models import Initiative, Outcome, SourceReference

pytestmark = pytest.mark.django_db

CURATOR_WORDS = re.compile(
    r"cited_year|cited_source|target_group_text|refers_to|line_start|line_end"
    r"|contact_\w+|\[sic\]|kolonnen fremgår ikke|file:/|[A-Z]:[\\/]Users|/Users/",
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
