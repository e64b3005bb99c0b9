"""Settings shared by every environment. Configuration comes from environment variables."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.apps.ProjectStaticFilesConfig",  # django.contrib.staticfiles, without Sass sources
    "django.forms",
    "django_htmx",
    "authorities",
    "indicators",
    "reports",
]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.security.RejectNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Both know who is signed in, for which pages are private and for the 413 page; nothing
    # above reads a request's body, so a body over the limit is refused unread.
    "config.security.PrivatePagesMiddleware",
    "config.security.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

FORM_RENDERER = "authorities.toolkit.govuk.GovukFormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "reports.context_processors.service",
                "authorities.accounts.context_processors.access",
                "reports.watchlist.context_processors.watchlist",
            ],
        },
    },
]

# How long a write to SQLite waits for another writer to finish, in seconds, before it fails.
SQLITE_BUSY_TIMEOUT = 20


def database(url: str) -> dict[str, Any]:
    """The database DATABASE_URL names. SQLite writers queue: each transaction takes the write
    lock when it begins (``BEGIN IMMEDIATE``) and waits up to SQLITE_BUSY_TIMEOUT for it. In
    SQLite's default (deferred) mode two transactions that both read then write deadlock, and one
    fails at once with "database is locked" however long the timeout."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")))
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            **config.get("OPTIONS", {}),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler is for long analytic queries: on this site's short page
        # queries over-estimated costs switch it on, and compiling took 0.55 s of a 0.8 s query
        # (the authority page's latest and previous figures, at national scale).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASES = {"default": database(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# WhiteNoise serves static files in every environment. Outside production it reads them where
# they are (no collectstatic, so no "No directory at: staticfiles/" warning); production serves
# the hashed, compressed copies collectstatic makes (config.settings.production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# --- security: headers, sessions, sign-in -----------------------------------------------------
# The same Content Security Policy everywhere (development and tests too, so a page that would
# break under it fails early). No inline scripts or styles anywhere: figures travel as JSON,
# scripts are static files, and plotly.js's own CSS is a static stylesheet
# (static/css/plotly.css, linked with the id plotly.js looks for) instead of a <style> it injects.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A session lasts a working day at most, and ends when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in with a name is refused, for the rest of the window, after this many failures.
SIGN_IN_FAILURE_LIMIT = 5  # for one name from one address
SIGN_IN_USERNAME_FAILURE_LIMIT = 20  # for one name from any addresses
# Sign-in from an address (an IPv6 /64) is refused, whatever the name, after this many failures:
# each failure costs a password hash, even for a name no account has.
SIGN_IN_ADDRESS_FAILURE_LIMIT = 50
SIGN_IN_FAILURE_WINDOW = 15 * 60
# How many proxies in front of the service append to X-Forwarded-For (0: use REMOTE_ADDR). The
# address that many hops from the right is the client's, for sign-in limits and the audit log.
TRUSTED_PROXIES = int(env("DJANGO_TRUSTED_PROXIES", "0"))

# --- limits: what one request may make the service do ----------------------------------------
# Every limit on what a request may send, in one place (README, "Security"). A body larger than
# REQUEST_BODY_LIMIT is refused with 413 before it is read (config.security), except at the
# upload endpoints (marked with config.security.accepts_uploads), which take up to
# UPLOAD_REQUEST_BODY_LIMIT. Django's own limits match, so nothing is written to disk.
MB = 1024 * 1024
REQUEST_BODY_LIMIT = int(2.5 * MB)  # a return form with every note full is well under this
UPLOAD_REQUEST_BODY_LIMIT = 10 * MB  # above the file limit, so a big file gets the form's message
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_LIMIT
FILE_UPLOAD_MAX_MEMORY_SIZE = (
    UPLOAD_REQUEST_BODY_LIMIT  # an upload is read in memory, never to disk
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# Pages under these paths may show unpublished or personal data, signed in or not (the sign-in
# and password pages too): they, and every page a signed-in person sees, are sent with
# Cache-Control: private, no-store (config.security.PrivatePagesMiddleware).
PRIVATE_PATH_PREFIXES = ["/returns/", "/audit/", "/accounts/", "/admin/"]
# A monthly return file (indicators.returns.uploads): what it may hold, checked before and as it
# is read, so no file costs more than these allow. The template has 9 columns and one row an
# indicator.
RETURN_UPLOAD_LIMITS = {
    "file_bytes": 2 * MB,  # the file as sent
    "workbook_bytes": 10 * MB,  # an Excel workbook unpacked: every part inside the .xlsx
    "workbook_parts": 100,  # parts inside an .xlsx (the template has about 10)
    "compression_ratio": 100,  # a part larger than 1 MB unpacked, to its packed size
    "rows": 500,  # rows of figures, not counting the header or blank rows
    "columns": 50,
    "cells": 100_000,  # every cell read, blank or not
}

# --- shared state: nothing lives in one web process -------------------------------------------
# Sessions are in the database (Django's default). The cache (sign-in failure counts) is Redis
# when REDIS_URL is set; otherwise memory of this process, which is fine for one process in
# development. Production without Redis uses the database cache (config.settings.production).
REDIS_URL = env("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "trajectory",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"


# Password reset emails, through Django 6.1's MAILERS (which replaces EMAIL_BACKEND). The console
# backend prints them in development; Django's test set-up swaps in the locmem backend.
def mailers(default_backend: str) -> dict[str, dict]:
    """MAILERS from DJANGO_EMAIL_BACKEND (else ``default_backend``) and the SMTP settings."""
    backend = env("DJANGO_EMAIL_BACKEND", default_backend)
    config: dict[str, dict] = {"default": {"BACKEND": backend}}
    if backend.endswith("smtp.EmailBackend"):
        config["default"]["OPTIONS"] = {
            "host": env("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(env("DJANGO_EMAIL_PORT", "25")),
            "username": env("DJANGO_EMAIL_HOST_USER"),
            "password": env("DJANGO_EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        }
    return config


MAILERS = mailers("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Trajectory <noreply@trajectory.invalid>")

# Monthly returns: a move since last month larger than this is a warning that needs an
# explanation before the return is submitted (relative change for counts and caseloads,
# percentage points for percentages); a return is due by this day of the following month.
RETURN_CHANGE_WARNING_THRESHOLD = {"relative": 0.25, "percentage_points": 10.0}
RETURN_CASELOAD_BOUNDS = (1.0, 60.0)
RETURN_DUE_DAY = 15

# The label every page that shows simulated figures carries.
SERVICE_NAME = "Trajectory"
