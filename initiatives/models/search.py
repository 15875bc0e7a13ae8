"""What search knows beyond the initiatives' own texts: curated synonyms, the
catalogue's words, from which "Mente du ..." suggestions are taken, and each
initiative as search reads it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import StoredSearchVectorField
from .managers import found_once_while_loading


class SearchLanguage(models.TextChoices):
    DANISH = "da", _("dansk")
    ENGLISH = "en", _("engelsk")


class SynonymManager(models.Manager):
    @found_once_while_loading
    def get_by_natural_key(
        self, word: str, means: str, language: str = SearchLanguage.DANISH
    ) -> "Synonym":
        return self.get(word=word, means=means, language=language)


class Synonym(models.Model):
    Language = SearchLanguage

    word = models.CharField(
        _("ord"),
        max_length=100,
        help_text=_(
            "Det, en bruger skriver, for eksempel '§110', 'tandlæge' eller et "
            "engelsk ord som 'homeless'."
        ),
    )
    means = models.CharField(
        _("betyder"),
        max_length=100,
        help_text=_(
            "Katalogets ord for det samme, for eksempel 'hjemløse'. En indsats, "
            "der nævner det ene, findes også ved en søgning på det andet."
        ),
    )
    language = models.CharField(
        _("sprog"),
        max_length=2,
        choices=SearchLanguage,
        default=SearchLanguage.DANISH,
        help_text=_(
            "Sproget, ordet skrives på. Et engelsk ord findes på de engelske sider "
            "(/en/) i indsatser, hvis danske tekst har det, det betyder."
        ),
    )

    history = HistoricalRecords()
    objects = SynonymManager()

    class Meta:
        ordering = ["language", "word", "means"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonymer")
        constraints = [
            models.UniqueConstraint(
                fields=["word", "means", "language"], name="synonym_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=SearchLanguage.values),
                name="synonym_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.means}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.word, self.means, self.language)


class SearchWord(models.Model):
    """A word that occurs in the search text of some initiative; kept up by
    `refresh_search_text`, never edited by hand."""

    word = models.CharField(_("ord"), max_length=100)
    language = models.CharField(
        _("sprog"), max_length=2, choices=SearchLanguage, default=SearchLanguage.DANISH
    )

    class Meta:
        ordering = ["language", "word"]
        verbose_name = _("søgeord")
        verbose_name_plural = _("søgeord")
        constraints = [
            models.UniqueConstraint(
                fields=["word", "language"], name="search_word_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=SearchLanguage.values),
                name="search_word_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.word


class StaleSearchText(models.Model):
    """An initiative whose search text a change of a name or synonym it is found by
    has left behind. Marked in the transaction of that change, one statement for all
    of them, and made again after it commits (`initiatives.search.stale`); an
    initiative may be marked more than once."""

    initiative = models.ForeignKey(
        "Initiative", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("forældet søgetekst")
        verbose_name_plural = _("forældede søgetekster")

    def __str__(self) -> str:
        return str(self.initiative_id)


class SearchEntry(models.Model):
    """An initiative as search reads it: whether it is published, its name and
    summary case-folded (what relevance looks at), and on PostgreSQL its search
    vectors. A narrow table of its own, because an initiative's row is wide (every
    text it has): finding and ranking the initiatives that hold a common word reads
    these rows, not those. Kept in step with the initiative table by triggers
    (0013_search_entry), never written by Django. PostgreSQL matches through GIN
    indexes of the vectors, which 0013 adds there alone (in Meta.indexes they would
    be made on SQLite too, which has no GIN); SQLite leaves the vectors empty and
    matches through its FTS5 tables."""

    initiative = models.OneToOneField(
        "Initiative",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="id",
        db_constraint=False,
        related_name="search_entry",
    )
    published = models.BooleanField()
    name = models.TextField()
    summary = models.TextField()
    name_en = models.TextField()
    summary_en = models.TextField()
    document = StoredSearchVectorField(null=True)
    document_en = StoredSearchVectorField(null=True)

    class Meta:
        ordering = ["initiative"]
        verbose_name = _("søgepost")
        verbose_name_plural = _("søgeposter")

    def __str__(self) -> str:
        return self.name
