"""Issue 13, item 7: extreme dates. A milestone due 0001-01-01 or 9999-12-31 was accepted and
then the authority's public page answered 500 until it was removed; ``/returns/?month=0001-01``
answered 500. Every date a person can give is bounded (``authorities.dates``) with a GOV.UK
message naming the range, and no page fails on a date stored some other way."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import dateformat

from authorities import dates
from authorities.models import Role
from indicators.milestones import services
from indicators.milestones.models import Milestone, MilestoneChange
from indicators.models import PeriodKind
from indicators.returns import selectors as returns_selectors
from tests.factories import AuthorityFactory, MilestoneFactory, ObservationFactory, indicator
from tests.indicators.returns.conftest import make_user
from tests.reports.figures import drawn_figure

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
EXTREMES = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)]
LATEST_MONTH = returns_selectors.latest_month(TODAY)


def long(day: datetime.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def summary(html: str) -> dict[str, str]:
    """The error summary's entries: message -> the field it links to."""
    start = html.index("govuk-error-summary__list")
    block = html[start : html.index("</ul>", start)]
    return {text: target for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block)}


@pytest.fixture
def place():
    """An authority with two years of caseloads, so its page draws a chart."""
    authority = AuthorityFactory(name="Wakefield", gss_code="E08000036")
    for year, value in [(2023, 21.0), (2024, 19.5)]:
        ObservationFactory(
            indicator=indicator("avg_caseload"),
            area_code=authority.gss_code,
            period_kind=PeriodKind.REPORTING_YEAR,
            period_start=datetime.date(year - 1, 10, 1),
            period_end=datetime.date(year, 9, 30),
            period_label=str(year),
            value=value,
        )
    return authority


@pytest.fixture
def planner(client, place):
    client.force_login(make_user("planner", Role.APPROVER, place))


def milestone_data(due: str) -> dict[str, str]:
    return {
        "indicator": str(indicator("avg_caseload").pk),
        "value": "18",
        "due_date": due,
        "tolerance": "1",
        "note": "",
    }


# --- the attack: a milestone due at the edge of the calendar --------------------------------------


@pytest.mark.parametrize("due", EXTREMES, ids=str)
def test_the_milestone_form_refuses_a_due_date_outside_the_range(client, planner, place, due):
    url = reverse("plan:milestone_add", args=[place.gss_code])
    response = client.post(url, milestone_data(due.isoformat()))
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    allowed = dates.plan_dates()
    message = f"The due date must be between 1 January 2000 and {long(allowed.last)}"
    assert summary(html) == {message: "id_due_date"}
    assert not Milestone.objects.exists() and not MilestoneChange.objects.exists()
    # The public page stays up.
    assert client.get(reverse("reports:authority", args=[place.gss_code])).status_code == 200


def test_the_range_is_named_on_the_form_and_its_edges_are_allowed(client, planner, place):
    url = reverse("plan:milestone_add", args=[place.gss_code])
    allowed = dates.plan_dates()
    assert f"The date must be between 1 January 2000 and {long(allowed.last)}" in (
        client.get(url).content.decode()
    )
    for edge in (allowed.first, allowed.last):
        assert client.post(url, milestone_data(edge.isoformat())).status_code == 302
    beyond = allowed.last + datetime.timedelta(days=1)
    assert client.post(url, milestone_data(beyond.isoformat())).status_code == 200
    before = allowed.first - datetime.timedelta(days=1)
    assert client.post(url, milestone_data(before.isoformat())).status_code == 200
    assert sorted(Milestone.objects.values_list("due_date", flat=True)) == [
        allowed.first,
        allowed.last,
    ]


