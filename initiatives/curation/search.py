"""Saves in the admin that change what initiatives are found by: the names of the
vocabulary they link to, and the curated synonyms. Such a save marks the initiatives
it touches as stale in its own transaction, and their search texts are made again
after it commits (`initiatives.search.stale`), so no save waits for, or is cut off
in, the re-indexing of thousands of initiatives."""

from django.db.models import Q, QuerySet

from ..models import Initiative
from ..search import containing
from ..search.stale import mark_stale, refresh_after_commit


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
    hold either word, before the change and after it (marked in one statement)."""

    def save_model(self, request, obj, form, change):
        words = [obj.word, obj.means]
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            words += [stored.word, stored.means]
        super().save_model(request, obj, form, change)
        mark_stale(holding_any(words))
        refresh_after_commit()

    def delete_model(self, request, obj):
        mark_stale(holding_any([obj.word, obj.means]))
        super().delete_model(request, obj)
        refresh_after_commit()

    def delete_queryset(self, request, queryset):
        words = [word for synonym in queryset for word in (synonym.word, synonym.means)]
        mark_stale(holding_any(words))
        super().delete_queryset(request, queryset)
        refresh_after_commit()


def holding_any(texts: list[str]) -> QuerySet:
    """The initiatives whose search texts hold every word of one of the texts."""
    return Initiative.objects.filter(
        Q.create([containing(text) for text in set(texts)], connector=Q.OR)
    )
