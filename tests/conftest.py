import io
import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, settings

from initiatives.catalogue_fixtures import FIXTURES_DIR
from initiatives.curation.roles import curator_group
from initiatives.listing import count_index
from initiatives.models import (
    CatalogueVersion,
    Category,
    Initiative,
    Organisation,
    SourceDocument,
    SourceReference,
    TargetGroup,
)

# Generated examples: a quick run while developing, the full one in `tests/run` (CI).
for name, examples in [("dev", 50), ("ci", 1000)]:
    settings.register_profile(
        name,
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
        ],
    )
settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "dev"))

# One of every kind of public page, with real fixture content.
PUBLIC_PAGES = [
    "/",
    "/initiativer/",
    "/initiativer/?kategori=tilfoert-ressource&q=navigator",
    "/initiativer/sammen-om-min-vej/",
    "/initiativer/eksport/",
    "/organisationer/",
    "/organisationer/kraeftens-bekaempelse/",
    "/maalgrupper/",
    "/maalgrupper/hjemloese/",
    "/kategorier/",
    "/kategorier/dialogstoette/",
    "/kilder/",
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/",
    "/om/evidens/",
    "/om/privatliv/",
    "/data/",
    "/licens/",
    "/kilder/prisindstillinger-2024/tekst/",
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/linje-1188-1197/",
]


def all_listed(client, query: str, attribute: str = "slug") -> list:
    """An attribute of every initiative the list shows for `query`, page by page."""
    first = client.get(f"/initiativer/?{query}")
    values = []
    for number in first.context["paginator"].page_range:
        page = client.get(f"/initiativer/?{query}&side={number}")
        values += [getattr(i, attribute) for i in page.context["object_list"]]
    return values


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the whole catalogue, loaded as a user would."""
    with django_db_blocker.unblock():
        call_command("load_catalogue", verbosity=0)


@pytest.fixture(scope="session")
def catalogue_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The loaded catalogue as `backup_catalogue` writes it, written once: the tests
    that read or restore a backup of it would each spend seconds writing the same
    file. Natural keys only, so it does not depend on the rows' ids."""
    backup = tmp_path_factory.mktemp("backup") / "katalog.json"
    with django_db_blocker.unblock():
        call_command("backup_catalogue", str(backup), verbosity=0)
    return backup


@pytest.fixture
def catalogue_in_transactional_db(transactional_db):
    """The catalogue for a test that commits: such tests run last and each empties
    the database when it ends, so one that needs the catalogue loads it again."""
    if not Category.objects.exists():
        call_command("load_catalogue", verbosity=0)


@pytest.fixture
def records_loaded_already(monkeypatch):
    """For a test of what `load_catalogue` does beside loading the records (the
    reports' texts, the translations, its one transaction): the records are in the
    database already, so the command loads only the reports' list again, not the
    2,000 objects it would spend seconds on."""
    monkeypatch.setattr(
        "initiatives.management.commands.load_catalogue.catalogue_fixture_paths",
        lambda: [FIXTURES_DIR / "documents.yaml"],
    )


@pytest.fixture
def curator(client) -> User:
    user = User.objects.create_user(
        "kurator", password="Lang-nok-adgangskode-1", is_staff=True
    )
    user.groups.add(curator_group())
    client.force_login(user)
    return user


def opened_at(client, url: str) -> dict:
    """The snapshot a change or revert form carries from when it was opened, which
    every save of an existing record posts back (initiatives/curation/edits.py)."""
    return {"edit_snapshot": client.get(url).context["edit_snapshot"]}


def empty_inlines() -> dict:
    data = {}
    for prefix in ["references", "category_assignments", "involvements", "outcomes"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


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


def make_full_initiatives(count: int, prefix: str = "ekstra") -> list[Initiative]:
    """Published initiatives with every kind of relation a list or page shows."""
    from initiatives.models import CategoryAssignment, Outcome, Region

    category = Category.objects.get(slug="koordinator-og-navigatorprojekter")
    groups = list(TargetGroup.objects.all()[:2])
    region = Region.objects.get(slug="hovedstaden")
    organisation = make_organisation(
        name=f"{prefix} organisation", slug=f"{prefix}-org"
    )
    initiatives = []
    for number in range(count):
        initiative = make_initiative(
            name=f"{prefix} indsats {number}",
            slug=f"{prefix}-{number}",
            start_year=2015,
        )
        initiative.target_groups.set(groups)
        initiative.regions.set([region])
        reference = make_reference(initiative)
        CategoryAssignment.objects.create(
            initiative=initiative,
            category=category,
            basis=CategoryAssignment.Basis.STATED,
            reference=reference,
        )
        initiative.involvements.create(organisation=organisation, role="ansvarlig")
        Outcome.objects.create(
            initiative=initiative,
            reference=reference,
            position=1,
            text="10 borgere",
            figure=10,
            unit="borgere",
            kind="kvantitativ",
        )
        initiatives.append(initiative)
    return initiatives


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Password hashing is slow on purpose; tests log in and fail logins often."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def index_of_the_loaded_catalogue(
    django_db_setup, django_db_blocker
) -> count_index.CountIndex:
    with django_db_blocker.unblock():
        return count_index.build()


