import pytest
from django.core.management import call_command

from initiatives.models import (
    Category,
    Initiative,
    Organisation,
    SourceDocument,
    SourceReference,
    TargetGroup,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the whole catalogue, loaded as a user would."""
    with django_db_blocker.unblock():
        call_command("load_catalogue", verbosity=0)


def make_initiative(**kwargs) -> Initiative:
    fields = {
        "name": "Testindsats",
        "slug": "testindsats",
        "summary": "En indsats til tests.",
        "status": Initiative.Status.PUBLISHED,
    }
    fields.update(kwargs)
    return Initiative.objects.create(**fields)


def make_reference(initiative: Initiative, **kwargs) -> SourceReference:
    fields = {
        "document": SourceDocument.objects.get(code="004"),
        "locator": "Bilag 2",
        "line_start": 1,
        "line_end": 2,
    }
    fields.update(kwargs)
    return SourceReference.objects.create(initiative=initiative, **fields)


def make_organisation(**kwargs) -> Organisation:
    fields = {"name": "Testorganisation", "slug": "testorganisation", "kind": "andet"}
    fields.update(kwargs)
    return Organisation.objects.create(**fields)


@pytest.fixture
def category_tree() -> dict[str, Category]:
    return {category.slug: category for category in Category.objects.all()}


@pytest.fixture
def target_group() -> TargetGroup:
    return TargetGroup.objects.get(slug="hjemloese")
