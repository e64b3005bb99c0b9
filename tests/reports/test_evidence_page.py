import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Document, Evidence
from tests.factories import AuthorityFactory, EventFactory, indicator

pytestmark = pytest.mark.django_db


def test_evidence_page_lists_figures_and_events_with_citations(client):
    wakefield = AuthorityFactory(name="Wakefield", gss_code="E08000036")
    report = Document.objects.create(
        file_name="wakefield-2018.txt",
        title="Commissioner's report, Wakefield",
        authority=wakefield,
        published_date=datetime.date(2018, 11, 1),
    )
    Evidence.objects.create(
        authority=wakefield,
        indicator=indicator("unallocated_cases"),
        indicator_name="Unallocated cases",
        period_label="September 2018",
        value=12,
        document=report,
        section="7.3",
        quote="there were 12 unallocated cases",
    )
    Evidence.objects.create(
        authority=wakefield,
        indicator_name="Average caseload",
        period_label="",
        value=31,
        document=report,
        section="7.16",
        quote="caseloads of 31",
    )
    EventFactory(
        authority=wakefield,
        date=datetime.date(2018, 9, 1),
        description="Commissioner appointed",
        document="wakefield-2018.txt",
        quote="a commissioner was appointed",
    )

    url = reverse("reports:evidence", args=["E08000036"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Commissioner&#x27;s report, Wakefield" in html
    assert "there were 12 unallocated cases" in html and "Section: 7.3" in html
    assert "Not dated" in html and "caseloads of 31" in html
    assert "a commissioner was appointed" in html
    assert len(queries) <= 5


def test_evidence_page_says_when_there_is_none(client):
    authority = AuthorityFactory()
    html = client.get(reverse("reports:evidence", args=[authority.gss_code])).content.decode()
    assert "No report evidence has been loaded" in html
