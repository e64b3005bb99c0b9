import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Grade, Membership, Role
from indicators.milestones.models import Milestone
from indicators.models import AreaLevel, PeriodKind, Source
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    InspectionFactory,
    MilestoneFactory,
    NeighbourFactory,
    ObservationFactory,
    RegionFactory,
    annual,
    indicator,
)
from tests.reports.figures import drawn_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    """An authority with ten neighbours, a region and England, for agency social workers."""
    region = RegionFactory(code="E12000003", name="Yorkshire and The Humber")
    authority = AuthorityFactory(name="Wakefield", gss_code="E08000036", region=region)
    for year, value in [(2017, 5.5), (2018, 28.7), (2019, 32.0), (2021, 14.2), (2025, 15.2)]:
        annual(authority.gss_code, year, value)
    neighbours = []
    for rank, value in enumerate([10, 12, 14, 16, 18, 20, 22, 24, 26, 40], start=1):
        neighbour = AuthorityFactory(region=region)
        NeighbourFactory(authority=authority, neighbour=neighbour, rank=rank)
        annual(neighbour.gss_code, 2025, float(value))
        neighbours.append(neighbour)
    annual(region.code, 2025, 11.0, level=AreaLevel.REGIONAL)
    annual("E92000001", 2025, 13.0, level=AreaLevel.NATIONAL)
    annual("E92000001", 2017, 15.8, level=AreaLevel.NATIONAL)
    return authority


def page(client, authority, **params):
    return client.get(reverse("reports:authority", args=[authority.gss_code]), params)


def test_headline_compares_with_neighbours_region_england_band_and_rank(client, place):
    html = page(client, place).content.decode()
    # Neighbours' mean: (10+12+...+26+40)/10 = 20.2; lower is better, so 15.2 among the 11
    # authorities' values [10,12,14,15.2,16,...] ranks 4th.
    assert "Statistical neighbours (mean of 10)" in html
    assert "20.2%" in html
    assert "11.0%" in html and "13.0%" in html
    assert "Band B, rank 4 of 11" in html


def monthly(code, area, month, value, level=AreaLevel.AUTHORITY, **extra):
    end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return ObservationFactory(
        indicator=indicator(code),
        area_level=level,
        area_code=area,
        period_kind=PeriodKind.MONTH,
        period_start=month,
        period_end=end - datetime.timedelta(days=1),
        period_label=f"{month:%b %Y}",
        value=value,
        **extra,
    )


def test_a_simulated_authoritys_approved_returns_are_compared_with_simulated_figures(client):
    region = RegionFactory(code="E12000901", name="Northmoor", is_demo=True)
    demo = AuthorityFactory(name="Flissford", gss_code="E09000906", region=region, is_demo=True)
    september, october = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
    returned = {"source": Source.MONTHLY_RETURN}
    monthly("agency_sw_pct", demo.gss_code, september, 18.0, **returned)
    monthly("agency_sw_pct", demo.gss_code, october, 15.0, **returned)
    simulated = {"source": Source.DEMO}
    for rank, value in enumerate([10.0, 20.0, 30.0], start=1):
        neighbour = AuthorityFactory(region=region, is_demo=True)
        NeighbourFactory(authority=demo, neighbour=neighbour, rank=rank)
        monthly("agency_sw_pct", neighbour.gss_code, october, value, **simulated)
    monthly("agency_sw_pct", region.code, october, 19.0, level=AreaLevel.REGIONAL, **simulated)
    monthly("agency_sw_pct", "E92000001", october, 21.0, level=AreaLevel.NATIONAL, **simulated)

    response = page(client, demo)
    headline = next(h for h in response.context["headlines"] if h.indicator.code == "agency_sw_pct")
    assert headline.latest.source == Source.MONTHLY_RETURN
    assert headline.previous.value == 18.0  # the change is since its own previous return
    comparison = headline.comparison
    assert comparison.neighbours == 20.0 and comparison.neighbours_count == 3
    assert comparison.region.value == 19.0 and comparison.england.value == 21.0
    # Ranked among the simulated figures with its own: 10, 15, 20, 30, lower is better.
    assert (comparison.standing.rank, comparison.standing.of) == (2, 4)


