"""Managers the catalogue's models share."""

from django.db import models


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class InitiativePartManager(models.Manager):
    """Parts of an initiative are found by the initiative's slug and their own key."""

    def get_by_natural_key(self, initiative_slug: str, *key):
        return self.get(
            initiative__slug=initiative_slug,
            **dict(zip(self.model.key_fields, key, strict=True)),
        )
