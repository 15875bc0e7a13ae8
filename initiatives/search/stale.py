"""Search texts that a change of the vocabulary leaves behind, made again after the
change commits.

Renaming the category *Organisering* changes the search text of half the catalogue:
at 100,000 initiatives, more than a minute of work. So a save of a name or a synonym
only marks the initiatives it touches as stale, with one INSERT ... SELECT in its own
transaction (so the mark commits with the change, or neither does), and a thread of
the same process makes their search texts again once the save has committed, a batch
at a time, each batch in a transaction of its own that also removes its marks. Cut
off anywhere, the marks left say what is still to do: the next change's catch-up or
`manage.py refresh_search` finishes it.
"""

import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from .documents import refresh_search_text

logger = logging.getLogger(__name__)

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


def refresh_after_commit() -> None:
    """Make the stale search texts again once the current transaction commits: in a
    thread of this process, so that the curator's save does not wait for it
    (`SEARCH_REFRESH_IN_BACKGROUND`; the tests do it at once)."""
    if settings.SEARCH_REFRESH_IN_BACKGROUND:
        transaction.on_commit(start_refreshing)
    else:
        transaction.on_commit(refresh_stale)


_state = threading.Lock()
_worker: threading.Thread | None = None
_asked_again = False


def start_refreshing() -> None:
    """One catch-up thread per process; asked while it runs, it goes round again."""
    global _worker, _asked_again
    with _state:
        if _worker is not None:
            _asked_again = True
            return
        _worker = threading.Thread(
            target=keep_refreshing, name="search-refresh", daemon=True
        )
        _worker.start()


def keep_refreshing() -> None:
    global _worker, _asked_again
    try:
        while True:
            try:
                refresh_stale()
            except Exception:
                # The marks stay; the next catch-up takes them.
                logger.exception("Search texts were not made again")
            with _state:
                if not _asked_again:
                    _worker = None
                    return
                _asked_again = False
    finally:
        connection.close()
