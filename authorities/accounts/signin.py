"""Sign-in protection: after too many failed sign-ins for one name from one address, or for
one name from any addresses at all, or from one address whatever the names, sign-in is refused
for a while without even checking the password.

The counts live in the cache (Redis in production when ``REDIS_URL`` is set, else the database
cache), so every web process sees the same counts. The limits and the window are settings:
``SIGN_IN_FAILURE_LIMIT`` failures for a name from one address, or
``SIGN_IN_USERNAME_FAILURE_LIMIT`` for a name from anywhere (an attacker changing addresses),
or ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` from one address for any names (an attacker trying ever-new
names: each failure costs a full password hash, since Django hashes the password given even for
a name no account has, so that the time taken does not say which names exist), within
``SIGN_IN_FAILURE_WINDOW`` seconds of the first failure. Names are counted whether or not an
account has them, so the refusal says nothing about which accounts exist. A window is not
extended by attempts refused during it, so a name locked out by someone else is free again when
its window ends. An IPv6 address counts as its /64 network, which one machine usually has whole.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from authorities.models import AuditAction
from authorities.toolkit.govuk import GovukFormMixin

from . import audit


def _limit() -> int:
    return int(getattr(settings, "SIGN_IN_FAILURE_LIMIT", 5))


def _username_limit() -> int:
    return int(getattr(settings, "SIGN_IN_USERNAME_FAILURE_LIMIT", 20))


def _address_limit() -> int:
    return int(getattr(settings, "SIGN_IN_ADDRESS_FAILURE_LIMIT", 50))


def _window() -> int:
    return int(getattr(settings, "SIGN_IN_FAILURE_WINDOW", 15 * 60))


def too_many_message() -> str:
    minutes = max(1, round(_window() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Try again in {minutes} {unit}."


def _name(username: str) -> str:
    return username.strip().casefold()


def _key(username: str, request: HttpRequest | None) -> str:
    who = f"{_name(username)}|{audit.client_ip(request) or '-'}"
    return "signin-failures:" + hashlib.sha256(who.encode()).hexdigest()


def _username_key(username: str) -> str:
    return "signin-failures-name:" + hashlib.sha256(_name(username).encode()).hexdigest()


def client_network(request: HttpRequest | None) -> str | None:
    """The address failures are counted against: the client's IPv4 address, or the /64 network
    of its IPv6 address. None when the address is unknown (then only names are counted)."""
    address = audit.client_ip(request)
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _address_key(request: HttpRequest | None) -> str | None:
    network = client_network(request)
    if network is None:
        return None
    return "signin-failures-address:" + hashlib.sha256(network.encode()).hexdigest()


def failures(username: str, request: HttpRequest | None) -> int:
    """Failures for this name from this address in the current window."""
    return int(cache.get(_key(username, request), 0) or 0)


def username_failures(username: str) -> int:
    """Failures for this name from every address in the current window."""
    return int(cache.get(_username_key(username), 0) or 0)


def address_failures(request: HttpRequest | None) -> int:
    """Failures from this address, for any names, in the current window."""
    key = _address_key(request)
    return int(cache.get(key, 0) or 0) if key else 0


def locked_out_across_addresses(username: str) -> bool:
    return username_failures(username) >= _username_limit()


def address_locked_out(request: HttpRequest | None) -> bool:
    return address_failures(request) >= _address_limit()


def is_locked_out(username: str, request: HttpRequest | None) -> bool:
    return (
        failures(username, request) >= _limit()
        or locked_out_across_addresses(username)
        or address_locked_out(request)
    )


def count_failure(username: str, request: HttpRequest | None) -> int:
    """One more failure for this name and address, for this name from anywhere, and for this
    address whatever the name; each count ends a window after its first failure. Returns the
    count for this name and address."""
    _count(_username_key(username))
    address_key = _address_key(request)
    if address_key:
        _count(address_key)
    return _count(_key(username, request))


def _count(key: str) -> int:
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
    """After a success: forget this address's failures for the name. The count for the name
    from anywhere stays until its window ends, so signing in now and then does not give an
    attacker elsewhere a fresh allowance of guesses."""
    key = _key(username, request)
    cache.delete_many([key, f"{key}:since"])


class ThrottledSignInMixin:
    """For an ``AuthenticationForm``: refuse without authenticating once the name has failed
    too often from this address or from everywhere; count each failure; forget this address's
    failures on success."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            if is_locked_out(username, self.request):
                # The same message for every limit; the log says which one it was.
                if address_locked_out(self.request):
                    detail = "Too many failures from this address, for any names"
                elif locked_out_across_addresses(username):
                    detail = "Too many failures for this name from all addresses"
                else:
                    detail = "Too many failures for this name from this address"
                audit.record(
                    AuditAction.SIGN_IN_THROTTLED,
                    request=self.request,
                    username=username,
                    detail=detail,
                )
                raise forms.ValidationError(too_many_message(), code="throttled")
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                count_failure(username, self.request)
                if is_locked_out(username, self.request):
                    raise forms.ValidationError(too_many_message(), code="throttled")
                raise self.get_invalid_login_error()  # type: ignore[attr-defined]
            self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
            forget_failures(username, self.request)
        return self.cleaned_data


INVALID_SIGN_IN = "Enter a correct username and password"
SIGNED_OUT = "You have signed out"


def account_inputs(form: GovukFormMixin) -> None:
    """The account forms' text boxes: two thirds wide, no spell checking of names and passwords,
    and no autofocus (which moves a screen reader past the page's heading and introduction).
    Django's forms already say what each box is for to password managers (``autocomplete``)."""
    for field in form.fields.values():
        attrs = field.widget.attrs
        attrs["class"] = f"{attrs.get('class', '')} govuk-!-width-two-thirds".strip()
        attrs["spellcheck"] = "false"
        attrs.pop("autofocus", None)
    form.describe_fields()


class SignInForm(GovukFormMixin, ThrottledSignInMixin, AuthenticationForm):
    """The service's sign-in, in GOV.UK words. A refusal is one error, on the username field, so
    the error summary links to the form and the field says what is wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": INVALID_SIGN_IN,
        "inactive": "This account cannot sign in. Ask an administrator if it should",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].label = "Username"
        account_inputs(self)

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as refusal:
            self.add_error("username", refusal)
            return self.cleaned_data


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    pass


class SignInView(LoginView):
    form_class = SignInForm


class SignOutView(LogoutView):
    """Django's sign-out, saying so on the page it goes to next."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:  # otherwise registration/logged_out.html says it
            messages.success(request, SIGNED_OUT)
        return response
