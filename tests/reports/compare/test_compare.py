"""Compare councils: choosing authorities and groups, the comparison chart on calendar time and
aligned on an anchor, its table and CSV, the page as permalink, and the neighbours grid."""

import csv
import datetime
import io

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import EventCategory, Grade
from indicators.models import AreaLevel, PeriodKind, Source
from reports.compare.inputs import Alignment
from reports.compare.selection import match_authorities, select_authorities
from reports.compare.selectors import compare_series
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    InspectionFactory,
    NeighbourFactory,
    ObservationFactory,
    RegionFactory,
    annual,
    indicator,
)
from tests.reports.figures import drawn_figure

pytestmark = pytest.mark.django_db


ENGLAND = "E92000001"


def monthly(area, year, month, value, code="agency_sw_pct", **extra):
    start = datetime.date(year, month, 1)
    end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
    return ObservationFactory(
        indicator=indicator(code),
        area_code=area,
        period_kind=PeriodKind.MONTH,
        period_start=start,
        period_end=end,
        period_label=f"{start:%B %Y}",
        value=value,
        **extra,
    )


@pytest.fixture
def place():
    """Wakefield (agency social workers as published), three neighbours and England."""
    region = RegionFactory(code="E12000003", name="Yorkshire and The Humber")
    wakefield = AuthorityFactory(name="Wakefield", gss_code="E08000036", region=region)
    for year, value in [(2017, 5.5), (2018, 28.7), (2019, 32.0)]:
        annual(wakefield.gss_code, year, value)
    for year, value in [(2017, 15.8), (2018, 15.4), (2019, 15.5)]:
        annual(ENGLAND, year, value, level=AreaLevel.NATIONAL)
    names = ["Barnsley", "Calderdale", "Doncaster"]
    for rank, name in enumerate(names, start=1):
        neighbour = AuthorityFactory(name=name, region=region)
        NeighbourFactory(authority=wakefield, neighbour=neighbour, rank=rank)
        for year in (2017, 2018, 2019):
            annual(neighbour.gss_code, year, 10.0 * rank + (year - 2017))
    return wakefield


def compare_page(client, **params):
    return client.get(reverse("reports:compare"), params)


# --- choosing authorities -------------------------------------------------------------------


def test_neighbours_group_is_the_authority_then_its_newest_neighbours_closest_first(place):
    retired = AuthorityFactory(name="Old neighbour")
    NeighbourFactory(authority=place, neighbour=retired, rank=1, model_year=2019)
    selection = select_authorities([], [f"neighbours:{place.gss_code}"])
    assert [a.name for a in selection.authorities] == [
        "Wakefield",
        "Barnsley",
        "Calderdale",
        "Doncaster",
    ]
    assert selection.groups[0].label == "Wakefield and its statistical neighbours"


def test_region_group_and_inadequate_year_group():
    north = RegionFactory(code="E12000001", name="North East")
    zeta = AuthorityFactory(name="Zeta", region=north)
    alpha = AuthorityFactory(name="Alpha", region=north)
    AuthorityFactory(name="Gone", region=north, active_to=datetime.date(2019, 3, 31))
    # Dated by publication, else by the end of the visit, else by its start.
    published = AuthorityFactory(name="Published 2018")
    InspectionFactory(
        authority=published,
        start_date=datetime.date(2017, 12, 4),
        published_date=datetime.date(2018, 2, 1),
        overall_grade=Grade.INADEQUATE,
    )
    ended = AuthorityFactory(name="Ended 2018")
    InspectionFactory(
        authority=ended,
        start_date=datetime.date(2018, 5, 1),
        end_date=datetime.date(2018, 5, 11),
        published_date=None,
        overall_grade=Grade.INADEQUATE,
    )
    later = AuthorityFactory(name="Visited 2018, published 2019")
    InspectionFactory(
        authority=later,
        start_date=datetime.date(2018, 11, 19),
        published_date=datetime.date(2019, 1, 20),
        overall_grade=Grade.INADEQUATE,
    )
    good = AuthorityFactory(name="Good 2018")
    InspectionFactory(
        authority=good, start_date=datetime.date(2018, 3, 1), overall_grade=Grade.GOOD
    )

    selection = select_authorities([], ["region:E12000001", "inadequate:2018"])
    assert [a.name for a in selection.authorities] == [
        "Alpha",
        "Zeta",
        "Ended 2018",
        "Published 2018",
    ]
    assert [g.label for g in selection.groups] == [
        "Authorities in North East",
        "Authorities judged Inadequate in 2018",
    ]
    assert zeta in selection.authorities and alpha in selection.authorities


