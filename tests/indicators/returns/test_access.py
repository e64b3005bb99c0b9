"""Who may reach what: every role against every returns page and fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from authorities.models import Action, Authority, Membership, Role, actions_for
from indicators.returns.models import MonthlyReturn, ReturnStatus
from tests.factories import MonthlyReturnFactory
from tests.indicators.returns.conftest import COMPLETE, MONTH, form_data

pytestmark = pytest.mark.django_db

ROLES = [
    "data_officer",
    "approver",
    "board_member",
    "dfe_analyst",
    "administrator",
    "local_administrator",
    "other_data_officer",
    "other_approver",
    "no_role",
]
VIEWERS = {
    "data_officer",
    "approver",
    "board_member",
    "dfe_analyst",
    "administrator",
    "local_administrator",
}
EDITORS = {"data_officer", "administrator", "local_administrator"}
APPROVERS = {"approver", "administrator", "local_administrator"}
TRACKERS = {"approver", "dfe_analyst", "administrator", "local_administrator", "other_approver"}
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/returns/"}


def url(name, authority, *extra):
    return reverse(f"returns:{name}", args=[authority.gss_code, MONTH, *extra])


# (name, method, extra URL args, htmx?, who may, status for them, return status to set up)
ENDPOINTS = [
    ("return", "get", (), False, VIEWERS, 200, ReturnStatus.DRAFT),
    ("return", "post", (), False, EDITORS, 302, ReturnStatus.DRAFT),
    ("validate", "post", ("contacts",), True, EDITORS, 200, ReturnStatus.DRAFT),
    ("approve", "post", (), False, APPROVERS, 302, ReturnStatus.SUBMITTED),
    ("reopen", "get", (), False, APPROVERS, 200, ReturnStatus.SUBMITTED),
    ("reopen", "post", (), False, APPROVERS, 302, ReturnStatus.SUBMITTED),
    ("upload", "get", (), False, EDITORS, 200, ReturnStatus.DRAFT),
    ("upload", "post", (), False, EDITORS, 200, ReturnStatus.DRAFT),
    ("template_csv", "get", (), False, VIEWERS, 200, ReturnStatus.DRAFT),
    ("template_xlsx", "get", (), False, VIEWERS, 200, ReturnStatus.DRAFT),
    ("history", "get", (), False, VIEWERS, 200, ReturnStatus.DRAFT),
    ("history", "get", (), True, VIEWERS, 200, ReturnStatus.DRAFT),
    ("value_history", "get", ("contacts",), False, VIEWERS, 200, ReturnStatus.DRAFT),
    ("value_history", "get", ("contacts",), True, VIEWERS, 200, ReturnStatus.DRAFT),
]


def payload(name, monthly_return):
    if name == "return":
        return form_data({"contacts": {"value": "10"}}, version=monthly_return.version)
    if name == "validate":
        return {"contacts-value": "10"}
    if name in ("approve", "reopen"):
        return {"version": monthly_return.version, "reason": "Figures need checking"}
    return {}


def call(client, endpoint, authority, monthly_return):
    name, method, extra, htmx, *_ = endpoint
    headers = HTMX if htmx else {}
    target = url(name, authority, *extra)
    if method == "get":
        return client.get(target, headers=headers)
    return client.post(target, payload(name, monthly_return), headers=headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[1]}-{e[0]}-{'htmx' * e[3]}")
@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_endpoint(client, authority, users, endpoint, role):
    monthly_return = MonthlyReturnFactory(authority=authority, month=MONTH, status=endpoint[6])
    client.force_login(users[role])
    response = call(client, endpoint, authority, monthly_return)
    allowed, status = endpoint[4], endpoint[5]
    if role in allowed:
        assert response.status_code == status, response.content.decode()[:2000]
    else:
        assert response.status_code == 403
        if endpoint[3]:  # a refused fragment says so briefly, and is not the page
            assert "<html" not in response.content.decode()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[1]}-{e[0]}-{'htmx' * e[3]}")
def test_anonymous_people_are_sent_to_sign_in(client, authority, endpoint):
    monthly_return = MonthlyReturnFactory(authority=authority, month=MONTH, status=endpoint[6])
    response = call(client, endpoint, authority, monthly_return)
    if endpoint[3]:
        assert response["HX-Redirect"].startswith("/accounts/login/?next=")
        assert response.content == b""
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_nothing_changes_when_refused(client, authority, users):
    monthly_return = MonthlyReturnFactory(
        authority=authority, month=MONTH, status=ReturnStatus.SUBMITTED
    )
    client.force_login(users["data_officer"])
    client.post(url("approve", authority), {"version": monthly_return.version})
    client.force_login(users["board_member"])
    client.post(url("return", authority), form_data(COMPLETE, version=monthly_return.version))
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.SUBMITTED
    assert not monthly_return.values.exists()


@pytest.mark.parametrize("role", ROLES)
def test_tracker(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("returns:tracker"))
    assert response.status_code == (200 if role in TRACKERS else 403)


def test_anonymous_tracker_and_index_send_to_sign_in(client):
    for name in ("tracker", "index"):
        response = client.get(reverse(f"returns:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_index_for_everyone_signed_in(client, users, authority, role):
    client.force_login(users[role])
    html = client.get(reverse("returns:index")).content.decode()
    assert (authority.name in html) == (role in VIEWERS)


def test_unknown_authority_and_months_out_of_range_are_not_found(client, users, authority):
    client.force_login(users["administrator"])
    assert client.get(reverse("returns:return", args=["E99999999", MONTH])).status_code == 404
    future = f"{MONTH.year + 1}-01"
    assert client.get(f"/returns/{authority.gss_code}/{future}/").status_code == 404
    assert client.get(f"/returns/{authority.gss_code}/2026-13/").status_code == 404
    assert client.get(url("value_history", authority, "no_such_indicator")).status_code == 404


def test_querysets_are_scoped_to_the_user(authority, other_authority, users):
    MonthlyReturnFactory(authority=authority, month=MONTH)
    MonthlyReturnFactory(authority=other_authority, month=MONTH)

    def codes(user, action="view"):
        return set(Authority.objects.for_user(user, action).values_list("gss_code", flat=True))

    def returns(user):
        found = MonthlyReturn.objects.for_user(user).values_list("authority__gss_code", flat=True)
        return set(found)

    both = {authority.gss_code, other_authority.gss_code}
    assert codes(users["board_member"]) == {authority.gss_code} == returns(users["board_member"])
    assert codes(users["dfe_analyst"]) == both == returns(users["dfe_analyst"])
    assert codes(users["administrator"]) == both
    assert codes(users["other_data_officer"]) == {other_authority.gss_code}
    assert codes(users["no_role"]) == set() == returns(users["no_role"])
    assert codes(users["board_member"], Action.EDIT) == set()
    assert codes(users["dfe_analyst"], Action.EDIT) == set()
    assert codes(users["approver"], Action.TRACK) == {authority.gss_code}

    from django.contrib.auth.models import AnonymousUser

    assert not Authority.objects.for_user(AnonymousUser()).exists()


def test_roles_map_to_actions(authority, users):
    assert actions_for(users["data_officer"], authority) == {Action.VIEW, Action.EDIT}
    assert actions_for(users["approver"], authority) == {
        Action.VIEW,
        Action.APPROVE,
        Action.TRACK,
        Action.MANAGE_PLAN,
    }
    assert actions_for(users["board_member"], authority) == {Action.VIEW}
    assert actions_for(users["dfe_analyst"], authority) == {Action.VIEW, Action.TRACK}
    assert actions_for(users["administrator"], authority) == set(Action)
    assert actions_for(users["other_approver"], authority) == set()


def test_an_inactive_member_has_no_access(client, authority, users):
    user = users["data_officer"]
    user.is_active = False
    user.save()
    assert actions_for(user, authority) == set()
    assert not Authority.objects.for_user(user).exists()


def test_membership_rules_are_kept_by_the_database(authority, users):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=users["no_role"], role=Role.DATA_OFFICER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=users["no_role"], role=Role.DFE_ANALYST, authority=authority)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=users["dfe_analyst"], role=Role.DFE_ANALYST)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=users["data_officer"], role=Role.DATA_OFFICER, authority=authority
        )