def test_counts_are_not_drawn_against_england_and_region_totals(client, place):
    annual(place.gss_code, 2025, 4200.0, code="referrals_annual")
    annual("E92000001", 2025, 650000.0, level=AreaLevel.NATIONAL, code="referrals_annual")
    annual("E12000003", 2025, 70000.0, level=AreaLevel.REGIONAL, code="referrals_annual")
    response = page(client, place, indicator="referrals_annual")
    names = [trace["name"] for trace in drawn_figure(response, "trajectory")["data"]]
    assert names == ["Wakefield (annual, official statistics)"]
    html = response.content.decode()
    assert "England's and Yorkshire and The Humber's totals are not drawn" in html
    # A percentage keeps them.
    percentages = page(client, place, indicator="agency_sw_pct")
    assert "England" in [trace["name"] for trace in drawn_figure(percentages, "trajectory")["data"]]
    assert "totals are not drawn" not in percentages.content.decode()


def test_neighbours_median_is_a_choice_and_says_so(client, place):
    html = page(client, place, neighbours="median").content.decode()
    assert "Statistical neighbours (median of 10)" in html
    assert "19.0%" in html  # median of the ten: (18 + 20) / 2


def test_chart_data_and_alt_text(client, place):
    InspectionFactory(
        authority=place, start_date=datetime.date(2018, 6, 11), overall_grade=Grade.INADEQUATE
    )
    response = page(client, place, indicator="agency_sw_pct")
    html = response.content.decode()
    figure = drawn_figure(response, "trajectory")
    names = [trace["name"] for trace in figure["data"]]
    assert names == [
        "Wakefield (annual, official statistics)",
        "Statistical neighbours (mean)",
        "Yorkshire and The Humber",
        "England",
    ]
    assert any(a["text"] == "Ofsted: Inadequate" for a in figure["layout"]["annotations"])
    assert "rose from 5.5% in 2017 to 32.0% in 2019, then fell to 15.2% in 2025" in html
    assert 'id="trajectory-figure" type="application/json"' in html
    assert "<script>" not in html  # no inline scripts


