"""Merging duplicates: everything that pointed at the duplicates ends up on the record
that is kept, in one transaction, so a failure leaves the catalogue as it was. The
change history records every move: rows are saved one by one, except an
organisation's involvements, which may be thousands and are moved in bulk with a
history row each."""

from django.db import transaction
from django.db.models import Max

from ..models import Initiative, Involvement, Organisation, SourceReference, Suggestion
from ..search import refresh_search_text
from ..search.stale import mark_stale, refresh_after_commit


@transaction.atomic
def merge_organisations(keep: Organisation, duplicates: list[Organisation]) -> None:
    # Their search texts name the duplicates: made again after the commit.
    mark_stale(Initiative.objects.filter(involvements__organisation__in=duplicates))
    kept = set(keep.involvements.values_list("initiative_id", "role"))
    for duplicate in duplicates:
        moved = []
        for involvement in duplicate.involvements.all():
            if (involvement.initiative_id, involvement.role) in kept:
                involvement.delete()  # the kept organisation has it already
            else:
                involvement.organisation = keep
                moved.append(involvement)
        # The rest in one UPDATE, with the history row a save would write for each.
        duplicate.involvements.update(organisation=keep)
        Involvement.history.bulk_history_create(moved, batch_size=1000, update=True)
        kept.update((i.initiative_id, i.role) for i in moved)
        for unit in duplicate.units.exclude(pk=keep.pk):
            unit.parent = keep
            unit.save()
        if keep.parent_id == duplicate.pk:
            keep.parent = duplicate.parent
            keep.save()
        duplicate.delete()
    refresh_after_commit()


@transaction.atomic
def merge_initiatives(keep: Initiative, duplicates: list[Initiative]) -> None:
    for duplicate in duplicates:
        keep.target_groups.add(*duplicate.target_groups.all())
        keep.regions.add(*duplicate.regions.all())
        for reference in duplicate.references.all():
            _move_reference(reference, keep)
        for assignment in duplicate.category_assignments.all():
            existing = keep.category_assignments.filter(
                category=assignment.category
            ).first()
            if existing is None:
                assignment.initiative = keep
                assignment.save()
            elif assignment.is_stated and not existing.is_stated:
                existing.basis, existing.reference = (
                    assignment.basis,
                    assignment.reference,
                )
                existing.note = ""
                assignment.delete()
                existing.save()
            else:
                assignment.delete()
        for involvement in duplicate.involvements.all():
            if keep.involvements.filter(
                organisation=involvement.organisation, role=involvement.role
            ).exists():
                involvement.delete()
            else:
                involvement.initiative = keep
                involvement.save()
        # Its evidence basis may have moved to one of the kept record's references.
        duplicate.refresh_from_db(fields=["evidence_basis"])
        _fill_blanks(keep, duplicate)
        Suggestion.objects.filter(became=duplicate).update(became=keep)
        Suggestion.objects.filter(about=duplicate).update(about=keep)
        duplicate.delete()
    refresh_search_text(Initiative.objects.filter(pk=keep.pk))


def _move_reference(reference: SourceReference, keep: Initiative) -> None:
    twin = keep.references.filter(
        document=reference.document, locator=reference.locator
    ).first()
    if twin is None:
        reference.initiative = keep
        reference.save()
        for outcome in reference.outcomes.all():
            outcome.initiative = keep
            outcome.save()
        return
    last = twin.outcomes.aggregate(last=Max("position"))["last"] or 0
    for offset, outcome in enumerate(reference.outcomes.order_by("position"), start=1):
        outcome.initiative, outcome.reference = keep, twin
        outcome.position = last + offset
        outcome.save()
    for assignment in reference.categoryassignment_set.all():
        assignment.reference = twin
        assignment.save()
    for initiative in Initiative.objects.filter(evidence_basis=reference):
        initiative.evidence_basis = twin
        initiative.save()
    reference.delete()


def _fill_blanks(keep: Initiative, duplicate: Initiative) -> None:
    """Fields the kept record lacks are taken from the duplicate."""
    # A period comes with the curator's note on it, never one record's period with the
    # other's note.
    if not keep.period_text and duplicate.period_text:
        keep.period_curator_note = duplicate.period_curator_note
    fields = [
        "purpose",
        "description",
        "target_group_text",
        "start_year",
        "end_year",
        "period_text",
        "scope",
        "place",
        "setting",
        "budget_dkk",
        "budget_period",
        "budget_text",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]
    for field in fields:
        if getattr(keep, field) in (None, "") and getattr(duplicate, field) not in (
            None,
            "",
        ):
            setattr(keep, field, getattr(duplicate, field))
    # A level comes with its basis and reason, never mixed from two records.
    if not keep.evidence_level and duplicate.evidence_level:
        keep.evidence_level = duplicate.evidence_level
        keep.evidence_basis_id = duplicate.evidence_basis_id
        keep.evidence_reason = duplicate.evidence_reason
    keep.save()
