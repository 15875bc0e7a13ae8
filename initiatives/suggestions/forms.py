"""The public suggestion form, with what keeps machines out of the curators' queue
without a third-party service: a field humans leave empty, a minimum time to fill
the form, bounded lengths and links."""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..models import Initiative, Suggestion

SALT = "initiatives.suggestion-form"
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
MOST_LINKS = 3
# Lines of text, not markup or control characters (a newline in a header is how a
# mail to the curators would be forged).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ONE_LINE = re.compile(r"[\r\n]")
FORGOTTEN_AFTER = 24 * 3600  # seconds: a form left open longer is sent again


def started_token() -> str:
    """When the form was handed out, signed so that it cannot be made older."""
    return signing.dumps(time.time(), salt=SALT)


class SuggestionForm(forms.ModelForm):
    # Hidden from people by the stylesheet and from screen readers; machines that
    # fill every field fill it.
    website = forms.CharField(
        label=_("Lad dette felt stå tomt"), required=False, max_length=200
    )
    started = forms.CharField(widget=forms.HiddenInput)
    about = forms.ModelChoiceField(
        queryset=Initiative.objects.published(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Suggestion
        fields = [
            "name",
            "description",
            "place",
            "organisation",
            "described_in",
            "sender_name",
            "sender_email",
            "about",
        ]
        labels = {
            "name": _("Indsatsens navn"),
            "description": _("Hvad gør indsatsen, og for hvem?"),
            "place": _("Hvor foregår den?"),
            "organisation": _("Hvem står bag?"),
            "described_in": _("Hvor er den beskrevet?"),
            "sender_name": _("Dit navn"),
            "sender_email": _("Din e-mail"),
        }
        help_texts = {
            "description": _("Med dine egne ord; højst 4.000 tegn."),
            "place": _("Kommune, region eller by; eller 'hele landet'."),
            "organisation": _("Kommune, region, hospital, forening eller andre."),
            "described_in": _(
                "Et link, en rapport eller en artikel, hvor vi kan læse om den."
            ),
            "sender_name": _("Frivilligt. Kun til spørgsmål fra kuratorerne."),
            "sender_email": _(
                "Frivilligt. Kun kuratorerne ser den, og den slettes efter 180 dage."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "described_in": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off"}
        )
        self.fields["sender_name"].widget.attrs["autocomplete"] = "name"
        self.fields["sender_email"].widget.attrs["autocomplete"] = "email"
        if not self.is_bound:
            self.initial["started"] = started_token()

    @property
    def is_from_a_machine(self) -> bool:
        """Whether the field humans cannot see was filled."""
        return bool(self.data.get("website"))

    def clean_started(self) -> float:
        try:
            started = signing.loads(
                self.cleaned_data["started"], salt=SALT, max_age=FORGOTTEN_AFTER
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Formularen er for gammel. Send den igen."), code="stale"
            ) from None
        if time.time() - started < settings.SUGGESTION_MIN_SECONDS:
            raise forms.ValidationError(
                _("Det gik meget hurtigt. Se forslaget igennem, og send det igen."),
                code="too_fast",
            )
        return started

    def clean(self):
        cleaned = super().clean()
        texts = [
            value for value in cleaned.values() if isinstance(value, str) and value
        ]
        for name in ["name", "place", "organisation", "sender_name"]:
            if ONE_LINE.search(cleaned.get(name) or ""):
                self.add_error(name, _("Skriv det på én linje."))
        if any(CONTROL.search(text) for text in texts):
            raise forms.ValidationError(_("Teksten indeholder ugyldige tegn."))
        links = sum(len(LINK.findall(text)) for text in texts)
        if links > MOST_LINKS:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Højst %(most)d link i alt, tak.",
                    "Højst %(most)d links i alt, tak.",
                    MOST_LINKS,
                )
                % {"most": MOST_LINKS}
            )
        return cleaned
