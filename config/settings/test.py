"""Test runs: fast hashing, no debug toolbar, database from DATABASE_URL like everywhere else."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# This process's memory, whatever REDIS_URL says: tests never share a cache (sign-in counts).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
