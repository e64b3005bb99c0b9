"""The audit log: what is recorded, that it cannot be changed, and the /audit/ page."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from authorities.accounts import audit
from authorities.models import (
    AuditAction,
    AuditEntry,
    Membership,
    Role,
)
from authorities.toolkit.append_only import AppendOnlyError
from authorities.toolkit.importing import ImportFailed
from indicators.returns import services
from indicators.returns.models import MonthlyReturn, ReturnStatus
from tests.factories import AuthorityFactory
from tests.indicators.returns.conftest import COMPLETE, MONTH

pytestmark = pytest.mark.django_db

EES_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,agency_rate_fte,vacancy_rate_fte,caseload_fte"
)
EES_ROW = (
    "2025,Reporting year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,"
    "384,E08000036,Wakefield,15.2,x,19"
)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


# --- sign-in, sign-out ------------------------------------------------------------------------


def test_sign_in_failure_and_sign_out_are_recorded_with_address(client, users):
    client.post(
        reverse("login"), {"username": "officer", "password": "no"}, REMOTE_ADDR="192.0.2.10"
    )
    client.post(
        reverse("login"), {"username": "officer", "password": "pw"}, REMOTE_ADDR="192.0.2.10"
    )
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.10")
    assert actions() == [AuditAction.SIGN_IN_FAILED, AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    failed, signed_in, signed_out = AuditEntry.objects.order_by("pk")
    assert failed.username == "officer" and failed.user is None
    assert failed.ip_address == "192.0.2.10" and "no" not in failed.detail
    assert signed_in.user == users["data_officer"] and signed_out.username == "officer"


def test_an_unknown_name_is_recorded_as_given(client, users):
    client.post(reverse("login"), {"username": "mallory", "password": "x"})
    entry = last(AuditAction.SIGN_IN_FAILED)
    assert entry.username == "mallory" and entry.user is None


# --- passwords --------------------------------------------------------------------------------

NEW_PASSWORD = "a long new passphrase"


def test_a_password_change_is_recorded_with_address(client, users):
    client.force_login(users["data_officer"])
    wrong = {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("password_change"), wrong).status_code == 200
    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()
    response = client.post(
        reverse("password_change"), {**wrong, "old_password": "pw"}, REMOTE_ADDR="192.0.2.20"
    )
    assert response.status_code == 302
    entry = last(AuditAction.PASSWORD_CHANGED)
    assert entry.user == users["data_officer"] and entry.username == "officer"
    assert entry.ip_address == "192.0.2.20" and entry.detail == ""
    assert entry.get_action_display() == "Password changed"


def reset_link(client, email: str, address: str):
    """Ask for a reset; the response, and the link from the email if one was sent."""
    from django.core import mail

    sent = len(mail.outbox)
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    if len(mail.outbox) == sent:
        return response, None
    found = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[-1].body)
    assert found
    return response, found.group(1)


def test_a_password_reset_request_and_the_reset_are_recorded(client, users):
    response, link = reset_link(client, "officer@example.com", "192.0.2.30")
    assert response.status_code == 302 and link
    requested = last(AuditAction.PASSWORD_RESET_REQUESTED)
    assert requested.user == users["data_officer"] and requested.username == "officer"
    assert requested.ip_address == "192.0.2.30"
    assert requested.detail == ""  # the address is the account's; it is not copied

    form = client.get(link, follow=True)
    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET).exists()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR="192.0.2.31",
    )
    assert response.status_code == 302
    reset = last(AuditAction.PASSWORD_RESET)
    assert reset.user == users["data_officer"] and reset.username == "officer"
    assert reset.ip_address == "192.0.2.31"
    # The link is spent: using it again changes and records nothing.
    again = client.get(link, follow=True)
    assert "This link has expired" in again.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET).count() == 1


def test_a_reset_request_for_an_unknown_address_looks_the_same_and_keeps_nothing(client, users):
    known, _ = reset_link(client, "officer@example.com", "192.0.2.40")
    unknown, link = reset_link(client, "who@example.com", "192.0.2.40")
    assert link is None
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED).count() == 1
    assert not AuditEntry.objects.filter(detail__icontains="who@example.com").exists()
    assert not AuditEntry.objects.filter(username__icontains="who@").exists()


# --- returns: approve, reopen, upload ---------------------------------------------------------


def submitted(authority, users) -> MonthlyReturn:
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries=COMPLETE,
        version=0,
    )
    monthly_return = MonthlyReturn.objects.get(authority=authority, month=MONTH)
    return services.submit_return(monthly_return=monthly_return, user=users["data_officer"])


def test_approval_and_reopening_are_recorded(authority, users):
    monthly_return = submitted(authority, users)
    services.approve_return(monthly_return=monthly_return, user=users["approver"])
    approved = last(AuditAction.RETURN_APPROVED)
    assert approved.user == users["approver"] and approved.authority == authority
    assert "21 figures published" in approved.detail
    services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Caseload was wrong"
    )
    reopened = last(AuditAction.RETURN_REOPENED)
    assert reopened.authority == authority and "Caseload was wrong" in reopened.detail
    assert "21 published figures withdrawn" in reopened.detail


def test_a_refused_approval_leaves_no_entry(authority, users):
    monthly_return = submitted(authority, users)
    with pytest.raises(services.ReturnRefused):
        services.approve_return(monthly_return=monthly_return, user=users["data_officer"])
    assert not AuditEntry.objects.filter(action=AuditAction.RETURN_APPROVED).exists()


def test_draft_saves_and_submissions_through_the_form_are_recorded(client, authority, users):
    """Who, when, which authority, which month, and for a save how many figures changed."""
    from tests.indicators.returns.conftest import form_data

    officer = users["data_officer"]
    client.force_login(officer)
    url = reverse("returns:return", args=[authority.gss_code, MONTH])
    entries = {"contacts": {"value": "1200"}, "cla": {"value": "650", "internal_note": "Steady"}}
    before = timezone.now()
    assert client.post(url, form_data(entries)).status_code == 302
    saved = last(AuditAction.RETURN_SAVED)
    assert (saved.user, saved.authority) == (officer, authority)
    assert saved.at >= before
    assert saved.detail == (
        f"Monthly return Wakefield {MONTH:%Y-%m}: draft saved (form), 2 indicators changed "
        "(3 changes)"
    )
    assert saved.get_action_display() == "Return draft saved"

    # Saving again with nothing changed writes nothing, so records nothing.
    assert client.post(url, form_data(entries, version=1)).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.RETURN_SAVED).count() == 1

    # Submitting from the form saves the last changes, then submits: both are recorded.
    assert client.post(url, form_data(COMPLETE, version=1, action="submit")).status_code == 302
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED
    assert actions()[-2:] == [AuditAction.RETURN_SAVED, AuditAction.RETURN_SUBMITTED]
    # 19 new figures, and the internal note on children looked after cleared.
    assert "20 indicators changed" in last(AuditAction.RETURN_SAVED).detail
    submitted_entry = last(AuditAction.RETURN_SUBMITTED)
    assert (submitted_entry.user, submitted_entry.authority) == (officer, authority)
    assert submitted_entry.detail == (
        f"Monthly return Wakefield {MONTH:%Y-%m}: submitted for approval"
    )


def test_a_refused_save_or_submission_records_nothing(client, authority, users):
    from tests.indicators.returns.conftest import form_data

    client.force_login(users["data_officer"])
    url = reverse("returns:return", args=[authority.gss_code, MONTH])
    assert client.post(url, form_data({"contacts": {"value": "lots"}})).status_code == 200
    with pytest.raises(services.ReturnRefused):
        services.submit_return(
            monthly_return=services.save_return_values(
                authority=authority,
                month=MONTH,
                user=users["data_officer"],
                entries={"contacts": {"value": "1"}},
                version=0,
            ).monthly_return,
            user=users["data_officer"],
        )
    returns = [action for action in actions() if action.startswith("return_")]
    assert returns == [AuditAction.RETURN_SAVED]  # the one save that was made


def test_the_service_records_a_submission_with_its_authority(authority, users):
    submitted(authority, users)
    entry = last(AuditAction.RETURN_SUBMITTED)
    assert (entry.user, entry.authority) == (users["data_officer"], authority)
    assert f"{MONTH:%Y-%m}" in entry.detail


def upload(client, authority, name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("returns:upload", args=[authority.gss_code, MONTH]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_uploads_good_and_bad_are_recorded(client, authority, users):
    client.force_login(users["data_officer"])
    template = client.get(reverse("returns:template_csv", args=[authority.gss_code, MONTH]))
    text = template.content.decode().lstrip("\ufeff")
    good = text.replace(f"{authority.gss_code},{MONTH:%Y-%m},contacts,Contacts received,,", "")
    lines = text.splitlines()
    contacts = next(i for i, line in enumerate(lines) if ",contacts," in line)
    cells = lines[contacts].split(",")
    cells[4] = "1234"
    lines[contacts] = ",".join(cells)
    assert upload(client, authority, "good.csv", "\n".join(lines)).status_code == 302
    entry = last(AuditAction.RETURN_UPLOADED)
    assert entry.user == users["data_officer"] and entry.authority == authority
    assert "good.csv" in entry.detail and "1 indicators changed" in entry.detail
    # One entry for the upload: its draft save is not recorded a second time.
    assert not AuditEntry.objects.filter(action=AuditAction.RETURN_SAVED).exists()
    cells[4] = "lots"
    lines[contacts] = ",".join(cells)
    assert upload(client, authority, "bad.csv", "\n".join(lines)).status_code == 200
    refused = last(AuditAction.UPLOAD_FAILED)
    assert "bad.csv" in refused.detail and "1 problem" in refused.detail
    assert "must be a number" in refused.detail
    assert good  # the template had the row


# --- imports ----------------------------------------------------------------------------------


def test_imports_good_and_bad_are_recorded(tmp_path):
    good = tmp_path / "workforce.csv"
    good.write_text(EES_HEADER + "\n" + EES_ROW + "\n", encoding="utf-8")
    call_command("import_ees", str(good), stdout=io.StringIO())
    entry = last(AuditAction.DATA_IMPORTED)
    assert entry.user is None and entry.username == ""
    assert "import_ees" in entry.detail and "workforce.csv" in entry.detail
    assert "observations 3 created" in entry.detail, entry.detail

    bad = tmp_path / "broken.csv"
    leeds = EES_ROW.replace("384,E08000036,Wakefield,15.2", "383,E08000035,Leeds,lots")
    bad.write_text("\n".join([EES_HEADER, EES_ROW, leeds]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_ees", str(bad), stdout=io.StringIO())
    failed = last(AuditAction.IMPORT_FAILED)
    assert "broken.csv" in failed.detail and "nothing imported, 1 problem" in failed.detail
    assert "agency_rate_fte" in failed.detail


def test_neighbour_and_evidence_imports_are_recorded(tmp_path):
    missing = tmp_path / "sn.csv"
    missing.write_text("old_la_code,la_name\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_neighbours", str(missing), stdout=io.StringIO())
    assert "import_neighbours" in last(AuditAction.IMPORT_FAILED).detail
    with pytest.raises(CommandError):
        call_command("import_evidence", str(tmp_path / "nowhere"), stdout=io.StringIO())
    assert "import_evidence" in last(AuditAction.IMPORT_FAILED).detail


def test_record_import_names_the_problem(tmp_path):
    from authorities.toolkit.importing import RowError

    failure = ImportFailed([RowError("f.csv", 3, "value", "bad")])
    entry = audit.record_import("import_x", ["f.csv"], failure=failure)
    assert "f.csv, row 3, column 'value': bad" in entry.detail


# --- roles: the admin and create_user ---------------------------------------------------------


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return user


def test_roles_given_changed_and_taken_away_in_the_admin(client, superuser, authority, users):
    person = User.objects.create_user("newcomer", password="pw")
    response = client.post(
        reverse("admin:authorities_membership_add"),
        {"user": person.pk, "authority": authority.pk, "role": Role.DATA_OFFICER},
    )
    assert response.status_code == 302
    added = last(AuditAction.MEMBERSHIP_ADDED)
    assert added.user == superuser and added.authority == authority
    assert added.detail == "newcomer: Data officer for Wakefield"

    membership = Membership.objects.get(user=person)
    response = client.post(
        reverse("admin:authorities_membership_change", args=[membership.pk]),
        {"user": person.pk, "authority": authority.pk, "role": Role.APPROVER},
    )
    assert response.status_code == 302
    assert last(AuditAction.MEMBERSHIP_CHANGED).detail == (
        "newcomer: Data officer for Wakefield → newcomer: Approver for Wakefield"
    )

    response = client.post(
        reverse("admin:authorities_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert last(AuditAction.MEMBERSHIP_REMOVED).detail == "newcomer: Approver for Wakefield"


def test_roles_in_the_user_page_and_access_flags(client, superuser, authority, users):
    officer = users["data_officer"]
    membership = Membership.objects.get(user=officer)
    url = reverse("admin:auth_user_change", args=[officer.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "username": "officer",
        "email": "officer@example.com",
        "is_active": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": membership.pk,
        "memberships-0-user": officer.pk,
        "memberships-0-role": Role.DATA_OFFICER,
        "memberships-0-authority": authority.pk,
        "memberships-0-DELETE": "on",
        "memberships-1-user": officer.pk,
        "memberships-1-role": Role.BOARD_MEMBER,
        "memberships-1-authority": authority.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    details = dict(
        AuditEntry.objects.filter(
            action__in=[
                AuditAction.ACCOUNT_CHANGED,
                AuditAction.MEMBERSHIP_ADDED,
                AuditAction.MEMBERSHIP_REMOVED,
            ]
        ).values_list("action", "detail")
    )
    assert details[AuditAction.ACCOUNT_CHANGED] == "Account officer: is superuser: no → yes"
    assert details[AuditAction.MEMBERSHIP_REMOVED] == "officer: Data officer for Wakefield"
    assert details[AuditAction.MEMBERSHIP_ADDED] == "officer: Board member for Wakefield"


def test_create_user_records_the_role(authority):
    call_command(
        "create_user", "dana", "--email", "d@example.com", "--role", "approver",
        "--authority", authority.gss_code, stdout=io.StringIO(),
    )  # fmt: skip
    entry = last(AuditAction.MEMBERSHIP_ADDED)
    assert entry.authority == authority and entry.user is None
    assert entry.detail == "dana: Approver for Wakefield (create_user command)"


# --- append-only ------------------------------------------------------------------------------


def test_entries_cannot_be_changed_or_removed(users):
    entry = audit.record(AuditAction.SIGN_IN, user=users["data_officer"])
    entry.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


def test_the_admin_shows_entries_but_cannot_add_change_or_delete(client, superuser, users):
    entry = audit.record(AuditAction.SIGN_IN, user=users["data_officer"])
    assert client.get(reverse("admin:authorities_auditentry_changelist")).status_code == 200
    page = client.get(reverse("admin:authorities_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:authorities_auditentry_add")).status_code == 403
    response = client.post(
        reverse("admin:authorities_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:authorities_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_deleted_account_keeps_its_entries_by_name(users):
    audit.record(AuditAction.SIGN_IN, user=users["no_role"])
    users["no_role"].delete()
    entry = last(AuditAction.SIGN_IN)
    assert entry.user is None and entry.username == "nobody"


# --- the /audit/ page ---------------------------------------------------------------------------

AUDIT = "/audit/"


@pytest.fixture
def log(authority, other_authority, users):
    """A few entries about each authority, a sign-in of the authority's data officer, and a
    failed sign-in with a name no account has."""
    audit.record(AuditAction.SIGN_IN, user=users["data_officer"])
    audit.record(
        AuditAction.RETURN_APPROVED, user=users["approver"], authority=authority, detail="ours"
    )
    audit.record(
        AuditAction.RETURN_APPROVED,
        user=users["other_approver"],
        authority=other_authority,
        detail="theirs",
    )
    audit.record(AuditAction.SIGN_IN_FAILED, username="mallory")


def test_anonymous_people_are_sent_to_sign_in(client, log):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/audit/")


@pytest.mark.parametrize(
    "role",
    ["data_officer", "approver", "board_member", "dfe_analyst", "other_approver", "no_role"],
)
def test_everyone_but_administrators_is_refused(client, log, users, role):
    client.force_login(users[role])
    response = client.get(AUDIT)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access" in html and "theirs" not in html and "mallory" not in html
    assert "The audit log is for administrators" in html  # the one refusal page, with why


def test_a_national_administrator_sees_everything(client, log, users):
    client.force_login(users["administrator"])
    html = client.get(AUDIT).content.decode()
    assert '<h1 class="govuk-heading-xl">Audit log</h1>' in html
    for text in ("ours", "theirs", "mallory", "Sign-in failed", "Return approved", "Wakefield"):
        assert text in html
    assert "5 entries" in html  # and the administrator's own sign-in


def test_an_administrator_of_one_authority_sees_its_entries_only(client, log, users):
    client.force_login(users["local_administrator"])
    html = client.get(AUDIT).content.decode()
    assert "ours" in html and "theirs" not in html and "mallory" not in html
    assert "3 entries" in html  # and the sign-ins of its data officer and of the administrator


def test_a_superuser_sees_everything(client, log):
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw"))
    assert "5 entries" in client.get(AUDIT).content.decode()


def test_filters(client, log, users, authority):
    client.force_login(users["administrator"])

    def shown(**params) -> str:
        response = client.get(AUDIT, params)
        assert response.status_code == 200
        return response.content.decode()

    html = shown(action=AuditAction.RETURN_APPROVED)
    assert "ours" in html and "theirs" in html and "mallory" not in html
    html = shown(user="mallo")
    assert "mallory" in html and "ours" not in html
    html = shown(authority="E08000036")
    assert "ours" in html and "theirs" not in html
    html = shown(authority="kirk")
    assert "theirs" in html and "ours" not in html
    today = timezone.localdate()
    html = shown(date_from=today.isoformat(), date_to=today.isoformat())
    assert "5 entries found" in html
    html = shown(date_to=(today - datetime.timedelta(days=1)).isoformat())
    assert "0 entries found" in html and "No entries match the filter" in html
    html = shown(date_from="yesterday")
    assert "There is a problem" in html and "Enter the first day as a date" in html
    html = shown(date_from=today.isoformat(), date_to="2000-01-01")
    assert "The last day must be the same as or after the first day" in html
    # The filter is a plain GET form: it works without JavaScript.
    assert re.search(r'<form method="get" action="/audit/"', html)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "yesterday"},
        {"date_from": "2026-03-31", "date_to": "2026-03-01"},
        {"action": "no_such_action", "user": "mallo"},
    ],
)
def test_a_filter_that_cannot_be_read_shows_no_entries(client, log, users, params):
    """Never the whole log as if it were what the filter found."""
    client.force_login(users["administrator"])
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error: Audit log" in html
    assert "Fix the filter to see entries" in html
    assert '<table class="govuk-table">' not in html
    assert "entries found" not in html and "5 entries" not in html
    for text in ("ours", "theirs", "mallory"):
        assert text not in html
    # The way back to the whole log is a link that says so.
    assert '<a class="govuk-link" href="/audit/">Clear the filter</a>' in html


def test_pages_of_fifty_keep_the_filter(client, users, authority):
    for number in range(120):
        audit.record(AuditAction.SIGN_IN, user=users["data_officer"], detail=f"entry {number}")
    client.force_login(users["administrator"])
    first = client.get(AUDIT, {"action": AuditAction.SIGN_IN}).content.decode()
    assert first.count('<tr class="govuk-table__row">') == 51  # the heading row and 50
    assert "entry 119" in first and "entry 69" not in first
    assert 'href="?action=sign_in&amp;page=2"' in first
    third = client.get(AUDIT, {"action": AuditAction.SIGN_IN, "page": 3}).content.decode()
    assert third.count('<tr class="govuk-table__row">') == 22  # and the administrator's sign-in
    assert "entry 0<" in third
    last_page = client.get(AUDIT, {"page": 99}).content.decode()  # past the end: the last page
    assert "entry 0<" in last_page


AUDIT_LINK = '<a class="govuk-service-navigation__link" href="/audit/"'


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("administrator", True),
        ("local_administrator", True),
        ("data_officer", False),
        ("approver", False),
        ("board_member", False),
        ("dfe_analyst", False),
        ("no_role", False),
        (None, False),  # signed out
    ],
)
def test_the_navigation_links_to_the_audit_log_for_administrators_only(client, users, role, shown):
    if role:
        client.force_login(users[role])
    html = client.get(reverse("reports:home")).content.decode()
    assert (AUDIT_LINK in html) is shown
    assert (">Audit log</a>" in html) is shown
    if shown:
        assert client.get(AUDIT).status_code == 200


def test_the_audit_log_link_is_marked_current_on_its_page(client, users):
    client.force_login(users["administrator"])
    home = client.get(reverse("reports:home")).content.decode()
    assert f"{AUDIT_LINK}>Audit log</a>" in home
    html = client.get(AUDIT).content.decode()
    assert f'{AUDIT_LINK} aria-current="page">Audit log</a>' in html
    item = html[: html.index(AUDIT_LINK)].rsplit("<li", 1)[1]
    assert "govuk-service-navigation__item--active" in item


def test_a_superuser_has_the_audit_log_link(client):
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw"))
    assert AUDIT_LINK in client.get(reverse("reports:home")).content.decode()


def test_the_audit_page_lives_at_slash_audit():
    assert reverse("audit") == AUDIT


def test_no_entry_for_an_unrelated_authority_leaks_to_its_administrator(client, users):
    elsewhere = AuthorityFactory(name="Elsewhere")
    audit.record(AuditAction.RETURN_UPLOADED, authority=elsewhere, detail="elsewhere upload")
    client.force_login(users["local_administrator"])
    assert "elsewhere upload" not in client.get(AUDIT).content.decode()


def test_the_return_status_is_untouched_by_auditing(authority, users):
    monthly_return = submitted(authority, users)
    assert monthly_return.status == ReturnStatus.SUBMITTED
