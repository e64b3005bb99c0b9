"""The meeting date: the GOV.UK date input, its messages, and the plan's date range. Bad input
says what is wrong and where, and makes nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from authorities import dates
from reports.packs.models import BoardPack
from tests.reports.packs.conftest import page_text

pytestmark = pytest.mark.django_db


def post(client, authority, day, month, year):
    url = reverse("reports:packs", args=[authority.gss_code])
    return client.post(url, {"day": day, "month": month, "year": year})


LATEST = dates.plan_dates().last


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("", "", "", "Enter the meeting date", {"day", "month", "year"}),
        ("12", "", "2026", "The meeting date must include a month", {"month"}),
        ("", "", "2026", "The meeting date must include a day and a month", {"day", "month"}),
        ("31", "2", "2026", "The meeting date must be a real date", {"day", "month"}),
        ("x", "2", "2026", "The meeting date must be a real date", {"day"}),
        ("3", "13", "2026", "The meeting date must be a real date", {"month"}),
        ("3", "3", "26", "Year must include 4 numbers", {"year"}),
        ("3", "3", "1999", "The meeting date must be between 1 January 2000 and", set()),
        (
            str(LATEST.day),
            str(LATEST.month),
            str(LATEST.year + 1),
            "The meeting date must be between 1 January 2000 and",
            set(),
        ),
    ],
)
def test_a_wrong_meeting_date_says_what_is_wrong_and_makes_nothing(
    client, authority, users, day, month, year, message, marked
):
    client.force_login(users["board_member"])
    html = page_text(post(client, authority, day, month, year))
    assert html.count(message) == 2  # in the error summary and beside the fields
    assert "<title>Error: Board packs" in html
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary and 'href="#meeting-date-' in summary.group(1)
    flagged = set(re.findall(r'id="meeting-date-(day|month|year)"', html))
    assert flagged == {"day", "month", "year"}
    errors = {
        part
        for part in ("day", "month", "year")
        if re.search(rf'govuk-input--error" id="meeting-date-{part}"', html)
    }
    if marked:
        assert errors == marked
    assert f'value="{day}"' in html  # what was typed is kept
    assert not BoardPack.objects.exists()


@pytest.mark.parametrize("month", ["3", "03", "March", "mar"])
def test_a_month_may_be_a_number_or_its_name(client, authority, users, month):
    client.force_login(users["board_member"])
    response = post(client, authority, "9", month, "2027")
    assert response.status_code == 302
    assert BoardPack.objects.get().meeting_date == datetime.date(2027, 3, 9)
