"""A pack is kept as it was made: opened later it shows the same figures, and lists what has
changed since (issue 17, item 4)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from authorities.models import EventCategory
from indicators.milestones.models import Milestone
from indicators.models import Observation
from reports.packs import services
from reports.packs.changes import plan_changes
from reports.packs.models import BoardPack
from tests.factories import EventFactory, InspectionFactory
from tests.reports.packs.conftest import MEETING, MILESTONE_DUE, TODAY, agency, page_text

pytestmark = pytest.mark.django_db


def pack_page(client, pack) -> str:
    return page_text(client.get(reverse("reports:pack", args=[pack.authority.gss_code, pack.pk])))


def section(html: str, heading: str) -> str:
    """The list under one heading of the "what has changed" section, as plain lines."""
    found = re.search(rf">{re.escape(heading)}</h3>.*?<ul[^>]*>(.*?)</ul>", html, re.S)
    assert found, f"no {heading!r} list on the page"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    plain = (
        re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', "", i) for i in items
    )
    return "\n".join(re.sub(r"\s+", " ", item).strip() for item in plain)


def test_a_kept_pack_shows_the_figures_it_was_made_with_and_lists_what_changed(
    client, authority, figures, users
):
    older = agency(authority.gss_code, "2023", 22.0)
    pack = services.make_pack(authority=authority, meeting_date=MEETING, user=users["approver"])
    kept = BoardPack.objects.get(pk=pack.pk).snapshot

    # Since then: the 2025 figure revised, 2023's too, 2024's withdrawn, 2026 published, and
    # the board moved its milestone.
    Observation.objects.filter(pk=figures.pk).update(value=19.0)
    Observation.objects.filter(pk=older.pk).update(value=23.5)
    Observation.objects.filter(period_label="2024", area_code=authority.gss_code).delete()
    new = agency(authority.gss_code, "2026", 16.5)
    Milestone.objects.filter(authority=authority).update(value=15.0)

    client.force_login(users["board_member"])
    html = pack_page(client, pack)
    assert BoardPack.objects.get(pk=pack.pk).snapshot == kept  # opening it changes nothing
    scorecard = html.split('id="scorecard-title"')[1]
    assert "17.5%" in scorecard and "20.0%" in scorecard  # the figures it was made with
    assert "19.0%" not in scorecard and "16.5%" not in scorecard

    assert section(html, "Figures revised") == (
        "Agency social workers (FTE %), Wakefield, 2023: was 22.0%, now 23.5%\n"
        "Agency social workers (FTE %), Wakefield, 2025: was 17.5%, now 19.0%"
    )
    assert f'href="/figures/{figures.pk}/source/">19.0%' in html
    assert section(html, "Figures no longer published") == (
        "Agency social workers (FTE %), Wakefield, 2024: was 20.0%"
    )
    assert section(html, "New periods published") == (
        "Agency social workers (FTE %): 16.5% for 2026 (the pack's latest was 2025)"
    )
    assert f'href="/figures/{new.pk}/source/">16.5%' in html
    due = f"{MILESTONE_DUE.day} {MILESTONE_DUE:%B} {MILESTONE_DUE.year}"
    assert section(html, "Next milestones changed") == (
        f"Agency social workers (FTE %): was 16.0% by {due}, now 15.0% by {due}"
    )


def test_a_pack_nothing_has_changed_since_says_so(client, authority, figures, users):
    pack = services.make_pack(authority=authority, meeting_date=MEETING, user=users["approver"])
    client.force_login(users["approver"])
    html = pack_page(client, pack)
    assert "Nothing: every figure, milestone and plan action in this pack is as it is" in html
    assert "Figures revised" not in html


def test_making_a_pack_again_for_the_same_meeting_adds_a_version_and_keeps_the_first(
    client, authority, figures, users
):
    client.force_login(users["board_member"])
    url = reverse("reports:packs", args=[authority.gss_code])
    date = {"day": str(MEETING.day), "month": str(MEETING.month), "year": str(MEETING.year)}
    first = client.post(url, date)
    first_pack = BoardPack.objects.get()
    assert first.url == reverse("reports:pack", args=[authority.gss_code, first_pack.pk])
    Observation.objects.filter(pk=figures.pk).update(value=19.0)

    second = client.post(url, date, follow=True)
    packs = list(BoardPack.objects.order_by("version"))
    assert [p.version for p in packs] == [1, 2]
    assert [p.meeting_date for p in packs] == [MEETING, MEETING]
    assert packs[0].snapshot["measures"][0]["latest"]["text"] == "17.5%"  # kept as it was
    assert packs[1].snapshot["measures"][0]["latest"]["text"] == "19.0%"
    html = page_text(second)
    assert "this is version 2. The earlier versions for this meeting are kept as they were" in html

    listing = page_text(client.get(url))
    assert listing.count(f"{MEETING.day} {MEETING:%B %Y}<span") == 2
    assert ", version 1</span>" in listing and ", version 2</span>" in listing


def test_events_and_inspections_are_those_since_the_previous_pack(authority, users):
    first_meeting = TODAY - datetime.timedelta(days=90)
    EventFactory(authority=authority, date=TODAY - datetime.timedelta(days=500), description="Old")
    EventFactory(
        authority=authority,
        date=TODAY - datetime.timedelta(days=100),
        category=EventCategory.LEADERSHIP,
        description="New director of children's services",
    )
    EventFactory(authority=authority, date=TODAY - datetime.timedelta(days=30), description="Since")
    InspectionFactory(authority=authority, start_date=TODAY - datetime.timedelta(days=60))

    first = services.make_pack(
        authority=authority, meeting_date=first_meeting, user=users["board_member"]
    )
    # The first pack looks back twelve months.
    assert [e["description"] for e in first.snapshot["events"]] == [
        "New director of children's services"
    ]
    assert first.snapshot["window"]["previous_meeting"] is None
    assert "the first pack for this authority" in first.snapshot["window"]["words"]

    second = services.make_pack(authority=authority, meeting_date=TODAY, user=users["approver"])
    assert [e["description"] for e in second.snapshot["events"]] == ["Since"]
    assert [i["kind"] for i in second.snapshot["inspections"]] == ["Full inspection"]
    assert second.snapshot["window"]["previous_meeting"] == first_meeting.isoformat()
    assert second.snapshot["window"]["previous_pack_id"] == first.pk


PLAN = [
    {
        "id": 1,
        "description": "Recruit permanent team managers",
        "owner": "Director of children's services",
        "due_date": "2026-03-31",
        "status_words": "In progress",
        "rag_words": "Green",
    },
    {
        "id": 2,
        "description": "Audit supervision records",
        "owner": "Principal social worker",
        "due_date": "2026-01-31",
        "status_words": "Not started",
        "rag_words": "Amber",
    },
]


def test_plan_actions_added_removed_or_changed_since_the_pack_are_listed():
    now = [
        {**PLAN[0], "status_words": "Done", "rag_words": "Done"},
        {
            "id": 3,
            "description": "Review the front door",
            "owner": "Head of service",
            "due_date": "2026-06-30",
            "status_words": "Not started",
            "rag_words": "Green",
        },
    ]
    changes = [(c.description, c.what) for c in plan_changes(PLAN, now)]
    assert changes == [
        (
            "Recruit permanent team managers",
            "Status was in progress, now done; red, amber or green was green, now done",
        ),
        ("Review the front door", "Added"),
        ("Audit supervision records", "Removed from the plan"),
    ]
    assert plan_changes(PLAN, PLAN) == []


def test_opening_a_pack_costs_the_same_queries_however_many_measures_and_periods(
    client, authority, figures, users
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ObservationFactory, indicator

    client.force_login(users["board_member"])
    small = services.make_pack(authority=authority, meeting_date=MEETING, user=users["approver"])
    with CaptureQueriesContext(connection) as few:
        pack_page(client, small)

    for year in ("2019", "2020", "2021", "2022", "2023"):
        agency(authority.gss_code, year, 25.0)
    for code in ("sw_vacancy_pct", "sw_turnover_pct", "avg_caseload"):
        for label in ("2023", "2024", "2025"):
            ObservationFactory(
                indicator=indicator(code),
                area_code=authority.gss_code,
                period_start=datetime.date(int(label) - 1, 10, 1),
                period_end=datetime.date(int(label), 9, 30),
                period_label=label,
                value=10.0,
            )
    large = services.make_pack(authority=authority, meeting_date=MEETING, user=users["approver"])
    assert len(large.snapshot["measures"]) == 4
    with CaptureQueriesContext(connection) as many:
        pack_page(client, large)
    assert len(many) == len(few)