def test_unknown_codes_and_groups_are_reported_not_dropped_silently():
    selection = select_authorities(["E09999999"], ["neighbours:E09999998", "nonsense"])
    assert selection.unknown == ["E09999999"]
    assert [g.problem for g in selection.groups] == [
        "No authority has the code E09999998",
        "This is not a group of authorities we know",
    ]


def test_twelve_authorities_at_most_with_the_rest_listed_as_left_out(client):
    authorities = [AuthorityFactory(name=f"Place {n:02d}") for n in range(14)]
    for authority in authorities:
        annual(authority.gss_code, 2025, 10.0)
    codes = [a.gss_code for a in authorities]
    selection = select_authorities(codes, [])
    assert len(selection.authorities) == 12
    assert [a.name for a in selection.capped] == ["Place 12", "Place 13"]

    html = compare_page(client, authority=codes, indicator="agency_sw_pct").content.decode()
    assert "You can compare up to 12 authorities at once, so 2 were left out" in html
    assert "Place 12, Place 13" in html


def test_match_authorities_prefers_an_exact_name_or_code(place):
    AuthorityFactory(name="Wakefield Fields")
    assert [a.name for a in match_authorities("wakefield")] == ["Wakefield"]
    assert [a.name for a in match_authorities("Wakefield (E08000036)")] == ["Wakefield"]
    assert [a.name for a in match_authorities("E08000036")] == ["Wakefield"]
    assert len(match_authorities("Wake")) == 2
    assert match_authorities("Nowhere") == []


# --- the comparison's figures ---------------------------------------------------------------


def test_series_by_hand_with_england_matched_like_with_like(place):
    demo = AuthorityFactory(name="Simulated Vale", gss_code="E06000901", is_demo=True)
    for year, value in [(2018, 30.0), (2019, 25.0)]:
        annual(demo.gss_code, year, value, source=Source.DEMO)
        annual(ENGLAND, year, 20.0, level=AreaLevel.NATIONAL, source=Source.DEMO)
    # A monthly return is not public yet, and England's monthly figures are not like with like.
    monthly(place.gss_code, 2019, 3, 99.0, source=Source.MONTHLY_RETURN)
    selection = select_authorities([place.gss_code, demo.gss_code], [])
    data = compare_series(selection.authorities, indicator("agency_sw_pct"))

    assert data.frequency == "annual"
    assert data.sources == [Source.OFFICIAL, Source.DEMO]
    assert data.shows_demo_data
    points = data.points
    assert 99.0 not in set(points["value"])
    wakefield = points[points["series"] == "Wakefield"]
    assert list(wakefield["value"]) == [5.5, 28.7, 32.0]
    assert set(wakefield["role"]) == {"focus"}
    assert set(points[points["series"] == "Simulated Vale"]["role"]) == {"other"}
    official = points[points["series"] == "England (official statistics)"]
    simulated = points[points["series"] == "England (simulated)"]
    assert list(official["value"]) == [15.8, 15.4, 15.5]
    assert list(simulated["value"]) == [20.0, 20.0]


def test_monthly_figures_when_no_authority_has_annual_ones_and_never_monthly_returns():
    first = AuthorityFactory(name="First", is_demo=True)
    second = AuthorityFactory(name="Second")
    for month in (1, 2, 3):
        monthly(first.gss_code, 2025, month, 50.0 + month, source=Source.DEMO)
        monthly(second.gss_code, 2025, month, 70.0, source=Source.MONTHLY_RETURN)
    data = compare_series([first, second], indicator("agency_sw_pct"))
    assert data.frequency == "monthly"
    assert list(data.points["value"]) == [51.0, 52.0, 53.0]
    assert [(item.name, item.reason) for item in data.left_out] == [
        ("Second", "No monthly figures for agency social workers (FTE %)")
    ]


