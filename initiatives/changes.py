"""Every change to the catalogue gives it a new version (`CatalogueVersion`, one row
in the database, so every server process agrees), which the pages' ETags
(http_caching.py) and the count index (listing/count_index.py) are keyed by.

A change confined to one initiative (the initiative's own row, one of its parts, its
target groups or regions) stamps that initiative with the new stamp; any other
change also moves the shared stamp, which every page's ETag holds. So the pages
most read can name exactly what they show (page_contents.py): a page that shows
nothing of an initiative a curator saved keeps its ETag.

Cache invalidation, not domain logic: any saved or deleted catalogue row, or a changed
relation, bumps the version in the same transaction. Rows deleted in a cascade, and
a bulk `update()`, send no signal of their own: the cascade comes from a deleted row
whose signal bumps it, a merge's moves end in deleting the duplicate
(curation/merging.py), and sources/texts.py bumps it itself. Fixture loads save raw
rows; the commands that load them bump the version themselves, once.
"""

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .models import (
    CatalogueVersion,
    CategoryAssignment,
    Initiative,
    Involvement,
    Outcome,
    SearchEntry,
    SourceLine,
    SourceReference,
    Suggestion,
)

# Rows that belong to one initiative, and that only pages showing it show.
PARTS = (CategoryAssignment, Involvement, Outcome, SourceReference, SearchEntry)


def bump_for(initiative_pk: int | None) -> None:
    """A new version: confined to that initiative, or shared if None."""
    stamp = CatalogueVersion.bump(shared=initiative_pk is None)
    if initiative_pk is not None:
        Initiative.objects.filter(pk=initiative_pk).update(changed_stamp=stamp)


def catalogue_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if sender is Initiative:
        bump_for(instance.pk)
    elif sender in PARTS:
        bump_for(instance.initiative_id)
    else:
        bump_for(None)


def relation_changed(sender, instance, action: str, **kwargs) -> None:
    if sender._meta.app_label != "initiatives" or not action.startswith("post_"):
        return
    # An initiative's target groups or regions, changed from its side; from the
    # other side (a target group's initiatives), many may change at once.
    bump_for(instance.pk if isinstance(instance, Initiative) else None)


def deployed(sender, **kwargs) -> None:
    """Every deploy runs `migrate` (README): a new release may render every page
    differently, so no page is named as it was before it."""
    bump_for(None)


def connect_signals(app_config) -> None:
    for model in app_config.get_models():
        if model in (CatalogueVersion, SourceLine, Suggestion) or (
            model.__name__.startswith("Historical")
        ):
            # A report's lines are replaced thousands at a time, in bulk;
            # source_texts.store_lines bumps the version once instead. Visitors'
            # suggestions are not on any public page.
            continue
        uid = f"catalogue-version-{model._meta.label}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(relation_changed, dispatch_uid="catalogue-version-m2m")
    post_migrate.connect(deployed, sender=app_config, dispatch_uid="catalogue-deployed")


@contextmanager
def snapshot():
    """One consistent view of the catalogue for every query inside, its version's
    stamp included: a transaction, which on PostgreSQL must be REPEATABLE READ to
    see one snapshot throughout."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
