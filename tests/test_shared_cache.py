"""App servers that share one Redis (CACHE_URL) count the API's rate limit together.
Debian's redis-server runs here on a socket of its own (tests/run installs it)."""

import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.test import Client

from catalogue.settings import caches_from_url

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis_socket(tmp_path_factory) -> str:
    socket = tmp_path_factory.mktemp("redis") / "redis.sock"
    server = subprocess.Popen(
        ["/usr/bin/redis-server", "--port", "0", "--unixsocket", str(socket)]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if Path(socket).exists():
            break
        time.sleep(0.05)
    yield str(socket)
    server.terminate()
    server.wait()


@pytest.fixture
def shared_cache(settings, redis_socket) -> redis.Redis:
    settings.CACHES = caches_from_url(
        f"unix://{redis_socket}",
        settings.SITE_URL,
        settings.DATABASES["default"],
        directory=None,
    )
    server = redis.Redis(unix_socket_path=redis_socket)
    server.flushall()
    return server


def test_the_api_rate_limit_counts_in_the_shared_cache(shared_cache, settings):
    Client().get("/api/v1/kategorier/?side=1")

    assert shared_cache.keys("lighedskataloget-*")
