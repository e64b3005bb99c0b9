"""Sign-in protection: after too many failed sign-ins for one name from one address, sign-in
is refused for a while without even checking the password.

The counts live in the cache (Redis in production when ``REDIS_URL`` is set, else the database
cache), so every web process sees the same counts. The limit and the window are settings:
``SIGN_IN_FAILURE_LIMIT`` failures within ``SIGN_IN_FAILURE_WINDOW`` seconds.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest

from . import audit
from .models import AuditAction


def _limit() -> int:
    return int(getattr(settings, "SIGN_IN_FAILURE_LIMIT", 5))


def _window() -> int:
    return int(getattr(settings, "SIGN_IN_FAILURE_WINDOW", 15 * 60))


def too_many_message() -> str:
    minutes = max(1, round(_window() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Try again in {minutes} {unit}."


def _key(username: str, request: HttpRequest | None) -> str:
    who = f"{username.strip().casefold()}|{audit.client_ip(request) or '-'}"
    return "signin-failures:" + hashlib.sha256(who.encode()).hexdigest()


def failures(username: str, request: HttpRequest | None) -> int:
    return int(cache.get(_key(username, request), 0) or 0)


def is_locked_out(username: str, request: HttpRequest | None) -> bool:
    return failures(username, request) >= _limit()


def count_failure(username: str, request: HttpRequest | None) -> int:
    """One more failure for this name and address; the count ends a window after the first."""
    key = _key(username, request)
    now = time.time()
    cache.add(f"{key}:since", now, _window())
    since = float(cache.get(f"{key}:since", now) or now)
    remaining = max(1, int(since + _window() - now))
    cache.add(key, 0, remaining)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, remaining)
        count = 1
    cache.touch(key, remaining)
    return count


def forget_failures(username: str, request: HttpRequest | None) -> None:
    key = _key(username, request)
    cache.delete_many([key, f"{key}:since"])


class ThrottledSignInMixin:
    """For an ``AuthenticationForm``: refuse without authenticating once the name has failed
    too often from this address; count each failure; forget them on success."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            if is_locked_out(username, self.request):
                audit.record(AuditAction.SIGN_IN_THROTTLED, request=self.request, username=username)
                raise forms.ValidationError(too_many_message(), code="throttled")
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                if count_failure(username, self.request) >= _limit():
                    raise forms.ValidationError(too_many_message(), code="throttled")
                raise self.get_invalid_login_error()  # type: ignore[attr-defined]
            self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
            forget_failures(username, self.request)
        return self.cleaned_data


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    pass


class SignInView(LoginView):
    form_class = SignInForm
