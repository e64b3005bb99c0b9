"""Smaller gaps (issue 13, item 9): load balancers' HEAD requests, and pages with unpublished or
personal data that a shared cache could keep.

Every page under ``PRIVATE_PATH_PREFIXES`` (returns, their history and templates, the audit
log, the account pages, the admin), signed in or not, and every page a signed-in person is
shown, is sent with ``Cache-Control: private, no-store`` by one middleware; public pages seen
signed out are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.indicators.returns.conftest import MONTH

pytestmark = pytest.mark.django_db


def private(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize("path", ["/", "/healthz"])
def test_head_answers_200_with_no_body(client, path):
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""
    assert client.get(path).status_code == 200


def test_healthz_still_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


def return_pages(authority) -> list[str]:
    args = [authority.gss_code, MONTH]
    return [
        reverse("returns:index"),
        reverse("returns:return", args=args),
        reverse("returns:history", args=args),
        reverse("returns:value_history", args=[*args, "cla"]),
        reverse("returns:upload", args=args),
        reverse("returns:template_csv", args=args),
        reverse("returns:template_xlsx", args=args),
    ]


def test_every_return_page_and_download_is_private(client, authority, users):
    client.force_login(users["data_officer"])
    for url in return_pages(authority):
        response = client.get(url)
        assert response.status_code == 200, url
        assert private(response), url
    client.force_login(users["dfe_analyst"])
    response = client.get(reverse("returns:tracker"))
    assert response.status_code == 200 and private(response)


def test_a_refused_return_page_is_private_too(client, authority, users):
    client.force_login(users["other_data_officer"])
    response = client.get(reverse("returns:return", args=[authority.gss_code, MONTH]))
    assert response.status_code == 403
    assert private(response)


@pytest.mark.parametrize("user", ["local_administrator", "administrator"])
def test_the_audit_log_is_private(client, users, user):
    client.force_login(users[user])
    response = client.get(reverse("audit"))
    assert response.status_code == 200 and private(response)


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/"]
)
def test_the_sign_in_and_password_pages_are_private_signed_out(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert private(response)


def test_account_pages_and_the_admin_are_private(client, users):
    client.force_login(users["data_officer"])
    response = client.get(reverse("password_change"))
    assert response.status_code == 200 and private(response)
    client.force_login(users["administrator"])
    assert private(client.get("/admin/login/"))


def test_a_public_page_is_private_to_someone_signed_in_only(client, authority, users):
    url = reverse("reports:authority", args=[authority.gss_code])
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and not private(anonymous)
    assert not private(client.get("/"))
    client.force_login(users["board_member"])
    signed_in = client.get(url)
    assert signed_in.status_code == 200 and private(signed_in)
    assert private(client.get("/"))
