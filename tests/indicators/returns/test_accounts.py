"""Signing in and out, resetting a password by email, and making users with roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from authorities.accounts.demo_users import create_demo_users
from authorities.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_govuk_styled(client):
    html = client.get(reverse("login")).content.decode()
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in html
    assert 'class="govuk-input' in html and 'autocomplete="current-password"' in html
    assert "I have forgotten my password" in html


def test_sign_in_and_out(client, users):
    response = client.post(
        reverse("login"), {"username": "officer", "password": "pw", "next": "/returns/"}
    )
    assert response.status_code == 302 and response["Location"] == "/returns/"
    html = client.get("/returns/").content.decode()
    assert "Sign out" in html and ">Returns</a>" in html
    assert client.get(reverse("logout")).status_code == 405  # sign-out is a POST
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Sign in" in client.get("/").content.decode()


def test_a_wrong_password_is_an_error_summary(client, users):
    response = client.post(reverse("login"), {"username": "officer", "password": "nope"})
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error: Sign in" in html
    assert 'value="officer"' in html


def test_password_reset_by_email(client, users):
    response = client.post(reverse("password_reset"), {"email": "officer@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.com"]
    assert message.subject == "Reset your Trajectory password"
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Set a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username="officer", password="a long new passphrase")


def test_password_reset_says_nothing_about_unknown_addresses(client, users):
    response = client.post(reverse("password_reset"), {"email": "who@example.com"})
    assert response.status_code == 302 and not mail.outbox


def test_create_user_command(authority):
    call_command(
        "create_user",
        "dana",
        "--email",
        "dana@example.com",
        "--role",
        "data_officer",
        "--authority",
        authority.gss_code,
        "--password",
        "a long passphrase here",
    )
    user = User.objects.get(username="dana")
    assert user.check_password("a long passphrase here")
    assert Membership.objects.get(user=user).role == Role.DATA_OFFICER
    # Again, for a second role: the membership is added, the account kept.
    call_command(
        "create_user",
        "dana",
        "--email",
        "dana@example.com",
        "--role",
        "approver",
        "--authority",
        authority.gss_code,
    )
    assert set(user.memberships.values_list("role", flat=True)) == {"data_officer", "approver"}
    assert User.objects.get(username="dana").check_password("a long passphrase here")


def test_create_user_for_national_roles(authority):
    call_command("create_user", "dev", "--email", "dev@example.com", "--role", "dfe_analyst")
    membership = Membership.objects.get(user__username="dev")
    assert membership.authority is None
    assert not membership.user.has_usable_password()  # set by email
    call_command("create_user", "ada", "--email", "a@example.com", "--role", "administrator")
    assert User.objects.get(username="ada").is_superuser


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "data_officer"], "belongs to an authority"),
        (["--role", "dfe_analyst", "--authority", "E08000036"], "is national"),
        (["--role", "approver", "--authority", "E99999999"], "No authority"),
        (["--role", "approver", "--authority", "E08000036", "--password", "123"], "too short"),
    ],
)
def test_create_user_refuses_nonsense(authority, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "x", "--email", "x@example.com", *arguments)
    assert not User.objects.filter(username="x").exists()


def test_demo_users_one_of_each_role(client, authority):
    created = create_demo_users(authority)
    assert [role for _, role, _ in created] == [role.value for role in Role]
    for username, role, password in created:
        assert client.login(username=username, password=password)
        membership = Membership.objects.get(user__username=username)
        assert membership.role == role
        national = role in ("dfe_analyst", "administrator")
        assert (membership.authority is None) == national
    assert create_demo_users(authority) == created  # deterministic, and safe to run again
    assert Membership.objects.count() == 5


def test_the_admin_has_memberships(client, authority):
    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    assert client.get(reverse("admin:authorities_membership_changelist")).status_code == 200
    page = client.get(reverse("admin:auth_user_change", args=[admin.pk])).content.decode()
    assert "memberships-TOTAL_FORMS" in page
