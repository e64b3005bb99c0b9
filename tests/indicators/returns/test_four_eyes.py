"""Four eyes: whoever submitted a return, or entered or changed its figures since it was last
reopened (or started), may not approve it, whatever roles they hold."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from authorities.models import AuditAction, AuditEntry, Membership, Role
from indicators.models import Observation, Source
from indicators.returns import services
from indicators.returns.models import MonthlyReturn, ReturnEvent, ReturnStatus
from tests.indicators.returns.conftest import COMPLETE, MONTH, form_data, make_user

pytestmark = pytest.mark.django_db

REFUSED = "You submitted this return, so someone else must approve it"
NOTE = "You submitted this return: another approver must approve it."
APPROVE_BUTTON = "Approve and publish this return"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/returns/"}


@pytest.fixture
def both_roles(authority):
    """A data officer who is also an approver of the same authority."""
    user = make_user("officer_and_approver", Role.DATA_OFFICER, authority)
    Membership.objects.create(user=user, role=Role.APPROVER, authority=authority)
    return user


def submitted_by(authority, user) -> MonthlyReturn:
    monthly_return = services.save_return_values(
        authority=authority, month=MONTH, user=user, entries=COMPLETE, version=0
    ).monthly_return
    return services.submit_return(monthly_return=monthly_return, user=user)


def page_url(authority) -> str:
    return reverse("returns:return", args=[authority.gss_code, MONTH])


def approve_url(authority) -> str:
    return reverse("returns:approve", args=[authority.gss_code, MONTH])


def assert_still_submitted(monthly_return: MonthlyReturn) -> None:
    """Nothing was written: the return, its timeline, the audit log and the published figures
    are as they were when it was submitted."""
    version = monthly_return.version
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.SUBMITTED
    assert monthly_return.version == version
    assert monthly_return.approved_at is None and monthly_return.approved_by is None
    assert not ReturnEvent.objects.filter(kind="approved").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.RETURN_APPROVED).exists()
    assert not Observation.objects.filter(source=Source.MONTHLY_RETURN).exists()


# --- the service ------------------------------------------------------------------------------


def test_the_submitter_cannot_approve_even_as_an_approver(authority, both_roles):
    monthly_return = submitted_by(authority, both_roles)
    with pytest.raises(services.ReturnRefused, match=REFUSED) as refused:
        services.approve_return(monthly_return=monthly_return, user=both_roles)
    assert "Ask another approver or an administrator" in refused.value.message
    assert_still_submitted(monthly_return)


def test_a_different_approver_can_approve_it(authority, users, both_roles):
    monthly_return = submitted_by(authority, both_roles)
    with pytest.raises(services.ReturnRefused):
        services.approve_return(monthly_return=monthly_return, user=both_roles)
    approved = services.approve_return(monthly_return=monthly_return, user=users["approver"])
    assert (approved.status, approved.approved_by) == (ReturnStatus.APPROVED, users["approver"])
    assert approved.submitted_by == both_roles
    assert Observation.objects.filter(source=Source.MONTHLY_RETURN).count() == 21


@pytest.mark.parametrize("role", ["administrator", "local_administrator"])
def test_an_administrator_who_submitted_cannot_approve(authority, users, role):
    monthly_return = submitted_by(authority, users[role])
    with pytest.raises(services.ReturnRefused, match=REFUSED):
        services.approve_return(monthly_return=monthly_return, user=users[role])
    assert_still_submitted(monthly_return)
    approved = services.approve_return(monthly_return=monthly_return, user=users["approver"])
    assert approved.status == ReturnStatus.APPROVED


def test_the_submitter_can_still_reopen_it(authority, both_roles):
    monthly_return = submitted_by(authority, both_roles)
    reopened = services.reopen_return(
        monthly_return=monthly_return, user=both_roles, reason="I entered the wrong month"
    )
    assert (reopened.status, reopened.reopened_by) == (ReturnStatus.REOPENED, both_roles)


def test_it_is_whoever_submitted_last_who_may_not_approve(authority, users, both_roles):
    monthly_return = submitted_by(authority, both_roles)
    monthly_return = services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Check referrals"
    )
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    approved = services.approve_return(monthly_return=monthly_return, user=both_roles)
    assert (approved.status, approved.approved_by) == (ReturnStatus.APPROVED, both_roles)


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
def test_approving_your_own_return_through_the_page_is_refused(
    client, authority, both_roles, headers
):
    monthly_return = submitted_by(authority, both_roles)
    client.force_login(both_roles)
    response = client.post(
        approve_url(authority), {"version": monthly_return.version}, headers=headers
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert REFUSED in html
    assert "govuk-error-summary" in html
    assert APPROVE_BUTTON not in html
    assert_still_submitted(monthly_return)


def test_the_submitter_is_told_why_there_is_no_approve_button(client, authority, both_roles):
    monthly_return = submitted_by(authority, both_roles)
    client.force_login(both_roles)
    response = client.get(page_url(authority))
    html = response.content.decode()
    assert APPROVE_BUTTON not in html
    assert f'action="{approve_url(authority)}"' not in html
    assert NOTE in html
    assert reverse("returns:reopen", args=[authority.gss_code, MONTH]) in html  # may reopen
    assert response.context["can_approve"] is False
    assert response.context["can_reopen"] is True
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.SUBMITTED


def test_another_approver_sees_the_button_and_no_note(client, authority, users, both_roles):
    submitted_by(authority, both_roles)
    client.force_login(users["approver"])
    html = client.get(page_url(authority)).content.decode()
    assert APPROVE_BUTTON in html
    assert NOTE not in html


def test_an_administrator_who_submitted_sees_the_note_not_the_button(client, authority, users):
    submitted_by(authority, users["administrator"])
    client.force_login(users["administrator"])
    html = client.get(page_url(authority)).content.decode()
    assert APPROVE_BUTTON not in html
    assert NOTE in html
    client.force_login(users["local_administrator"])
    html = client.get(page_url(authority)).content.decode()
    assert APPROVE_BUTTON in html and NOTE not in html


def test_a_data_officer_who_cannot_approve_sees_no_note(client, authority, users):
    submitted_by(authority, users["data_officer"])
    client.force_login(users["data_officer"])
    html = client.get(page_url(authority)).content.decode()
    assert APPROVE_BUTTON not in html and NOTE not in html


def test_submit_through_the_form_then_hand_over_to_another_approver(
    client, authority, users, both_roles
):
    client.force_login(both_roles)
    response = client.post(page_url(authority), form_data(COMPLETE, action="submit"), follow=True)
    html = response.content.decode()
    assert "return was submitted for approval" in html
    assert NOTE in html and APPROVE_BUTTON not in html

    client.force_login(users["approver"])
    monthly_return = MonthlyReturn.objects.get(authority=authority, month=MONTH)
    response = client.post(approve_url(authority), {"version": monthly_return.version})
    assert response.status_code == 302
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.APPROVED
    assert (monthly_return.submitted_by, monthly_return.approved_by) == (
        both_roles,
        users["approver"],
    )


# --- whoever entered or changed the figures may not approve them either ------------------------

CHANGED_REFUSED = (
    "You entered or changed figures in this return since it was started, so someone else must "
    "approve it"
)
CHANGED_NOTE = (
    "You entered or changed figures in this return since it was started: another approver "
    "must approve it."
)


def entered_by(authority, user, entries=COMPLETE) -> MonthlyReturn:
    return services.save_return_values(
        authority=authority, month=MONTH, user=user, entries=entries, version=0
    ).monthly_return


@pytest.mark.parametrize("role", ["administrator", "local_administrator"])
def test_an_administrator_who_entered_the_figures_cannot_approve_what_another_submitted(
    authority, users, role
):
    """The attack: an administrator enters the figures, a data officer submits them unchanged,
    and the administrator approves them, so one person alone published them."""
    monthly_return = entered_by(authority, users[role])
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    with pytest.raises(services.ReturnRefused, match=CHANGED_REFUSED):
        services.approve_return(monthly_return=monthly_return, user=users[role])
    assert_still_submitted(monthly_return)
    # The allowed case: someone who neither entered nor submitted them approves them.
    approved = services.approve_return(monthly_return=monthly_return, user=users["approver"])
    assert (approved.status, approved.approved_by) == (ReturnStatus.APPROVED, users["approver"])
    assert Observation.objects.filter(source=Source.MONTHLY_RETURN).count() == 21


def test_changing_one_note_is_enough_to_be_refused(authority, users, both_roles):
    monthly_return = entered_by(authority, users["data_officer"])
    monthly_return = services.save_return_values(
        authority=authority,
        month=MONTH,
        user=both_roles,
        entries={"cla": {"value": "650", "internal_note": "Two sibling groups came into care"}},
        version=monthly_return.version,
    ).monthly_return
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    with pytest.raises(services.ReturnRefused, match=CHANGED_REFUSED):
        services.approve_return(monthly_return=monthly_return, user=both_roles)
    assert_still_submitted(monthly_return)


def test_figures_uploaded_count_as_entered(client, authority, users, both_roles):
    client.force_login(both_roles)
    template = client.get(reverse("returns:template_csv", args=[authority.gss_code, MONTH]))
    lines = template.content.decode().lstrip("\ufeff").splitlines()
    contacts = next(i for i, line in enumerate(lines) if ",contacts," in line)
    cells = lines[contacts].split(",")
    cells[4] = "1250"
    lines[contacts] = ",".join(cells)
    response = client.post(
        reverse("returns:upload", args=[authority.gss_code, MONTH]),
        {"file": SimpleUploadedFile("contacts.csv", "\n".join(lines).encode()), "version": "0"},
    )
    assert response.status_code == 302
    monthly_return = MonthlyReturn.objects.get()
    rest = {code: entry for code, entry in COMPLETE.items() if code != "contacts"}
    monthly_return = services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries=rest,
        version=monthly_return.version,
    ).monthly_return
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    with pytest.raises(services.ReturnRefused, match=CHANGED_REFUSED):
        services.approve_return(monthly_return=monthly_return, user=both_roles)
    assert_still_submitted(monthly_return)


def test_only_work_since_the_return_was_last_reopened_counts(authority, users, both_roles):
    """Figures someone entered before the return was reopened were looked at by the approver
    of that round; what counts is who changed it since."""
    monthly_return = entered_by(authority, both_roles)
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    monthly_return = services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Check referrals"
    )
    monthly_return = services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"referrals": {"value": "310"}},
        version=monthly_return.version,
    ).monthly_return
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    approved = services.approve_return(monthly_return=monthly_return, user=both_roles)
    assert (approved.status, approved.approved_by) == (ReturnStatus.APPROVED, both_roles)

    # Reopened again, and this time the same person changes a figure: refused.
    monthly_return = services.reopen_return(
        monthly_return=approved, user=users["approver"], reason="Referrals again"
    )
    monthly_return = services.save_return_values(
        authority=authority,
        month=MONTH,
        user=both_roles,
        entries={"referrals": {"value": "312"}},
        version=monthly_return.version,
    ).monthly_return
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    with pytest.raises(services.ReturnRefused, match="since it was last reopened"):
        services.approve_return(monthly_return=monthly_return, user=both_roles)
    assert monthly_return.status == ReturnStatus.SUBMITTED


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
def test_the_page_refuses_and_explains_to_whoever_entered_the_figures(
    client, authority, users, headers
):
    monthly_return = entered_by(authority, users["local_administrator"])
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    client.force_login(users["local_administrator"])
    html = client.get(page_url(authority)).content.decode()
    assert APPROVE_BUTTON not in html
    assert f'action="{approve_url(authority)}"' not in html
    assert CHANGED_NOTE in html and NOTE not in html
    response = client.post(
        approve_url(authority), {"version": monthly_return.version}, headers=headers
    )
    assert response.status_code == 409
    assert CHANGED_REFUSED in response.content.decode()
    assert_still_submitted(monthly_return)

    client.force_login(users["approver"])
    html = client.get(page_url(authority)).content.decode()
    assert APPROVE_BUTTON in html and CHANGED_NOTE not in html
    response = client.post(approve_url(authority), {"version": monthly_return.version})
    assert response.status_code == 302
    monthly_return.refresh_from_db()
    assert monthly_return.approved_by == users["approver"]
