"""A report's text, line by line, and what of it a visitor must never read."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .managers import found_once_while_loading
from .sources import SourceDocument


class SourceLineManager(models.Manager):
    @found_once_while_loading
    def get_by_natural_key(self, document_slug: str, number: int):
        return self.get(document__slug=document_slug, number=number)


class SourceLine(models.Model):
    """One line of a report as its text file gives it: `number` is 1-based, as
    `sed -n` and every locator's `line_start`/`line_end` count."""

    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    number = models.PositiveIntegerField(_("linjenummer"))
    text = models.TextField(_("tekst"), blank=True)

    objects = SourceLineManager()

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("tekstlinje")
        verbose_name_plural = _("tekstlinjer")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="sourceline_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:60]}"

    def natural_key(self) -> tuple[str, int]:
        return (self.document.slug, self.number)

    natural_key.dependencies = ["initiatives.sourcedocument"]


class RedactionKind(models.TextChoices):
    CONTACT = "kontaktoplysninger", _("kontaktoplysninger")
    NAME = "navn", _("navn")
    PATH = "filsti", _("filsti")
    PERSONAL = "personoplysning", _("personoplysning")


class RedactionManager(models.Manager):
    @found_once_while_loading
    def get_by_natural_key(self, document_slug: str, line_start: int, text: str):
        return self.get(document__slug=document_slug, line_start=line_start, text=text)


class Redaction(models.Model):
    """Text a visitor never reads: the public reading shows "[navn fjernet]" and the
    like in its place, and the line numbers stay as they are."""

    Kind = RedactionKind

    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="redactions",
    )
    line_start = models.PositiveIntegerField(_("første linje"))
    line_end = models.PositiveIntegerField(_("sidste linje"))
    text = models.CharField(
        _("tekst, der fjernes"),
        max_length=300,
        blank=True,
        help_text=_(
            "Præcis som den står på linjerne, fx et navn; hver forekomst på linjerne "
            "fjernes. Lad feltet stå tomt for at fjerne hele linjerne."
        ),
    )
    kind = models.CharField(
        _("art"),
        max_length=20,
        choices=Kind,
        help_text=_("Bestemmer, hvad læseren ser i stedet: fx '[navn fjernet]'."),
    )
    reason = models.CharField(
        _("begrundelse"),
        max_length=300,
        help_text=_("Hvorfor teksten ikke må vises: hvem den handler om."),
    )

    history = HistoricalRecords()
    objects = RedactionManager()

    class Meta:
        ordering = ["document", "line_start", "text"]
        verbose_name = _("fjernet personoplysning")
        verbose_name_plural = _("fjernede personoplysninger")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "line_start", "text"], name="redaction_unique"
            ),
            models.CheckConstraint(
                condition=Q(line_start__lte=F("line_end")),
                name="redaction_lines_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RedactionKind.values), name="redaction_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.line_start}–{self.line_end}"

    def natural_key(self) -> tuple[str, int, str]:
        return (self.document.slug, self.line_start, self.text)

    natural_key.dependencies = ["initiatives.sourcedocument"]

    def clean(self) -> None:
        if self.document_id is None or self.line_start is None or self.line_end is None:
            return
        validate_line_range(self.document, self.line_start, self.line_end)
        if self.text:
            lines = self.document.lines.filter(
                number__range=(self.line_start, self.line_end)
            ).values_list("text", flat=True)
            if not any(self.text in line for line in lines):
                raise ValidationError(
                    {
                        "text": _(
                            "Teksten står ikke på linje %(start)s–%(end)s. Kopiér den "
                            "præcis, som den står."
                        )
                        % {"start": self.line_start, "end": self.line_end}
                    }
                )


def validate_line_range(document: SourceDocument, start: int, end: int) -> None:
    """A line range must lie inside the document's text, first line before last."""
    if start > end:
        raise ValidationError(
            {
                "line_end": _(
                    "Den sidste linje (%(end)s) ligger før den første (%(start)s)."
                )
                % {"start": start, "end": end}
            }
        )
    length = document.line_count()
    if length == 0:
        raise ValidationError(
            _("Rapporten %(document)s har ingen tekst endnu: upload den først.")
            % {"document": document}
        )
    if start < 1 or end > length:
        raise ValidationError(
            {
                "line_end" if end > length else "line_start": _(
                    "Linje %(start)s–%(end)s ligger uden for rapportens tekst, "
                    "som har linje 1–%(length)s."
                )
                % {"start": start, "end": end, "length": length}
            }
        )