def test_chart_fragment_for_htmx_and_full_page_without(client, place):
    url = reverse("reports:authority", args=[place.gss_code])
    fragment = client.get(
        url, {"indicator": "agency_sw_pct", "events": "off"}, headers={"HX-Request": "true"}
    )
    full = client.get(url, {"indicator": "agency_sw_pct", "events": "off"})
    restore = client.get(
        url,
        {"indicator": "agency_sw_pct"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert fragment.content.decode().lstrip().startswith('<section id="trajectory"')
    assert "<html" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    assert "<html" in full.content.decode() and 'id="trajectory"' in full.content.decode()
    assert "<html" in restore.content.decode()


def test_permalink_round_trip(client, place):
    response = page(
        client,
        place,
        indicator="agency_sw_pct",
        neighbours="median",
        **{"from": "2018", "to": "2021"},
        events="off",
    )
    options = response.context["options"]
    assert (
        options.query() == "indicator=agency_sw_pct&neighbours=median&from=2018&to=2021&events=off"
    )
    again = client.get(response.request["PATH_INFO"] + "?" + options.query())
    assert again.context["options"] == options
    labels = [row[0].text for row in again.context["table"].rows]
    assert labels == ["2018", "2019", "2021"]


def test_the_chart_controls_show_what_is_drawn_whatever_the_address_says(client, place):
    response = page(
        client,
        place,
        indicator="no_such_indicator",
        neighbours="modal",
        events="maybe",
        **{"from": "2021", "to": "1066"},
    )
    options = response.context["options"]
    assert (options.indicator.code, options.neighbours, options.show_events) == (
        "agency_sw_pct",
        "mean",
        True,
    )
    assert (options.first_year, options.last_year) == (2021, None)
    html = response.content.decode()
    assert '<option value="agency_sw_pct" selected>' in html
    assert 'id="chart-neighbours-mean" checked' in html and 'id="chart-events-on" checked' in html
    assert '<option value="2021" selected>2021</option>' in html
    assert '<option value="" selected>Latest</option>' in html
    assert "There is a problem" not in html and "(optional)" not in html
    swapped = page(client, place, indicator="agency_sw_pct", **{"from": "2021", "to": "2018"})
    assert swapped.context["options"].query() == (
        "indicator=agency_sw_pct&neighbours=mean&from=2018&to=2021&events=on"
    )


def test_csv_equals_the_table(client, place):
    annual(place.gss_code, 2020, None, symbol="x")
    response = page(client, place, indicator="agency_sw_pct")
    table = response.context["table"]
    download = client.get(
        reverse("reports:trajectory_csv", args=[place.gss_code]), {"indicator": "agency_sw_pct"}
    )
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    header, body = rows[0], rows[1:]
    assert header == ["Period", "Period end", *table.columns[1:]]
    assert [r[0] for r in body] == [row[0].text for row in table.rows]
    by_period = {r[0]: r for r in body}
    assert by_period["2020"][2] == "x"
    assert by_period["2018"][2] == "28.7"
    assert by_period["2025"][header.index("England")] == "13"
    html_2020 = next(row for row in table.rows if row[0].text == "2020")
    assert html_2020[1].text == "Not available"


def test_report_evidence_is_drawn_with_its_quote(client, place):
    ObservationFactory(
        indicator=indicator("unallocated_cases"),
        area_code=place.gss_code,
        period_kind=PeriodKind.MONTH,
        period_start=datetime.date(2018, 9, 1),
        period_end=datetime.date(2018, 9, 30),
        period_label="September 2018",
        value=12,
        source=Source.REPORT,
        release="wakefield-2018.txt",
        quote="reduced to 12 by September 2018",
    )
    html = page(client, place, indicator="unallocated_cases").content.decode()
    assert "Wakefield (report evidence)" in html
    assert "reduced to 12 by September 2018" in html


def test_events_switch_on_and_off(client, place):
    EventFactory(
        authority=place, date=datetime.date(2018, 9, 1), description="Commissioner appointed"
    )
    shown = drawn_figure(page(client, place, indicator="agency_sw_pct"), "trajectory")
    hidden = drawn_figure(
        page(client, place, indicator="agency_sw_pct", events="off"), "trajectory"
    )
    hover = [a.get("hovertext", "") for a in shown["layout"].get("annotations", [])]
    assert any("Commissioner appointed" in text for text in hover)
    hover = [a.get("hovertext", "") for a in hidden["layout"].get("annotations", [])]
    assert not any("Commissioner appointed" in text for text in hover)


def test_milestone_rag_in_headline_and_planned_line(client, place):
    MilestoneFactory(
        authority=place,
        indicator=indicator("agency_sw_pct"),
        due_date=datetime.date.today() + datetime.timedelta(days=200),
        value=14.0,
        tolerance=2.0,
    )
    response = page(client, place, indicator="agency_sw_pct")
    html = response.content.decode()
    assert "Close to target" in html  # 15.2 is within 2 of 14, lower is better
    names = [trace["name"] for trace in drawn_figure(response, "trajectory")["data"]]
    assert "Milestones (planned)" in names


def test_query_count_does_not_grow_with_periods_or_authorities(client, place):
    url = reverse("reports:authority", args=[place.gss_code])
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"indicator": "agency_sw_pct"})
    for year in range(2010, 2017):
        annual(place.gss_code, year, 9.0)
        annual(place.gss_code, year, 9.0, code="sw_vacancy_pct")
        annual("E92000001", year, 9.0, level=AreaLevel.NATIONAL)
    for _ in range(15):
        annual(AuthorityFactory().gss_code, 2025, 9.0)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"indicator": "agency_sw_pct"})
    assert len(many) == len(few)