def test_annual_figures_win_and_report_evidence_alone_is_not_compared(place):
    other = AuthorityFactory(name="Monthly only", is_demo=True)
    monthly(other.gss_code, 2019, 3, 12.0, source=Source.DEMO)
    reported = AuthorityFactory(name="Reported")
    monthly(reported.gss_code, 2018, 9, 12.0, source=Source.REPORT, quote="12%")
    data = compare_series([place, other, reported], indicator("agency_sw_pct"))
    assert data.frequency == "annual"
    assert {item.name: item.reason for item in data.left_out} == {
        "Monthly only": "No annual figures for agency social workers (FTE %)",
        "Reported": "Only figures from reports, which are not compared with published statistics",
    }


def test_aligned_on_the_first_inadequate_judgement_by_hand(place):
    InspectionFactory(
        authority=place,
        start_date=datetime.date(2018, 6, 11),
        end_date=datetime.date(2018, 6, 22),
        published_date=datetime.date(2018, 8, 10),
        overall_grade=Grade.INADEQUATE,
    )
    InspectionFactory(
        authority=place, start_date=datetime.date(2021, 11, 1), overall_grade=Grade.INADEQUATE
    )
    barnsley, calderdale, _ = select_authorities([], [f"neighbours:{place.gss_code}"]).authorities[
        1:
    ]
    # No publication date: the anchor is the end of the visit.
    InspectionFactory(
        authority=barnsley,
        start_date=datetime.date(2016, 9, 5),
        end_date=datetime.date(2016, 9, 30),
        published_date=None,
        overall_grade=Grade.INADEQUATE,
    )
    data = compare_series(
        [place, barnsley, calderdale],
        indicator("agency_sw_pct"),
        alignment=Alignment.parse("grade:inadequate"),
    )
    wakefield = data.points[data.points["series"] == "Wakefield"]
    # 10 Aug 2018 to 30 Sep 2017, 2018, 2019: -314, 51 and 416 days.
    assert list(wakefield["x"]) == [round(-314 / 365.25, 2), round(51 / 365.25, 2), 1.14]
    assert data.anchors["E08000036"].date == datetime.date(2018, 8, 10)
    assert data.anchors[barnsley.gss_code].date == datetime.date(2016, 9, 30)
    assert list(data.points[data.points["series"] == "Barnsley"]["x"]) == [1.0, 2.0, 3.0]
    assert not (data.points["role"] == "england").any()
    assert [(i.name, i.reason) for i in data.left_out] == [
        ("Calderdale", "No Inadequate judgement recorded")
    ]
    assert data.alignment.axis_title == "Years since first Inadequate judgement"


def test_aligned_on_the_first_event_of_a_category(place):
    EventFactory(
        authority=place, date=datetime.date(2018, 9, 30), category=EventCategory.INTERVENTION
    )
    EventFactory(
        authority=place,
        date=datetime.date(2019, 9, 30),
        category=EventCategory.INTERVENTION,
        description="Second commissioner",
    )
    data = compare_series(
        select_authorities([], [f"neighbours:{place.gss_code}"]).authorities,
        indicator("agency_sw_pct"),
        alignment=Alignment.parse("event:intervention"),
    )
    assert list(data.points["x"]) == [-1.0, 0.0, 1.0]
    assert [i.reason for i in data.left_out] == ["No intervention event recorded"] * 3
    assert data.alignment.axis_title == "Years since first intervention event"


def test_alignment_parses_only_known_grades_and_categories():
    assert Alignment.parse("grade:good").key == "grade:good"
    assert Alignment.parse("event:leadership").anchor_words == "first leadership event"
    assert Alignment.parse("grade:excellent").key == "none"
    assert Alignment.parse("").aligned is False


