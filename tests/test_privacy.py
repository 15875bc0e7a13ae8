"""Contact persons from the award nominations are for curators only."""

import re

import pytest
from django.conf import settings

from initiatives.models import Initiative, Outcome, SourceReference

pytestmark = pytest.mark.django_db

SEED_000 = next(settings.SEEDS_DIR.glob("000_*"))


def contacts() -> list[str]:
    values = []
    for initiative in Initiative.objects.exclude(contact_name=""):
        values += [initiative.contact_name, initiative.contact_email]
        digits = re.sub(r"\D", "", initiative.contact_phone)
        if digits:
            values.append(initiative.contact_phone)
    return [value for value in values if value]


def public_pages(client) -> list[str]:
    paths = ["/", "/initiativer/", "/initiativer/eksport.csv", "/en/initiativer/"]
    paths += [i.get_absolute_url() for i in Initiative.objects.exclude(contact_name="")]
    for initiative in Initiative.objects.exclude(contact_name="")[:5]:
        for involvement in initiative.involvements.select_related("organisation"):
            paths.append(involvement.organisation.get_absolute_url())
    paths += [f"/initiativer/?side={n}" for n in range(2, 10)]
    pages = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            body = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            pages.append(body.decode())
    return pages


def test_the_nominations_contact_persons_are_in_the_curator_fields():
    assert Initiative.objects.exclude(contact_email="").count() >= 20


def test_no_public_page_or_export_shows_contact_details(client):
    secrets = contacts()
    pages = public_pages(client)

    assert len(pages) > 20
    for secret in secrets:
        for page in pages:
            assert secret not in page


PERSON_WORD = re.compile(r"^(?:[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?|van|der)$")
INSTITUTION_WORDS = {"Hospital", "Sygehus", "Kommune", "Kors", "Korshær", "Center"}
INSTITUTION_WORDS |= {"Amager", "Lillebælt", "Sønderjylland"}


def responsible_persons() -> set[str]:
    """People named under 'Ansvarlig for initiativet:' and 'Navn:' in report 000
    (the same lines also name hospitals and associations, which are left out)."""
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    names = set()
    for number, line in enumerate(lines):
        if line.strip().startswith(("Ansvarlig for initiativet:", "Navn:")):
            for name in re.split(r",| og | & ", lines[number + 1]):
                name = re.sub(r"\(.*?\)", "", name.rpartition(":")[2]).strip(" .")
                words = name.split()
                if (
                    2 <= len(words) <= 4
                    and all(PERSON_WORD.match(word) for word in words)
                    and not INSTITUTION_WORDS & set(words)
                ):
                    names.add(name)
    return names


def test_no_person_named_in_the_nominations_appears_in_public_text():
    names = responsible_persons()
    public_text = " ".join(
        " ".join(
            [i.name, i.summary, i.purpose, i.description, i.target_group_text, i.place]
        )
        for i in Initiative.objects.all()
    )
    public_text += " ".join(Outcome.objects.values_list("text", flat=True))
    public_text += " ".join(SourceReference.objects.values_list("note", flat=True))

    assert len(names) > 20
    assert [name for name in names if name in public_text] == []
