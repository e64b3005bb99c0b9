"""The return tracker: who has submitted which months, in one query. Only authorities that send
their monthly returns through Trajectory are listed, and only from their first return on can a
month be overdue (issue 17, item 2)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.returns import selectors as returns_selectors
from indicators.returns.models import ReturnStatus
from tests.factories import AuthorityFactory, MonthlyReturnFactory
from tests.indicators.returns.conftest import MONTH

pytestmark = pytest.mark.django_db

JULY, AUGUST = datetime.date(2026, 7, 1), datetime.date(2026, 8, 1)
SEPTEMBER, OCTOBER = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)


def test_statuses_and_overdue(authority, other_authority, users):
    today = datetime.date(2026, 11, 20)
    MonthlyReturnFactory(authority=authority, month=JULY, status=ReturnStatus.APPROVED)
    MonthlyReturnFactory(authority=authority, month=SEPTEMBER, status=ReturnStatus.APPROVED)
    MonthlyReturnFactory(authority=authority, month=OCTOBER, status=ReturnStatus.DRAFT)
    MonthlyReturnFactory(authority=other_authority, month=SEPTEMBER, status=ReturnStatus.REOPENED)
    MonthlyReturnFactory(authority=other_authority, month=OCTOBER, status=ReturnStatus.SUBMITTED)
    tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    assert [m.month for m in tracker.months][-2:] == [SEPTEMBER, OCTOBER]
    assert len(tracker.months) == 12
    cells = {row.authority.name: {cell.month: cell for cell in row.cells} for row in tracker.rows}
    assert cells["Wakefield"][SEPTEMBER].words == "Approved"
    # October's return is due by 15 November: a draft on 20 November is overdue.
    assert cells["Wakefield"][OCTOBER].words == "Overdue: draft"
    assert cells["Wakefield"][OCTOBER].tag_class == "govuk-tag--red"
    # Wakefield has sent returns since July: August, never started, is overdue.
    assert cells["Wakefield"][AUGUST].words == "Overdue: not started"
    assert cells["Kirklees"][SEPTEMBER].words == "Overdue: reopened"
    assert cells["Kirklees"][OCTOBER].words == "Submitted"
    # Kirklees's first return is September's: August was before it sent any, so not overdue.
    assert cells["Kirklees"][AUGUST].words == "Not started"
    assert not cells["Kirklees"][AUGUST].sending and not cells["Kirklees"][AUGUST].overdue
    assert tracker.months[-2].submitted == 1 and tracker.months[-1].submitted == 1
    by_month = {column.month: column for column in tracker.months}
    assert [a.name for a, _ in by_month[AUGUST].entries] == ["Wakefield"]
    assert by_month[AUGUST].overdue == 1
    assert [a.name for a, _ in by_month[SEPTEMBER].entries] == ["Kirklees", "Wakefield"]
    assert [cell.month for cell in tracker.rows[1].overdue] == [AUGUST, OCTOBER]


def test_authorities_that_send_no_returns_are_not_listed_or_overdue(
    authority, other_authority, users
):
    today = datetime.date(2026, 11, 20)
    MonthlyReturnFactory(authority=authority, month=OCTOBER, status=ReturnStatus.SUBMITTED)
    tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    assert [row.authority.name for row in tracker.rows] == ["Wakefield"]
    assert all(not cell.overdue for row in tracker.rows for cell in row.cells)
    # A member's own list of returns still shows an authority that has never sent one, with
    # nothing overdue.
    own = returns_selectors.tracker(
        users["other_data_officer"], today, action="view", only_senders=False
    )
    assert [row.authority.name for row in own.rows] == ["Kirklees"]
    assert {cell.words for cell in own.rows[0].cells} == {"Not started"}


def test_not_overdue_before_the_due_day(users, authority):
    MonthlyReturnFactory(authority=authority, month=SEPTEMBER, status=ReturnStatus.APPROVED)
    today = datetime.date(2026, 11, 15)
    tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    october = tracker.rows[0].cells[-1]
    assert october.month == OCTOBER and october.words == "Not started"
    assert not october.overdue


def test_approvers_see_their_own_authority(users, authority, other_authority):
    MonthlyReturnFactory(authority=authority, month=MONTH)
    MonthlyReturnFactory(authority=other_authority, month=MONTH)
    names = [r.authority.name for r in returns_selectors.tracker(users["approver"], MONTH).rows]
    assert names == ["Wakefield"]
    national = returns_selectors.tracker(users["administrator"], MONTH)
    assert [r.authority.name for r in national.rows] == ["Kirklees", "Wakefield"]


def test_one_query_whatever_the_number_of_authorities(users, authority):
    today = datetime.date.today()
    MonthlyReturnFactory(authority=authority, month=MONTH)
    with CaptureQueriesContext(connection) as few:
        returns_selectors.tracker(users["dfe_analyst"], today)
    for _ in range(20):
        other = AuthorityFactory()
        MonthlyReturnFactory(authority=other, month=MONTH, status=ReturnStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    assert len(many) == len(few) == 1
    assert len(tracker.rows) == 21  # Wakefield and the 20 new ones; Kirklees sends none


def test_the_tracker_page_lists_each_month_without_a_scroll_box(client, users, authority):
    MonthlyReturnFactory(authority=authority, month=MONTH, status=ReturnStatus.SUBMITTED)
    client.force_login(users["dfe_analyst"])
    html = client.get(reverse("returns:tracker")).content.decode()
    assert "Return tracker" in html and "Wakefield" in html
    assert "Kirklees" not in html  # sends no returns: not listed, never "overdue"
    assert "Overdue" not in html
    # Submitted and approved returns are named in a line; the rest are listed in a table.
    assert '<strong class="govuk-tag govuk-tag--yellow">Submitted</strong> 1: <a' in html
    assert reverse("returns:return", args=[authority.gss_code, MONTH]) in html
    # One short table per month, newest first: readable on a phone and printable whole.
    assert "app-table-scroll" not in html
    assert f'id="month-{MONTH:%Y-%m}"' in html
    assert html.index(f"{MONTH:%B %Y}</h2>") < html.index(
        f"{returns_selectors.add_months(MONTH, -1):%B %Y}</h2>"
    )
    assert "1 of 1 submitted" in html


def test_each_month_lists_the_returns_not_yet_in_overdue_first(
    client, users, authority, other_authority
):
    today = datetime.date(2026, 11, 20)
    MonthlyReturnFactory(authority=authority, month=JULY, status=ReturnStatus.APPROVED)
    MonthlyReturnFactory(authority=other_authority, month=JULY, status=ReturnStatus.APPROVED)
    MonthlyReturnFactory(authority=authority, month=OCTOBER, status=ReturnStatus.SUBMITTED)
    MonthlyReturnFactory(authority=other_authority, month=SEPTEMBER, status=ReturnStatus.DRAFT)
    third = AuthorityFactory(name="Aardvark")
    MonthlyReturnFactory(authority=third, month=OCTOBER, status=ReturnStatus.DRAFT)
    by_month = {m.month: m for m in returns_selectors.tracker(users["dfe_analyst"], today).months}
    october = by_month[OCTOBER]
    assert [(a.name, c.words) for a, c in october.outstanding] == [
        ("Aardvark", "Overdue: draft"),
        ("Kirklees", "Overdue: not started"),
    ]
    assert [(label, [a.name for a, _ in found]) for label, found in october.done_groups] == [
        ("Submitted", ["Wakefield"]),
        ("Approved", []),
    ]
    september = by_month[SEPTEMBER]
    assert [a.name for a, _ in september.outstanding] == ["Kirklees", "Wakefield"]
    assert [a.name for a, _ in september.entries] == ["Kirklees", "Wakefield"]  # not Aardvark
    assert [a.name for a, _ in by_month[JULY].done_groups[1][1]] == ["Kirklees", "Wakefield"]


def test_the_tracker_page_says_when_no_authority_sends_returns(client, users, authority):
    client.force_login(users["dfe_analyst"])
    html = client.get(reverse("returns:tracker")).content.decode()
    assert "sends its monthly returns through Trajectory yet" in html
    assert "Overdue" not in html


def test_people_who_may_not_track_are_refused(client, users, authority):
    MonthlyReturnFactory(authority=authority, month=MONTH)
    assert client.get(reverse("returns:tracker"))["Location"].startswith("/accounts/login/")
    for name in ("data_officer", "board_member", "no_role"):
        client.force_login(users[name])
        assert client.get(reverse("returns:tracker")).status_code == 403