# --- the page ---------------------------------------------------------------------------------


def test_compare_page_draws_chart_table_and_says_where_figures_come_from(client, place):
    response = compare_page(client, group=f"neighbours:{place.gss_code}", indicator="agency_sw_pct")
    html = response.content.decode()
    assert response.status_code == 200
    figure = drawn_figure(response, "compare")
    assert [trace["name"] for trace in figure["data"]][-1] == "Wakefield"
    assert 'id="compare-figure" type="application/json"' in html
    assert 'data-figure="compare-figure" role="img" aria-label="Line chart of agency' in html
    assert "<script>" not in html
    table = response.context["table"]
    assert table.columns == [
        "Period",
        "Wakefield",
        "Barnsley",
        "Calderdale",
        "Doncaster",
        "England",
    ]
    first = table.rows[0]
    assert [cell.text for cell in first] == ["2017", "5.5%", "10.0%", "20.0%", "30.0%", "15.8%"]
    source = reverse("reports:observation_source", args=[first[1].href_id])
    assert f'href="{source}"' in html
    assert "govuk-table__cell--numeric" in html
    assert not response.context["shows_demo_data"]


def test_an_authority_name_is_drawn_as_written_not_read_as_markup(client, place):
    odd = AuthorityFactory(name="Vale <i>& Dale</i>", gss_code="E06000998")
    annual(odd.gss_code, 2018, 12.0)
    response = compare_page(
        client, authority=[place.gss_code, odd.gss_code], indicator="agency_sw_pct"
    )
    figure = drawn_figure(response, "compare")
    escaped = "Vale &lt;i&gt;&amp; Dale&lt;/i&gt;"
    assert escaped in [trace["name"] for trace in figure["data"]]
    assert escaped in [note["text"] for note in figure["layout"]["annotations"]]
    assert "Vale <i>" not in response.content.decode()


