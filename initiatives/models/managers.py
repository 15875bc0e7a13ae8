"""Managers the catalogue's models share, and finding by natural key while loading."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_found_while_loading: ContextVar[dict | None] = ContextVar(
    "found_while_loading", default=None
)


@contextmanager
def natural_keys_found_once():
    """While fixtures load, each object named by natural key is looked up once: the
    catalogue names an initiative, a report or a category in dozens of places, and
    loaddata asks the database at every mention (a third of a load's time). Only
    objects that exist are kept, so one the load adds is found once it is there."""
    token = _found_while_loading.set({})
    try:
        yield
    finally:
        _found_while_loading.reset(token)


def found_once_while_loading(get_by_natural_key):
    @functools.wraps(get_by_natural_key)
    def get(manager, *key):
        found = _found_while_loading.get()
        if found is None:
            return get_by_natural_key(manager, *key)
        if (manager.model, key) not in found:
            found[manager.model, key] = get_by_natural_key(manager, *key)
        return found[manager.model, key]

    return get


class SlugManager(models.Manager):
    @found_once_while_loading
    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class InitiativePartManager(models.Manager):
    """Parts of an initiative are found by the initiative's slug and their own key."""

    @found_once_while_loading
    def get_by_natural_key(self, initiative_slug: str, *key):
        return self.get(
            initiative__slug=initiative_slug,
            **dict(zip(self.model.key_fields, key, strict=True)),
        )
