"""The league table: every authority for one indicator and period, with bands and ranks over
all authorities, change, latest judgement, sorting, filters, highlighting and CSV."""

import csv
import datetime
import io

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Grade
from indicators.models import AreaLevel, PeriodKind, Source
from reports.compare import league
from tests.factories import (
    AuthorityFactory,
    InspectionFactory,
    NeighbourFactory,
    ObservationFactory,
    RegionFactory,
    annual,
    indicator,
)

pytestmark = pytest.mark.django_db


# name, GSS code, region, 2025 value, 2024 value
AUTHORITIES = [
    ("Ashby", "E06000001", "north", 10.0, 12.0),
    ("Brill", "E08000001", "north", 16.0, 16.0),
    ("Corby", "E09000001", "north", 22.0, None),
    ("Dale", "E10000001", "south", 12.0, None),
    ("Eden", "E06000002", "south", 14.0, None),
    ("Fen", "E08000002", "south", 18.0, None),
    ("Gale", "E09000002", "south", 20.0, None),
    ("Holt", "E10000002", "south", 40.0, 30.0),
]


@pytest.fixture
def places():
    regions = {
        "north": RegionFactory(code="E12000001", name="North East"),
        "south": RegionFactory(code="E12000008", name="South East"),
    }
    made = {}
    for name, code, region, now, before in AUTHORITIES:
        authority = AuthorityFactory(name=name, gss_code=code, region=regions[region])
        annual(code, 2025, now)
        if before is not None:
            annual(code, 2024, before)
        made[name] = authority
    ivy = AuthorityFactory(name="Ivy", gss_code="E06000003", region=regions["south"])
    annual(ivy.gss_code, 2025, None, symbol="c")
    made["Ivy"] = ivy
    annual("E92000001", 2025, 13.0, level=AreaLevel.NATIONAL)
    # A monthly return is not public yet: it is in no league.
    ObservationFactory(
        indicator=indicator("agency_sw_pct"),
        area_code="E06000001",
        period_kind=PeriodKind.MONTH,
        period_start=datetime.date(2025, 3, 1),
        period_end=datetime.date(2025, 3, 31),
        period_label="March 2025",
        value=1.0,
        source=Source.MONTHLY_RETURN,
    )
    InspectionFactory(
        authority=made["Ashby"],
        start_date=datetime.date(2019, 1, 7),
        overall_grade=Grade.INADEQUATE,
    )
    InspectionFactory(
        authority=made["Ashby"], start_date=datetime.date(2023, 2, 6), overall_grade=Grade.GOOD
    )
    InspectionFactory(
        authority=made["Brill"],
        start_date=datetime.date(2022, 5, 9),
        overall_grade=Grade.REQUIRES_IMPROVEMENT,
    )
    InspectionFactory(
        authority=made["Holt"],
        start_date=datetime.date(2022, 9, 12),
        overall_grade=Grade.INADEQUATE,
    )
    return made


def table(**options):
    return league.league(indicator("agency_sw_pct"), **options)


def names(result):
    return [row.name for row in result.rows]


def test_bands_and_ranks_by_hand(places):
    result = table()
    # Quartiles of [10, 12, 14, 16, 18, 20, 22, 40]: 13.5, 17 and 20.5; lower is better.
    by_name = {row.name: row for row in result.rows}
    assert {n: (r.band, r.rank) for n, r in by_name.items()} == {
        "Ashby": ("A", 1),
        "Dale": ("A", 2),
        "Eden": ("B", 3),
        "Brill": ("B", 4),
        "Fen": ("C", 5),
        "Gale": ("C", 6),
        "Corby": ("D", 7),
        "Holt": ("D", 8),
        "Ivy": ("", None),
    }
    assert (result.period.label, result.previous.label) == ("2025", "2024")
    assert (result.ranked, result.listed) == (8, 9)
    assert names(result) == [
        "Ashby",
        "Dale",
        "Eden",
        "Brill",
        "Fen",
        "Gale",
        "Corby",
        "Holt",
        "Ivy",
    ]
    assert by_name["Ivy"].symbol == "c" and by_name["Ivy"].value is None


def test_change_since_the_previous_period_and_latest_judgement(places):
    by_name = {row.name: row for row in table().rows}
    assert (by_name["Ashby"].change, by_name["Ashby"].direction) == (-2.0, "better")
    assert (by_name["Brill"].change, by_name["Brill"].direction) == (0.0, "same")
    assert (by_name["Holt"].change, by_name["Holt"].direction) == (10.0, "worse")
    assert by_name["Corby"].change is None
    assert (by_name["Ashby"].grade, by_name["Ashby"].grade_date) == (
        Grade.GOOD,
        datetime.date(2023, 2, 6),
    )
    assert by_name["Holt"].grade_label == "Inadequate"
    assert by_name["Dale"].grade == ""


