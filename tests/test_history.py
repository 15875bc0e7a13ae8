"""The curators' history: the history and revert pages in Danish with whole values.
(What loading the catalogue records: tests/test_fixtures.py.)"""

import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative

from .conftest import empty_inlines, opened_at

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    """Text and the values of buttons, without tags, class names or scripts."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    values = " ".join(re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + values


ENGLISH = [
    "Choose a date",
    "Revert",
    "Changed by",
    "None",
    "Historical",
    "historical",
    "Date/time",
    "Change reason",
    "entries",
    "chars]",
]


def test_history_and_revert_pages_are_danish_with_whole_values(client, curator):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    long_summary = "Rullende " + "lang tekst " * 30 + "slutningen af teksten"
    url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    client.post(
        url,
        {
            "name": initiative.name,
            "slug": initiative.slug,
            "status": initiative.status,
            "summary": long_summary,
            **empty_inlines(),
            **opened_at(client, url),
        },
    )
    earlier = initiative.history.order_by("history_date").first()

    history = client.get(
        reverse("admin:initiatives_initiative_history", args=[initiative.pk])
    ).text
    revert = client.get(
        reverse(
            "admin:initiatives_initiative_simple_history",
            args=[initiative.pk, earlier.history_id],
        )
    ).text

    assert long_summary in history
    assert "Ændret af" in history and "oprettet" in history
    assert "Gå tilbage til denne version" in revert
    for page in [history, revert]:
        shown = visible_text(page)
        assert [word for word in ENGLISH if word in shown] == []
