"""No lost edit: a curator's save is refused when someone else saved the same record
(or any of its inline parts) after the curator opened the form.

The form carries a signed snapshot of the record as it was shown, and so does the page
that reverts it to an earlier version. On save, the record is locked and read again;
if it differs from the snapshot, the form comes back with the curator's input kept and
a message naming what changed meanwhile. A save without a snapshot is refused.
"""

from django.contrib import admin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .history import CatalogueHistoryAdmin

SNAPSHOT_FIELD = "edit_snapshot"
SHOWN_CHARACTERS = 120


def field_values(obj: models.Model) -> dict[str, str]:
    """What a curator can edit on one row, as text, by field label."""
    values = {}
    for field in obj._meta.get_fields():
        if field.many_to_many and not field.auto_created:
            pks = sorted(getattr(obj, field.name).values_list("pk", flat=True))
            values[str(field.verbose_name)] = ",".join(map(str, pks))
        elif field.concrete and field.editable and not field.primary_key:
            values[str(field.verbose_name)] = field.value_to_string(obj)
    return values


class LosesNoEdit(admin.ModelAdmin):
    """Saves that lose no edit, for any admin."""

    def snapshot(self, request, obj) -> dict[str, str]:
        state = field_values(obj)
        for inline in self.get_inline_instances(request, obj):
            fk = inline.get_formset(request, obj).fk
            rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")
            label = str(inline.model._meta.verbose_name_plural)
            state[label] = repr([(row.pk, field_values(row)) for row in rows])
        return state

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        if change and obj is not None:
            # Read again: after a refused save, `obj` holds the curator's input.
            stored = type(obj)._default_manager.get(pk=obj.pk)
            context[SNAPSHOT_FIELD] = self.signed_snapshot(request, stored)
        return super().render_change_form(request, context, add, change, **kwargs)

    def signed_snapshot(self, request, obj) -> str:
        return signing.dumps(
            self.snapshot(request, obj), compress=True, salt=SNAPSHOT_FIELD
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Every save of an existing record, from its form or its revert page, is
        # checked against the snapshot it carries; one without is refused.
        if obj is None or request.method != "POST":
            return form
        admin = self

        class FormThatLosesNoEdit(form):
            def clean(self):
                cleaned = super().clean()
                admin.refuse_if_changed_meanwhile(request, obj)
                return cleaned

        return FormThatLosesNoEdit

    def refuse_if_changed_meanwhile(self, request, obj) -> None:
        try:
            shown = signing.loads(
                request.POST.get(SNAPSHOT_FIELD, ""), salt=SNAPSHOT_FIELD
            )
        except signing.BadSignature:
            raise ValidationError(
                _("Formularen mangler sit udgangspunkt. Åbn siden igen, og gem igen.")
            ) from None
        # Locked until the save commits, so two saves cannot both pass this check.
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        now = self.snapshot(request, current)
        changed = [label for label in now if now[label] != shown.get(label)]
        if changed:
            raise ValidationError(
                _(
                    "%(name)s er blevet gemt af en anden, siden du åbnede siden. "
                    "Ændret imens: %(changed)s. Dine ændringer er ikke gemt: de står "
                    "stadig i formularen; sammenlign med de nye værdier, og gem igen."
                )
                % {"name": current, "changed": self.describe(changed, now)}
            )

    @staticmethod
    def describe(changed: list[str], now: dict[str, str]) -> str:
        parts = []
        for label in changed:
            value = now[label]
            if value.startswith("["):  # an inline's rows: name them only
                parts.append(label)
            else:
                shown = (
                    value
                    if len(value) <= SHOWN_CHARACTERS
                    else value[:SHOWN_CHARACTERS] + "…"
                )
                parts.append(
                    _("%(label)s (nu: «%(value)s»)") % {"label": label, "value": shown}
                )
        return "; ".join(parts)


class CatalogueAdmin(LosesNoEdit, CatalogueHistoryAdmin):
    """Every catalogue model's admin: history, and saves that lose no edit."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The revert page carries a snapshot of the record as it is now, so that a
        revert, too, is refused if someone saved the record after it was opened."""
        stored = get_object_or_404(self.model._default_manager, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            SNAPSHOT_FIELD: self.signed_snapshot(request, stored),
        }
        return super().history_form_view(request, object_id, version_id, extra_context)
