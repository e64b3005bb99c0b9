"""The service's navigation: the same links on every page, the page itself marked as current."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def links(html):
    """(label, href, active, current) of each link in the navigation, in order."""
    item = r'<li class="govuk-service-navigation__item( govuk-service-navigation__item--active)?">'
    link = r'<a class="govuk-service-navigation__link" href="([^"]*)"( aria-current="page")?>'
    found = re.findall(item + r"\s*" + link + r"([^<]*)</a>", html)
    return [(label, href, bool(active), bool(current)) for active, href, current, label in found]


def test_signed_out_the_page_is_current_and_sign_in_comes_back_to_it(client):
    html = client.get(reverse("reports:league"), {"indicator": "cla"}).content.decode()
    assert links(html) == [
        ("Authorities", "/", False, False),
        ("Compare", "/compare/", False, False),
        ("League tables", "/league/", True, True),
        ("Recoveries", "/recovery/", False, False),
        ("Sign in", "/accounts/login/?next=/league/%3Findicator%3Dcla", False, False),
    ]


def test_signed_in_the_returns_section_stays_marked_on_its_pages(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    html = client.get(reverse("returns:tracker")).content.decode()
    assert links(html) == [
        ("Authorities", "/", False, False),
        ("Compare", "/compare/", False, False),
        ("League tables", "/league/", False, False),
        ("Recoveries", "/recovery/", False, False),
        ("Watchlist", "/watchlist/", False, False),
        ("Returns", "/returns/", True, False),
        ("Audit log", "/audit/", False, False),
        ("Change password", "/accounts/password_change/", False, False),
    ]
    assert "Sign out" in html