def test_compare_fragment_for_htmx_and_full_page_without(client, place):
    params = {"authority": place.gss_code, "indicator": "agency_sw_pct"}
    fragment = client.get(reverse("reports:compare"), params, headers={"HX-Request": "true"})
    full = compare_page(client, **params)
    restore = client.get(
        reverse("reports:compare"),
        params,
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="compare"')
    assert "<html" not in text and 'id="compare-figure"' in text
    assert "HX-Request" in fragment["Vary"]
    assert "<html" in full.content.decode()
    assert "<html" in restore.content.decode()


def test_permalink_round_trip(client, place):
    params = {
        "authority": [place.gss_code],
        "group": ["region:E12000003"],
        "indicator": "agency_sw_pct",
        "focus": "E08000036",
        "align": "grade:inadequate",
    }
    response = client.get(reverse("reports:compare"), params)
    state = response.context["state"]
    assert state.query() == (
        "authority=E08000036&group=region:E12000003&indicator=agency_sw_pct"
        "&focus=E08000036&align=grade:inadequate"
    )
    assert response.context["permalink"] == "http://testserver/compare/?" + state.query()
    again = client.get(response.context["permalink"])
    assert again.context["state"] == state
    assert [a.name for a in again.context["selection"].authorities] == [
        a.name for a in response.context["selection"].authorities
    ]


def test_adding_and_removing_works_without_javascript_and_lands_on_a_clean_permalink(client, place):
    url = reverse("reports:compare")
    added = client.get(url, {"authority": "E08000036", "add": "Barnsley", "indicator": ""})
    barnsley = match_authorities("Barnsley")[0].gss_code
    assert added.status_code == 302
    assert added["Location"] == f"{url}?authority=E08000036&authority={barnsley}"

    grouped = client.get(
        url, {"authority": "E08000036", "add": "", "add_group": "region:E12000003"}
    )
    assert grouped["Location"] == f"{url}?authority=E08000036&group=region:E12000003"

    removed = client.get(
        url,
        {
            "authority": ["E08000036", barnsley],
            "group": "region:E12000003",
            "focus": barnsley,
            "remove": f"authority:{barnsley}",
        },
    )
    assert removed["Location"] == f"{url}?authority=E08000036&group=region:E12000003"
    ungrouped = client.get(
        url,
        {"authority": "E08000036", "group": "region:E12000003", "remove": "group:region:E12000003"},
    )
    assert ungrouped["Location"] == f"{url}?authority=E08000036"


def test_adding_with_htmx_swaps_the_region_and_pushes_the_clean_url(client, place):
    url = reverse("reports:compare")
    response = client.get(url, {"add": "Wakefield"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"{url}?authority=E08000036"
    assert response.content.decode().lstrip().startswith('<div id="compare"')


def test_a_name_matching_several_authorities_asks_which(client, place):
    AuthorityFactory(name="Wakefield Fields", gss_code="E06000999")
    response = client.get(reverse("reports:compare"), {"add": "Wake"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "More than one authority matches “Wake”: choose one" in html
    assert 'name="choose" value="E06000999"' in html
    assert 'href="#compare-add"' in html and 'id="compare-add-error"' in html
    chosen = client.get(reverse("reports:compare"), {"choose": "E06000999", "add": ""})
    assert chosen["Location"].endswith("?authority=E06000999")
    unknown = client.get(reverse("reports:compare"), {"add": "Atlantis"}).content.decode()
    assert "No authority matches “Atlantis”" in unknown
    assert "<title>Error: Compare authorities" in unknown


def test_aligned_page_lists_left_out_authorities_with_reasons(client, place):
    InspectionFactory(
        authority=place,
        start_date=datetime.date(2018, 6, 11),
        published_date=datetime.date(2018, 8, 10),
        overall_grade=Grade.INADEQUATE,
    )
    response = compare_page(
        client,
        group=f"neighbours:{place.gss_code}",
        indicator="agency_sw_pct",
        align="grade:inadequate",
    )
    html = response.content.decode()
    assert "Not on the chart" in html
    assert html.count("No Inadequate judgement recorded") == 3
    assert "Years since first Inadequate judgement" in html
    assert drawn_figure(response, "compare")["layout"]["xaxis"]["title"]["text"] == (
        "Years since first Inadequate judgement"
    )
    assert [c.text for c in response.context["table"].rows[0]] == [
        "Wakefield",
        "10 Aug 2018",
        "2017",
        "-0.9",
        "5.5%",
    ]


def test_csv_is_exactly_the_table(client, place):
    annual(place.gss_code, 2020, None, symbol="c")
    params = {"group": f"neighbours:{place.gss_code}", "indicator": "agency_sw_pct"}
    table = compare_page(client, **params).context["table"]
    download = client.get(reverse("reports:compare_csv"), params)
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    header, body = rows[0], rows[1:]
    assert header == ["Period", "Period end", *table.columns[1:]]
    assert [r[0] for r in body] == [row[0].text for row in table.rows]
    by_period = {r[0]: r for r in body}
    assert by_period["2018"][2:] == ["28.7", "11", "21", "31", "15.4"]
    assert by_period["2020"][2] == "c"
    html_2020 = next(row for row in table.rows if row[0].text == "2020")
    assert html_2020[1].text == "Suppressed to protect confidentiality"


def test_aligned_csv_is_exactly_the_aligned_table(client, place):
    InspectionFactory(
        authority=place,
        start_date=datetime.date(2018, 6, 11),
        published_date=datetime.date(2018, 8, 10),
        overall_grade=Grade.INADEQUATE,
    )
    params = {
        "authority": place.gss_code,
        "indicator": "agency_sw_pct",
        "align": "grade:inadequate",
    }
    table = compare_page(client, **params).context["table"]
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("reports:compare_csv"), params).content.decode()))
    )
    assert rows[0] == [
        "Authority",
        "Anchor date",
        "Period",
        "Period end",
        "Years since anchor",
        "Agency social workers",
    ]
    assert rows[1:] == [
        ["Wakefield", "2018-08-10", "2017", "2017-09-30", "-0.86", "5.5"],
        ["Wakefield", "2018-08-10", "2018", "2018-09-30", "0.14", "28.7"],
        ["Wakefield", "2018-08-10", "2019", "2019-09-30", "1.14", "32"],
    ]
    assert [[c.text for c in row] for row in table.rows][2] == [
        "Wakefield",
        "10 Aug 2018",
        "2019",
        "1.1",
        "32.0%",
    ]


def test_query_count_does_not_grow_with_authorities_or_periods(client, place):
    url = reverse("reports:compare")
    InspectionFactory(authority=place, overall_grade=Grade.GOOD)
    few = {"authority": [place.gss_code], "indicator": "agency_sw_pct", "align": "grade:good"}
    with CaptureQueriesContext(connection) as small:
        client.get(url, few)
    region = RegionFactory(code="E12000004", name="East Midlands")
    codes = []
    for n in range(11):
        authority = AuthorityFactory(region=region)
        InspectionFactory(authority=authority, overall_grade=Grade.GOOD)
        for year in range(2010, 2020):
            annual(authority.gss_code, year, float(n + year % 7))
        codes.append(authority.gss_code)
    many = {**few, "authority": [place.gss_code, *codes], "group": ["region:E12000004"]}
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, many)
    assert len(response.context["data"].authorities) == 12
    assert len(large) == len(small) + 1  # the region group's one query


