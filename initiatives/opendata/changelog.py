"""What changed in the published catalogue, day by day, read from the change history
that django-simple-history keeps: initiatives added (published), changed (the
initiative or one of its parts), and removed (deleted or made a draft again).

An initiative that was never published on a day's start or end is left out, so a
draft's name never appears. The catalogue as first loaded from the fixtures has no
history: an initiative whose first record is a change, not a creation, is taken to
have been as that record shows it before.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import (
    CategoryAssignment,
    Initiative,
    Involvement,
    Outcome,
    SourceReference,
)

PUBLISHED = Initiative.Status.PUBLISHED
PARTS = [CategoryAssignment, Involvement, Outcome, SourceReference]


@dataclass
class ChangedDay:
    day: date
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def public_name(record) -> str | None:
    """The name the public saw after this record, or None if they saw nothing."""
    deleted = getattr(record, "history_type", "") == "-"
    return record.name if record.status == PUBLISHED and not deleted else None


def public_name_before(record) -> str | None:
    """The name the public saw before a record, for an initiative whose history
    starts with a change or deletion: as the record shows it."""
    return record.name if record.status == PUBLISHED else None


def changelog(days: int = 30) -> list[ChangedDay]:
    """Each of the last `days` days on which the published catalogue changed, the
    newest first; each list of names in alphabetical order."""
    since = timezone.now() - timedelta(days=days)
    History = Initiative.history.model
    records = list(
        History.objects.filter(history_date__gte=since)
        .only("id", "name", "status", "history_type", "history_date")
        .order_by("history_date", "history_id")
    )
    latest_earlier = (
        History.objects.filter(id=OuterRef("id"), history_date__lt=since)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    before = {
        record.id: public_name(record)
        for record in History.objects.filter(
            history_id__in=Subquery(latest_earlier),
            id__in={record.id for record in records},
        ).only("id", "name", "status", "history_type")
    }
    by_day = defaultdict(list)
    for record in records:
        by_day[timezone.localdate(record.history_date)].append(record)
        if record.id not in before and record.history_type != "+":
            before[record.id] = public_name_before(record)
    parts_by_day = parts_changed_since(since)
    without_history = set().union(*parts_by_day.values()) - {r.id for r in records}
    for initiative in Initiative.objects.filter(pk__in=without_history).only(
        "name", "status"
    ):
        before[initiative.pk] = public_name(initiative)

    days_changed = []
    state = dict(before)
    for day in sorted(set(by_day) | set(parts_by_day)):
        start = dict(state)
        for record in by_day[day]:
            state[record.id] = public_name(record)
        entry = ChangedDay(day)
        touched = {record.id for record in by_day[day]} | parts_by_day[day]
        for pk in touched:
            was, now = start.get(pk), state.get(pk)
            if now and not was:
                entry.added.append(now)
            elif was and not now:
                entry.removed.append(was)
            elif now:
                entry.changed.append(now)
        for names in (entry.added, entry.changed, entry.removed):
            names.sort()
        if entry.added or entry.changed or entry.removed:
            days_changed.append(entry)
    return days_changed[::-1]


def parts_changed_since(since) -> dict[date, set[int]]:
    """The initiatives whose parts changed, by day; an initiative's own history
    tells whether it was public then."""
    touched = defaultdict(set)
    for part in PARTS:
        changes = part.history.model.objects.filter(history_date__gte=since)
        for initiative, when in changes.values_list("initiative_id", "history_date"):
            touched[timezone.localdate(when)].add(initiative)
    return touched
