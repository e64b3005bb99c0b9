"""Production: everything secret or site-specific must come from the environment.

Required: ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL``; the service
refuses to start without them. Optional: ``REDIS_URL`` (the shared cache; without it the database
cache, made by ``createcachetable``), ``DJANGO_CSRF_TRUSTED_ORIGINS``, ``DJANGO_TRUSTED_PROXIES``,
``DJANGO_LOG_LEVEL``, ``DJANGO_STATIC_ROOT`` and the ``DJANGO_EMAIL_*`` settings.
"""

from django.core.exceptions import ImproperlyConfigured

from config.logging import logging_config

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env, env_list, mailers


def required(name: str) -> str:
    value = env(name).strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
required("DJANGO_ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
required("DATABASE_URL")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# HTTPS only, behind a proxy that terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check health over plain HTTP
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Static files: collected, hashed and compressed once (``collectstatic``), served by WhiteNoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Shared by every web process: Redis if there is one, else a table in the database.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "trajectory_cache",
            # Room for many sign-in counts: culling at the default 300 entries would let a
            # flood of made-up names push real counts out.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Password reset emails go out by SMTP (DJANGO_EMAIL_HOST, _PORT, _HOST_USER, _HOST_PASSWORD,
# _USE_TLS) unless DJANGO_EMAIL_BACKEND names another production backend.
MAILERS = mailers("django.core.mail.backends.smtp.EmailBackend")

LOGGING = logging_config(env("DJANGO_LOG_LEVEL", "INFO").upper())
