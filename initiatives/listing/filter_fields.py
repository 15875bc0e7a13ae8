"""Form fields for the list's filters that refuse malformed input before the database
ever sees it: a URL is typed by anyone."""

import re

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_CHOICES_PER_FILTER = 20
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class BoundedSlugChoiceField(django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        values = [v for v in value or [] if v != ""]
        if len(values) > MAX_CHOICES_PER_FILTER:
            raise ValidationError(
                _("Vælg højst %(max)d værdier."), params={"max": MAX_CHOICES_PER_FILTER}
            )
        if any(not isinstance(v, str) or not SLUG.match(v) for v in values):
            raise ValidationError(_("Ukendt værdi."))
        return super().clean(values)


class BoundedChoiceField(django_filters.fields.MultipleChoiceField):
    def clean(self, value):
        if value and len(value) > MAX_CHOICES_PER_FILTER:
            raise ValidationError(_("Ukendt værdi."))
        return super().clean(value)
