"""Suggestions from visitors: an initiative the catalogue lacks, or a correction to one
it has. Never shown publicly; a curator turns one into catalogue content or declines
it. The sender's name and e-mail are personal data: for curators only, kept out of
the change history, exports, the API and backups, and deleted after
`Suggestion.KEEP_CONTACT_DAYS` (manage.py purge_suggestions)."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .initiatives import Initiative


class SuggestionQuerySet(models.QuerySet):
    def past_keeping(self, now=None) -> "SuggestionQuerySet":
        """Those older than the privacy page promises to keep them."""
        now = now or timezone.now()
        return self.filter(
            received__lt=now - timedelta(days=Suggestion.KEEP_CONTACT_DAYS)
        )


class SuggestionStatus(models.TextChoices):
    NEW = "ny", _("ny")
    IN_REVIEW = "under-behandling", _("under behandling")
    ADDED = "tilfoejet", _("tilføjet")
    DECLINED = "afvist", _("afvist")


class Suggestion(models.Model):
    Status = SuggestionStatus
    KEEP_CONTACT_DAYS = 180

    name = models.CharField(_("indsatsens navn"), max_length=300)
    description = models.TextField(
        _("hvad den gør og for hvem"),
        max_length=4000,
        help_text=_("Afsenderens ord; de er ikke kontrolleret."),
    )
    place = models.CharField(_("hvor"), max_length=300, blank=True)
    organisation = models.CharField(_("hvem står bag"), max_length=300, blank=True)
    described_in = models.TextField(
        _("hvor den er beskrevet"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Et link eller en rapport, som afsenderen angiver; åbn aldrig et link "
            "uden at se, hvor det fører hen."
        ),
    )
    about = models.ForeignKey(
        Initiative,
        verbose_name=_("rettelse til"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Den indsats i kataloget, afsenderen vil rette eller supplere."),
    )
    sender_name = models.CharField(
        _("afsenderens navn"),
        max_length=200,
        blank=True,
        help_text=_("Personoplysning: kun for kuratorer, slettes efter 180 dage."),
    )
    sender_email = models.EmailField(
        _("afsenderens e-mail"),
        blank=True,
        help_text=_("Personoplysning: kun for kuratorer, slettes efter 180 dage."),
    )
    received = models.DateTimeField(_("modtaget"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.NEW,
    )
    became = models.ForeignKey(
        Initiative,
        verbose_name=_("blev til"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text=_("Den indsats, forslaget er blevet til (status 'tilføjet')."),
    )
    decline_reason = models.TextField(
        _("begrundelse for afvisning"),
        blank=True,
        help_text=_("Kræves for status 'afvist'; vises ikke offentligt."),
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-received", "-pk"]
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.ADDED) | Q(became__isnull=False),
                name="suggestion_added_names_initiative",
                violation_error_message=_(
                    "Et tilføjet forslag skal pege på den indsats, det blev til."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.DECLINED) | ~Q(decline_reason=""),
                name="suggestion_declined_has_reason",
                violation_error_message=_("Skriv, hvorfor forslaget er afvist."),
            ),
        ]
        indexes = [
            # The admin's queue: the new ones first.
            models.Index(fields=["status", "received"], name="suggestion_queue"),
        ]

    def __str__(self) -> str:
        return self.name
