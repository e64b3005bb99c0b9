"""The authority evidence page: figures and events from the reports, each with its citation.

Runs on the evidence the project ships (indicators/data/reports), so nothing here needs ../shared.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Document, Evidence
from indicators.official.evidence_write import import_evidence
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


ROW = re.compile(
    r'<th scope="row" class="govuk-table__header">(?P<indicator>[^<]*)(?:<br>.*?)?</th>\s*'
    r'<td class="govuk-table__cell">(?P<period>[^<]*)</td>\s*'
    r'<td class="govuk-table__cell govuk-table__cell--numeric">(?P<figure>[^<]*)(?P<chart><br><a)?'
    r'.*?<q>(?P<quote>[^<]*)</q>(?:<br><span class="govuk-body-s">Section: (?P<section>[^<]*))?',
    re.DOTALL,
)


def figure_rows(html: str) -> list[tuple]:
    """(indicator, period, figure, on the chart, quote, section) for each row of figures."""
    return [
        (m["indicator"], m["period"], m["figure"], bool(m["chart"]), m["quote"], m["section"])
        for m in ROW.finditer(html)
    ]


def test_evidence_page_shows_the_shipped_report_evidence(client):
    import_evidence()  # the copy shipped in indicators/data/reports
    url = reverse("reports:evidence", args=["E08000036"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    # Wakefield's two documents: the commissioner's 2018 report and Ofsted's 2016 inspection.
    assert "Report into Children&#x27;s Services in Wakefield following inspection" in html
    assert "Published December 2018 · 000_14d4294a303393d2.txt" in html
    assert "Wakefield: inspection of services for children in need of help and protection" in html
    # Unallocated cases from over 200 to 12 in September 2018, and caseloads of 31 and 25.14
    # against an interim target of 25: each figure with its section and the report's words.
    rows = figure_rows(html)
    section = "8 (Evidence of any Specific Early Impact)"
    unallocated = "Open cases without an allocated social worker at month end"
    caseload = "Average caseload per case-holding social worker (FTE)"
    assert (
        unallocated,
        "2018-01 (beginning of calendar year)",
        "200",
        True,
        "A decrease in cases unallocated from over 200 at the beginning of the calendar year "
        "to 28 in August 2018 and 12 in September 2018.",
        section,
    ) in rows
    to_12 = "to 28 in August 2018 and 12 in September 2018"
    assert (unallocated, "2018-09", "12", True, to_12, section) in rows
    to_25 = "at end of September were 25.14 close to interim target of 25 compared to 31 at end of"
    assert (caseload, "2018-08-31", "31 cases per worker", True, f"{to_25} August", section) in rows
    assert (
        caseload,
        "2018-09-30",
        "25.14 cases per worker",
        True,
        f"caseloads had started to reduce and {to_25} August",
        section,
    ) in rows
    target = ("unclear-2018 (interim target)", "25 cases per worker", False)
    assert (caseload, *target, "close to interim target of 25", section) in rows
    # Every figure read out of Wakefield's reports, and no other authority's.
    assert len(rows) == Evidence.objects.filter(authority__gss_code="E08000036").count() > 100
    assert "I received a report that told me there were 258 cases unallocated" not in html
    assert len(queries) <= 5
