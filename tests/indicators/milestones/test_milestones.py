"""Milestone forms as a person uses them: the edit form reads back what is saved, every mistake
gets a GOV.UK message on its field and saves nothing, and people who cannot change the plan
get a page that says so in the site's layout."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from authorities.models import Membership, Role
from indicators.milestones.models import Milestone
from tests.factories import AuthorityFactory, MilestoneFactory, indicator

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FormReader(HTMLParser):
    """What a browser would send for each POST form on a page, untouched.

    A browser's ``<input type="date">`` holds only an ISO 8601 date: any other value is
    dropped (the HTML value sanitisation algorithm), so the field shows empty and sends "".
    """

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        if tag == "input" and a.get("name"):
            value = a.get("value", "")
            if a.get("type") == "date" and not ISO_DATE.match(value):
                value = ""
            form[a["name"]] = value
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            form.setdefault(self._select, a.get("value", ""))  # the first, unless one is selected
            if "selected" in a:
                form[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            form[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data.removeprefix("\n")


def form_data(html: str, field: str) -> dict[str, str]:
    """What the browser sends for the page's POST form that has ``field``."""
    reader = FormReader()
    reader.feed(html)
    return next(form for form in reader.forms if field in form)


@pytest.fixture
def place():
    return AuthorityFactory(name="Wakefield", gss_code="E08000036")


@pytest.fixture
def planner(client, place):
    user = User.objects.create_user("planner", password="pw")
    Membership.objects.create(user=user, authority=place, role=Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def add_url(place) -> str:
    return reverse("plan:milestone_add", args=[place.gss_code])


def good(**changes: str) -> dict[str, str]:
    data = {
        "indicator": str(indicator("avg_caseload").pk),
        "value": "25",
        "due_date": "2027-09-30",
        "tolerance": "1",
        "note": "",
    }
    data.update(changes)
    return data


def summary_links(html: str) -> dict[str, str]:
    """The error summary's entries: message -> the field it links to."""
    summary = html[html.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    return {text: target for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)}


# --- 1. the edit form reads back what is saved ---------------------------------------------------


def test_the_edit_form_shows_the_due_date_and_saves_when_only_the_target_changes(
    client, planner, place
):
    milestone = MilestoneFactory(
        authority=place, due_date=datetime.date(2027, 7, 31), value=20, tolerance=1.5, note="Plan"
    )
    url = reverse("plan:milestone_edit", args=[place.gss_code, milestone.pk])
    html = client.get(url).content.decode()
    assert 'value="2027-07-31"' in html  # what <input type="date"> can show
    data = form_data(html, "due_date")
    assert data["due_date"] == "2027-07-31"
    data["value"] = "18"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.value, milestone.due_date, milestone.tolerance, milestone.note) == (
        18.0,
        datetime.date(2027, 7, 31),
        1.5,
        "Plan",
    )
    shown = client.get(response["Location"]).content.decode()
    assert "Milestone changed: average caseload" in shown and "(FTE) 18 by 31 July 2027" in shown


@pytest.mark.parametrize("typed", ["2027-03-31", "31/3/2027", "31 3 2027", "31 March 2027"])
def test_a_due_date_is_read_as_iso_or_as_people_type_it(client, planner, place, typed):
    assert client.post(add_url(place), good(due_date=typed)).status_code == 302
    assert Milestone.objects.get().due_date == datetime.date(2027, 3, 31)


# --- 2. every mistake: a GOV.UK message on its field, nothing saved ---------------------------


def test_an_empty_form_says_what_each_field_needs(client, planner, place):
    response = client.post(add_url(place), {"indicator": "", "value": "", "due_date": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    assert "This field is required" not in html
    assert summary_links(html) == {
        "Choose an indicator": "id_indicator",
        "Enter the target value": "id_value",
        "Enter a due date, for example 31 3 2027": "id_due_date",
        "Enter the tolerance for amber, or 0 if any miss is red": "id_tolerance",
    }
    assert 'id="id_due_date-error"' in html and "govuk-select--error" in html
    assert not Milestone.objects.exists()


def test_a_negative_tolerance_is_a_clear_message(client, planner, place):
    html = client.post(add_url(place), good(tolerance="-2")).content.decode()
    assert summary_links(html) == {"Tolerance must be 0 or more": "id_tolerance"}
    assert "Constraint" not in html and "milestone_tolerance_not_negative" not in html
    assert 'value="-2"' in html
    assert not Milestone.objects.exists()


def test_words_in_number_fields_are_clear_messages(client, planner, place):
    html = client.post(add_url(place), good(value="twenty", tolerance="a bit")).content.decode()
    assert summary_links(html) == {
        "Target value must be a number, for example 25 or 12.5": "id_value",
        "Tolerance must be a number, for example 0 or 1.5": "id_tolerance",
    }
    # What was typed is shown back: a text box with a number keypad, not type="number" (which
    # a browser sends empty when it holds words, so the message would say nothing was entered).
    assert 'value="twenty"' in html and 'inputmode="decimal"' in html
    assert 'type="number"' not in html
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("typed", ["31 2 2027", "2027-02-31", "soon", "31/13/2027"])
def test_a_date_that_is_not_real_is_a_clear_message(client, planner, place, typed):
    html = client.post(add_url(place), good(due_date=typed)).content.decode()
    assert summary_links(html) == {"Enter a real date, for example 31 3 2027": "id_due_date"}
    assert not Milestone.objects.exists()


def test_a_past_due_date_is_allowed_and_said_clearly(client, planner, place):
    form = client.get(add_url(place)).content.decode()
    assert "A date in the past is allowed, to record an earlier stage of the plan" in form
    past = datetime.date.today() - datetime.timedelta(days=400)
    response = client.post(add_url(place), good(due_date=past.isoformat()), follow=True)
    assert Milestone.objects.get().due_date == past
    assert "The due date is in the past, so it is recorded as an earlier stage of the plan" in (
        response.content.decode()
    )
    # A future date says nothing of the kind.
    future = datetime.date.today() + datetime.timedelta(days=700)
    response = client.post(add_url(place), good(due_date=future.isoformat()), follow=True)
    assert "Milestone added" in response.content.decode()
    assert "The due date is in the past" not in response.content.decode()


# --- 3. refused: the site's own page, saying what to do ------------------------------------------


def test_a_data_officer_is_refused_with_a_page_in_the_site_layout(client, place):
    officer = User.objects.create_user("officer", password="pw")
    Membership.objects.create(user=officer, authority=place, role=Role.DATA_OFFICER)
    client.force_login(officer)
    milestone = MilestoneFactory(authority=place)
    for url in (
        add_url(place),
        reverse("plan:milestone_edit", args=[place.gss_code, milestone.pk]),
        reverse("plan:milestone_delete", args=[place.gss_code, milestone.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        html = response.content.decode()
        assert "<title>You do not have access \u2013 Trajectory</title>" in html
        assert "govuk-service-navigation" in html and "govuk-footer" in html  # the site layout
        assert '<h1 class="govuk-heading-xl">You do not have access to this page</h1>' in html
        assert "Only approvers and administrators of Wakefield can change" in html.replace(
            "&#x27;", "'"
        )
        assert f'href="/accounts/login/?next={url}">sign in with that account</a>' in html
    assert client.post(add_url(place), good()).status_code == 403
    assert Milestone.objects.count() == 1
