"""A real catalogue server for the browser tests, on its own database.

The browser talks to a separate process, so it gets a database of its own (a file on
SQLite, a fresh database on the PostgreSQL server the other tests use), migrated and
loaded with the whole catalogue exactly as a newcomer's first run does.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

PROJECT = Path(__file__).resolve().parents[2]
CURATOR = ("kurator", "Lighed-i-sundhed-2026")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def own_database(tmp_dir: Path):
    url = os.getenv("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_dir / 'browser.sqlite3'}"
        return
    parts = urlsplit(url)
    # One per server: a pytest process (one per xdist worker) may run two at once.
    name = f"browser_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True
    )


class CatalogueServer(str):
    """The server's base URL, which can also run code against the server's database."""

    environment: dict

    def run_python(self, code: str) -> None:
        manage(self.environment, "shell", "-v0", "-c", code)


@contextmanager
def catalogue_server(tmp_dir: Path):
    with own_database(tmp_dir) as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "true",
            # The suggestion tests wait out the form's minimum time, and send more
            # than one address may in an hour.
            "SUGGESTION_MIN_SECONDS": "1",
            "SUGGESTIONS_PER_HOUR": "100",
        }
        manage(env, "migrate", "-v0")
        manage(env, "load_catalogue", "-v0")
        manage(env, "create_curator", CURATOR[0], "--password", CURATOR[1])
        with serving(env) as url:
            yield url


@contextmanager
def production_server(server: CatalogueServer, tmp_dir: Path):
    """The same catalogue served as in production (DEBUG off, static files
    collected and served by WhiteNoise), but over plain HTTP on the loopback."""
    env = {
        **server.environment,
        "DEBUG": "false",
        "SECRET_KEY": "browser-tests-only-" + "x" * 40,
        "STATIC_ROOT": str(tmp_dir / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
    }
    manage(env, "collectstatic", "--noinput", "-v0")
    with serving(env) as url:
        yield url


@contextmanager
def serving(env: dict):
    port = free_port()
    env = {**env, "SITE_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the catalogue server did not start") from None
                time.sleep(0.2)
        url = CatalogueServer(f"http://127.0.0.1:{port}")
        url.environment = env
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