def test_filters_keep_the_national_band_and_rank(places):
    north = table(region="E12000001")
    assert [(r.name, r.band, r.rank) for r in north.rows] == [
        ("Ashby", "A", 1),
        ("Brill", "B", 4),
        ("Corby", "D", 7),
    ]
    assert north.ranked == 8
    assert names(table(kind="metropolitan")) == ["Brill", "Fen"]
    assert names(table(kind="county")) == ["Dale", "Holt"]
    assert names(table(grade=Grade.INADEQUATE)) == ["Holt"]


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        (
            "value",
            "desc",
            ["Holt", "Corby", "Gale", "Fen", "Brill", "Eden", "Dale", "Ashby", "Ivy"],
        ),
        (
            "change",
            "asc",
            ["Ashby", "Brill", "Holt", "Corby", "Dale", "Eden", "Fen", "Gale", "Ivy"],
        ),
        ("grade", "asc", ["Ashby", "Brill", "Holt", "Corby", "Dale", "Eden", "Fen", "Gale", "Ivy"]),
        (
            "grade",
            "desc",
            ["Holt", "Brill", "Ashby", "Corby", "Dale", "Eden", "Fen", "Gale", "Ivy"],
        ),
        ("name", "desc", ["Ivy", "Holt", "Gale", "Fen", "Eden", "Dale", "Corby", "Brill", "Ashby"]),
        ("rank", "desc", ["Holt", "Corby", "Gale", "Fen", "Brill", "Eden", "Dale", "Ashby", "Ivy"]),
    ],
)
def test_sorting_keeps_authorities_without_a_figure_last(places, sort, order, expected):
    assert names(table(sort=sort, order=order)) == expected


def test_highlight_tags_the_statistical_neighbours(places, client):
    for rank, name in enumerate(["Dale", "Eden"], start=1):
        NeighbourFactory(authority=places["Ashby"], neighbour=places[name], rank=rank)
    result = table(highlight="e06000001")
    assert result.highlight == ("E06000001", "Ashby")
    assert {row.name for row in result.rows if row.neighbour_of == "Ashby"} == {"Dale", "Eden"}
    assert [row.name for row in result.rows if row.is_highlighted] == ["Ashby"]
    html = client.get(
        reverse("reports:league"), {"indicator": "agency_sw_pct", "highlight": "E06000001"}
    ).content.decode()
    assert html.count(">Neighbour of Ashby</strong>") == 2
    assert ">Highlighted</strong>" in html


def test_a_month_of_a_monthly_return_is_in_no_league(places):
    periods = league.league_periods(indicator("agency_sw_pct"))
    assert [p.label for p in periods] == ["2024", "2025"]
    assert table(period_label="March 2025").period.label == "2025"  # falls back to the latest


def test_simulated_figures_make_a_league_of_their_own(places):
    for n, value in enumerate([5.0, 6.0, 7.0, 8.0]):
        demo = AuthorityFactory(name=f"Simulated {n}", is_demo=True)
        annual(demo.gss_code, 2025, value, source=Source.DEMO)
    official = table()
    assert official.source == Source.OFFICIAL and "Simulated 0" not in names(official)
    assert official.sources == [Source.OFFICIAL, Source.DEMO]
    demo = table(source=Source.DEMO)
    assert names(demo) == ["Simulated 0", "Simulated 1", "Simulated 2", "Simulated 3"]
    assert [row.rank for row in demo.rows] == [1, 2, 3, 4]
    assert demo.shows_demo_data


def test_no_band_or_rank_without_polarity():
    for n, value in enumerate([300.0, 100.0, 200.0, 50.0]):
        annual(AuthorityFactory(name=f"Place {n}").gss_code, 2025, value, code="cla")
    result = league.league(indicator("cla"))
    assert (result.sort, result.order) == ("value", "desc")
    assert [row.value for row in result.rows] == [300.0, 200.0, 100.0, 50.0]
    assert {(row.band, row.rank) for row in result.rows} == {("", None)}


# --- the page ---------------------------------------------------------------------------------


def page(client, **params):
    return client.get(reverse("reports:league"), {"indicator": "agency_sw_pct", **params})


def test_league_page_says_bands_are_over_all_authorities_and_links_sources(client, places):
    response = page(client, region="E12000001")
    html = response.content.decode()
    assert "worked out over all 8 authorities with a figure for 2025, before any filter" in html
    assert "Showing 3 of 9 authorities (filtered)" in html
    assert 'aria-sort="ascending"' in html
    assert html.count("aria-sort=") == 1
    ashby = response.context["league"].rows[0]
    assert f'href="{reverse("reports:observation_source", args=[ashby.observation_id])}"' in html
    assert "-2.0" in html and "better" in html
    assert "govuk-table__cell--numeric" in html
    assert not response.context["shows_demo_data"]


def test_sort_links_toggle_and_keep_the_filters(client, places):
    response = page(client, region="E12000001", sort="value", order="asc")
    links = {link.key: link for link in response.context["sort_links"]}
    assert links["value"].aria_sort == "ascending"
    assert "sort=value&order=desc" in links["value"].query
    assert "region=E12000001" in links["value"].query
    assert "sort=name&order=asc" in links["name"].query
    assert links["region"].query == ""  # not sortable
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'name="sort" value="value" form="league-form"' in html