# --- milestones: who may change the plan ----------------------------------------------------


@pytest.fixture
def staff(client, place):
    user = User.objects.create_user("planner", password="pw")
    Membership.objects.create(user=user, authority=place, role=Role.APPROVER)
    client.force_login(user)
    return user


def test_staff_add_change_and_remove_a_milestone(client, staff, place):
    add = reverse("plan:milestone_add", args=[place.gss_code])
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "indicator": indicator("avg_caseload").pk,
            "value": "25",
            "due_date": "2027-09-30",
            "tolerance": "1",
            "note": "Interim target",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(authority=place)
    assert (milestone.value, milestone.created_by) == (25.0, staff)
    html = page(client, place).content.decode()
    assert "Interim target" in html and "Add a milestone" in html

    edit = reverse("plan:milestone_edit", args=[place.gss_code, milestone.pk])
    client.post(
        edit,
        {
            "indicator": indicator("avg_caseload").pk,
            "value": "20",
            "due_date": "2028-03-31",
            "tolerance": "1",
            "note": "Then below 20",
        },
    )
    milestone.refresh_from_db()
    assert (milestone.value, milestone.due_date) == (20.0, datetime.date(2028, 3, 31))

    delete = reverse("plan:milestone_delete", args=[place.gss_code, milestone.pk])
    assert client.get(delete).status_code == 200
    client.post(delete)
    assert not Milestone.objects.exists()


def test_bad_milestone_says_what_and_where_and_changes_nothing(client, staff, place):
    add = reverse("plan:milestone_add", args=[place.gss_code])
    response = client.post(
        add,
        {
            "indicator": indicator("agency_sw_pct").pk,
            "value": "140",
            "due_date": "not a date",
            "tolerance": "0",
            "note": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a percentage between 0 and 100" in html
    assert 'href="#id_due_date"' in html
    assert 'value="140"' in html  # what the user typed is shown back
    assert not Milestone.objects.exists()


def test_people_who_do_not_manage_the_plan_are_refused(client, place):
    milestone = MilestoneFactory(authority=place)
    add = reverse("plan:milestone_add", args=[place.gss_code])
    delete = reverse("plan:milestone_delete", args=[place.gss_code, milestone.pk])
    anonymous = client.get(add)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    reader = User.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(add).status_code == 403
    # A data officer enters returns but does not set the board's plan.
    Membership.objects.create(user=reader, authority=place, role=Role.DATA_OFFICER)
    assert client.get(add).status_code == 403
    # An approver of another authority cannot change this one's plan.
    elsewhere = User.objects.create_user("elsewhere", password="pw")
    Membership.objects.create(user=elsewhere, authority=AuthorityFactory(), role=Role.APPROVER)
    client.force_login(elsewhere)
    assert client.get(add).status_code == 403
    assert client.post(delete).status_code == 403
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert "Add a milestone" not in page(client, place).content.decode()


def test_a_milestone_of_another_authority_cannot_be_reached(client, staff, place):
    other = MilestoneFactory()
    url = reverse("plan:milestone_edit", args=[place.gss_code, other.pk])
    assert client.get(url).status_code == 404


def test_figure_json_is_valid_and_escaped(client, place):
    place.name = "Wakefield</script><script>alert(1)</script>"
    place.save()
    html = page(client, place, indicator="agency_sw_pct").content.decode()
    start = html.index('id="trajectory-figure" type="application/json">') + len(
        'id="trajectory-figure" type="application/json">'
    )
    payload = html[start : html.index("</script>", start)]
    assert "<script>" not in payload
    assert json.loads(payload)["data"]
