"""django-simple-history's history and revert pages, in Danish and with whole values.

Its own strings are English and it shortens a changed value to 100 characters
("Rulle[31 chars]and"); a curator comparing two versions needs the whole text. The
templates are overridden in templates/simple_history/.
"""

from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

# Longer than any field a curator edits, so no changed value is shortened.
WHOLE_VALUES = 100_000


class WholeValues(HistoricalRecordContextHelper):
    """Changed values in full; an empty value shown empty, not as "None" or "[]",
    and related objects as a plain list."""

    def prepare_delta_change_value(self, change, value):
        # A cleared relation is empty, not "Deleted kildehenvisning (pk=None)".
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return ""
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return "" if value is None else value

    def get_obj_diff_display(self) -> ObjDiffDisplay:
        return ObjDiffDisplay(max_length=WHOLE_VALUES)


class CatalogueHistoryAdmin(SimpleHistoryAdmin):
    def history_view_title(self, request, obj) -> str:
        return _("Historik: %(name)s") % {"name": obj}

    def history_form_view_title(self, request, obj) -> str:
        return _("Tidligere version: %(name)s") % {"name": obj}

    def get_historical_record_context_helper(self, request, historical_record):
        return WholeValues(self.model, historical_record)