@pytest.fixture(autouse=True)
def a_catalogue_version_of_its_own(request, empty_cache):
    """Each test rolls its database back, and with it the catalogue version: a test
    that wrote without bumping it would otherwise leave a count index for that
    version, built from rows that are gone, to a later test.

    A test that begins with the catalogue as loaded finds the index of it in the
    shared cache under its new version, as a server process finds one another
    built, rather than each test's building it again."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            break
    else:
        if not request.node.get_closest_marker("django_db"):
            return
    loaded = request.getfixturevalue("index_of_the_loaded_catalogue")
    as_loaded = CatalogueVersion.current_stamp() == loaded.stamp
    CatalogueVersion.bump()
    if as_loaded:
        stamp, shared_stamp = CatalogueVersion.current_stamps()
        as_now = replace(loaded, stamp=stamp, shared_stamp=shared_stamp)
        count_index.share(as_now, stamp)


@pytest.fixture(autouse=True, scope="session")
def cache_of_this_test_run(tmp_path_factory):
    """The shared file cache, in a folder of this run (and of this worker), for the
    tests and for the servers they start, rather than the project's cache/."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["CACHE_DIR"] = str(folder)
    location = Path(django_settings.CACHES["default"]["LOCATION"])
    override = override_settings(
        CACHES={
            "default": {
                **django_settings.CACHES["default"],
                "LOCATION": str(folder / location.name),
            }
        }
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def empty_cache():
    """Nor may the API's rate limit count an earlier test's requests."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def danish_until_a_request_says_otherwise():
    """A request under /en/ leaves English active in the thread that served it (the
    test's own), so a later test's reverse() and templates would be English."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def site_on_the_test_clients_host(settings):
    """The site's address is the host the test client names by default, so that
    links read as in production; tests/test_behind_proxy.py sets others."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def built_files_dir(settings, tmp_path):
    """The files built once per catalogue version (the data package and the whole
    catalogue's CSV export) in a folder of each test's own."""
    settings.BUILT_FILES_DIR = tmp_path / "built"


@pytest.fixture
def task_worker(settings, catalogue_in_transactional_db):
    """Tasks wait in the database, as in production, until the test runs the task
    worker over them: `manage.py db_worker --batch`, which stops when none is left.
    The test commits, as a request does, and the worker takes the tasks its commits
    enqueued (and handles its database connection) as it does in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker takes over the stop signals, for a clean stop between tasks.
    stops = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {stop: signal.getsignal(stop) for stop in stops}

    def run() -> None:
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            stdout=io.StringIO(),
        )

    yield run
    for stop, handler in handlers.items():
        signal.signal(stop, handler)


def pytest_addoption(parser):
    parser.addoption(
        "--one-case-each",
        action="store_true",
        help="Run each test function once, with its first parameters: the smoke "
        "pass of tests/run, whose every case the PostgreSQL pass runs.",
    )


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL's own behaviour run in the PostgreSQL pass of tests/run;
    on SQLite they are deselected, and say so, rather than skipped. With
    `--one-case-each`, so are all but the first case of a parametrized test."""
    kept = items
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        kept = [item for item in kept if not item.get_closest_marker("postgresql")]
    if config.getoption("one_case_each"):
        kept = first_case_of_each(kept)
    if len(kept) < len(items):
        chosen = set(kept)
        config.hook.pytest_deselected(
            items=[item for item in items if item not in chosen]
        )
        items[:] = kept


def first_case_of_each(items: list) -> list:
    """The case whose parameters come first in each list a test is parametrized
    over, whatever order the items are in (pytest-randomly shuffles them)."""
    first = {}
    for item in items:
        function = (item.path, getattr(item, "originalname", item.name))
        callspec = getattr(item, "callspec", None)
        rank = tuple(callspec.indices.values()) if callspec else ()
        if function not in first or rank < first[function][0]:
            first[function] = (rank, item)
    chosen = {item for _, item in first.values()}
    return [item for item in items if item in chosen]


def pytest_collection_finish(session):
    """Under `--dist loadgroup` (tests/run) each group's tests go to one worker, which
    starts the group's server once; a pytest-xdist that stops grouping (as 3.8 does
    under pytest 9.2) would start it on both, and nothing else would say so."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    ungrouped = [
        item.nodeid
        for item in session.items
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid
    ]
    if ungrouped:
        raise pytest.UsageError(f"--dist loadgroup did not group {ungrouped[0]}")
