"""What a curator does with a suggestion in one step: a draft initiative with its
text as a starting point, and a notice to the curators of a new one."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from ..models import Initiative, Suggestion


def free_slug(name: str) -> str:
    base = slugify(name)[:180].strip("-") or "forslag"
    slug, number = base, 1
    while Initiative.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def make_draft(suggestion: Suggestion) -> Initiative:
    """A draft initiative from the suggestion's text, which the suggestion is then
    marked as having become. Where it is described stays on the suggestion, shown
    beside the draft in the admin, for the curator to add as a source reference."""
    draft = Initiative.objects.create(
        name=suggestion.name,
        slug=free_slug(suggestion.name),
        status=Initiative.Status.DRAFT,
        summary=Truncator(suggestion.description).chars(300),
        description=suggestion.description,
        place=suggestion.place[:300],
    )
    suggestion.became = draft
    suggestion.status = Suggestion.Status.ADDED
    suggestion.save(update_fields=["became", "status"])
    return draft


def notify_curators(suggestion: Suggestion, link: str) -> None:
    """Once the suggestion is saved, a plain mail to SUGGESTIONS_NOTIFY, if set, with
    its name and a `link` to it in the admin, never the sender's details. A mail that
    cannot be sent is logged, and the visitor still sees the thanks."""
    if not settings.SUGGESTIONS_NOTIFY:
        return
    subject = _("Nyt forslag til Lighedskataloget: %(name)s") % {
        "name": Truncator(suggestion.name).chars(80)
    }
    body = _("Et nyt forslag venter i kuratorernes kø:\n\n%(name)s\n\n%(link)s\n") % {
        "name": suggestion.name,
        "link": link,
    }
    transaction.on_commit(
        lambda: send_mail(subject, body, None, settings.SUGGESTIONS_NOTIFY),
        robust=True,
    )
