"""The curators' queue of suggestions, and the step from a suggestion to a draft."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..curation.edits import LosesNoEdit
from ..models import Suggestion
from .drafts import make_draft


@admin.register(Suggestion)
class SuggestionAdmin(LosesNoEdit):
    list_display = ["name", "status", "received", "about", "became"]
    list_filter = ["status"]
    search_fields = ["name", "description", "organisation", "place"]
    list_select_related = ["about", "became"]
    autocomplete_fields = ["about", "became"]
    readonly_fields = ["received"]
    date_hierarchy = "received"
    actions = ["mark_in_review", "make_drafts"]
    fieldsets = [
        (
            gettext_lazy("Forslaget, med afsenderens ord"),
            {
                "fields": [
                    "name",
                    "description",
                    "place",
                    "organisation",
                    "described_in",
                    "about",
                    "received",
                ]
            },
        ),
        (
            gettext_lazy("Behandling"),
            {"fields": ["status", "became", "decline_reason"]},
        ),
        (
            gettext_lazy("Afsender (personoplysninger, slettes efter 180 dage)"),
            {"fields": ["sender_name", "sender_email"]},
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # suggestions come from the public form

    def can_make_draft(self, request, suggestion: Suggestion) -> bool:
        return (
            request.user.has_perm("initiatives.add_initiative")
            and suggestion.became_id is None
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_make_draft"] = obj is not None and self.can_make_draft(
            request, obj
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def response_change(self, request, obj):
        if "_make_draft" in request.POST and self.can_make_draft(request, obj):
            draft = make_draft(obj)
            self.message_user(request, made_message(obj), messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:initiatives_initiative_change", args=[draft.pk])
            )
        return super().response_change(request, obj)

    @admin.action(
        description=gettext_lazy("Markér som under behandling"),
        permissions=["change"],
    )
    def mark_in_review(self, request, queryset):
        changed = queryset.filter(status=Suggestion.Status.NEW).update(
            status=Suggestion.Status.IN_REVIEW
        )
        self.message_user(
            request, _("%(count)d forslag er under behandling.") % {"count": changed}
        )

    @admin.action(
        description=gettext_lazy("Lav en kladde til en indsats ud fra hvert forslag"),
        permissions=["change"],
    )
    def make_drafts(self, request, queryset):
        for suggestion in queryset.filter(became__isnull=True):
            if self.can_make_draft(request, suggestion):
                make_draft(suggestion)
                self.message_user(request, made_message(suggestion), messages.SUCCESS)


def made_message(suggestion: Suggestion) -> str:
    message = _("Kladden '%(name)s' er lavet ud fra forslaget.") % {
        "name": suggestion.became.name
    }
    if suggestion.described_in:
        message += " " + _(
            "Forslaget siger, den er beskrevet her; tilføj det som kildehenvisning, "
            "når du har fundet og læst kilden: %(source)s"
        ) % {"source": suggestion.described_in}
    return message
