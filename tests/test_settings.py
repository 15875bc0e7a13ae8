import pytest
from django.core.exceptions import ImproperlyConfigured

from catalogue.settings import database_from_url, envbool


def test_postgres_url_becomes_a_postgresql_database():
    database = database_from_url(
        "postgres://kurator:hemmelig%21@127.0.0.1:5433/katalog"
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "katalog"
    assert database["USER"] == "kurator"
    assert database["PASSWORD"] == "hemmelig!"
    assert (database["HOST"], database["PORT"]) == ("127.0.0.1", "5433")


def test_sqlite_url_names_the_file():
    assert database_from_url("sqlite:////tmp/katalog.db")["NAME"] == "/tmp/katalog.db"


@pytest.mark.parametrize(
    "url", ["mysql://x@y/z", "postgres://127.0.0.1:5432/", "katalog"]
)
def test_unknown_or_incomplete_database_urls_fail_loudly(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_a_boolean_setting_refuses_a_value_it_does_not_understand(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")

    with pytest.raises(ImproperlyConfigured):
        envbool("DEBUG", "true")


def test_tests_run_on_the_database_the_environment_names(settings, monkeypatch):
    """The PostgreSQL run of tests/run must not silently fall back to SQLite."""
    import os

    wanted = (
        "postgresql"
        if os.getenv("DATABASE_URL", "").startswith("postgres")
        else "sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith(wanted)
