"""Entering a return: the form with and without JavaScript, validation as a field is left,
the figures beside each field, concurrent edits and the history of every change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import MonthlyReturn, ReturnValue, Source, ValueChange
from tests.returns.conftest import COMPLETE, LAST_YEAR, MONTH, PREVIOUS, form_data, monthly

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, users):
    client.force_login(users["data_officer"])
    return users["data_officer"]


def page_url(authority):
    return reverse("returns:return", args=[authority.gss_code, MONTH])


def field_url(authority, code):
    return reverse("returns:validate", args=[authority.gss_code, MONTH, code])


def test_the_form_has_every_indicator_in_the_right_shape(client, authority, officer):
    html = client.get(page_url(authority)).content.decode()
    # 21 indicators: 6 counts with one input, 15 ratios with a fieldset of two.
    assert html.count('class="govuk-form-group app-return-field') == 21
    assert html.count("<fieldset") == 15
    assert '<label class="govuk-label govuk-label--m" for="id_contacts-value">' in html
    assert re.search(
        r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">\s*'
        r'<h2 class="govuk-fieldset__heading">Assessments completed within 45 working days</h2>',
        html,
    )
    label = '<label class="govuk-label" for="id_avg_caseload-denominator">Case-holding social '
    assert label in html
    assert 'name="version" value="0"' in html
    assert 'hx-post="/returns/E08000036/' in html and 'hx-trigger="change"' in html
    assert "<script>" not in html


def test_last_month_and_last_year_are_beside_each_field(client, authority, officer):
    monthly("contacts", authority.gss_code, PREVIOUS, 1100)
    monthly("contacts", authority.gss_code, LAST_YEAR, 950)
    monthly("agency_sw_pct", authority.gss_code, PREVIOUS, 30.0)  # demo...
    monthly(
        "agency_sw_pct",
        authority.gss_code,
        PREVIOUS,
        15.0,
        source=Source.MONTHLY_RETURN,
        release="Monthly return",
    )  # ...but the approved return wins
    monthly("contacts", "E08000034", PREVIOUS, 5)  # another authority's: not shown
    html = client.get(page_url(authority)).content.decode()
    assert f"Last month ({PREVIOUS:%b %Y}): <strong>1,100</strong>, simulated demo data" in html
    assert f"Same month last year ({LAST_YEAR:%b %Y}): <strong>950</strong>" in html
    assert "<strong>15.0%</strong>, monthly return" in html
    assert "30.0%" not in html


def test_saving_a_draft_without_javascript(client, authority, officer):
    entries = {
        "contacts": {"value": "1,200", "commentary": "Half-term dip"},
        "assessments_45wd_pct": {"numerator": "250", "denominator": "280"},
    }
    response = client.post(page_url(authority), form_data(entries))
    assert response.status_code == 302 and response["Location"] == page_url(authority)
    monthly_return = MonthlyReturn.objects.get()
    values = {v.indicator.code: v for v in monthly_return.values.select_related("indicator")}
    assert values["contacts"].value == 1200 and values["contacts"].commentary == "Half-term dip"
    assert values["assessments_45wd_pct"].value == pytest.approx(89.2857, abs=1e-3)
    html = client.get(page_url(authority)).content.decode()
    assert "Draft saved: 5 changes saved" in html
    assert 'value="1200"' in html
    assert "Works out at <strong>89.3%</strong>" in html
    assert f'name="version" value="{monthly_return.version}"' in html


def test_a_bad_figure_is_shown_back_with_an_error_summary_and_nothing_saved(
    client, authority, officer
):
    entries = {
        "contacts": {"value": "-4"},
        "assessments_45wd_pct": {"numerator": "300", "denominator": "280"},
        "referrals": {"value": "300"},
    }
    response = client.post(page_url(authority), form_data(entries))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error:" in html
    assert '<a href="#id_contacts-value">Contacts received must be 0 or more</a>' in html
    assert (
        '<a href="#id_assessments_45wd_pct-numerator">Numerator for Assessments completed within '
        "45 working days must not be more than the denominator</a>"
    ) in html
    assert 'value="-4"' in html and 'value="300"' in html  # what was typed is shown back
    assert "govuk-input--error" in html
    assert not MonthlyReturn.objects.exists()


def test_submitting_an_incomplete_return_saves_the_draft_and_says_what_is_missing(
    client, authority, officer
):
    entries = {code: e for code, e in COMPLETE.items() if code != "referrals"}
    response = client.post(page_url(authority), form_data(entries, action="submit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your draft was saved" in html
    assert '<a href="#id_referrals-value">Enter a figure for Referrals received</a>' in html
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == "draft" and monthly_return.values.count() == 20
    assert f'name="version" value="{monthly_return.version}"' in html


def test_submitting_a_complete_return(client, authority, officer):
    response = client.post(page_url(authority), form_data(COMPLETE, action="submit"))
    assert response.status_code == 302
    assert MonthlyReturn.objects.get().status == "submitted"
    html = client.get(page_url(authority)).content.decode()
    assert "submitted for approval" in html
    assert "Save draft" not in html


def test_a_warning_allows_a_draft_but_needs_an_explanation_to_submit(client, authority, officer):
    monthly("cla", authority.gss_code, PREVIOUS, 400)  # 650 is 62% up
    response = client.post(page_url(authority), form_data(COMPLETE, action="submit"))
    html = response.content.decode()
    assert "Children looked after at month end rose by 62% since last month (400 to 650)" in html
    assert (
        '<a href="#id_cla-explanation">Explain why Children looked after at month end changed '
        "so much since last month</a>"
    ) in html
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == "draft"
    data = form_data(COMPLETE, action="submit", version=monthly_return.version)
    data["cla-explanation"] = "A large sibling group came into care"
    response = client.post(page_url(authority), data)
    assert response.status_code == 302
    monthly_return.refresh_from_db()
    assert monthly_return.status == "submitted"


# --- validation as the user leaves a field (htmx) -------------------------------------------


def test_leaving_a_field_returns_its_group_with_the_error(client, authority, officer):
    response = client.post(
        field_url(authority, "assessments_45wd_pct"),
        {"assessments_45wd_pct-numerator": "300", "assessments_45wd_pct-denominator": "280"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert html.lstrip().startswith(
        '<div class="govuk-form-group app-return-field govuk-form-group--error" '
        'id="group-assessments_45wd_pct"'
    )
    assert "<html" not in html
    assert "must not be more than the denominator" in html
    assert 'value="300"' in html
    assert not MonthlyReturn.objects.exists()  # checking saves nothing


def test_leaving_a_field_shows_the_percentage_and_a_warning(client, authority, officer):
    monthly("assessments_45wd_pct", authority.gss_code, PREVIOUS, 60.0)
    html = client.post(
        field_url(authority, "assessments_45wd_pct"),
        {"assessments_45wd_pct-numerator": "250", "assessments_45wd_pct-denominator": "280"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Works out at <strong>89.3%</strong>" in html
    assert "rose by 29.3 percentage points since last month" in html
    assert 'id="id_assessments_45wd_pct-explanation"' in html  # asks for the explanation
    assert "govuk-form-group--error" not in html  # a warning is not an error


def test_leaving_a_caseload_field_shows_cases_per_fte(client, authority, officer):
    html = client.post(
        field_url(authority, "avg_caseload"),
        {"avg_caseload-numerator": "2100", "avg_caseload-denominator": "110.5"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Works out at <strong>19.0</strong> cases for each full-time social worker" in html


def test_the_field_endpoint_without_htmx_goes_back_to_the_page(client, authority, officer):
    response = client.post(field_url(authority, "contacts"), {"contacts-value": "1"})
    assert response.status_code == 302 and response["Location"] == page_url(authority)


def test_an_unknown_indicator_fragment_is_not_found(client, authority, officer):
    response = client.post(field_url(authority, "turnover"), {}, headers={"HX-Request": "true"})
    assert response.status_code == 404


# --- two people editing the same return ------------------------------------------------------


def test_a_stale_save_is_refused_and_the_input_is_shown_back(client, authority, users, officer):
    # Both open the return at version 0; the administrator saves first.
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["administrator"],
        entries={"contacts": {"value": "1000"}},
        version=0,
    )
    mine = {"contacts": {"value": "1234", "commentary": "My count"}}
    response = client.post(page_url(authority), form_data(mine, version=0))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this return since you opened it" in html
    assert 'value="1234"' in html and "My count" in html  # the input is not lost
    assert "<strong>Saved now:</strong>\n    1000" in html  # beside what is saved now
    saved = ReturnValue.objects.get(indicator__code="contacts")
    assert saved.value == 1000  # nothing overwritten
    current = MonthlyReturn.objects.get().version
    assert f'name="version" value="{current}"' in html

    # Having seen both, saving again replaces it, and the history keeps both.
    response = client.post(page_url(authority), form_data(mine, version=current))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.value == 1234
    changes = ValueChange.objects.filter(indicator__code="contacts", field="value")
    assert [(c.old, c.new, c.changed_by_name) for c in changes.order_by("pk")] == [
        ("", "1000", "admin"),
        ("1000", "1234", "officer"),
    ]


def test_the_service_refuses_a_stale_version(authority, users):
    first = services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"contacts": {"value": "1"}},
        version=0,
    ).monthly_return
    with pytest.raises(services.StaleReturn):
        services.save_return_values(
            authority=authority,
            month=MONTH,
            user=users["data_officer"],
            entries={"contacts": {"value": "2"}},
            version=first.version - 1,
        )


# --- history ----------------------------------------------------------------------------------


def test_every_change_is_kept_with_old_and_new(client, authority, users, officer):
    client.post(page_url(authority), form_data({"cla": {"value": "600"}}))
    version = MonthlyReturn.objects.get().version
    client.post(
        page_url(authority),
        form_data({"cla": {"value": "610", "commentary": "Corrected"}}, version=version),
    )
    version = MonthlyReturn.objects.get().version
    client.post(page_url(authority), form_data({"cla": {"value": ""}}, version=version))
    changes = ValueChange.objects.filter(indicator__code="cla").order_by("pk")
    assert [(c.field, c.old, c.new, c.via) for c in changes] == [
        ("value", "", "600", "form"),
        ("value", "600", "610", "form"),
        ("commentary", "", "Corrected", "form"),
        ("value", "610", "", "form"),
        ("commentary", "Corrected", "", "form"),
    ]
    assert all(c.changed_by == users["data_officer"] for c in changes)
    assert [c.version for c in changes] == [1, 2, 2, 3, 3]

    html = client.get(
        reverse("returns:value_history", args=[authority.gss_code, MONTH, "cla"])
    ).content.decode()
    assert "History of children looked after at month end" in html
    assert html.count('<td class="govuk-table__cell">officer</td>') == 5
    fragment = client.get(
        reverse("returns:history", args=[authority.gss_code, MONTH]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="changes">') and "<html" not in fragment


def test_saving_the_same_figures_again_changes_nothing(client, authority, officer):
    client.post(page_url(authority), form_data({"cla": {"value": "600"}}))
    monthly_return = MonthlyReturn.objects.get()
    client.post(
        page_url(authority), form_data({"cla": {"value": "600"}}, version=monthly_return.version)
    )
    monthly_return.refresh_from_db()
    assert monthly_return.version == 1
    assert ValueChange.objects.count() == 1


def test_queries_do_not_grow_with_the_figures(client, authority, users, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = services.save_return_values(
        authority=authority, month=MONTH, user=officer, entries={"cla": {"value": "1"}}, version=0
    ).monthly_return
    with CaptureQueriesContext(connection) as empty:
        client.get(page_url(authority))
    services.save_return_values(
        authority=authority, month=MONTH, user=officer, entries=COMPLETE, version=started.version
    )
    for code in COMPLETE:
        monthly(code, authority.gss_code, PREVIOUS, 10)
        monthly(code, authority.gss_code, LAST_YEAR, 10)
    with CaptureQueriesContext(connection) as full:
        client.get(page_url(authority))
    assert len(full) == len(empty)


def test_a_stale_approval_through_the_page_says_the_return_changed(client, authority, users):
    monthly_return = services.save_return_values(
        authority=authority, month=MONTH, user=users["data_officer"], entries=COMPLETE, version=0
    ).monthly_return
    services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    client.force_login(users["approver"])
    response = client.post(
        reverse("returns:approve", args=[authority.gss_code, MONTH]), {"version": "1"}
    )
    assert response.status_code == 409
    assert "The return has changed since you opened it" in response.content.decode()
    monthly_return.refresh_from_db()
    assert monthly_return.status == "submitted"