def test_demo_banner_when_a_simulated_authority_is_shown(client):
    demo = AuthorityFactory(name="Simulated Vale", is_demo=True)
    annual(demo.gss_code, 2025, 10.0, source=Source.DEMO)
    response = compare_page(client, authority=demo.gss_code, indicator="agency_sw_pct")
    assert response.context["shows_demo_data"]
    assert "This page shows simulated demo data" in response.content.decode()


def test_the_demo_banner_follows_authorities_added_and_removed_with_htmx(client, place):
    demo = AuthorityFactory(name="Simulated Vale", is_demo=True)
    annual(demo.gss_code, 2025, 10.0, source=Source.DEMO)
    url = reverse("reports:compare")
    htmx = {"HX-Request": "true"}
    added = client.get(url, {"authority": place.gss_code, "add": "Simulated Vale"}, headers=htmx)
    banner = 'id="demo-banner" hx-swap-oob="true"'
    html = added.content.decode()
    assert banner in html
    assert "This page shows simulated demo data" in html
    removed = client.get(
        url,
        {"authority": [place.gss_code, demo.gss_code], "remove": f"authority:{demo.gss_code}"},
        headers=htmx,
    )
    html = removed.content.decode()
    assert banner in html  # swapped in empty, so the banner goes
    assert "This page shows simulated demo data" not in html
    full = client.get(url, {"authority": demo.gss_code}).content.decode()
    assert full.count('id="demo-banner"') == 1 and "hx-swap-oob" not in full


def test_choosing_one_of_several_matches_adds_it_without_asking_again(client, place):
    AuthorityFactory(name="Wakefield Fields", gss_code="E06000999")
    url = reverse("reports:compare")
    asked = client.get(url, {"add": "Wake"}, headers={"HX-Request": "true"})
    assert 'name="choose" value="E06000999"' in asked.content.decode()
    # The form sends the ambiguous text again with the button pressed.
    for headers in ({"HX-Request": "true"}, {}):
        chosen = client.get(url, {"add": "Wake", "choose": "E06000999"}, headers=headers)
        if chosen.status_code == 302:
            chosen = client.get(chosen["Location"])
        assert chosen.context["state"].authorities == ["E06000999"]
        assert "There is a problem" not in chosen.content.decode()


def test_removing_does_not_try_the_text_left_in_the_add_box(client, place):
    url = reverse("reports:compare")
    removed = client.get(
        url,
        {"authority": place.gss_code, "add": "Atlantis", "remove": f"authority:{place.gss_code}"},
    )
    assert removed.status_code == 302
    assert removed["Location"] == url


