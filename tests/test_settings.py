import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from catalogue.settings import (
    caches_from_url,
    database_from_url,
    envbool,
    site_url_from,
)

PROJECT = Path(__file__).resolve().parents[1]


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


SITE = "https://katalog.example.dk"
DATABASE = {"HOST": "db", "PORT": "5432", "NAME": "katalog"}


def test_without_a_cache_url_the_processes_on_a_machine_share_a_file_cache(tmp_path):
    production = caches_from_url("", SITE, DATABASE, tmp_path)["default"]
    staging = caches_from_url("", SITE, {**DATABASE, "NAME": "staging"}, tmp_path)

    assert production["BACKEND"].endswith("FileBasedCache")
    assert Path(production["LOCATION"]).parent == tmp_path
    assert staging["default"]["LOCATION"] != production["LOCATION"]


def test_two_server_processes_count_one_clients_requests_together(tmp_path):
    count = (
        "from django.core.cache import cache; "
        "print(cache.get_or_set('requests', 0) + 1); "
        "cache.incr('requests')"
    )
    environment = {**os.environ, "CACHE_DIR": str(tmp_path), "SITE_URL": SITE}
    environment.pop("DATABASE_URL", None)

    for expected in ["1", "2", "3"]:
        shown = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", count],
            cwd=PROJECT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert shown == [expected]


@pytest.mark.parametrize(
    "url",
    ["redis://cache.internal:6379/0", "rediss://:hemmelig@cache:6380/1", "unix:///s"],
)
def test_a_cache_url_puts_the_cache_in_that_shared_redis(url):
    cache = caches_from_url(url, SITE, DATABASE, None)["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == url


def test_two_deployments_sharing_a_redis_keep_their_keys_apart():
    shared = "redis://cache:6379/0"
    production = caches_from_url(shared, SITE, DATABASE, None)
    staging = [
        caches_from_url(shared, SITE, {**DATABASE, "NAME": "staging"}, None),
        caches_from_url(shared, "https://staging.example.dk", DATABASE, None),
    ]

    for other in staging:
        assert other["default"]["KEY_PREFIX"] != production["default"]["KEY_PREFIX"]


@pytest.mark.parametrize("url", ["memcached://cache:11211", "cache:6379", "locmem://"])
def test_a_cache_url_that_is_not_redis_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured):
        caches_from_url(url, SITE, DATABASE, None)


@pytest.mark.parametrize(
    ("given", "site"),
    [
        ("https://katalog.example.dk", "https://katalog.example.dk"),
        ("https://Katalog.Example.dk/", "https://katalog.example.dk"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_the_sites_address_is_kept_as_scheme_and_host(given, site):
    assert site_url_from(given) == site


@pytest.mark.parametrize(
    "url",
    [
        "katalog.example.dk",
        "ftp://katalog.example.dk",
        "javascript://katalog.example.dk",
        "https://katalog.example.dk/katalog/",
        "https://katalog.example.dk/?side=2",
        "https://katalog.example.dk/#top",
        "https://kurator:hemmelig@katalog.example.dk",
        "https://katalog.example.dk:http",
        "https://katalog example.dk",
        "https://",
    ],
)
def test_a_sites_address_with_more_or_less_than_scheme_and_host_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured):
        site_url_from(url)
