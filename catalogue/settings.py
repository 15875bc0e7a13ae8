"""Settings for Lighedskataloget, configured by environment variables.

Without any environment the catalogue runs on SQLite in debug mode, so that a checkout,
an install and `runserver` just work. The README lists every variable.
"""

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from catalogue.deployment import deployment_name

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        message = f"{name} must be a whole number, not {value!r}"
        raise ImproperlyConfigured(message) from None


def envlist(name: str, default: str) -> list[str]:
    return [
        item.strip() for item in os.getenv(name, default).split(",") if item.strip()
    ]


def site_url_from(url: str) -> str:
    """The site's address, https://host or https://host:port, without a slash."""
    parts = urlsplit(url)
    try:
        valid = (
            parts.scheme in ("http", "https")
            and re.fullmatch(
                r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]+", parts.hostname or ""
            )
            and (parts.port is None or 0 < parts.port)
            and parts.username is None
            and parts.path in ("", "/")
            and not url.endswith(("?", "#"))
            and not parts.query
            and not parts.fragment
        )
    except ValueError:  # a port that is no number or out of range
        valid = False
    if not valid:
        raise ImproperlyConfigured(
            "SITE_URL must be http:// or https:// and a host, with a port at most "
            f"(e.g. https://katalog.example.dk): {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def database_from_url(url: str) -> dict:
    """Turn sqlite:///path or postgres://user:password@host:port/name into DATABASES."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parts.path[1:]}
    if parts.scheme in ("postgres", "postgresql"):
        if not parts.path[1:]:
            raise ImproperlyConfigured(f"DATABASE_URL names no database: {url!r}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path[1:]),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must be sqlite:// or postgres://: {url!r}"
    )


def caches_from_url(url: str, site: str, database: dict, directory: Path) -> dict:
    """Django's cache, where the API's rate limit and the suggestions' limit count: one
    that every server process shares, so that two workers never count apart. Without
    CACHE_URL, files under `directory` on this machine; with it, one Redis server
    that every app server shares (redis://host:port/db, rediss:// with TLS,
    unix:///path/to/socket). Either way named by the site and the database, so that
    two deployments never count each other's requests."""
    prefix = "lighedskataloget-" + deployment_name(site, database)
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(directory / prefix),
                "KEY_PREFIX": prefix,
            }
        }
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"CACHE_URL must be redis://, rediss:// or unix://: {url!r}"
        )
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"
# The site's own address: every absolute link (feeds, sitemap, exports, the API, the
# pages' metadata) and every file and cache key is made from it, never from the Host a
# request names (initiatives/site.py).
SITE_URL = os.getenv("SITE_URL", "")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off")
    SITE_URL = "http://127.0.0.1:8000"
SITE_URL = site_url_from(SITE_URL)
ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS",
    "127.0.0.1,localhost,testserver" if DEBUG else urlsplit(SITE_URL).hostname,
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "corsheaders",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "initiatives",
]

MIDDLEWARE = [
    "initiatives.faults.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the public pages' caching, so that a 304 carries the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control and ETag of public pages, and the 304 that answers before the
    # rest; see initiatives/http_caching.py.
    "initiatives.http_caching.PublicCachingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After five failed admin logins for one username from one address, that pair is
# locked out for an hour; a successful login resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy: the client's address is
# taken from X-Forwarded-For, trusting as many proxies as configured (0: none, so the
# header is ignored); the API's rate limit counts the same address. After 20 failures
# from one address over any usernames, each username that fails there is locked at
# its first failure; curators there who have not failed still log in
# (initiatives/curation/login_limits.py).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "initiatives.curation.login_limits.client_address"
AXES_HANDLER = "initiatives.curation.login_limits.AddressLimitingHandler"
AXES_ADDRESS_FAILURE_LIMIT = 20

# Errors leave a trace: every django.request error with its traceback, and every line
# with the request's id, goes to stderr, where gunicorn or systemd keeps it. ADMINS
# (comma-separated e-mail addresses) also get the errors by mail, if set. What is
# expected (the database away, a host that is not allowed) is one WARNING line.
ADMINS = [(address, address) for address in envlist("ADMINS", "")]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "initiatives.faults.RequestIdFilter"},
        "expected": {"()": "initiatives.faults.ExpectedConditions"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["stderr"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {
            "handlers": ["stderr", "mail_admins"],
            "level": "ERROR",
            "filters": ["expected"],
            "propagate": False,
        },
        "django.security.DisallowedHost": {"filters": ["expected"]},
        # A task that fails in the worker is an error like a request's.
        "django_tasks": {"handlers": ["mail_admins"]},
    },
}

# Visitors' suggestions (initiatives/suggestions/): at most this many an hour from one
# address, counted in the default cache (shared by every server process); the
# form must have been open this many seconds; who is mailed of each new one (optional).
SUGGESTIONS_PER_HOUR = envint("SUGGESTIONS_PER_HOUR", "5")
SUGGESTION_MIN_SECONDS = envint("SUGGESTION_MIN_SECONDS", "5")
SUGGESTIONS_NOTIFY = envlist("SUGGESTIONS_NOTIFY", "")

ROOT_URLCONF = "catalogue.urls"
WSGI_APPLICATION = "catalogue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "initiatives.site.site_url",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
CACHES = caches_from_url(
    os.getenv("CACHE_URL", ""),
    SITE_URL,
    DATABASES["default"],
    Path(os.getenv("CACHE_DIR") or BASE_DIR / "cache"),
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Work that must not hold a request (the tasks of initiatives/opendata/built_files.py
# and initiatives/search/stale.py): without DEBUG it waits in the database for the
# task worker, `manage.py db_worker`, a service beside the
# web processes; with DEBUG it runs at once, in the process that asks for it.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Without DEBUG the site assumes HTTPS behind a reverse proxy; the README's
# "Running in production" section lists what to set.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
# To the site's own host and port, not to whatever Host the request named.
SECURE_SSL_HOST = urlsplit(SITE_URL).netloc if SITE_URL.startswith("https:") else None
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", str(not DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
if envbool("BEHIND_HTTPS_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Pages run no inline script and load nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Where the task worker keeps the files built once per catalogue version for the
# downloads (initiatives/opendata/built_files.py), in a folder per site and database;
# the web processes read them there.
BUILT_FILES_DIR = Path(os.getenv("BUILT_FILES_DIR") or BASE_DIR / "built_files")

# The open data: any site may read the API and the data package (they are public), with
# no cookies; nothing else is shared across origins.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api|data)/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# The read-only API (initiatives/api/): no authentication, so a curator's session is
# no different from anyone's (no drafts, no unsafe methods); JSON only, so a cached
# answer is the same whatever the client asks for.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "COERCE_DECIMAL_TO_STRING": False,  # a result's figure is a JSON number
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Per client address, as TRUSTED_PROXY_COUNT finds it
    # (initiatives/curation/login_limits.py).
    "DEFAULT_THROTTLE_CLASSES": ["initiatives.api.throttling.PerAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests to the API per address and server process, e.g. "120/minute" or "5/second";
# more are answered 429 with Retry-After. Counted in the default cache.
API_RATE_LIMIT = os.getenv("API_RATE_LIMIT", "120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Lighedskataloget API",
    "DESCRIPTION": (
        "Katalogets offentliggjorte indsatser og deres kilder, kun til læsning. "
        "Filtrene er de samme som på /initiativer/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package, served by whitenoise.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "initiatives.models.OrganisationKind",
        "OutcomeKindEnum": "initiatives.models.OutcomeKind",
        "SourceKindEnum": "initiatives.models.SourceDocumentKind",
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
