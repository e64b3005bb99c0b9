"""Signing in and out, and changing a password, in GOV.UK words: one clear error linked to its
field, labels and messages that agree, a way to change one's password, and a sign-out that
says so."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD_LINK = '<a class="govuk-service-navigation__link" href="/accounts/password_change/"'


@pytest.fixture
def person():
    return User.objects.create_user("officer", "officer@example.com", "a long passphrase here")


def summary(html: str) -> list[tuple[str, str]]:
    """The error summary's entries, as (the field linked to, the message)."""
    body = html[html.index("govuk-error-summary__list") :]
    body = body[: body.index("</ul>")]
    items = re.findall(r"<li>(.*?)</li>", body)
    linked = [re.fullmatch(r'<a href="#([^"]+)">([^<]+)</a>', item) for item in items]
    assert all(linked), items  # every entry links to a field
    return [(match.group(1), match.group(2)) for match in linked if match]


# --- sign in ----------------------------------------------------------------------------------


def test_a_wrong_password_is_one_error_linked_to_the_username(client, person):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert summary(html) == [("id_username", "Enter a correct username and password")]
    # The same words beside the field, which is marked in error and described by them.
    assert (
        '<p class="govuk-error-message" id="id_username-error"><span class="govuk-visually-hidden">'
        "Error:</span> Enter a correct username and password</p>"
    ) in html
    assert "govuk-form-group--error" in html and 'aria-describedby="id_username-error"' in html
    assert "Please enter a correct" not in html and "case-sensitive" not in html
    assert 'value="officer"' in html
    assert "_auth_user_id" not in client.session


def test_an_empty_sign_in_says_what_to_enter(client, person):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert summary(html) == [
        ("id_username", "Enter your username"),
        ("id_password", "Enter your password"),
    ]
    assert "This field is required" not in html


def test_the_lock_out_message_is_kept(client, person):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert summary(response.content.decode()) == [
        ("id_username", "Too many failed sign-in attempts. Try again in 15 minutes.")
    ]


# --- sign out ---------------------------------------------------------------------------------


def test_signing_out_says_so(client, person):
    client.force_login(person)
    response = client.post(reverse("logout"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/", 302)]
    assert "You have signed out" in html and "govuk-notification-banner--success" in html
    assert ">Sign in</a>" in html and "_auth_user_id" not in client.session
    # Said once: the next page does not say it again.
    assert "You have signed out" not in client.get("/").content.decode()


def test_the_signed_out_page_is_govuk_styled_where_there_is_no_redirect(client, person, settings):
    settings.LOGOUT_REDIRECT_URL = None
    client.force_login(person)
    response = client.post(reverse("logout"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">You have signed out</h1>' in html
    assert html.count("You have signed out") == 1  # the heading, not a banner as well


# --- change password --------------------------------------------------------------------------


def test_signed_in_people_have_a_link_to_change_their_password(client, person):
    assert PASSWORD_LINK not in client.get("/").content.decode()
    client.force_login(person)
    home = client.get("/").content.decode()
    assert f"{PASSWORD_LINK}>Change password</a>" in home
    page = client.get(reverse("password_change")).content.decode()
    assert f'{PASSWORD_LINK} aria-current="page">Change password</a>' in page
    assert '<h1 class="govuk-heading-xl">Change your password</h1>' in page


def test_a_wrong_current_password_is_named_as_on_the_label(client, person):
    client.force_login(person)
    html = client.post(
        reverse("password_change"),
        {
            "old_password": "not it",
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    ).content.decode()
    assert ">Current password</label>" in html
    assert summary(html) == [("id_old_password", "Your current password is not correct")]
    assert "old password" not in html.lower()
    person.refresh_from_db()
    assert person.check_password("a long passphrase here")


def test_password_change_mistakes_in_govuk_words(client, person):
    client.force_login(person)
    html = client.post(reverse("password_change"), {}).content.decode()
    assert summary(html) == [
        ("id_old_password", "Enter your current password"),
        ("id_new_password1", "Enter a new password"),
        ("id_new_password2", "Confirm the new password"),
    ]
    html = client.post(
        reverse("password_change"),
        {
            "old_password": "a long passphrase here",
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrasf",
        },
    ).content.decode()
    assert summary(html) == [
        ("id_new_password2", "The new passwords do not match. Enter the same new password twice")
    ]
    assert "didn" not in html


def test_a_reset_request_for_a_malformed_address_says_how_to_write_one(client, person):
    html = client.post(reverse("password_reset"), {"email": "officer"}).content.decode()
    assert summary(html) == [
        ("id_email", "Enter an email address in the correct format, like name@example.com")
    ]
    html = client.post(reverse("password_reset"), {"email": ""}).content.decode()
    assert summary(html) == [("id_email", "Enter your email address")]
    assert not mail.outbox
