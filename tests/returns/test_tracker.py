"""The return tracker: who has submitted which months, in one query."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import returns_selectors
from indicators.models import ReturnStatus
from tests.factories import AuthorityFactory, MonthlyReturnFactory
from tests.returns.conftest import MONTH

pytestmark = pytest.mark.django_db


def test_statuses_and_overdue(authority, other_authority, users):
    today = datetime.date(2026, 11, 20)
    sept, oct_ = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
    MonthlyReturnFactory(authority=authority, month=sept, status=ReturnStatus.APPROVED)
    MonthlyReturnFactory(authority=authority, month=oct_, status=ReturnStatus.DRAFT)
    MonthlyReturnFactory(authority=other_authority, month=sept, status=ReturnStatus.REOPENED)
    MonthlyReturnFactory(authority=other_authority, month=oct_, status=ReturnStatus.SUBMITTED)
    tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    assert [m.month for m in tracker.months][-2:] == [sept, oct_]
    assert len(tracker.months) == 12
    cells = {row.authority.name: {cell.month: cell for cell in row.cells} for row in tracker.rows}
    assert cells["Wakefield"][sept].words == "Approved"
    # October's return is due by 15 November: a draft on 20 November is overdue.
    assert cells["Wakefield"][oct_].words == "Overdue: draft"
    assert cells["Wakefield"][oct_].tag_class == "govuk-tag--red"
    assert cells["Kirklees"][sept].words == "Overdue: reopened"
    assert cells["Kirklees"][oct_].words == "Submitted"
    assert cells["Kirklees"][datetime.date(2026, 8, 1)].words == "Overdue: not started"
    assert tracker.months[-2].submitted == 1 and tracker.months[-1].submitted == 1


def test_not_overdue_before_the_due_day(users, authority):
    today = datetime.date(2026, 11, 15)
    tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    october = tracker.rows[0].cells[-1]
    assert october.month == datetime.date(2026, 10, 1) and october.words == "Not started"


def test_approvers_see_their_own_authority(users, authority, other_authority):
    names = [r.authority.name for r in returns_selectors.tracker(users["approver"], MONTH).rows]
    assert names == ["Wakefield"]
    national = returns_selectors.tracker(users["administrator"], MONTH)
    assert [r.authority.name for r in national.rows] == ["Kirklees", "Wakefield"]


def test_one_query_whatever_the_number_of_authorities(users, authority):
    today = datetime.date.today()
    with CaptureQueriesContext(connection) as few:
        returns_selectors.tracker(users["dfe_analyst"], today)
    for _ in range(20):
        other = AuthorityFactory()
        MonthlyReturnFactory(authority=other, month=MONTH, status=ReturnStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        tracker = returns_selectors.tracker(users["dfe_analyst"], today)
    assert len(many) == len(few) == 1
    assert len(tracker.rows) == 22  # Wakefield, Kirklees and the 20 new ones


def test_the_tracker_page(client, users, authority):
    MonthlyReturnFactory(authority=authority, month=MONTH, status=ReturnStatus.SUBMITTED)
    client.force_login(users["dfe_analyst"])
    html = client.get(reverse("returns:tracker")).content.decode()
    assert "Return tracker" in html and "Wakefield" in html
    assert "Submitted" in html
    assert reverse("returns:return", args=[authority.gss_code, MONTH]) in html
