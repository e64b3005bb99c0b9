"""Sign-ins carry the authorities of the person (issue 13, item 9): they carried none, so an
administrator of one authority never saw their own staff's sign-ins. Now every account entry
(sign-in, failed or refused sign-in, sign-out, password changes and resets) carries the
authorities the person has a role in; each of those authorities' administrators sees it, and
no other authority's administrator does."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from authorities.models import AuditAction, AuditEntry, Membership, Role
from tests.indicators.returns.conftest import make_user

pytestmark = pytest.mark.django_db
AUDIT = "/audit/"


@pytest.fixture
def other_admin(other_authority):
    return make_user("other_admin", Role.ADMINISTRATOR, other_authority)


def sign_in(client, username, password="pw"):
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3"
    )
    client.logout()
    return response


def shown(client, admin, **filters) -> str:
    client.force_login(admin)
    response = client.get(AUDIT, {"action": AuditAction.SIGN_IN, **filters})
    assert response.status_code == 200
    return response.content.decode()


def who(html: str) -> list[str]:
    """The names in the log's "Who" column, newest first."""
    return re.findall(
        r'</time></td>\s*<td[^>]*>[^<]*</td>\s*<td class="govuk-table__cell">([^<]*)</td>', html
    )


def test_a_sign_in_carries_the_persons_authority(client, authority, users):
    assert sign_in(client, "officer").status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN, username="officer")
    assert list(entry.user_authorities.all()) == [authority]
    sign_out = AuditEntry.objects.get(action=AuditAction.SIGN_OUT, username="officer")
    assert list(sign_out.user_authorities.all()) == [authority]


def test_an_administrator_sees_their_own_staffs_sign_ins_and_no_one_elses(
    client, authority, other_authority, users, other_admin
):
    sign_in(client, "officer")
    sign_in(client, "other_officer")
    ours = shown(client, users["local_administrator"], user="officer")
    assert "1 entry found" in ours and who(ours) == ["officer"] and "Wakefield" in ours
    theirs = shown(client, other_admin, user="officer")
    assert "1 entry found" in theirs and who(theirs) == ["other_officer"]
    assert "Kirklees" in theirs
    # A national administrator sees both.
    assert who(shown(client, users["administrator"], user="officer")) == [
        "other_officer",
        "officer",
    ]


def test_failed_sign_ins_of_staff_are_seen_by_their_administrator(
    client, authority, users, other_admin
):
    sign_in(client, "officer", password="wrong")
    sign_in(client, "nosuchperson", password="wrong")
    failed = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED, username="officer")
    assert list(failed.user_authorities.all()) == [authority]
    unknown = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED, username="nosuchperson")
    assert not unknown.user_authorities.exists()

    local = shown(client, users["local_administrator"], action=AuditAction.SIGN_IN_FAILED)
    assert who(local) == ["officer"]
    assert "0 entries found" in shown(client, other_admin, action=AuditAction.SIGN_IN_FAILED)
    national = shown(client, users["administrator"], action=AuditAction.SIGN_IN_FAILED)
    assert "2 entries found" in national


def test_someone_in_two_authorities_is_seen_by_both_and_logged_once(
    client, authority, other_authority, users, other_admin
):
    Membership.objects.create(
        user=users["data_officer"], authority=other_authority, role=Role.DATA_OFFICER
    )
    sign_in(client, "officer")
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN, username="officer")
    assert set(entry.user_authorities.all()) == {authority, other_authority}
    assert "1 entry found" in shown(client, users["local_administrator"], user="officer")
    both = shown(client, other_admin, user="officer")
    assert "1 entry found" in both and "Wakefield" in both and "Kirklees" in both
    assert "1 entry found" in shown(client, users["administrator"], user="officer")


def test_the_authority_filter_finds_sign_ins(client, authority, users):
    sign_in(client, "officer")
    sign_in(client, "other_officer")
    found = shown(client, users["administrator"], authority="Wakefield")
    assert "officer" in found and "other_officer" not in found


def test_a_national_sign_in_is_not_shown_to_a_local_administrator(client, users):
    sign_in(client, "analyst")
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN, username="analyst")
    assert not entry.user_authorities.exists()
    assert "0 entries found" in shown(client, users["local_administrator"], user="analyst")


@pytest.mark.parametrize("role", ["data_officer", "approver", "board_member", "no_role"])
def test_staff_who_are_not_administrators_are_refused(client, users, role):
    sign_in(client, "officer")
    client.force_login(users[role])
    response = client.get(AUDIT)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Signed in" not in html and "govuk-table__cell" not in html
