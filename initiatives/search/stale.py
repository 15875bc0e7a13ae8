"""Search texts that a change of the vocabulary leaves behind, made again after the
change commits.

Renaming the category *Organisering* changes the search text of half the catalogue:
at 100,000 initiatives, more than a minute of work. So a save of a name or a synonym
only marks the initiatives it touches as stale, with one INSERT ... SELECT in its own
transaction (so the mark commits with the change, or neither does), and a task
enqueued once the save has committed makes their search texts again in the task
worker, a batch at a time, each batch in a transaction of its own that also removes
its marks. Cut off anywhere, the marks left say what is still to do: the next
change's task or `manage.py refresh_search` finishes it.
"""

from django.db import connection, transaction
from django.db.models import QuerySet
from django_tasks import task

from .documents import refresh_search_text

BATCH = 500  # the initiatives of a batch stay locked while it is made


def mark_stale(initiatives: QuerySet) -> None:
    """Mark these initiatives' search texts as stale: one statement, however many."""
    from ..models import StaleSearchText

    select, params = (
        initiatives.order_by().values("pk").distinct().query.sql_with_params()
    )
    table = StaleSearchText._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (initiative_id) {select}", params)


def refresh_stale() -> int:
    """Make every stale search text again, a batch per transaction; the number of
    initiatives made again."""
    from ..models import CatalogueVersion

    done = 0
    while made := refresh_stale_batch():
        done += made
    if done:
        # Cached search results from before may lack what has changed.
        CatalogueVersion.bump()
    return done


@transaction.atomic
def refresh_stale_batch() -> int:
    from ..models import Initiative, StaleSearchText

    # Another process's catch-up takes other batches; a curator's save of one of
    # these initiatives waits for the batch (and the batch for it).
    marks = list(
        StaleSearchText.objects.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", "initiative_id")[:BATCH]
    )
    if not marks:
        return 0
    pks = sorted({initiative for _mark, initiative in marks})
    initiatives = Initiative.objects.filter(pk__in=pks)
    list(initiatives.select_for_update().order_by("pk").values_list("pk", flat=True))
    refresh_search_text(initiatives)
    # Only these marks: one added meanwhile may come from a change this batch has
    # not seen.
    table = StaleSearchText._meta.db_table
    placeholders = ", ".join(["%s"] * len(marks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN ({placeholders})",
            [mark for mark, _initiative in marks],
        )
    return len(pks)


@task()
def refresh_stale_texts() -> int:
    """The task that a rename enqueues, run by the task worker."""
    return refresh_stale()


def refresh_after_commit() -> None:
    """Enqueue the task that makes the stale search texts again, once the current
    transaction commits (so that the worker finds the marks), and not before: the
    curator's save does not wait for it."""
    transaction.on_commit(refresh_stale_texts.enqueue)
