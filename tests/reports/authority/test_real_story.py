"""Wakefield's improvement story, told by the real published files and the report evidence."""

import pytest
from django.urls import reverse

from authorities.importers.neighbours import import_neighbours
from authorities.importers.ofsted_write import import_ofsted
from indicators.official.ees_write import import_ees
from indicators.official.evidence_write import import_evidence
from tests.reports.figures import drawn_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def wakefield_loaded(official_dir, reports_dir):
    import_ees(
        [
            official_dir / "assessments_within_45_days_2016_to_2025.csv",
            official_dir / "csww_indicators_2017_to_2025.csv",
        ]
    )
    import_neighbours(official_dir / "sn_model_2025_wide.csv")
    import_ofsted([official_dir / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"])
    import_evidence(reports_dir)


def test_wakefield_assessments_fall_and_recover_with_inspections_on_the_chart(
    client, wakefield_loaded
):
    url = reverse("reports:authority", args=["E08000036"])
    response = client.get(url, {"indicator": "assessments_45wd_pct"})
    html = response.content.decode()

    table = {row[0].text: row[1].text for row in response.context["table"].rows}
    assert (table["2016"], table["2018"], table["2021"]) == ("87.2%", "51.3%", "89.8%")
    assert "fell from 87.2% in 2016 to 51.3% in 2018, then rose" in html
    annotations = [a["text"] for a in drawn_figure(response, "trajectory")["layout"]["annotations"]]
    assert "Ofsted: Inadequate" in annotations and "Ofsted: Good" in annotations
    inspections = {
        (i.start_date.year, i.start_date.month, i.overall_grade)
        for i in response.context["inspections"]
    }
    assert (2018, 6, "inadequate") in inspections and (2021, 11, "good") in inspections
    assert "simulated demo data" not in html


def test_wakefield_report_figures_are_evidence_points_with_quotes(client, wakefield_loaded):
    url = reverse("reports:authority", args=["E08000036"])
    unallocated = client.get(url, {"indicator": "unallocated_cases"})
    caseload = client.get(url, {"indicator": "avg_caseload"})

    unallocated_points = {e.text for e in unallocated.context["evidence"]}
    assert {"200", "12"} <= unallocated_points
    assert any("200" in e.quote for e in unallocated.context["evidence"])
    caseload_points = {e.text for e in caseload.context["evidence"]}
    assert {"31.0", "25.1"} <= caseload_points
    assert "interim target of 25" in caseload.content.decode()


def test_wakefield_headline_agency_rate_against_england(client, wakefield_loaded):
    html = client.get(reverse("reports:authority", args=["E08000036"])).content.decode()
    assert "15.2%" in html  # 2025 agency social worker rate
    assert "13.0%" in html  # England 2025
