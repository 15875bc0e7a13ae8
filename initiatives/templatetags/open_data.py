"""schema.org data about an initiative for search engines, in the page's head."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..i18n import initiative_text, localized_name
from ..models import Initiative, Involvement
from ..site import absolute_url

register = template.Library()

# As Django's json_script: the data can never close the script element.
SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def organisation(involvement: Involvement) -> dict:
    return {
        "@type": "Organization",
        "name": involvement.organisation.name,
        "url": absolute_url(involvement.organisation.get_absolute_url()),
    }


def json_ld(initiative: Initiative) -> dict:
    """From the initiative's prefetched relations, with no further query."""
    involvements = initiative.involvements.all()
    documents = {ref.document_id: ref.document for ref in initiative.references.all()}
    name = initiative_text(initiative, "name")
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": name.text,
        "description": initiative_text(initiative, "summary").text,
        "url": absolute_url(initiative.get_absolute_url()),
        "inLanguage": name.lang,
        "keywords": [
            localized_name(a.category) for a in initiative.shown_category_assignments
        ],
        "audience": [
            {"@type": "Audience", "audienceType": localized_name(group)}
            for group in initiative.target_groups.all()
        ],
        "areaServed": [region.name for region in initiative.regions.all()]
        + ([initiative.place] if initiative.place else []),
        "funder": [
            organisation(i) for i in involvements if i.role == Involvement.Role.FUNDER
        ],
        "member": [
            organisation(i) for i in involvements if i.role != Involvement.Role.FUNDER
        ],
        "subjectOf": [
            {
                "@type": "Report",
                "name": document.title,
                "url": absolute_url(document.get_absolute_url()),
            }
            for document in documents.values()
        ],
    }
    if initiative.start_year:
        data["foundingDate"] = str(initiative.start_year)
    if initiative.end_year:
        data["dissolutionDate"] = str(initiative.end_year)
    return {name: value for name, value in data.items() if value != []}


@register.simple_tag
def initiative_json_ld(initiative: Initiative) -> SafeString:
    """A data block, not a script: the Content-Security-Policy does not apply to it."""
    data = json.dumps(json_ld(initiative), ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(data.translate(SCRIPT_SAFE)),
    )