def test_the_service_refuses_it_too_whatever_the_route(place):
    with pytest.raises(ValidationError) as refused:
        services.save_milestone(
            authority=place,
            indicator=indicator("avg_caseload"),
            due_date=datetime.date(9999, 12, 31),
            value=18,
            tolerance=0,
            note="",
            user=make_user("boss", Role.ADMINISTRATOR, place),
        )
    assert "due_date" in refused.value.message_dict
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("due", EXTREMES, ids=str)
def test_a_stored_extreme_milestone_breaks_no_page(place, due):
    """Put in the database directly (as an old row or a manual edit could): the page, the
    chart fragment and the CSV answer, and the page says the milestone is not drawn."""
    MilestoneFactory(authority=place, indicator=indicator("avg_caseload"), due_date=due, value=17)
    MilestoneFactory(
        authority=place,
        indicator=indicator("avg_caseload"),
        due_date=TODAY + datetime.timedelta(days=300),
        value=18,
    )
    client = Client(raise_request_exception=False)
    url = reverse("reports:authority", args=[place.gss_code])
    params = {"indicator": "avg_caseload"}
    page = client.get(url, params)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Not drawn: the milestone of 17.0 due {dateformat.format(due, 'j F Y')}" in html
    fragment = client.get(url, params, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "Not drawn: the milestone of 17.0" in fragment.content.decode()
    # The chart still draws the milestone in range, and only it.
    figure = drawn_figure(page, "trajectory")
    planned = next(t for t in figure["data"] if t.get("name") == "Milestones (planned)")
    assert planned["y"][-1] == 18 and 17 not in planned["y"]
    assert client.get(url).status_code == 200  # the default indicator
    csv_url = reverse("reports:trajectory_csv", args=[place.gss_code])
    assert client.get(csv_url, params).status_code == 200
    # The plan manager can open it to put it right.
    client.force_login(make_user("planner", Role.APPROVER, place))
    milestone = Milestone.objects.get(due_date=due)
    edit = reverse("plan:milestone_edit", args=[place.gss_code, milestone.pk])
    assert client.get(edit).status_code == 200


# --- return months ----------------------------------------------------------------------------


@pytest.fixture
def officer(client):
    authority = AuthorityFactory(name="Wakefield", gss_code="E08000036")
    client.force_login(make_user("officer", Role.DATA_OFFICER, authority))
    return authority


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("0001-01", "Enter a month from January 2000 to {latest}"),
        ("1999-12", "Enter a month from January 2000 to {latest}"),
        (
            "9999-12",
            "There is no return for December 9999 yet: enter a month from January 2000 to {latest}",
        ),
    ],
)
def test_the_return_chooser_bounds_the_month(client, officer, month, message):
    response = client.get(reverse("returns:index"), {"authority": officer.gss_code, "month": month})
    assert response.status_code == 200
    latest = f"{LATEST_MONTH:%B} {LATEST_MONTH.year}"
    assert summary(response.content.decode()) == {message.format(latest=latest): "id_month"}


def test_the_return_chooser_takes_the_first_and_latest_months(client, officer):
    for month in (datetime.date(2000, 1, 1), LATEST_MONTH):
        response = client.get(
            reverse("returns:index"), {"authority": officer.gss_code, "month": f"{month:%Y-%m}"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("returns:return", args=[officer.gss_code, month])


@pytest.mark.parametrize("month", ["0001-01", "0000-01", "1999-12", "9999-12"])
def test_a_month_in_the_address_outside_the_range_is_not_found(client, officer, month):
    assert client.get(f"/returns/{officer.gss_code}/{month}/").status_code == 404


def test_a_month_in_year_one_is_written_with_four_digits():
    assert reverse("returns:return", args=["E08000036", datetime.date(1, 1, 1)]) == (
        "/returns/E08000036/0001-01/"
    )


# --- the audit log's filter -------------------------------------------------------------------


@pytest.fixture
def administrator(client):
    client.force_login(make_user("admin", Role.ADMINISTRATOR))


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("date_from", "0001-01-01", "The first day"),
        ("date_from", "9999-12-31", "The first day"),
        ("date_to", "1999-12-31", "The last day"),
        ("date_to", "9999-12-31", "The last day"),
    ],
)
def test_the_audit_filter_bounds_its_dates(client, administrator, field, value, what):
    response = client.get(reverse("audit"), {field: value})
    assert response.status_code == 200
    html = response.content.decode()
    message = f"{what} must be between 1 January 2000 and {long(TODAY)}"
    assert summary(html) == {message: f"id_{field}"}
    assert "No entries shown" in html


def test_the_audit_filter_takes_today(client, administrator):
    response = client.get(reverse("audit"), {"date_from": "2000-01-01", "date_to": str(TODAY)})
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()
