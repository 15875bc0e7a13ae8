"""The admin of a report's text: its upload, what is removed from it, what looks
like personal data, and its publication once a curator has read it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import Redaction, RedactionKind, SourceDocument
from ..sources.redaction import hints, proposals, public_lines
from ..sources.texts import (
    MAX_LINES,
    MAX_PAGES,
    MAX_UPLOAD_BYTES,
    file_name_of,
    lines_of_upload,
    store_lines,
)

# The hints a change page lists at most: a report that has more needs reading
# whole anyway, and the page must stay light.
HINTS_SHOWN = 500


def upload_help() -> str:
    return gettext(
        "En .txt (UTF-8) eller en PDF med tekst, højst %(max)s MB, %(lines)s "
        "linjer og %(pages)s sider. Linjerne nummereres, som filen har dem; en "
        "ny fil erstatter teksten og gør rapporten til en kladde, til du har læst "
        "den."
    ) % {
        "max": MAX_UPLOAD_BYTES // 1024 // 1024,
        "lines": number_format(MAX_LINES, force_grouping=True),
        "pages": number_format(MAX_PAGES, force_grouping=True),
    }


class SourceDocumentForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Upload rapportens tekst"),
        required=False,
        help_text=lazy(upload_help, str)(),
    )

    class Meta:
        model = SourceDocument
        fields = "__all__"

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload is None and self.instance.pk is None:
            raise ValidationError(_("Upload rapportens tekst."))
        self.cleaned_data["lines"] = lines_of_upload(upload) if upload else None
        if upload:
            # Not a field of the form: the name is the upload's, never typed.
            self.instance.file_name = file_name_of(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("upload") and "status" in cleaned:
            # A new text is read by a curator before the public reads it.
            cleaned["status"] = SourceDocument.Status.DRAFT
        return cleaned


class RedactionInline(admin.TabularInline):
    model = Redaction
    extra = 0
    fields = ["line_start", "line_end", "text", "kind", "reason"]


class SourceTextAdmin(admin.ModelAdmin):
    """The upload stored, the text shown to the curator, and publication."""

    def get_readonly_fields(self, request, obj=None):
        # A new report starts as a draft: it is published once it has been read.
        fields = super().get_readonly_fields(request, obj)
        return fields if obj else [*fields, "status"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("lines") is not None:
            store_lines(obj, form.cleaned_data["lines"])

    @admin.display(description=_("Foreslåede fjernelser"))
    def proposed_redactions(self, document: SourceDocument) -> str:
        """What the automatic detection removes from the public reading; the rest
        (names of staff, volunteers, patients) a curator adds below."""
        if document.pk is None:
            return self.get_empty_value_display()
        found = proposals(document.lines.values_list("number", "text"))
        if not found:
            return _(
                "Den automatiske søgning fandt ingen e-mails, telefonnumre "
                "eller filstier."
            )
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: <code>{}</code> ({})</li>",
                (
                    (finding.number, finding.text, RedactionKind(finding.kind).label)
                    for finding in found
                ),
            ),
        )

    @admin.display(description=_("Linjer, der ligner personoplysninger"))
    def personal_data_hints(self, document: SourceDocument) -> str:
        """Names the detection cannot remove, as the public would read the lines
        now: a hint disappears once a redaction covers it."""
        if document.pk is None:
            return self.get_empty_value_display()
        found = hints(public_lines(document, 1, document.line_count()))
        if not found:
            return _(
                "Ingen linjer ligner personoplysninger. Læs alligevel teksten, før "
                "du offentliggør rapporten."
            )
        items = format_html_join(
            "",
            '<li><a href="#linje-{0}">{0}</a>: {1} ({2})</li>',
            (
                (hint.number, marked(hint.text, hint.spans), ", ".join(hint.reasons))
                for hint in found[:HINTS_SHOWN]
            ),
        )
        more = len(found) - HINTS_SHOWN
        return format_html(
            "<p>{}</p><ul>{}</ul>{}",
            _(
                "Et fornavn fra listen i fixtures/first_names.txt, eller ord med "
                "stort begyndelsesbogstav ved et kontaktord eller før en "
                "stillingsbetegnelse. Registrér dem, der ikke må vises, nedenfor; "
                "forfattere og personer i en offentlig rolle må gerne stå."
            ),
            items,
            format_html(
                "<p>{}</p>",
                ngettext(
                    "… og %(count)s linje mere.",
                    "… og %(count)s linjer mere.",
                    more,
                )
                % {"count": more},
            )
            if more > 0
            else "",
        )

    @admin.display(description=_("Tekst"))
    def numbered_text(self, document: SourceDocument) -> str:
        if document.pk is None:
            return self.get_empty_value_display()
        lines = document.lines.values_list("number", "text")
        return format_html(
            '<ol class="source-text-admin">{}</ol>',
            format_html_join(
                "", '<li value="{0}" id="linje-{0}">{1}</li>', lines.iterator()
            ),
        )

    @admin.action(description=_("Offentliggør de valgte rapporter"))
    def publish(self, request, queryset):
        self.set_status(request, queryset, SourceDocument.Status.PUBLISHED)

    @admin.action(description=_("Gør de valgte rapporter til kladder"))
    def make_draft(self, request, queryset):
        self.set_status(request, queryset, SourceDocument.Status.DRAFT)

    def set_status(self, request, queryset, status: str) -> None:
        changed = 0
        # One save per report, so that history records each change.
        for document in queryset:
            document.status = status
            try:
                document.full_clean()
            except ValidationError as error:
                message = "; ".join(error.messages)
                self.message_user(request, f"{document}: {message}", messages.ERROR)
                continue
            document.save()
            changed += 1
        self.message_user(
            request,
            _("%(count)d rapporter er nu: %(status)s.")
            % {"count": changed, "status": SourceDocument.Status(status).label},
            messages.SUCCESS,
        )


def marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The line with the spans in <mark>, everything escaped."""
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(escape(text[at:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        at = end
    pieces.append(escape(text[at:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
