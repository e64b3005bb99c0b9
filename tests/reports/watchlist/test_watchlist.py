"""Issue 17, item 1: the watchlist. Every authority on one page with what needs attention, each
flag worked out on hand-made data and linked to its evidence; sortable, filterable, a permalink
and a CSV; for DfE users and others who see every authority, refused to everyone else; queries
that do not grow with the number of authorities; the authority page opens with the same flags."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import Grade, Role
from indicators.milestones.models import ActionStatus, ImprovementAction
from indicators.models import AreaLevel, PeriodKind
from indicators.returns import selectors as returns_selectors
from indicators.returns.models import ReturnStatus
from reports.watchlist import selectors
from tests.factories import (
    AuthorityFactory,
    InspectionFactory,
    MilestoneFactory,
    MonthlyReturnFactory,
    ObservationFactory,
    RegionFactory,
    indicator,
)
from tests.indicators.returns.conftest import make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 20)  # May's return was due by 15 June: overdue if not in
MAY = returns_selectors.latest_month(TODAY)
FEBRUARY, MARCH, APRIL = (returns_selectors.add_months(MAY, -n) for n in (3, 2, 1))


def annual(authority, year, value, code="agency_sw_pct"):
    return ObservationFactory(
        indicator=indicator(code),
        area_level=AreaLevel.AUTHORITY,
        area_code=authority.gss_code,
        period_kind=PeriodKind.REPORTING_YEAR,
        period_start=datetime.date(year - 1, 10, 1),
        period_end=datetime.date(year, 9, 30),
        period_label=str(year),
        value=value,
    )


@pytest.fixture
def country():
    """Six authorities in two regions, with agency social workers (lower is better) for two
    years, milestones, plan actions, returns and inspections chosen so that each flag is on
    for some and off for others.

    2024: A 20, B 30, C 45, D1 10, D2 15, D3 25 -> A in band B; B and C in band D.
    2025: A 40, B 25, C 50, D1 10, D2 15, D3 25 -> A and C in band D; B in band B.
    """
    north = RegionFactory(code="E12000001", name="North East")
    south = RegionFactory(code="E12000008", name="South East")
    a = AuthorityFactory(name="Ashby", gss_code="E06000901", region=north)
    b = AuthorityFactory(name="Barton", gss_code="E06000902", region=south)
    c = AuthorityFactory(name="Carrow", gss_code="E06000903", region=north)
    d1 = AuthorityFactory(name="Dunmere", gss_code="E06000904", region=south, is_demo=True)
    d2 = AuthorityFactory(name="Eastwick", gss_code="E06000905", region=south)
    d3 = AuthorityFactory(name="Fairford", gss_code="E06000906", region=south)
    for place, before, after in (
        (a, 20, 40),
        (b, 30, 25),
        (c, 45, 50),
        (d1, 10, 10),
        (d2, 15, 15),
        (d3, 25, 25),
    ):
        annual(place, 2024, before)
        annual(place, 2025, after)
    # No polarity: a rise in children looked after is no flag.
    annual(a, 2024, 300, code="cla")
    annual(a, 2025, 400, code="cla")
    future = TODAY + datetime.timedelta(days=100)
    MilestoneFactory(
        authority=b, indicator=indicator("agency_sw_pct"), due_date=future, value=20, tolerance=3
    )  # 25 is 5 off: red
    MilestoneFactory(
        authority=d2, indicator=indicator("agency_sw_pct"), due_date=future, value=14, tolerance=2
    )  # 15 is 1 off: amber
    MilestoneFactory(
        authority=d1, indicator=indicator("agency_sw_pct"), due_date=future, value=12, tolerance=0
    )  # 10 meets it: green
    MilestoneFactory(
        authority=d3,
        indicator=indicator("agency_sw_pct"),
        due_date=TODAY - datetime.timedelta(days=1),
        value=5,
    )  # past: not next
    ImprovementAction.objects.create(
        authority=a,
        description="Stabilise the front door",
        owner="Head of MASH",
        due_date=TODAY - datetime.timedelta(days=1),
        status=ActionStatus.IN_PROGRESS,
    )
    ImprovementAction.objects.create(
        authority=b,
        description="Recruit managers",
        owner="DCS",
        due_date=TODAY + datetime.timedelta(days=10),
    )
    ImprovementAction.objects.create(
        authority=b,
        description="Publish standards",
        owner="PSW",
        due_date=TODAY - datetime.timedelta(days=50),
        status=ActionStatus.DONE,
    )
    MonthlyReturnFactory(authority=a, month=FEBRUARY, status=ReturnStatus.APPROVED)
    MonthlyReturnFactory(authority=a, month=APRIL, status=ReturnStatus.SUBMITTED)
    MonthlyReturnFactory(authority=a, month=MAY, status=ReturnStatus.DRAFT)
    for month in (FEBRUARY, MARCH, APRIL, MAY):
        MonthlyReturnFactory(authority=c, month=month, status=ReturnStatus.APPROVED)
    InspectionFactory(
        authority=a,
        overall_grade=Grade.INADEQUATE,
        start_date=datetime.date(2024, 1, 8),
        published_date=datetime.date(2024, 3, 1),
    )
    InspectionFactory(
        authority=b,
        overall_grade=Grade.GOOD,
        start_date=datetime.date(2023, 5, 1),
        published_date=datetime.date(2023, 7, 1),
    )
    return {"A": a, "B": b, "C": c, "D1": d1, "D2": d2, "D3": d3}  # fmt: skip


@pytest.fixture
def analyst():
    return make_user("analyst", Role.DFE_ANALYST)


def listed(user, **filters):
    found = selectors.watchlist(user, today=TODAY, **filters)
    return {entry.authority.name: entry for entry in found.entries}


def kinds(entry):
    return sorted(flag.kind for flag in entry.flags)


def test_each_flag_is_raised_where_it_should_be_and_nowhere_else(country, analyst):
    entries = listed(analyst)
    assert kinds(entries["Ashby"]) == ["band_d", "plan", "returns", "worse"]
    assert kinds(entries["Barton"]) == ["milestone"]
    assert kinds(entries["Carrow"]) == ["worse"]  # band D both years: not "moved into" it
    assert kinds(entries["Dunmere"]) == []  # milestone met: green
    assert kinds(entries["Eastwick"]) == ["milestone"]
    assert kinds(entries["Fairford"]) == []  # its only milestone is past: none is next

    a = entries["Ashby"]
    (worse,) = a.of("worse")
    assert worse.subject == indicator("agency_sw_pct").name
    assert worse.detail == "Worsened from 20.0% in 2024 to 40.0% in 2025 (lower is better)"
    assert worse.url == "/authorities/E06000901/?indicator=agency_sw_pct#trajectory"
    (band,) = a.of("band_d")
    assert band.detail == ("Band D, the worst quarter of authorities, in 2025; band B in 2024")
    assert band.url.startswith(reverse("reports:league") + "?indicator=agency_sw_pct&period=2025")
    assert "highlight=E06000901" in band.url
    (plan,) = a.of("plan")
    assert plan.subject == "1 action" and "owner Head of MASH" in plan.detail
    assert plan.url.startswith(reverse("plan:plan", args=["E06000901"]) + "#action-")
    (returns,) = a.of("returns")
    assert returns.subject == "2 months"
    assert returns.detail == f"Not submitted by the due date: {MARCH:%B %Y}, {MAY:%B %Y}"
    assert returns.url == reverse("returns:return", args=["E06000901", MARCH])
    assert a.sends_returns and entries["Carrow"].sends_returns
    assert not entries["Barton"].sends_returns

    (red,) = entries["Barton"].of("milestone")
    assert red.tag_class == "govuk-tag--red"
    assert red.detail.startswith("Off track (red): 25.0% in 2025 against a milestone of 20.0%")
    (amber,) = entries["Eastwick"].of("milestone")
    assert amber.tag_class == "govuk-tag--yellow" and amber.detail.startswith("Close to target")


def test_the_latest_judgement_and_how_long_ago(country, analyst):
    entries = listed(analyst)
    judgement = entries["Ashby"].judgement
    assert (judgement.label, judgement.date) == ("Inadequate", datetime.date(2024, 3, 1))
    assert judgement.ago == "2 years, 3 months ago" and judgement.months == 27
    assert entries["Barton"].judgement.label == "Good"
    assert entries["Carrow"].judgement is None


def test_filters_and_sorts(country, analyst):
    default = selectors.watchlist(analyst, today=TODAY)
    assert [e.authority.name for e in default.entries][:3] == ["Ashby", "Barton", "Carrow"]
    assert default.listed == 6
    assert default.counts == {"milestone": 2, "worse": 2, "band_d": 1, "plan": 1, "returns": 1}
    assert list(listed(analyst, region="E12000001")) == ["Ashby", "Carrow"]
    assert list(listed(analyst, judgement=Grade.INADEQUATE)) == ["Ashby"]
    assert list(listed(analyst, judgement="none", sort="name")) == [
        "Carrow", "Dunmere", "Eastwick", "Fairford",
    ]  # fmt: skip
    assert list(listed(analyst, flag="milestone", sort="name")) == ["Barton", "Eastwick"]
    assert list(listed(analyst, flag="any", sort="name")) == [
        "Ashby", "Barton", "Carrow", "Eastwick",
    ]  # fmt: skip
    assert list(listed(analyst, sort="judgement"))[:2] == ["Ashby", "Barton"]
    assert list(listed(analyst, sort="judged"))[:2] == ["Barton", "Ashby"]


def test_the_page_is_a_permalink_with_a_csv(client, country, analyst):
    client.force_login(analyst)
    page = client.get(reverse("watchlist:watchlist"), {"region": "E12000001", "flag": "worse"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Showing 2 of 6 authorities (filtered)" in html
    assert 'href="/watchlist/?region=E12000001&amp;flag=worse&amp;sort=flags"' in html
    assert "Ashby" in html and "Carrow" in html and "Barton" not in html
    assert '<option value="E12000001" selected>North East</option>' in html
    assert "/authorities/E06000901/?indicator=agency_sw_pct#trajectory" in html
    now = {e.authority.name: e for e in selectors.watchlist(analyst).entries}  # today's
    assert "Inadequate" in html and now["Ashby"].judgement.ago in html
    assert "Does not send monthly returns" not in html  # both send them
    assert "app-table-scroll" not in html  # the table is whole, on screen and on paper

    response = client.get(reverse("watchlist:csv"), {"region": "E12000001", "flag": "worse"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Authority", "GSS code", "Region", "Simulated"]
    assert [row[0] for row in rows[1:]] == ["Ashby", "Carrow"]
    ashby = dict(zip(rows[0], rows[1], strict=True))
    assert ashby["Latest Ofsted judgement"] == "Inadequate"
    assert ashby["Judgement published"] == "2024-03-01"
    assert ashby["Flags"] == "4"
    assert ashby["Moved into band D"].startswith(f"{indicator('agency_sw_pct').name}: Band D")
    assert ashby["Overdue plan actions"].startswith("1 action: Past the due date")
    assert ashby["Sends monthly returns"] == "yes"


def test_simulated_authorities_are_labelled(client, country, analyst):
    client.force_login(analyst)
    html = client.get(reverse("watchlist:watchlist"), {"sort": "name"}).content.decode()
    row = html[html.index('id="watch-E06000904"') :]
    row = row[: row.index("</tr>")]
    assert "Simulated" in row
    assert "app-demo-banner" in html
    rows = list(csv.reader(io.StringIO(client.get(reverse("watchlist:csv")).content.decode())))
    assert {row[0]: row[3] for row in rows[1:]}["Dunmere"] == "yes"


def test_a_bad_filter_says_so_and_is_not_applied(client, country, analyst):
    client.force_login(analyst)
    html = client.get(
        reverse("watchlist:watchlist"), {"region": "E99999999", "flag": "band_d"}
    ).content.decode()
    assert "Choose a region from the list" in html and "that filter was not applied" in html
    assert "Showing 1 of 6 authorities (filtered)" in html  # the valid filter still applies


def test_the_csv_cannot_carry_a_formula(client, analyst):
    AuthorityFactory(name='=HYPERLINK("http://x")', gss_code="E06000990")
    client.force_login(analyst)
    rows = list(csv.reader(io.StringIO(client.get(reverse("watchlist:csv")).content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


def test_only_those_who_see_every_authority_may_open_it(client, country):
    a = country["A"]
    allowed = [
        make_user("analyst", Role.DFE_ANALYST),
        make_user("admin", Role.ADMINISTRATOR),
    ]
    superuser = make_user("root")
    superuser.is_superuser = True
    superuser.save()
    allowed.append(superuser)
    for user in allowed:
        client.force_login(user)
        assert client.get(reverse("watchlist:watchlist")).status_code == 200
        assert "Watchlist</a>" in client.get(reverse("reports:home")).content.decode()
    refused = [
        make_user("approver", Role.APPROVER, a),
        make_user("board", Role.BOARD_MEMBER, a),
        make_user("officer", Role.DATA_OFFICER, a),
        make_user("local_admin", Role.ADMINISTRATOR, a),
        make_user("nobody"),
    ]
    for user in refused:
        client.force_login(user)
        for url in (reverse("watchlist:watchlist"), reverse("watchlist:csv")):
            response = client.get(url)
            assert response.status_code == 403
            assert "The watchlist is for DfE users" in response.content.decode()
        assert "Watchlist</a>" not in client.get(reverse("reports:home")).content.decode()
        # The queryset gives them no one else's private business either.
        others = selectors.watchlist(user, today=TODAY).entries
        assert {e.authority.pk for e in others} <= {a.pk}
    client.logout()
    for url in (reverse("watchlist:watchlist"), reverse("watchlist:csv")):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def build(count: int) -> None:
    """``count`` authorities, each with figures, a milestone, an overdue action, returns and an
    inspection: everything the watchlist reads."""
    region = RegionFactory()
    for n in range(count):
        place = AuthorityFactory(region=region)
        annual(place, 2024, 10 + n)
        annual(place, 2025, 20 + n)
        MilestoneFactory(authority=place, indicator=indicator("agency_sw_pct"),
                         due_date=TODAY + datetime.timedelta(days=30), value=5)  # fmt: skip
        ImprovementAction.objects.create(
            authority=place,
            description="Act",
            owner="Head",
            due_date=TODAY - datetime.timedelta(days=2),
        )
        MonthlyReturnFactory(authority=place, month=APRIL)
        InspectionFactory(authority=place)


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_the_number_of_authorities(
    count, analyst, django_assert_max_num_queries, client
):
    build(count)
    with django_assert_max_num_queries(8):
        found = selectors.watchlist(analyst, today=TODAY)
    assert len(found.entries) == count
    assert all(len(entry.flags) == 4 for entry in found.entries)  # all worse, off track, late
    client.force_login(analyst)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("watchlist:watchlist")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("watchlist:csv")).status_code == 200


# --- the authority page opens with the same flags ----------------------------------------


def test_the_authority_page_opens_with_the_same_flags(client, country, analyst):
    a = country["A"]
    today = timezone.localdate()
    page = reverse("reports:authority", args=[a.gss_code])
    # The dates above are fixed; the page uses today's. Make the plan and returns overdue now.
    ImprovementAction.objects.filter(authority=a).update(
        due_date=today - datetime.timedelta(days=1)
    )
    latest = returns_selectors.latest_month(today)
    first = returns_selectors.add_months(latest, -3)
    MonthlyReturnFactory(authority=a, month=first, status=ReturnStatus.APPROVED)

    expected = selectors.authority_flags(a, user=analyst)
    assert kinds(expected) == ["band_d", "plan", "returns", "worse"]
    client.force_login(analyst)
    html = client.get(page).content.decode()
    section = html[html.index('id="attention"') : html.index('id="headlines"')]
    for flag in expected.flags:
        assert flag.label in section and flag.detail in section
    assert "Inadequate" in section and "ago" in section
    assert reverse("watchlist:watchlist") in section
    assert html.index('id="attention"') < html.index('id="headlines"')

    member = make_user("approver", Role.APPROVER, a)
    client.force_login(member)
    section = client.get(page).content.decode()
    assert "Overdue plan actions" in section and "Overdue monthly returns" in section
    assert reverse("watchlist:watchlist") not in section  # not theirs to open

    # Others see the public flags (measures and milestones), never plan actions or returns.
    for user in (make_user("outsider", Role.APPROVER, country["B"]), None):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        html = client.get(page).content.decode()
        section = html[html.index('id="attention"') : html.index('id="headlines"')]
        assert "Moved into band D" in section and "Worse on the latest period" in section
        assert "Overdue plan actions</strong>" not in section
        assert "Overdue monthly returns</strong>" not in section
        assert "Stabilise the front door" not in html
        assert "shown only to the authority's members and DfE users" in section
    assert not selectors.authority_flags(a, user=None).sees_private