def test_league_fragments_for_htmx_and_full_page_without(client, places):
    url = reverse("reports:league")
    params = {"indicator": "agency_sw_pct", "sort": "name"}
    table_only = client.get(
        url, params, headers={"HX-Request": "true", "HX-Target": "league-table"}
    ).content.decode()
    region = client.get(url, params, headers={"HX-Request": "true"})
    full = client.get(url, params).content.decode()
    assert table_only.lstrip().startswith('<section id="league-table"')
    assert "<html" not in table_only and 'league-form"' in table_only
    assert region.content.decode().lstrip().startswith('<div id="league"')
    assert "<html" not in region.content.decode()
    assert "HX-Request" in region["Vary"]
    assert "<html" in full


def test_unknown_choices_in_the_address_fall_back_and_the_controls_say_so(client, places):
    response = page(client, source="rumour", kind="castle", grade="excellent", sort="x", order="up")
    state = response.context["state"]
    assert (state.source, state.kind, state.grade, state.sort, state.order) == ("", "", "", "", "")
    result = response.context["league"]
    assert (result.source, result.sort, result.order) == ("official", "rank", "asc")
    assert len(result.rows) == 9  # no filter applied
    html = response.content.decode()
    assert 'name="sort" value="rank" form="league-form"' in html
    assert '<option value="" selected>All kinds</option>' in html
    assert '<option value="" selected>Any judgement</option>' in html
    assert 'name="source"' not in html  # one source, so nothing to choose
    assert "There is a problem" not in html


def test_csv_is_exactly_the_table(client, places):
    params = {"sort": "value", "order": "desc", "region": "E12000008"}
    response = page(client, **params)
    lines = response.context["lines"]
    download = client.get(reverse("reports:league_csv"), {"indicator": "agency_sw_pct", **params})
    assert download["Content-Type"].startswith("text/csv")
    assert "league-agency_sw_pct-2025.csv" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == [
        "Authority",
        "GSS code",
        "Region",
        "Agency social workers, 2025",
        "Quartile band",
        "National rank",
        "Change since 2024 (percentage points)",
        "Latest Ofsted judgement",
        "Judgement started",
        "Neighbour of",
        "Source",
    ]
    assert [r[0] for r in rows[1:]] == [line.row.name for line in lines]
    assert rows[1] == [
        "Holt",
        "E10000002",
        "South East",
        "40",
        "D",
        "8",
        "10",
        "Inadequate",
        "2022-09-12",
        "",
        "Official statistics",
    ]
    assert rows[-1][:6] == ["Ivy", "E06000003", "South East", "c", "", ""]
    assert [line.value_text for line in lines][-1] == "Suppressed to protect confidentiality"


def test_query_count_does_not_grow_with_the_number_of_authorities(client, places):
    with CaptureQueriesContext(connection) as few:
        page(client, highlight="E06000001")
    for n in range(40):
        authority = AuthorityFactory()
        annual(authority.gss_code, 2025, float(n))
        annual(authority.gss_code, 2024, float(n + 1))
        InspectionFactory(authority=authority, overall_grade=Grade.GOOD)
    with CaptureQueriesContext(connection) as many:
        response = page(client, highlight="E06000001")
    assert len(response.context["league"].rows) == 49
    assert len(many) == len(few)


def test_the_page_without_any_figures(client):
    response = page(client)
    assert response.status_code == 200
    assert "No published or simulated figures have been loaded" in response.content.decode()


# --- against the published figures -----------------------------------------------------------


@pytest.mark.official_data
def test_wakefield_in_the_2018_agency_league_from_the_published_file(official_dir):
    from indicators.official.ees_write import import_ees

    path = official_dir / "csww_indicators_2017_to_2025.csv"
    import_ees([path])
    result = league.league(indicator("agency_sw_pct"), period_label="2018")
    wakefield = next(row for row in result.rows if row.code == "E08000036")
    assert wakefield.value == 28.7

    # By hand from the file: local authority rows for 2018, a joint return counted once for
    # each authority it names; lower is better, so rank 1 + the number of lower rates.
    published = pd.read_csv(path, dtype=str)
    rows = published[
        (published["geographic_level"] == "Local authority") & (published["time_period"] == "2018")
    ]
    rates = pd.to_numeric(rows["agency_rate_fte"], errors="coerce")
    authorities = rows["new_la_code"].str.count("/") + 1
    numeric = rates.notna()
    assert result.ranked == int(authorities[numeric].sum())
    assert wakefield.rank == 1 + int(authorities[numeric & (rates < 28.7)].sum())
    assert wakefield.band == "D"


def test_the_default_period_says_it_is_the_latest_year(places, client):
    ObservationFactory(
        indicator=indicator("agency_sw_pct"),
        area_code="E06000001",
        period_kind=PeriodKind.MONTH,
        period_start=datetime.date(2025, 11, 1),
        period_end=datetime.date(2025, 11, 30),
        period_label="Nov 2025",
        value=9.0,
        source=Source.OFFICIAL,
    )
    result = table()
    assert result.period.label == "2025"  # a later month exists, but years are compared
    assert result.default_period_words == "Latest year"
    html = client.get(reverse("reports:league"), {"indicator": "agency_sw_pct"}).content.decode()
    assert '<option value="" selected>Latest year</option>' in html
