"""Entering a return: the form with and without JavaScript, validation as a field is left,
the figures beside each field, concurrent edits and the history of every change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Source
from indicators.returns import selectors as returns_selectors
from indicators.returns import services, validation
from indicators.returns.models import MonthlyReturn, ReturnValue, ValueChange
from tests.indicators.returns.conftest import (
    COMPLETE,
    LAST_YEAR,
    MONTH,
    PREVIOUS,
    form_data,
    form_on_page,
    monthly,
)

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
        "contacts": {"value": "1,200", "internal_note": "Half-term dip"},
        "assessments_45wd_pct": {"numerator": "250", "denominator": "280"},
    }
    response = client.post(page_url(authority), form_data(entries))
    assert response.status_code == 302 and response["Location"] == page_url(authority)
    monthly_return = MonthlyReturn.objects.get()
    values = {v.indicator.code: v for v in monthly_return.values.select_related("indicator")}
    assert values["contacts"].value == 1200 and values["contacts"].internal_note == "Half-term dip"
    assert values["assessments_45wd_pct"].value == pytest.approx(89.2857, abs=1e-3)
    html = client.get(page_url(authority)).content.decode()
    # Four things entered: the percentage worked out from the two parts is not a fifth.
    assert "Draft saved: 4 changes saved" in html
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
        '<a href="#id_assessments_45wd_pct-numerator">Assessments completed within 45 working '
        "days must not be more than assessments completed</a>"
    ) in html
    assert 'value="-4"' in html and 'value="300"' in html  # what was typed is shown back
    assert "govuk-input--error" in html
    assert not MonthlyReturn.objects.exists()


def test_errors_name_the_field_by_the_label_the_person_sees(client, authority, officer):
    entries = {
        "contacts": {"value": "1e3"},
        "contacts_decided_1wd_pct": {"numerator": "5", "denominator": "0"},
        "avg_caseload": {"numerator": "2,100.5", "denominator": "110.5"},
    }
    html = client.post(page_url(authority), form_data(entries)).content.decode()
    for field, message in [
        ("contacts-value", "Enter a whole number for Contacts received, like 120"),
        ("contacts_decided_1wd_pct-denominator", "Contacts received must be more than 0"),
        ("avg_caseload-numerator", "Cases held must be a whole number"),
    ]:
        assert f'<a href="#id_{field}">{message}</a>' in html
        assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in html
    assert "Numerator for" not in html and "Denominator for" not in html
    assert not MonthlyReturn.objects.exists()


def test_submitting_an_incomplete_return_saves_the_draft_and_says_what_is_missing(
    client, authority, officer
):
    entries = {code: e for code, e in COMPLETE.items() if code != "referrals"}
    response = client.post(page_url(authority), form_data(entries, action="submit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your draft was saved (35 changes saved), but the return cannot be submitted" in html
    assert '<a href="#id_referrals-value">Enter a figure for Referrals received</a>' in html
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == "draft" and monthly_return.values.count() == 20
    assert f'name="version" value="{monthly_return.version}"' in html

    # Submitting again with nothing changed does not claim a save.
    data = form_data(entries, action="submit", version=monthly_return.version)
    html = client.post(page_url(authority), data).content.decode()
    assert (
        "Nothing was saved, as no figure changed since the last save, and the return cannot "
        "be submitted yet"
    ) in html
    assert "draft was saved" not in html


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
    assert "must not be more than assessments completed" in html
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
    # Focus has moved on (to the notes) by the time the box appears: the warning says
    # where it is, and it is where the warning says.
    warning = html.index("explain the change in the box below this warning")
    assert warning < html.index('id="id_assessments_45wd_pct-explanation"')
    assert html.index("</strong>", warning) < html.index("<textarea")


def test_what_a_check_finds_is_announced_politely_and_not_as_the_page_loads(
    client, authority, officer
):
    html = client.get(page_url(authority)).content.decode()
    empty = '<div class="govuk-visually-hidden" id="contacts-live" aria-live="polite"></div>'
    assert empty in html  # on the page from the start, with nothing to say
    assert html.count('aria-live="polite"></div>') == 21
    group = html.index('id="group-contacts"')
    assert html.index('id="contacts-history-link"', group) < html.index(empty, group)  # after
    fragment = client.post(
        field_url(authority, "contacts"), {"contacts-value": "-4"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert (
        '<div id="contacts-live" hx-swap-oob="innerHTML"><p>Error: Contacts received must be 0 '
        "or more</p></div>"
    ) in fragment
    assert fragment.index('id="group-contacts"') < fragment.index('id="contacts-live"')
    assert "aria-live" not in fragment  # the region stays; only what it says is swapped


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


def values_now() -> dict[str, tuple]:
    return {
        v.indicator.code: (v.value, v.numerator, v.denominator, v.internal_note)
        for v in ReturnValue.objects.select_related("indicator")
    }


def at(change: ValueChange) -> str:
    return f"{timezone.localtime(change.changed_at):%H:%M}"


HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_stale_save_from_a_second_tab_does_not_undo_the_first_tabs_change(
    client, authority, officer, headers
):
    """Two tabs, one data officer, one draft. Tab A saves referrals 152; tab B, opened before
    that, is refused, and its refilled form must not carry B's stale 148 back over A's 152."""
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=officer,
        entries={"referrals": {"value": "148"}, "cla": {"value": "600"}},
        version=0,
    )
    url = page_url(authority)
    tab_b = form_on_page(client.get(url).content.decode(), url)
    tab_a = form_on_page(client.get(url).content.decode(), url)
    assert tab_b["referrals-value"] == "148" and tab_b["version"] == "1"

    tab_a.update({"referrals-value": "152", "cla-value": "610"})
    assert client.post(url, {**tab_a, "action": "save"}).status_code == 302

    tab_b["contacts-value"] = "1,100"  # only B changed this
    tab_b["cla-value"] = "620"  # both changed this
    before, version = values_now(), MonthlyReturn.objects.get().version
    changes_before = ValueChange.objects.count()
    response = client.post(url, {**tab_b, "action": "save"}, headers=headers)
    html = response.content.decode()

    assert response.status_code == 409
    refilled = form_on_page(html, url)
    # Untouched by B: A's figure, and no message about it.
    assert refilled["referrals-value"] == "152"
    assert values_now() == before  # nothing saved by the refused request
    assert MonthlyReturn.objects.get().version == version
    assert ValueChange.objects.count() == changes_before
    assert "so nothing was saved" in html
    assert refilled["version"] == str(version)
    assert 'id="id_referrals-value-conflict"' not in html
    assert "for Referrals received" not in html
    # Changed by B alone: B's input, no message.
    assert refilled["contacts-value"] == "1,100"
    assert 'id="id_contacts-value-conflict"' not in html
    # Changed by both: B's input, and what A saved, when.
    assert refilled["cla-value"] == "620"
    latest = ValueChange.objects.filter(indicator__code="cla").latest("pk")
    message = (
        "You saved 610 for Children looked after at month end in another tab or window since "
        f"you opened this one ({at(latest)}). Your 620 is in the field: check it, then save again."
    )
    assert message in html
    assert f'<a href="#id_cla-value">{message}</a>' in html  # in the summary, linked
    assert 'aria-describedby="cla-hint cla-beside id_cla-value-conflict"' in html

    # B saves the refilled form as it stands: A's 152 stays, B's changes are saved.
    assert client.post(url, {**refilled, "action": "save"}).status_code == 302
    saved = values_now()
    assert saved["referrals"][0] == 152
    assert saved["contacts"][0] == 1100
    assert saved["cla"][0] == 620


def test_a_stale_save_names_the_colleague_who_changed_the_same_figure(
    client, authority, users, officer
):
    colleague = users["administrator"]
    colleague.first_name, colleague.last_name = "Alex", "Person"
    colleague.save()
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=officer,
        entries={
            "assessments_45wd_pct": {"numerator": "250", "denominator": "280"},
            "cla": {"value": "600", "internal_note": "Steady"},
        },
        version=0,
    )
    url = page_url(authority)
    mine = form_on_page(client.get(url).content.decode(), url)
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=colleague,
        entries={
            "assessments_45wd_pct": {"numerator": "260", "denominator": "280"},
            "cla": {"value": "600", "internal_note": "Two sibling groups"},
        },
        version=1,
    )
    mine.update(
        {
            "assessments_45wd_pct-numerator": "255",
            "assessments_45wd_pct-denominator": "280",
            "cla-internal_note": "Up a little",
        }
    )
    before = values_now()
    response = client.post(url, {**mine, "action": "save"})
    html = response.content.decode()
    assert response.status_code == 409 and values_now() == before
    numerator = ValueChange.objects.get(field="numerator", new="260")
    assert (
        "Someone else saved 260 for Assessments completed within 45 working days since you "
        f"opened the return (Alex Person, {at(numerator)}). Your 255 is in the field: check it, "
        "then save again."
    ) in html
    assert (
        "Someone else changed the internal note on children looked after at month end since you "
        f"opened the return (Alex Person, {at(numerator)}): it now says “Two sibling groups”. "
        "Yours is in the box: check it, then save again."
    ) in html
    assert "2 fields you changed had also been changed since: check them" in html
    refilled = form_on_page(html, url)
    assert refilled["assessments_45wd_pct-numerator"] == "255"
    assert refilled["cla-internal_note"] == "Up a little"
    assert refilled["assessments_45wd_pct-denominator"] == "280"


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
        form_data({"cla": {"value": "610", "internal_note": "Corrected"}}, version=version),
    )
    version = MonthlyReturn.objects.get().version
    client.post(page_url(authority), form_data({"cla": {"value": ""}}, version=version))
    changes = ValueChange.objects.filter(indicator__code="cla").order_by("pk")
    assert [(c.field, c.old, c.new, c.via) for c in changes] == [
        ("value", "", "600", "form"),
        ("value", "600", "610", "form"),
        ("internal_note", "", "Corrected", "form"),
        ("value", "610", "", "form"),
        ("internal_note", "Corrected", "", "form"),
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


def approved_as_the_demo_writes_it(authority, users) -> MonthlyReturn:
    """An approved return whose percentages were stored as the demo stores them: to full float
    precision (89.28571428571429), not to the 6 places a save keeps (89.285714)."""
    monthly_return = MonthlyReturn.objects.create(
        authority=authority,
        month=MONTH,
        status="approved",
        version=3,
        submitted_by=users["data_officer"],
        submitted_at=timezone.now(),
        approved_by=users["approver"],
        approved_at=timezone.now(),
    )
    for ind in returns_selectors.month_indicators():
        entry = COMPLETE[ind.code]
        if validation.is_ratio(ind):
            numerator, denominator = float(entry["numerator"]), float(entry["denominator"])
            scale = 1 if validation.is_caseload(ind) else 100
            parts = {"numerator": numerator, "denominator": denominator}
            value = numerator / denominator * scale
        else:
            parts, value = {}, float(entry["value"])
        ReturnValue.objects.create(
            monthly_return=monthly_return, indicator=ind, value=value, internal_note="Demo", **parts
        )
    return services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Referrals look low"
    )


def test_changing_one_figure_of_a_reopened_return_records_one_change(
    client, authority, users, officer
):
    approved_as_the_demo_writes_it(authority, users)
    url = page_url(authority)
    tab = form_on_page(client.get(url).content.decode(), url)
    assert tab["referrals-value"] == "300"
    tab["referrals-value"] = "310"
    response = client.post(url, {**tab, "action": "save"}, follow=True)
    html = response.content.decode()
    assert "Draft saved: 1 change saved" in html
    changes = ValueChange.objects.all()
    assert [(c.indicator.code, c.field, c.old, c.new) for c in changes] == [
        ("referrals", "value", "300", "310")
    ]
    assert "(1 change)" in html  # the timeline's note
    # The percentages nobody touched keep what they were, to the last decimal.
    assessments = ReturnValue.objects.get(indicator__code="assessments_45wd_pct")
    assert assessments.value == 250 / 280 * 100


def test_the_history_shows_figures_as_the_indicator_writes_them(client, authority, users, officer):
    approved_as_the_demo_writes_it(authority, users)
    url = page_url(authority)
    tab = form_on_page(client.get(url).content.decode(), url)
    tab["assessments_45wd_pct-numerator"] = "260"  # 89.3% to 92.9%
    tab["contacts-value"] = "1,250"
    response = client.post(url, {**tab, "action": "save"}, follow=True)
    assert "Draft saved: 2 changes saved" in response.content.decode()  # not 3: the % follows

    html = client.get(
        reverse("returns:value_history", args=[authority.gss_code, MONTH, "assessments_45wd_pct"])
    ).content.decode()
    cells = [
        re.sub(r"\s+", " ", cell).strip()
        for cell in re.findall(r'<td class="govuk-table__cell">(.*?)</td>', html, re.S)
    ]
    # Newest first: the percentage worked out, then the numerator (under its own label).
    assert cells[2:5] == ["Percentage (worked out)", "89.3%", "92.9%"]
    assert cells[8:11] == ["Assessments completed within 45 working days", "250", "260"]
    assert "89.28571429" not in html and "92.857143" not in html
    every = client.get(reverse("returns:history", args=[authority.gss_code, MONTH]))
    assert '<td class="govuk-table__cell">1,250</td>' in every.content.decode()


def test_saving_the_same_figures_again_changes_nothing(client, authority, officer):
    first = client.post(page_url(authority), form_data({"cla": {"value": "600"}}), follow=True)
    assert "Draft saved: 1 change saved" in first.content.decode()
    monthly_return = MonthlyReturn.objects.get()
    client.post(
        page_url(authority), form_data({"cla": {"value": "600"}}, version=monthly_return.version)
    )
    monthly_return.refresh_from_db()
    assert monthly_return.version == 1
    assert ValueChange.objects.count() == 1
    html = client.get(page_url(authority)).content.decode()
    assert "Nothing was saved: no figure changed since the last save." in html
    assert "Draft saved:" not in html
    assert "govuk-notification-banner--success" not in html  # not shown as a success


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
