"""Sign-in protection: failures counted per username and address, and per username from every
address, in the cache; a clear GOV.UK error and no authentication attempt once locked out;
sessions that end; password rules."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.urls import reverse

from authorities.accounts import signin
from authorities.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed sign-in attempts. Try again in 15 minutes."


def sign_in(client, username="officer", password="wrong", address="10.0.0.1", **extra):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def test_five_failures_lock_the_name_out_from_that_address(client, users):
    for attempt in range(1, 5):
        response = sign_in(client)
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode(), attempt
    html = sign_in(client).content.decode()  # the fifth failure
    assert TOO_MANY in html
    assert "There is a problem" in html and "govuk-error-summary" in html

    # Now even the right password is refused, without asking the authentication backends.
    with mock.patch.object(signin, "authenticate") as authenticate:
        response = sign_in(client, password="pw")
    authenticate.assert_not_called()
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN_THROTTLED).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5


def test_the_lock_is_per_name_and_address_and_ends_after_the_window(client, users):
    for _ in range(5):
        sign_in(client)
    # Another address, or another name, is not locked out.
    assert sign_in(client, password="pw", address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, username="approver", password="pw").status_code == 302
    client.logout()
    assert TOO_MANY in sign_in(client, password="pw").content.decode()
    # Upper case is the same name.
    assert TOO_MANY in sign_in(client, username="OFFICER", password="pw").content.decode()
    later = time.time() + settings.SIGN_IN_FAILURE_WINDOW + 1
    with mock.patch("time.time", return_value=later):
        assert sign_in(client, password="pw").status_code == 302


def test_a_success_forgets_earlier_failures(client, users):
    for _ in range(4):
        sign_in(client)
    assert sign_in(client, password="pw").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client)
    assert sign_in(client, password="pw").status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(client, users, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        sign_in(client, address="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Same proxy, another client: not locked out.
    response = sign_in(
        client, password="pw", address="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).first()
    assert entry.ip_address == "203.0.113.7"


def test_a_spoofed_forwarded_header_is_ignored_without_a_trusted_proxy(client, users):
    for number in range(5):
        sign_in(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert TOO_MANY in sign_in(client, password="pw").content.decode()


def test_the_admin_sign_in_is_throttled_too(client, users):
    User.objects.filter(username="admin").update(is_staff=True)
    for _ in range(5):
        client.post(
            reverse("admin:login"), {"username": "admin", "password": "x"}, REMOTE_ADDR="10.0.0.5"
        )
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "admin", "password": "pw"},
        REMOTE_ADDR="10.0.0.5",
    )
    assert response.status_code == 200 and TOO_MANY in response.content.decode()


# --- one name from many addresses -------------------------------------------------------------


def from_many_addresses(client, count, username="officer", first=1):
    """``count`` wrong passwords for the name, each from an address of its own; the last page."""
    for number in range(first, first + count):
        response = sign_in(
            client, username=username, address=f"10.50.{number // 250}.{number % 250}"
        )
    return response


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('<div class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_twenty_failures_from_any_addresses_lock_the_name_out(client, users):
    html = from_many_addresses(client, 19).content.decode()
    assert "There is a problem" in html and TOO_MANY not in html
    html = from_many_addresses(client, 1, first=20).content.decode()  # the twentieth
    assert TOO_MANY in html and "govuk-error-summary" in html

    # Even the right password from a new address is refused, without authenticating.
    with mock.patch.object(signin, "authenticate") as authenticate:
        response = sign_in(client, password="pw", address="10.99.0.1")
    authenticate.assert_not_called()
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    throttled = AuditEntry.objects.get(action=AuditAction.SIGN_IN_THROTTLED)
    assert throttled.username == "officer" and throttled.ip_address == "10.99.0.1"
    assert throttled.detail == "Too many failures for this name from all addresses"
    # Upper case is the same name; another name from the same address is not locked out.
    assert TOO_MANY in sign_in(client, username="Officer", password="pw").content.decode()
    assert (
        sign_in(client, username="approver", password="pw", address="10.99.0.1").status_code == 302
    )


def test_the_per_address_limit_still_comes_first(client, users):
    for _ in range(5):
        response = sign_in(client, address="10.0.0.9")
    assert TOO_MANY in response.content.decode()
    assert TOO_MANY not in sign_in(client, address="10.0.0.10").content.decode()
    sign_in(client, password="pw", address="10.0.0.9")
    throttled = AuditEntry.objects.get(action=AuditAction.SIGN_IN_THROTTLED)
    assert throttled.detail == "Too many failures for this name from this address"


def test_an_unknown_name_is_locked_out_with_the_same_message(client, users):
    real = from_many_addresses(client, 20, username="officer")
    unknown = from_many_addresses(client, 20, username="nosuchperson")
    assert TOO_MANY in error_summary(unknown)
    assert error_summary(unknown) == error_summary(real)
    real = sign_in(client, username="officer", password="pw", address="10.99.0.2")
    unknown = sign_in(client, username="nosuchperson", password="pw", address="10.99.0.3")
    assert error_summary(unknown) == error_summary(real)


def test_the_name_limit_is_a_setting(client, users, settings):
    settings.SIGN_IN_USERNAME_FAILURE_LIMIT = 3
    assert TOO_MANY not in from_many_addresses(client, 2).content.decode()
    assert TOO_MANY in from_many_addresses(client, 1, first=3).content.decode()


def test_a_success_does_not_reset_the_count_from_other_addresses(client, users):
    from_many_addresses(client, 10)
    assert sign_in(client, password="pw", address="10.99.0.4").status_code == 302
    client.logout()
    assert TOO_MANY in from_many_addresses(client, 10, first=11).content.decode()


def test_the_name_lock_ends_with_its_window_however_often_it_is_tried(client, users):
    from_many_addresses(client, 20)
    start = time.time()
    window = settings.SIGN_IN_FAILURE_WINDOW
    # Attempts while locked out, up to the end of the window, do not lengthen it.
    for seconds in (60, window // 2, window - 5):
        with mock.patch("time.time", return_value=start + seconds):
            assert TOO_MANY in sign_in(client, address="10.99.1.1").content.decode()
            assert TOO_MANY in sign_in(client, password="pw", address="10.99.1.2").content.decode()
    with mock.patch("time.time", return_value=start + window + 1):
        assert sign_in(client, password="pw", address="10.99.1.3").status_code == 302
        client.logout()
        # A fresh window: one more failure does not lock the name again.
        assert TOO_MANY not in sign_in(client, address="10.99.1.4").content.decode()


def test_counts_live_in_the_shared_cache(users, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "signin_test_cache",
        }
    }
    from django.core.cache import caches
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    request = mock.Mock(META={"REMOTE_ADDR": "10.1.1.1"})
    with mock.patch.object(signin, "cache", caches["default"]):
        for expected in range(1, 6):
            assert signin.count_failure("officer", request) == expected
        assert signin.is_locked_out("officer", request)
        signin.forget_failures("officer", request)
        assert not signin.is_locked_out("officer", request)
        assert signin.username_failures("officer") == 5


# --- sessions -------------------------------------------------------------------------------


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client, users):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = sign_in(client, password="pw")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()


# --- passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("8675309218", "This password is entirely numeric."),
        ("officer-example", "The password is too similar to the"),
    ],
)
def test_changing_a_password_applies_the_validators(client, users, password, message):
    client.force_login(users["data_officer"])
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": password, "new_password2": password},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert message in html.replace("&#x27;", "'")
    assert User.objects.get(username="officer").check_password("pw")


def test_a_good_new_password_is_accepted(client, users):
    client.force_login(users["data_officer"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "correct horse battery staple",
            "new_password2": "correct horse battery staple",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="officer").check_password("correct horse battery staple")


def redis_cache():
    """A Redis cache of its own (unique prefix, database 15), or a skip saying why."""
    import os
    import uuid

    location = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(location, socket_timeout=1).ping()
    except Exception as problem:  # no server here: nothing to test against
        pytest.skip(f"no Redis at {location} ({problem})")
    from django.core.cache.backends.redis import RedisCache

    return RedisCache(location, {"KEY_PREFIX": f"trajectory-test-{uuid.uuid4().hex}"})


def test_counts_in_redis_expire_with_the_window(users, settings):
    cache = redis_cache()
    settings.SIGN_IN_FAILURE_WINDOW = 2
    request = mock.Mock(META={"REMOTE_ADDR": "10.2.2.2"})
    with mock.patch.object(signin, "cache", cache):
        for expected in range(1, 6):
            assert signin.count_failure("officer", request) == expected
        assert signin.is_locked_out("officer", request)
        time.sleep(2.5)
        assert not signin.is_locked_out("officer", request)
        assert signin.count_failure("officer", request) == 1
        signin.forget_failures("officer", request)


# --- one address, ever-new names (issue 13, item 8) -----------------------------------------------


def new_names(client, count, address="10.60.0.1", first=1):
    """``count`` failures from one address, each with a name never tried before; the last page."""
    for number in range(first, first + count):
        response = sign_in(client, username=f"guess{number}", address=address)
    return response


def test_failures_with_ever_new_names_lock_the_address_out(client, users):
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 50
    assert TOO_MANY not in new_names(client, 49).content.decode()
    assert TOO_MANY in new_names(client, 1, first=50).content.decode()  # the fiftieth

    # A fresh name, or a real one with its password: refused without authenticating, so
    # without the cost of a password hash.
    for username, password in (("guess51", "wrong"), ("officer", "pw")):
        with mock.patch.object(signin, "authenticate") as authenticate:
            response = sign_in(client, username=username, password=password, address="10.60.0.1")
        authenticate.assert_not_called()
        assert response.status_code == 200 and TOO_MANY in error_summary(response)
    assert "_auth_user_id" not in client.session
    throttled = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_THROTTLED).first()
    assert throttled.detail == "Too many failures from this address, for any names"
    assert throttled.ip_address == "10.60.0.1"

    # Another address is not locked out; this one is free again when its window ends.
    assert sign_in(client, password="pw", address="10.60.0.2").status_code == 302
    client.logout()
    later = time.time() + settings.SIGN_IN_FAILURE_WINDOW + 1
    with mock.patch("time.time", return_value=later):
        assert sign_in(client, password="pw", address="10.60.0.1").status_code == 302


def test_the_address_limit_is_a_setting_and_a_success_does_not_reset_it(client, users, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    new_names(client, 3)
    assert sign_in(client, password="pw", address="10.60.0.1").status_code == 302
    client.logout()
    assert TOO_MANY in new_names(client, 1, first=4).content.decode()


def test_an_ipv6_client_counts_as_its_64_network(client, users, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    for number in range(1, 5):  # a new address of the same /64 each time
        response = sign_in(client, username=f"guess{number}", address=f"2001:db8:1:2::{number}")
    assert TOO_MANY in response.content.decode()
    assert (
        TOO_MANY in sign_in(client, password="pw", address="2001:db8:1:2:ffff::9").content.decode()
    )
    assert sign_in(client, password="pw", address="2001:db8:1:3::1").status_code == 302


def test_an_unknown_name_costs_one_password_hash_and_a_locked_out_address_none(
    client, users, settings
):
    """Django hashes the password once for a name no account has, so the time taken does not
    say which names exist; that is all it costs, and once the address is locked out, nothing."""
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    hashed = []
    encode = MD5PasswordHasher.encode

    def counting(self, password, salt):
        hashed.append(password)
        return encode(self, password, salt)

    with mock.patch.object(MD5PasswordHasher, "encode", counting):
        new_names(client, 1)
        assert hashed == ["wrong"]
        new_names(client, 2, first=2)
        assert len(hashed) == 3
        new_names(client, 20, first=4)
    assert len(hashed) == 3
