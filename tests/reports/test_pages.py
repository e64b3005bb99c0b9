import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Grade, InspectionKind
from indicators.models import AreaLevel, Source
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    InspectionFactory,
    ObservationFactory,
    RegionFactory,
    annual,
    indicator,
)

pytestmark = pytest.mark.django_db


def test_authorities_without_a_region_come_last_and_say_why(client):
    AuthorityFactory(name="Zedford", region=RegionFactory(name="Zedmoor"))
    AuthorityFactory(name="Dudley", gss_code="E08000027", region=None)
    html = client.get(reverse("reports:home")).content.decode()
    assert html.index("Zedmoor") < html.index("Region not loaded yet") < html.index("Dudley")
    assert "come with the official data" in html


def test_home_lists_authorities_by_region_with_latest_grade(client):
    north = RegionFactory(name="Northmoor")
    south = RegionFactory(name="Southvale")
    ash = AuthorityFactory(name="Ashford Vale", region=north)
    AuthorityFactory(name="Brindle", region=south)
    InspectionFactory(
        authority=ash, start_date=datetime.date(2018, 6, 4), overall_grade=Grade.INADEQUATE
    )
    InspectionFactory(
        authority=ash, start_date=datetime.date(2021, 11, 1), overall_grade=Grade.GOOD
    )
    InspectionFactory(
        authority=ash,
        start_date=datetime.date(2023, 2, 1),
        kind=InspectionKind.FOCUSED_VISIT,
        overall_grade="",
    )

    response = client.get(reverse("reports:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Northmoor") < html.index("Ashford Vale") < html.index("Southvale")
    assert "Brindle" in html
    # The latest *graded* inspection, not the later ungraded visit; grade in words.
    assert "Good" in html and "November 2021" in html
    assert "No graded inspection recorded" in html


def test_home_search_by_name_code_and_dfe_code(client):
    AuthorityFactory(name="Ashford Vale", gss_code="E08000901", dfe_code="501")
    AuthorityFactory(name="Brindle", gss_code="E06000902", dfe_code="502")

    by_name = client.get(reverse("reports:home"), {"q": "ashf"}).content.decode()
    by_code = client.get(reverse("reports:home"), {"q": "E06000902"}).content.decode()
    by_dfe = client.get(reverse("reports:home"), {"q": "501"}).content.decode()
    nothing = client.get(reverse("reports:home"), {"q": "zzz"}).content.decode()

    assert "Ashford Vale" in by_name and "Brindle" not in by_name
    assert "Brindle" in by_code and "Ashford Vale" not in by_code
    assert "Ashford Vale" in by_dfe
    assert nothing.count("No authority matches “zzz”") == 1  # said once, not twice
    assert "0 authorities" not in nothing
    assert "1 authority matches “ashf”" in by_name


def test_home_search_as_htmx_fragment_returns_only_the_results(client):
    AuthorityFactory(name="Ashford Vale")
    response = client.get(reverse("reports:home"), {"q": "ash"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="authority-results"')
    assert "<html" not in html and "Ashford Vale" in html
    assert "HX-Request" in response["Vary"]


def test_home_query_count_does_not_grow_with_authorities(client, django_assert_max_num_queries):
    region = RegionFactory()
    for _ in range(3):
        InspectionFactory(authority=AuthorityFactory(region=region))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:home"))
    for _ in range(20):
        InspectionFactory(authority=AuthorityFactory(region=RegionFactory()))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reports:home"))
    assert len(many) == len(few)


def test_demo_data_is_labelled_as_simulated(client):
    demo = AuthorityFactory(name="Ashford Vale", is_demo=True)
    annual(demo.gss_code, 2025, 20.0, source=Source.DEMO, release="load_demo")
    home = client.get(reverse("reports:home")).content.decode()
    page = client.get(reverse("reports:authority", args=[demo.gss_code])).content.decode()
    assert "simulated demo data" in home
    assert "simulated demo data" in page


def test_real_data_carries_no_simulated_banner(client):
    real = AuthorityFactory(name="Wakefield", gss_code="E08000036", dfe_code="384")
    annual(real.gss_code, 2025, 15.2)
    page = client.get(reverse("reports:authority", args=[real.gss_code])).content.decode()
    assert "simulated demo data" not in page


def test_authority_page_shows_latest_value_period_source_and_direction(client):
    wakefield = AuthorityFactory(name="Wakefield", gss_code="E08000036", dfe_code="384")
    annual(wakefield.gss_code, 2019, 32.0)
    annual(wakefield.gss_code, 2025, 15.2)
    annual(wakefield.gss_code, 2017, 65.6, code="assessments_45wd_pct")
    latest_assessments = annual(wakefield.gss_code, 2018, 51.3, code="assessments_45wd_pct")
    ObservationFactory(
        indicator=indicator("agency_sw_pct"),
        area_level=AreaLevel.NATIONAL,
        area_code="E92000001",
        value=13.0,
    )

    response = client.get(reverse("reports:authority", args=["E08000036"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "15.2%" in html and "51.3%" in html
    # Agency fell, and lower is better; assessments fell, and higher is better.
    assert "Improved since 2019: 16.8 percentage points down" in html
    assert "Worsened since 2017: 14.3 percentage points down" in html
    assert "Official statistics" in html
    source_url = reverse("reports:observation_source", args=[latest_assessments.pk])
    assert source_url in html


def test_authority_page_shows_symbols_in_words_never_as_zero(client):
    authority = AuthorityFactory()
    annual(authority.gss_code, 2025, None, symbol="c")
    html = client.get(reverse("reports:authority", args=[authority.gss_code])).content.decode()
    assert "Suppressed to protect confidentiality" in html
    assert "0.0%" not in html


def test_authority_page_lists_inspections_and_events(client):
    authority = AuthorityFactory(name="Wakefield")
    InspectionFactory(
        authority=authority,
        start_date=datetime.date(2018, 6, 4),
        overall_grade=Grade.INADEQUATE,
        sub_judgements={"Children in care": "Inadequate"},
        source="LA_Inspection_Outcomes_as_at_31_March_2025.ods, sheet ILACS",
        source_row=321,
    )
    InspectionFactory(
        authority=authority,
        start_date=datetime.date(2019, 3, 1),
        kind=InspectionKind.MONITORING_VISIT,
        overall_grade="",
    )
    EventFactory(
        authority=authority,
        description="Commissioner appointed",
        document="Wakefield 2018",
        quote="appointed a commissioner",
    )

    html = client.get(reverse("reports:authority", args=[authority.gss_code])).content.decode()

    assert "Inadequate" in html and "Monitoring visit" in html and "Not graded" in html
    assert "Children in care" in html
    assert "LA_Inspection_Outcomes_as_at_31_March_2025.ods, sheet ILACS, row 321" in html
    assert "Commissioner appointed" in html and "appointed a commissioner" in html


def test_unknown_authority_is_404(client):
    assert client.get(reverse("reports:authority", args=["E08999999"])).status_code == 404


def test_authority_page_query_count_does_not_grow_with_periods(client):
    authority = AuthorityFactory()
    annual(authority.gss_code, 2024, 20.0)
    InspectionFactory(authority=authority)
    url = reverse("reports:authority", args=[authority.gss_code])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for year in range(2010, 2024):
        annual(authority.gss_code, year, 20.0)
        annual(authority.gss_code, year, 10.0, code="sw_vacancy_pct")
        InspectionFactory(authority=authority, start_date=datetime.date(year, 1, 1))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_observation_source_page_traces_file_and_row(client):
    authority = AuthorityFactory(name="Wakefield")
    observation = annual(
        authority.gss_code,
        2018,
        28.7,
        release="csww_indicators_2017_to_2025.csv",
        source_row=812,
    )
    html = client.get(reverse("reports:observation_source", args=[observation.pk])).content
    text = html.decode()
    assert "csww_indicators_2017_to_2025.csv, row 812" in text
    assert "Wakefield" in text and "28.7%" in text


def test_an_authority_without_neighbours_says_so_instead_of_linking_to_empty_comparisons(client):
    lonely = AuthorityFactory(name="Dudley", gss_code="E08000027", region=None)
    html = client.get(reverse("reports:authority", args=[lonely.gss_code])).content.decode()
    assert "No statistical neighbours are loaded for Dudley" in html
    assert "Compare Dudley with its statistical neighbours" not in html
    grid = client.get(reverse("reports:neighbours_grid", args=[lonely.gss_code])).content.decode()
    assert "0 statistical neighbours" not in grid
    assert "No statistical neighbours are loaded for Dudley" in grid
