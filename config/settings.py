"""mutu settings: everything that differs between machines comes from the environment (.env)."""

import os
from pathlib import Path
from typing import Any

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (see .env.example)"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "import_export",
    "django_tasks_db",
    "drf_spectacular",
    "mutu.core",
    "mutu.organisations",
    "mutu.surveys",
    "mutu.reports",
    "mutu.api",
    "mutu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mutu.core.middleware.ExplicitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mutu.core.sessions.SlidingSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mutu.organisations.middleware.PemdaTimezoneMiddleware",
    "mutu.core.middleware.EmptyAdminToFieldMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by authenticate() into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutu.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite (WAL) by default so that `make run` needs nothing; PostgreSQL through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", default=None)}
else:
    # A "SELECT 1" before each request reuses a connection (or, with the pool, before lending
    # one): no failed request after a database restart, at the price of one round trip per
    # request (about 10 % of the public form's throughput). Off only where that trade is made
    # on purpose.
    DATABASES["default"].setdefault(
        "CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True)
    )

# --- PostgreSQL connection pool (issue 11, item 8) ----------------------------------------------
# Every gunicorn process has its own psycopg pool; a request borrows a connection and gives it
# back at its end. The pools together stay under PostgreSQL's max_connections: a thread that
# finds none free waits (up to DB_POOL_TIMEOUT seconds) instead of failing with "too many
# clients". Default size per process: the threads, capped by an equal share of
# DB_MAX_CONNECTIONS minus DB_RESERVED_CONNECTIONS (task worker, backups, psql, migrations)
# among the GUNICORN_WORKERS processes. README "Produksi" explains the sizing.
# DB_POOL=false returns to one persistent connection per thread (CONN_MAX_AGE), e.g. behind
# PgBouncer; Django refuses a pool with persistent connections.
GUNICORN_WORKERS = env.int("GUNICORN_WORKERS", default=os.cpu_count() or 1)
GUNICORN_THREADS = env.int("GUNICORN_THREADS", default=4)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    if env.bool("DB_POOL", default=True):
        _pool_share = env.int("DB_MAX_CONNECTIONS", default=100) - env.int(
            "DB_RESERVED_CONNECTIONS", default=10
        )
        _pool_max = env.int(
            "DB_POOL_MAX", default=max(1, min(GUNICORN_THREADS, _pool_share // GUNICORN_WORKERS))
        )
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(_pool_max, env.int("DB_POOL_MIN", default=1)),
            "max_size": _pool_max,
            "timeout": env.float("DB_POOL_TIMEOUT", default=30),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://mutu")}
# Several installations (or test stacks) can share one Redis database with distinct prefixes.
CACHES["default"].setdefault("KEY_PREFIX", env("CACHE_KEY_PREFIX", default=""))


def _ratelimit_cache() -> dict[str, Any]:
    """Rate-limit counters and spent proofs-of-work apart from page caches, so that junk GETs
    filling the page cache cannot evict them (issue 11). RATELIMIT_CACHE_URL gives them their
    own Redis database or server; by default they share CACHE_URL's backend under their own key
    prefix (and their own store when that backend is the per-process memory)."""
    if env("RATELIMIT_CACHE_URL", default=""):
        config: dict[str, Any] = env.cache("RATELIMIT_CACHE_URL")
        config.setdefault("KEY_PREFIX", env("CACHE_KEY_PREFIX", default=""))
    else:
        config = dict(CACHES["default"])
        config["KEY_PREFIX"] = "-".join(filter(None, [config.get("KEY_PREFIX"), "rl"]))
        if config["BACKEND"].endswith("LocMemCache"):
            config["LOCATION"] = f"{config.get('LOCATION', '')}-ratelimit"
            config["OPTIONS"] = {**config.get("OPTIONS", {}), "MAX_ENTRIES": 10_000}
    return config


CACHES["ratelimit"] = _ratelimit_cache()
# Django's Redis backend builds a client object per operation; ours keeps one per pool
# (mutu/core/redis_cache.py: a submission's ten cache operations cost half its CPU otherwise).
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache["BACKEND"] = "mutu.core.redis_cache.ReusedClientRedisCache"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: lock an account+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per account whatever the case the email was typed in.
AXES_USERNAME_CALLABLE = "mutu.core.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind nginx, REMOTE_ADDR is the proxy: set CLIENT_IP_META=HTTP_X_REAL_IP there.
CLIENT_IP_META = env("CLIENT_IP_META", default="REMOTE_ADDR")
# Axes counts failures against the same client address as the rate limiter (issue 11, item 2).
# Without this it reads REMOTE_ADDR (its ipware settings need django-ipware): behind nginx every
# failure counted against the proxy, and five wrong passwords locked an account everywhere.
AXES_CLIENT_IP_CALLABLE = "mutu.core.auth.axes_client_ip"

# Rate limits for public and auth endpoints: (requests, seconds) per client IP.
RATELIMITS = {
    "login": (env.int("RATELIMIT_LOGIN", default=20), 300),
    "password_reset": (env.int("RATELIMIT_PASSWORD_RESET", default=5), 3600),
    # Public survey, accepted answers per address: past this a response is still stored, only
    # flagged; 10x this through one link is refused (mutu.core.intake.admission).
    "survey": (env.int("RATELIMIT_SURVEY", default=30), 600),
    # Refused public submissions (unknown link, malformed, invalid) per address: past this only
    # more of them get 429, never a valid answer from the same address.
    "survey_junk": (env.int("RATELIMIT_SURVEY_JUNK", default=300), 600),
    # One kiosk tablet (per address it sends from): answers past this in one minute are stored
    # flagged "rate". Nine unsur, consent and the profile take a person at least half a
    # minute on a touch screen, so two a minute is already a fast queue; a fourth within the
    # same minute is faster than people answer (a script, or a leaked kiosk address). Counted
    # by the minute the citizen answered, so a queue sent at once after an outage is not.
    "kiosk": (env.int("RATELIMIT_KIOSK", default=3), 60),
}

# Email (Django 6.1 MAILERS): console by default; SMTP when EMAIL_HOST is set.
if env("EMAIL_HOST", default=""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env.int("EMAIL_PORT", default=587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="mutu <noreply@localhost>")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
FORMAT_MODULE_PATH = ["mutu.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

# Private files (reports, every staff upload): outside MEDIA_ROOT, random names, served only by
# core.views.private_file after a permission check (decision 0006). With
# PRIVATE_MEDIA_ACCEL_PREFIX set (e.g. "/_private/"), the view answers with X-Accel-Redirect to
# that prefix and nginx sends the file from an `internal` location aliased to PRIVATE_MEDIA_ROOT;
# empty, Django streams the file itself (development).
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private"))
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
STORAGES["private"] = {"BACKEND": "mutu.core.files.PrivateFileSystemStorage"}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Imports run in the background (`manage.py db_worker`): the upload is checked in the request
# (size, type, columns, rows counted while streaming, at most IMPORT_MAX_ROWS), kept in a private
# folder outside MEDIA_ROOT until the worker has read it, and written IMPORT_BATCH_ROWS rows per
# transaction, so a writer never holds SQLite's write lock for long.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
IMPORT_BATCH_ROWS = env.int("IMPORT_BATCH_ROWS", default=500)
IMPORT_UPLOAD_DIR = env("IMPORT_UPLOAD_DIR", default=str(Path(PRIVATE_MEDIA_ROOT) / "imports"))

# Content Security Policy (Django 6 built-in): no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Secure cookies and HTTPS unless running in DEBUG (production sits behind TLS).
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None

# --- Production defaults (issue 11, item 16) ----------------------------------------------------
# HSTS for one year once HTTPS is on. Sub-domains too: mutu runs on its own host name
# (mutu.<pemda>.go.id), so this covers only names below it. No preload by default: the preload
# list takes registrable domains (the Pemda's, not mutu's), and leaving it is slow; a Pemda that
# wants it sets SECURE_HSTS_PRELOAD=true.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# nginx redirects port 80 already; Django redirects what reaches it over plain HTTP too, except
# the health check that systemd or a load balancer calls on gunicorn directly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Staff sessions end after a working day without activity: a signed-in user's requests push
# the end 9 hours (a working day with its breaks) further, so a day's work is never
# interrupted and a screen left open overnight is signed out. mutu.core.sessions writes the
# session at most every 15 minutes for that, instead of on every request
# (SESSION_SAVE_EVERY_REQUEST would cost three queries per signed-in request).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=9 * 3600)
SESSION_REFRESH_SECONDS = 15 * 60
# The preload check (security.W021) is silenced only when not preloading is the choice above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# The JSON API (/api/). JSON only: no browsable HTML pages. The defaults suit staff endpoints
# (signed-in session, CSRF); the public JSON endpoints opt out of authentication explicitly
# (mutu.core.intake.json_intake.PublicJsonView). "rest_framework" stays out of INSTALLED_APPS
# on purpose: it would only add the browsable API's templates and its own translations, which
# replace Django's Indonesian form messages ("Bidang ini tidak boleh kosong." became "... harus
# diisi.").
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mutu.core.intake.errors.json_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mutu API",
    "DESCRIPTION": (
        "API publik kuesioner SKM untuk aplikasi dan tampilan lain. Tanpa sesi dan tanpa "
        "CSRF; token tautan survei di alamat. Galat selalu {error, code, fields}. Teks dalam "
        "Bahasa Indonesia, atau bahasa Inggris dengan ?lang=en."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

MUTU_DEMO = env.bool("MUTU_DEMO", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
MUTU_SITE_NAME = env("MUTU_SITE_NAME", default="mutu")
USE_THOUSAND_SEPARATOR = True
OTP_TOTP_ISSUER = MUTU_SITE_NAME
