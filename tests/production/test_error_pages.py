"""Refusals and missing pages look like the rest of the service (DEBUG is off in tests, as in
production): the site's header, navigation and footer, a GOV.UK heading, and what to do next;
never Django's bare "403 Forbidden" or "Not Found"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def in_site_layout(html: str) -> bool:
    return all(
        part in html
        for part in (
            'class="govuk-template"',
            "govuk-service-navigation",
            'id="main-content"',
            "govuk-footer",
            "/static/build/trajectory.css",
        )
    )


def test_a_refusal_anywhere_is_the_site_403_page(client):
    # The admin refuses to add audit entries by raising PermissionDenied, as the milestone forms
    # do (tests/indicators/milestones/test_milestones.py): Django renders templates/403.html for
    # both.
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    url = reverse("admin:authorities_auditentry_add")
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert in_site_layout(html)
    assert "<title>You do not have access \u2013 Trajectory</title>" in html
    assert '<h1 class="govuk-heading-xl">You do not have access to this page</h1>' in html
    assert "You are signed in as root" in html
    assert f'href="/accounts/login/?next={url}">sign in with that account</a>' in html
    assert "403 Forbidden" not in html


@pytest.mark.parametrize(
    "url",
    ["/no-such-page/", "/authorities/E08999999/", "/authorities/E08000036/milestones/999/"],
)
def test_a_missing_page_is_the_site_404_page(client, users, url):
    client.force_login(users["administrator"])
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert in_site_layout(html)
    assert "<title>Page not found \u2013 Trajectory</title>" in html
    assert '<h1 class="govuk-heading-xl">Page not found</h1>' in html
    assert "If you typed the web address, check it is correct." in html
    assert '<a class="govuk-link" href="/">Go to the list of authorities</a>' in html
    assert "Not Found" not in html and "Resolver404" not in html


def test_the_404_page_works_signed_out(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and ">Sign in</a>" in (
        response.content.decode()
    )