def test_changing_a_chart_setting_does_not_retry_a_failed_add(client, place):
    url = reverse("reports:compare")
    params = {"authority": place.gss_code, "add": "Atlantis", "indicator": "agency_sw_pct"}
    failed = client.get(url, params, headers={"HX-Request": "true", "HX-Trigger": "compare-add"})
    assert "No authority matches “Atlantis”" in failed.content.decode()
    redrawn = client.get(
        url, params, headers={"HX-Request": "true", "HX-Trigger": "compare-indicator"}
    )
    html = redrawn.content.decode()
    assert "There is a problem" not in html
    assert 'value="Atlantis"' in html  # what was typed is kept, to correct and add later
    assert redrawn.context["state"].authorities == [place.gss_code]


def test_an_unknown_indicator_or_time_axis_draws_the_default(client, place):
    response = compare_page(
        client, authority=place.gss_code, indicator="no_such_indicator", align="grade:excellent"
    )
    assert response.context["indicator"].code == "agency_sw_pct"
    assert response.context["state"].align == "none"
    html = response.content.decode()
    assert '<option value="agency_sw_pct" selected>' in html
    assert '<option value="none" selected>Calendar time</option>' in html
    assert "There is a problem" not in html


def test_every_control_has_a_label(client, place):
    html = compare_page(client, authority=place.gss_code).content.decode()
    for control in ("compare-add", "compare-group", "compare-indicator", "compare-align"):
        assert f'for="{control}"' in html and f'id="{control}"' in html
    assert 'for="compare-focus"' in html
    assert 'name="remove" value="authority:E08000036"' in html
    assert 'Remove<span class="govuk-visually-hidden"> Wakefield</span>' in html


# --- the neighbours grid ----------------------------------------------------------------------


def grid_page(client, authority, **params):
    return client.get(reverse("reports:neighbours_grid", args=[authority.gss_code]), params)


def test_neighbours_grid_one_panel_each_shared_axes_table_and_csv(client, place):
    response = grid_page(client, place, indicator="agency_sw_pct")
    html = response.content.decode()
    figure = drawn_figure(response, "grid")
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert titles == ["Wakefield", "Barnsley", "Calderdale", "Doncaster"]
    assert figure["layout"]["annotations"][0]["font"]["weight"] == "bold"
    ranges = {
        tuple(value["range"]) for key, value in figure["layout"].items() if key.startswith("yaxis")
    }
    assert len(ranges) == 1
    assert "4 small line charts of agency social workers (FTE %)" in html
    assert 'data-figure="grid-figure" role="img"' in html
    table = response.context["table"]
    assert table.columns == [
        "Period",
        "Wakefield",
        "Barnsley",
        "Calderdale",
        "Doncaster",
        "England",
    ]
    csv_url = reverse("reports:compare_csv") + "?" + response.context["csv_query"]
    rows = list(csv.reader(io.StringIO(client.get(csv_url).content.decode())))
    assert rows[0] == ["Period", "Period end", *table.columns[1:]]
    assert [r[0] for r in rows[1:]] == [row[0].text for row in table.rows]


def test_neighbours_grid_fragment_and_full_page(client, place):
    url = reverse("reports:neighbours_grid", args=[place.gss_code])
    fragment = client.get(url, {"indicator": "agency_sw_pct"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.lstrip().startswith('<section id="grid"') and "<html" not in text
    assert "HX-Request" in fragment["Vary"]
    assert "<html" in grid_page(client, place).content.decode()
    assert client.get(reverse("reports:neighbours_grid", args=["E09999999"])).status_code == 404


def test_neighbours_grid_query_count_does_not_grow(client, place):
    with CaptureQueriesContext(connection) as few:
        grid_page(client, place, indicator="agency_sw_pct")
    for rank in range(4, 11):
        neighbour = AuthorityFactory()
        NeighbourFactory(authority=place, neighbour=neighbour, rank=rank)
        for year in range(2012, 2020):
            annual(neighbour.gss_code, year, 9.0)
    with CaptureQueriesContext(connection) as many:
        response = grid_page(client, place, indicator="agency_sw_pct")
    assert len(response.context["data"].authorities) == 11
    assert len(many) == len(few)
