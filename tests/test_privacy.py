"""Contact persons from the award nominations are for curators only."""

import html
import re

import pytest

from initiatives.models import Initiative, Outcome, SourceDocument, SourceReference
from initiatives.sources.redaction import EMAIL, LOCAL_PATH, PHONE
from initiatives.sources.texts import REPORTS_DIR
from initiatives.sources.views import page_holding

pytestmark = pytest.mark.django_db

SEED_000 = REPORTS_DIR / "000_b97b7e75f03eaa19.txt"


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


def public_readings(client) -> list[str]:
    """Every part of every report's public reading, in Danish and in English."""
    pages = []
    for document in SourceDocument.objects.all():
        parts = page_holding(document.lines.count())
        for prefix in ["", "/en"]:
            for part in range(1, parts + 1):
                response = client.get(
                    f"{prefix}/kilder/{document.slug}/tekst/?side={part}"
                )
                assert response.status_code == 200
                pages.append(response.content.decode())
    return pages


def passages(client) -> list[str]:
    ranges = SourceReference.objects.values_list(
        "document__slug", "line_start", "line_end"
    ).distinct()
    return [
        client.get(f"/kilder/{slug}/linje-{start}-{end}/").content.decode()
        for slug, start, end in ranges
    ]


def test_no_contact_detail_email_phone_or_local_path_is_readable_in_a_report(client):
    pages = public_readings(client) + passages(client)
    secrets = contacts()

    assert len(pages) > 100
    for page in pages:
        text = html.unescape(page)
        assert [secret for secret in secrets if secret in text] == []
        assert EMAIL.findall(text) == []
        assert PHONE.findall(text) == []
        assert LOCAL_PATH.findall(text) == []
        assert "B074366" not in text
        assert "Thorup" not in text


def test_no_person_named_in_the_nominations_is_readable_in_a_report(client):
    names = responsible_persons()
    text = html.unescape(" ".join(public_readings(client)))

    assert [name for name in names if name in text] == []
    assert "[navn fjernet]" in text
    assert "[kontaktoplysninger fjernet]" in text
    assert "[contact details removed]" in text


def test_the_raw_text_is_readable_in_the_admin_by_curators_only(client, curator):
    document = SourceDocument.objects.get(code="000")
    url = f"/admin/initiatives/sourcedocument/{document.pk}/change/"

    assert "anrevs@rm.dk" in client.get(url).content.decode()
    client.logout()
    assert "anrevs@rm.dk" not in client.get(url, follow=True).content.decode()
