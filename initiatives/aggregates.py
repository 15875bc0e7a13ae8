"""Joining a group's texts into one string, on either database."""

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import Aggregate, CharField, TextField, Value
from django.db.models.functions import Cast


class GroupConcat(Aggregate):
    """SQLite's group_concat: Django 5.2's StringAgg is PostgreSQL's only."""

    function = "GROUP_CONCAT"
    output_field = TextField()


def joined_text(expression, separator: str) -> Aggregate:
    """The group's texts in one string, separated by `separator`."""
    if connection.vendor == "postgresql":
        return StringAgg(expression, separator)
    return GroupConcat(expression, Value(separator))


def joined_numbers(field: str) -> Aggregate:
    """The group's numbers (ids) as one comma-separated text: a large group comes
    as one value rather than a row each."""
    return joined_text(Cast(field, CharField()), ",")
