"""The curators' role: the group that may keep the catalogue's content, and no more."""

from django.contrib.auth.models import Group, Permission

CURATOR_GROUP = "Kurator"


def curator_group() -> Group:
    """The Kurator group with every permission on the catalogue's own models.

    It holds no permission on users or groups, so curators cannot manage accounts, nor
    on the change history, the catalogue version and the marks of changed
    initiatives, which only the code writes (the history pages go by the permissions
    on the record itself).
    """
    group, _created = Group.objects.get_or_create(name=CURATOR_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="initiatives")
        .exclude(content_type__model__startswith="historical")
        .exclude(content_type__model__in=["catalogueversion", "initiativechange"])
    )
    return group


def keep_curators_up_to_date(sender, **kwargs) -> None:
    """After every migrate, an existing Kurator group gets the permissions of any
    model added since (post_migrate, after Django has made their permissions)."""
    if Group.objects.filter(name=CURATOR_GROUP).exists():
        curator_group()
