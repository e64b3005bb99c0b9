"""Issue 13, item 4: every milestone added, changed or removed through the pages leaves a record
of who, when, the milestone before and after, and the reason given; the history is shown to
the people who manage the plan, and refused to everyone else."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from authorities.models import Role
from indicators.milestones import services
from indicators.milestones.models import Milestone, MilestoneChange, MilestoneChangeKind
from tests.factories import AuthorityFactory, MilestoneFactory, indicator
from tests.indicators.returns.conftest import make_user

pytestmark = pytest.mark.django_db

DUE = datetime.date.today() + datetime.timedelta(days=200)
LATER = DUE + datetime.timedelta(days=92)


def words(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def place():
    return AuthorityFactory(name="Wakefield", gss_code="E08000036")


@pytest.fixture
def planner(client, place):
    user = make_user("planner", Role.APPROVER, place)
    user.first_name, user.last_name = "Pat", "Planner"
    user.save()
    client.force_login(user)
    return user


def history_url(place) -> str:
    return reverse("plan:milestone_history", args=[place.gss_code])


def data(**changes: str) -> dict[str, str]:
    values = {
        "indicator": str(indicator("avg_caseload").pk),
        "value": "25",
        "due_date": DUE.isoformat(),
        "tolerance": "1",
        "note": "",
        "reason": "",
    }
    values.update(changes)
    return values


def test_adding_changing_and_removing_through_the_pages_is_recorded(client, planner, place):
    add = reverse("plan:milestone_add", args=[place.gss_code])
    form = client.get(add).content.decode()
    assert 'name="reason"' in form and "Reason for the change (optional)</label>" in form
    assert "govuk-textarea" in form and 'aria-describedby="id_reason-hint"' in form

    response = client.post(add, data(reason="Agreed at the March board"))
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    added = MilestoneChange.objects.get()
    assert added.kind == MilestoneChangeKind.ADDED and added.milestone == milestone
    assert added.old == {}
    assert added.new == {
        "indicator": "avg_caseload",
        "indicator_name": indicator("avg_caseload").name,
        "due_date": DUE.isoformat(),
        "value": 25.0,
        "tolerance": 1.0,
        "note": "",
    }
    assert added.changed_by == planner and added.changed_by_name == "Pat Planner"
    assert added.reason == "Agreed at the March board"

    edit = reverse("plan:milestone_edit", args=[place.gss_code, milestone.pk])
    response = client.post(edit, data(value="22.5", due_date=LATER.isoformat(), reason="Slipped"))
    assert response.status_code == 302
    changed = MilestoneChange.objects.filter(kind=MilestoneChangeKind.CHANGED).get()
    assert (changed.old["value"], changed.new["value"]) == (25.0, 22.5)
    assert (changed.old["due_date"], changed.new["due_date"]) == (
        DUE.isoformat(),
        LATER.isoformat(),
    )
    assert changed.reason == "Slipped" and changed.milestone == milestone

    remove = reverse("plan:milestone_delete", args=[place.gss_code, milestone.pk])
    confirm = client.get(remove).content.decode()
    assert 'name="reason"' in confirm
    response = client.post(remove, {"reason": "Replaced by the new plan"})
    assert response.status_code == 302
    assert not Milestone.objects.exists()
    removed = MilestoneChange.objects.get(kind=MilestoneChangeKind.REMOVED)
    assert removed.old["value"] == 22.5 and removed.new == {}
    assert removed.reason == "Replaced by the new plan"
    # The earlier records outlive the milestone, whole.
    assert MilestoneChange.objects.count() == 3
    assert MilestoneChange.objects.get(pk=added.pk).new["value"] == 25.0

    page = client.get(history_url(place))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for text in (
        "Agreed at the March board",
        "Slipped",
        "Replaced by the new plan",
        "Pat Planner",
        f"Due by: {words(DUE)}",
        f"Due by: {words(LATER)}",
        "Target value: 25",
        "Target value: 22.5",
        "(none: new milestone)",
        "(none: removed)",
    ):
        assert text in html, text
    # Newest first.
    assert (
        html.index("Replaced by the new plan")
        < html.index("Slipped")
        < html.index("Agreed at the March board")
    )


def test_saving_a_milestone_unchanged_records_nothing(client, planner, place):
    milestone = MilestoneFactory(authority=place, due_date=DUE, value=25, tolerance=1)
    edit = reverse("plan:milestone_edit", args=[place.gss_code, milestone.pk])
    response = client.post(edit, data(), follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert not MilestoneChange.objects.exists()


def test_a_reason_too_long_is_a_clear_message_and_saves_nothing(client, planner, place):
    add = reverse("plan:milestone_add", args=[place.gss_code])
    html = client.post(add, data(reason="x" * 1001)).content.decode()
    assert "The reason must be 1,000 characters or fewer" in html
    assert '<a href="#id_reason">' in html
    assert not Milestone.objects.exists() and not MilestoneChange.objects.exists()
    milestone = MilestoneFactory(authority=place)
    remove = reverse("plan:milestone_delete", args=[place.gss_code, milestone.pk])
    response = client.post(remove, {"reason": "x" * 1001})
    assert response.status_code == 200
    assert "The reason must be 1,000 characters or fewer" in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert not MilestoneChange.objects.exists()


@pytest.mark.parametrize("role", [Role.DATA_OFFICER, Role.BOARD_MEMBER, Role.DFE_ANALYST])
def test_people_who_cannot_manage_the_plan_cannot_read_its_history(client, place, role):
    services.save_milestone(
        authority=place,
        indicator=indicator("avg_caseload"),
        due_date=DUE,
        value=20,
        tolerance=0,
        note="",
        user=make_user("boss", Role.ADMINISTRATOR, place),
        reason="Secret reasoning",
    )
    client.force_login(make_user("someone", role, place if role != Role.DFE_ANALYST else None))
    response = client.get(history_url(place))
    assert response.status_code == 403
    assert "Secret reasoning" not in response.content.decode()
    page = client.get(reverse("reports:authority", args=[place.gss_code])).content.decode()
    assert history_url(place) not in page


def test_an_approver_of_another_authority_and_anonymous_people_are_refused(client, place):
    MilestoneChange.objects.create(authority=place, kind=MilestoneChangeKind.ADDED, reason="Ours")
    elsewhere = AuthorityFactory(name="Kirklees", gss_code="E08000034")
    client.force_login(make_user("other", Role.APPROVER, elsewhere))
    assert client.get(history_url(place)).status_code == 403
    client.logout()
    response = client.get(history_url(place))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_plan_manager_sees_the_link_to_the_history(client, planner, place):
    page = client.get(reverse("reports:authority", args=[place.gss_code])).content.decode()
    assert f'href="{history_url(place)}">Changes to these milestones</a>' in page


def test_the_services_refuse_someone_who_cannot_manage_the_plan(place):
    officer = make_user("officer", Role.DATA_OFFICER, place)
    with pytest.raises(PermissionDenied):
        services.save_milestone(
            authority=place,
            indicator=indicator("avg_caseload"),
            due_date=DUE,
            value=20,
            tolerance=0,
            note="",
            user=officer,
        )
    milestone = MilestoneFactory(authority=place)
    with pytest.raises(PermissionDenied):
        services.delete_milestone(milestone=milestone, user=officer)
    assert Milestone.objects.count() == 1 and not MilestoneChange.objects.exists()


def test_a_history_record_cannot_be_changed_or_deleted(place):
    record = MilestoneChange.objects.create(authority=place, kind=MilestoneChangeKind.ADDED)
    record.reason = "rewritten"
    with pytest.raises(ValueError, match="history"):
        record.save()
    with pytest.raises(ValueError, match="history"):
        record.delete()
