"""draft → submitted → approved (locked, published) → reopened with a reason → resubmitted."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators.models import Observation, PeriodKind, Source
from indicators.returns import services
from indicators.returns.models import MonthlyReturn, ReturnEvent, ReturnStatus
from tests.indicators.returns.conftest import COMPLETE, MONTH, PREVIOUS, form_data, monthly

pytestmark = pytest.mark.django_db


def save(authority, user, entries=COMPLETE, version=0):
    return services.save_return_values(
        authority=authority, month=MONTH, user=user, entries=entries, version=version
    ).monthly_return


def submitted(authority, users):
    monthly_return = save(authority, users["data_officer"])
    return services.submit_return(monthly_return=monthly_return, user=users["data_officer"])


def approved(authority, users):
    monthly_return = submitted(authority, users)
    return services.approve_return(monthly_return=monthly_return, user=users["approver"])


def published(authority):
    return Observation.objects.filter(source=Source.MONTHLY_RETURN, area_code=authority.gss_code)


def test_the_whole_journey(authority, users):
    officer, approver = users["data_officer"], users["approver"]
    users["approver"].first_name, users["approver"].last_name = "Abi", "Approver"
    users["approver"].save()
    monthly_return = save(authority, officer)
    assert monthly_return.status == ReturnStatus.DRAFT
    monthly_return = services.submit_return(monthly_return=monthly_return, user=officer)
    assert (monthly_return.status, monthly_return.submitted_by) == (ReturnStatus.SUBMITTED, officer)
    assert not published(authority).exists()  # submitted figures are not public

    monthly_return = services.approve_return(monthly_return=monthly_return, user=approver)
    assert (monthly_return.status, monthly_return.approved_by) == (ReturnStatus.APPROVED, approver)
    observations = published(authority)
    assert observations.count() == 21
    caseload = observations.get(indicator__code="avg_caseload")
    assert caseload.value == pytest.approx(2100 / 110.5)
    assert (caseload.numerator, caseload.denominator) == (2100, 110.5)
    assert caseload.period_kind == PeriodKind.MONTH and caseload.period_start == MONTH
    assert caseload.release == f"Monthly return Wakefield {MONTH:%Y-%m}"
    assert caseload.section.startswith("Approved by Abi Approver on ")
    contacts = observations.get(indicator__code="contacts")
    assert contacts.value == 1200 and contacts.numerator is None

    monthly_return = services.reopen_return(
        monthly_return=monthly_return, user=approver, reason="Caseload figure was wrong"
    )
    assert monthly_return.status == ReturnStatus.REOPENED
    assert monthly_return.reopen_reason == "Caseload figure was wrong"
    assert monthly_return.approved_by is None
    assert not published(authority).exists()  # withdrawn: unapproved figures never show

    changed = {**COMPLETE, "avg_caseload": {"numerator": "2000", "denominator": "110.5"}}
    monthly_return = save(authority, officer, changed, version=monthly_return.version)
    monthly_return = services.submit_return(monthly_return=monthly_return, user=officer)
    monthly_return = services.approve_return(monthly_return=monthly_return, user=approver)
    assert published(authority).get(indicator__code="avg_caseload").value == pytest.approx(
        2000 / 110.5
    )
    kinds = list(
        ReturnEvent.objects.filter(monthly_return=monthly_return).values_list("kind", flat=True)
    )
    assert kinds == [
        "created",
        "saved",
        "submitted",
        "approved",
        "reopened",
        "saved",
        "submitted",
        "approved",
    ]


def test_approved_figures_are_observations_the_dashboard_can_show(client, authority, users):
    approved(authority, users)
    from reports import selectors as report_selectors

    codes = {i.code for i in report_selectors.indicators_with_data(authority)}
    assert {"avg_caseload", "contacts"} <= codes


def test_only_the_published_note_travels_with_the_published_figure(authority, users):
    cla = {
        "value": "650",
        "internal_note": "Two sibling groups from one family, named in the case notes",
        "published_note": "Two large sibling groups came into care",
    }
    monthly_return = save(authority, users["data_officer"], {**COMPLETE, "cla": cla})
    services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    services.approve_return(monthly_return=monthly_return, user=users["approver"])
    figure = published(authority).get(indicator__code="cla")
    assert figure.note == "Two large sibling groups came into care"
    assert "case notes" not in f"{figure.note} {figure.quote} {figure.section}"
    kept = monthly_return.values.get(indicator__code="cla")
    assert kept.internal_note == "Two sibling groups from one family, named in the case notes"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("draft", "A draft cannot be approved: it must be submitted first"),
        ("approved", "This return has already been approved"),
        ("reopened", "must be submitted again before it can be approved"),
    ],
)
def test_only_a_submitted_return_can_be_approved(authority, users, setup, message):
    officer, approver = users["data_officer"], users["approver"]
    if setup == "draft":
        monthly_return = save(authority, officer)
    elif setup == "approved":
        monthly_return = approved(authority, users)
    else:
        monthly_return = services.reopen_return(
            monthly_return=submitted(authority, users), user=approver, reason="Check CLA"
        )
    with pytest.raises(services.ReturnRefused, match=message):
        services.approve_return(monthly_return=monthly_return, user=approver)


def test_a_data_officer_cannot_approve(authority, users):
    monthly_return = submitted(authority, users)
    with pytest.raises(services.ReturnRefused, match="Only an approver or administrator"):
        services.approve_return(monthly_return=monthly_return, user=users["data_officer"])
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.SUBMITTED


def test_an_approver_cannot_enter_figures(authority, users):
    with pytest.raises(services.ReturnRefused, match="Only a data officer or administrator"):
        save(authority, users["approver"])
    assert not MonthlyReturn.objects.exists()


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_a_locked_return_cannot_be_edited(authority, users, state):
    monthly_return = (
        submitted(authority, users) if state == "submitted" else approved(authority, users)
    )
    with pytest.raises(services.ReturnRefused, match="cannot be changed"):
        save(authority, users["data_officer"], version=monthly_return.version)
    with pytest.raises(services.ReturnRefused):
        services.submit_return(monthly_return=monthly_return, user=users["data_officer"])


def test_editing_an_approved_return_through_the_form_is_refused_clearly(client, authority, users):
    monthly_return = approved(authority, users)
    client.force_login(users["data_officer"])
    url = reverse("returns:return", args=[authority.gss_code, MONTH])
    changed = {**COMPLETE, "contacts": {"value": "1"}}
    response = client.post(url, form_data(changed, version=monthly_return.version))
    assert response.status_code == 409
    assert "This return has been approved, so it cannot be changed" in response.content.decode()
    assert monthly_return.values.get(indicator__code="contacts").value == 1200
    page = client.get(url).content.decode()
    assert "Save draft" not in page  # locked: no inputs
    assert "locked" in page


def test_reopening_needs_a_reason_and_a_submitted_or_approved_return(authority, users):
    draft = save(authority, users["data_officer"])
    with pytest.raises(services.ReturnRefused, match="Only a submitted or approved return"):
        services.reopen_return(monthly_return=draft, user=users["approver"], reason="why")
    monthly_return = services.submit_return(monthly_return=draft, user=users["data_officer"])
    with pytest.raises(services.ReturnRefused, match="Give a reason"):
        services.reopen_return(monthly_return=monthly_return, user=users["approver"], reason=" ")
    with pytest.raises(services.ReturnRefused, match="Only an approver"):
        services.reopen_return(
            monthly_return=monthly_return, user=users["data_officer"], reason="why"
        )
    monthly_return = services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Referrals look low"
    )
    assert monthly_return.status == ReturnStatus.REOPENED
    again = services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    assert again.status == ReturnStatus.SUBMITTED


def test_submitting_twice_is_refused(authority, users):
    monthly_return = submitted(authority, users)
    with pytest.raises(services.ReturnRefused, match="already been submitted"):
        services.submit_return(monthly_return=monthly_return, user=users["data_officer"])


def test_submitting_needs_every_figure(authority, users):
    partial = {code: entry for code, entry in COMPLETE.items() if code != "cla"}
    partial["agency_sw_pct"] = {"numerator": "22.5"}
    monthly_return = save(authority, users["data_officer"], partial)
    with pytest.raises(services.ReturnRefused) as refused:
        services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    messages = [problem.message for problem in refused.value.problems]
    assert messages == [
        "Enter a figure for Children looked after at month end",
        "Enter a figure for All social workers (FTE)",
    ]
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.DRAFT


def test_a_large_change_needs_an_explanation_before_submitting(authority, users):
    monthly("contacts", authority.gss_code, PREVIOUS, 800)  # 1200 is 50% up
    monthly_return = save(authority, users["data_officer"])
    with pytest.raises(services.ReturnRefused) as refused:
        services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    assert [(p.indicator, p.field) for p in refused.value.problems] == [("contacts", "explanation")]
    explained = {**COMPLETE, "contacts": {"value": "1200", "explanation": "Schools reopened"}}
    monthly_return = save(
        authority, users["data_officer"], explained, version=monthly_return.version
    )
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    assert monthly_return.status == ReturnStatus.SUBMITTED


def test_the_timeline_shows_who_did_what_and_when(client, authority, users):
    monthly_return = approved(authority, users)
    services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Agency count was wrong"
    )
    client.force_login(users["board_member"])
    html = client.get(reverse("returns:return", args=[authority.gss_code, MONTH])).content
    html = html.decode()
    for words in ("Started", "Draft saved", "Submitted", "Approved", "Reopened"):
        assert f"<strong>{words}</strong> by" in html
    assert "by officer" in html and "by approver" in html
    assert "Agency count was wrong" in html


def test_the_reopen_reason_stays_on_the_return_until_it_is_approved_again(client, authority, users):
    monthly_return = services.reopen_return(
        monthly_return=approved(authority, users),
        user=users["approver"],
        reason="Referrals look low",
    )
    services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    client.force_login(users["approver"])
    url = reverse("returns:return", args=[authority.gss_code, MONTH])

    def summary() -> str:
        html = client.get(url).content.decode()
        return re.search(r'<dl class="govuk-summary-list.*?</dl>', html, re.S).group(0)

    shown = summary()  # submitted again: the approver sees why it was reopened, at the top
    assert '<dt class="govuk-summary-list__key">Reopened</dt>' in shown
    assert "by approver: “Referrals look low”" in shown
    assert (
        client.post(
            reverse("returns:approve", args=[authority.gss_code, MONTH]),
            {"version": MonthlyReturn.objects.get().version},
        ).status_code
        == 302
    )
    assert "Referrals look low" not in summary()  # approved again: in the timeline only


def test_approve_and_reopen_through_the_pages(client, authority, users):
    monthly_return = submitted(authority, users)
    client.force_login(users["approver"])
    page = client.get(reverse("returns:return", args=[authority.gss_code, MONTH])).content
    assert b"Approve and publish this return" in page
    response = client.post(
        reverse("returns:approve", args=[authority.gss_code, MONTH]),
        {"version": monthly_return.version},
    )
    assert response.status_code == 302
    assert published(authority).count() == 21

    reopen = reverse("returns:reopen", args=[authority.gss_code, MONTH])
    monthly_return.refresh_from_db()
    blank = client.post(reopen, {"reason": "", "version": monthly_return.version})
    assert blank.status_code == 200
    assert "Give a reason for reopening the return" in blank.content.decode()
    response = client.post(reopen, {"reason": "CLA visits", "version": monthly_return.version})
    assert response.status_code == 302
    assert not published(authority).exists()

    again = client.post(
        reverse("returns:approve", args=[authority.gss_code, MONTH]),
        {"version": monthly_return.version + 1},
    )
    assert again.status_code == 409
    assert "must be submitted again before it can be approved" in again.content.decode()


def test_a_stale_approval_is_refused(authority, users):
    monthly_return = submitted(authority, users)
    with pytest.raises(services.StaleReturn):
        services.approve_return(monthly_return=monthly_return, user=users["approver"], version=1)


def test_history_rows_cannot_be_changed_or_deleted(authority, users):
    save(authority, users["data_officer"])
    change = MonthlyReturn.objects.get().changes.first()
    change.new = "tampered"
    with pytest.raises(ValueError, match="history"):
        change.save()
    with pytest.raises(ValueError, match="history"):
        change.delete()
