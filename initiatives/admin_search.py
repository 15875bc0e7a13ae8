"""Saves in the admin that change what initiatives are found by: the names of the
vocabulary they link to, and the curated synonyms. Such a save marks the initiatives
it touches as stale in its own transaction, and their search texts are made again
after it commits (`initiatives.search.stale`), so no save waits for, or is cut off
in, the re-indexing of thousands of initiatives."""

from django.db.models import QuerySet

from .models import Initiative
from .search import containing
from .search.stale import mark_stale, refresh_after_commit


class FoundByNames:
    """An admin of a vocabulary record whose names are in its initiatives' search
    texts."""

    # The fields whose values go into the search texts (`document_text`).
    searched_fields: tuple[str, ...] = ("name", "name_en")

    def initiatives_of(self, obj) -> QuerySet:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        # Compared with the stored record, not the form's initial values: a revert
        # from the history page starts its form from the old version.
        stored = (
            type(obj)
            ._default_manager.filter(pk=obj.pk)
            .values(*self.searched_fields)
            .first()
        )
        super().save_model(request, obj, form, change)
        now = {name: getattr(obj, name) for name in self.searched_fields}
        if stored is not None and stored != now:
            mark_stale(self.initiatives_of(obj))
            refresh_after_commit()

    def delete_model(self, request, obj):
        mark_stale(self.initiatives_of(obj))
        super().delete_model(request, obj)
        refresh_after_commit()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            mark_stale(self.initiatives_of(obj))
        super().delete_queryset(request, queryset)
        refresh_after_commit()


class FoundBySynonyms:
    """The synonyms' admin: a synonym adds its word to the search texts that hold
    what it means and the other way round, so a change touches the initiatives that
    hold either word, before the change and after it."""

    def save_model(self, request, obj, form, change):
        if change:
            self.mark_holding(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        self.mark_holding(obj)
        refresh_after_commit()

    def delete_model(self, request, obj):
        self.mark_holding(obj)
        super().delete_model(request, obj)
        refresh_after_commit()

    def delete_queryset(self, request, queryset):
        for synonym in queryset:
            self.mark_holding(synonym)
        super().delete_queryset(request, queryset)
        refresh_after_commit()

    @staticmethod
    def mark_holding(synonym) -> None:
        for text in [synonym.word, synonym.means]:
            mark_stale(Initiative.objects.filter(containing(text)))
