"""Issue 17, item 3: the improvement plan. Actions with an owner, a due date and a status; red,
amber or green worked out from status and date by one written rule; managed by the authority's
approvers and administrators, seen by its members and DfE users, refused to everyone else;
every change kept with who, when, before, after and why; a stale edit refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from indicators.milestones import rag, selectors, services
from indicators.milestones.models import (
    ActionStatus,
    ImprovementAction,
    ImprovementActionChange,
    PlanChangeKind,
)
from tests.factories import InspectionFactory, indicator

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def standing(status: str, days: int) -> rag.ActionRag:
    """The action's standing ``days`` after today (before it, if negative)."""
    due = TODAY + datetime.timedelta(days=days)
    return rag.action_rag(status=status, due_date=due, today=TODAY)


# --- the red, amber, green rule ------------------------------------------------------------


def test_done_is_done_whatever_the_date():
    for days in (-400, -1, 0, 5, 400):
        result = standing(ActionStatus.DONE, days)
        assert (result.rag, result.label, result.overdue) == ("done", "Done", False)


def test_past_due_and_not_done_is_red_and_overdue_from_the_day_after():
    for status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED):
        yesterday = standing(status, -1)
        assert (yesterday.rag, yesterday.overdue) == ("red", True)
        assert yesterday.reason.startswith("overdue, due by 14 June 2026")
        assert not standing(status, 0).overdue  # due today is not late yet
    assert standing(ActionStatus.BLOCKED, -1).reason == (
        "overdue, due by 14 June 2026, and it is blocked"
    )


def test_blocked_is_red_before_its_due_date():
    result = standing(ActionStatus.BLOCKED, 200)
    assert (result.rag, result.reason, result.overdue) == ("red", "blocked", False)
    assert result.tag_class == "govuk-tag--red"


def test_not_started_is_amber_within_28_days_and_green_after():
    assert standing(ActionStatus.NOT_STARTED, 0).rag == "amber"
    assert standing(ActionStatus.NOT_STARTED, 0).reason == "not started and due today"
    assert standing(ActionStatus.NOT_STARTED, 1).reason == "not started and due in 1 day"
    assert standing(ActionStatus.NOT_STARTED, 28).rag == "amber"
    assert standing(ActionStatus.NOT_STARTED, 29).rag == "green"
    assert standing(ActionStatus.NOT_STARTED, 29).reason == "due in 29 days"
    # Started, it is green however close the date.
    assert standing(ActionStatus.IN_PROGRESS, 0).rag == "green"
    assert standing(ActionStatus.IN_PROGRESS, 28).label == "Green"


def test_the_queryset_and_the_rule_agree_on_what_is_overdue(place):
    due_dates = [TODAY + datetime.timedelta(days=days) for days in (-30, -1, 0, 1)]
    for status in ActionStatus.values:
        for due in due_dates:
            ImprovementAction.objects.create(
                authority=place,
                description=f"{status} {due}",
                owner="Head",
                due_date=due,
                status=status,
            )
    in_sql = set(ImprovementAction.objects.overdue(TODAY).values_list("pk", flat=True))
    by_rule = {
        action.pk
        for action in ImprovementAction.objects.all()
        if rag.action_rag(status=action.status, due_date=action.due_date, today=TODAY).overdue
    }
    assert in_sql == by_rule and len(in_sql) == 6  # three open statuses, two past dates


# --- services: who may change, every change kept -----------------------------------------


def add(place, user, **changes):
    values = {
        "authority": place,
        "description": "Recruit permanent team managers",
        "owner": "Director of Children's Services",
        "due_date": timezone.localdate() + datetime.timedelta(days=90),
        "user": user,
    }
    values.update(changes)
    return services.add_action(**values)


def change(action, user, *, version=None, **changes):
    values = {
        "description": action.description,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "indicators": list(action.indicators.all()),
        "inspection": action.inspection,
    }
    values.update(changes)
    return services.change_action(
        action=action,
        version=action.version if version is None else version,
        user=user,
        **values,
    )


def test_adding_changing_and_removing_keeps_every_change(place, people, inspection):
    planner = people["approver"]
    caseload = indicator("avg_caseload")
    action = add(
        place,
        planner,
        indicators=[caseload],
        inspection=inspection,
        reason="Agreed at the March board",
    )
    added = ImprovementActionChange.objects.get()
    assert added.kind == PlanChangeKind.ADDED and added.action == action and added.old == {}
    assert added.new["description"] == "Recruit permanent team managers"
    assert added.new["indicators"] == [{"code": "avg_caseload", "name": caseload.name}]
    assert added.new["status"] == "not_started" and added.new["inspection_id"] == inspection.pk
    assert added.changed_by == planner and added.changed_by_name == "Pat Planner"
    assert added.reason == "Agreed at the March board" and added.version == 1

    changed = change(action, planner, status=ActionStatus.IN_PROGRESS, reason="Posts advertised")
    assert changed is not None and changed.kind == PlanChangeKind.CHANGED
    assert (changed.old["status"], changed.new["status"]) == ("not_started", "in_progress")
    assert changed.version == 2 and changed.reason == "Posts advertised"
    action.refresh_from_db()
    assert action.version == 2

    # Saving what is saved already changes nothing and records nothing.
    assert change(action, planner) is None
    action.refresh_from_db()
    assert action.version == 2 and ImprovementActionChange.objects.count() == 2

    removed = services.remove_action(
        action=action, version=2, user=people["local_administrator"], reason="Replaced"
    )
    assert removed.kind == PlanChangeKind.REMOVED and removed.new == {}
    assert removed.old["status"] == "in_progress" and removed.reason == "Replaced"
    assert not ImprovementAction.objects.exists()
    # The earlier records outlive the action, whole.
    assert ImprovementActionChange.objects.count() == 3
    assert ImprovementActionChange.objects.get(pk=added.pk).new["owner"] == (
        "Director of Children's Services"
    )
    with pytest.raises(ValueError, match="history"):
        added.delete()


def test_a_stale_edit_is_refused_and_changes_nothing(place, people):
    action = add(place, people["approver"])
    change(action, people["local_administrator"], owner="Head of Service")
    with pytest.raises(services.StaleAction) as refused:
        change(action, people["approver"], version=1, owner="Someone else")
    assert refused.value.current.owner == "Head of Service"
    assert refused.value.latest.changed_by == people["local_administrator"]
    with pytest.raises(services.StaleAction):
        services.remove_action(action=action, version=1, user=people["approver"])
    action.refresh_from_db()
    assert action.owner == "Head of Service" and action.version == 2
    assert ImprovementActionChange.objects.count() == 2


@pytest.mark.parametrize(
    "who", ["board_member", "data_officer", "dfe_analyst", "other_approver", "no_role"]
)
def test_people_who_do_not_manage_the_plan_cannot_change_it(place, people, who):
    with pytest.raises(services.PlanRefused, match="Only approvers and administrators"):
        add(place, people[who])
    action = add(place, people["approver"])
    with pytest.raises(services.PlanRefused):
        change(action, people[who], status=ActionStatus.DONE)
    with pytest.raises(services.PlanRefused):
        services.remove_action(action=action, version=1, user=people[who])
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert ImprovementActionChange.objects.count() == 1


def test_bad_input_is_refused_with_a_message_and_saves_nothing(place, elsewhere, people):
    planner = people["approver"]
    with pytest.raises(ValidationError) as refused:
        add(place, planner, due_date=datetime.date(1999, 12, 31))
    assert "The due date must be between 1 January 2000" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        add(place, planner, inspection=InspectionFactory(authority=elsewhere))
    assert "this authority's own inspections" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        add(place, planner, description="  ", owner="")
    assert "Enter what will be done" in str(refused.value)
    assert "Enter who owns the action" in str(refused.value)
    assert not ImprovementAction.objects.exists()
    assert not ImprovementActionChange.objects.exists()


# --- the pages: who sees and who changes -------------------------------------------------


def plan_url(place):
    return reverse("plan:plan", args=[place.gss_code])


SEES = [
    "approver",
    "local_administrator",
    "administrator",
    "data_officer",
    "board_member",
    "dfe_analyst",
]


def test_the_plan_is_seen_by_members_and_dfe_and_refused_to_everyone_else(
    client, place, people, inspection
):
    today = timezone.localdate()
    add(
        place,
        people["approver"],
        description="Audit case files",
        indicators=[indicator("avg_caseload")],
        inspection=inspection,
    )
    ImprovementAction.objects.create(
        authority=place,
        description="Stabilise the front door",
        owner="Head of MASH",
        due_date=today - datetime.timedelta(days=3),
        status=ActionStatus.IN_PROGRESS,
    )
    for who in SEES:
        client.force_login(people[who])
        page = client.get(plan_url(place))
        assert page.status_code == 200, who
        assert "no-store" in page["Cache-Control"]
        html = page.content.decode()
        assert "Audit case files" in html and "Stabilise the front door" in html
        assert rag.RULE in html
        assert "Red: overdue, due by" in html  # words beside the red tag
        assert indicator("avg_caseload").name in html and "Inadequate" in html
        manages = who in ("approver", "local_administrator", "administrator")
        assert (reverse("plan:add", args=[place.gss_code]) in html) is manages, who
    for who in ("other_approver", "other_board_member", "no_role"):
        client.force_login(people[who])
        assert client.get(plan_url(place)).status_code == 403, who
        assert client.get(reverse("plan:history", args=[place.gss_code])).status_code == 403
    client.logout()
    for url in (plan_url(place), reverse("plan:history", args=[place.gss_code])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_querysets_scope_the_plan_too(place, elsewhere, people):
    add(place, people["approver"])
    outsider = people["other_approver"]
    assert selectors.plan(outsider, place).rows == []
    assert selectors.plan_summary(place, user=outsider) is None
    assert selectors.history(outsider, place) == []
    assert not ImprovementAction.objects.for_user(outsider).exists()
    assert ImprovementAction.objects.for_user(people["board_member"]).count() == 1
    assert not ImprovementAction.objects.for_user(people["board_member"], "manage_plan").exists()


def form(place, **changes):
    values = {
        "description": "Recruit permanent team managers",
        "owner": "Director of Children's Services",
        "due_date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "status": ActionStatus.NOT_STARTED,
        "inspection": "",
        "reason": "",
    }
    values.update(changes)
    return values


def test_an_approver_adds_changes_and_removes_through_the_pages(client, place, people):
    client.force_login(people["approver"])
    add_url = reverse("plan:add", args=[place.gss_code])
    page = client.get(add_url).content.decode()
    assert 'name="reason"' in page and "Reason for the change (optional)" in page
    assert 'class="govuk-checkboxes__input"' in page and "<legend" in page
    caseload = indicator("avg_caseload")
    response = client.post(
        add_url, {**form(place, reason="Board, 3 March"), "indicators": [caseload.pk]}
    )
    assert response.status_code == 302 and response["Location"] == plan_url(place)
    action = ImprovementAction.objects.get()
    assert list(action.indicators.all()) == [caseload]
    edit_url = reverse("plan:edit", args=[place.gss_code, action.pk])
    assert 'name="version" value="1"' in client.get(edit_url).content.decode()
    response = client.post(
        edit_url,
        {**form(place, status=ActionStatus.BLOCKED, reason="No applicants"), "version": "1"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.BLOCKED and action.indicators.count() == 0
    remove_url = reverse("plan:remove", args=[place.gss_code, action.pk])
    response = client.post(remove_url, {"reason": "Merged into another", "version": "2"})
    assert response.status_code == 302 and not ImprovementAction.objects.exists()

    history = client.get(reverse("plan:history", args=[place.gss_code]))
    assert "no-store" in history["Cache-Control"]
    html = history.content.decode()
    for text in (
        "Board, 3 March",
        "No applicants",
        "Merged into another",
        "Pat Planner",
        "Status: Not started",
        "Status: Blocked",
        "(none: new action)",
        f"Linked measures: {caseload.name}",
    ):
        assert text in html, text
    # The board member sees the same history.
    client.force_login(people["board_member"])
    again = client.get(reverse("plan:history", args=[place.gss_code]))
    assert "Merged into another" in again.content.decode()


def test_a_stale_page_is_refused_with_what_is_saved_now(client, place, people):
    action = add(place, people["approver"])
    change(action, people["local_administrator"], owner="Head of Service")
    client.force_login(people["approver"])
    edit_url = reverse("plan:edit", args=[place.gss_code, action.pk])
    response = client.post(edit_url, {**form(place, owner="Me"), "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this action since you opened it. Nothing was saved" in html
    assert "Saved now by local_admin" in html and "Head of Service" in html
    assert 'name="version" value="2"' in html and 'value="Me"' in html
    action.refresh_from_db()
    assert action.owner == "Head of Service"
    # Saving again, having seen what is there now, replaces it.
    response = client.post(edit_url, {**form(place, owner="Me"), "version": "2"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner == "Me" and action.version == 3


def test_mistakes_get_a_message_on_their_field_and_save_nothing(client, place, people):
    client.force_login(people["approver"])
    response = client.post(
        reverse("plan:add", args=[place.gss_code]),
        form(place, description="", owner="", due_date="31/2/2027", status="finished"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "Enter what will be done",
        "Enter who owns the action: a name or a role",
        "Enter a real date, for example 31 3 2027",
        "Choose a status from the list",
    ):
        assert message in html
    assert "govuk-error-summary" in html
    response = client.post(
        reverse("plan:add", args=[place.gss_code]), form(place, due_date="1999-12-31")
    )
    assert "The due date must be between 1 January 2000" in response.content.decode()
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize(
    "who", ["board_member", "data_officer", "dfe_analyst", "other_approver", "no_role"]
)
def test_people_who_do_not_manage_the_plan_are_refused_its_forms(client, place, people, who):
    action = add(place, people["approver"])
    client.force_login(people[who])
    urls = [
        reverse("plan:add", args=[place.gss_code]),
        reverse("plan:edit", args=[place.gss_code, action.pk]),
        reverse("plan:remove", args=[place.gss_code, action.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        response = client.post(url, {**form(place, owner="Intruder"), "version": "1"})
        assert response.status_code == 403
        assert "Only approvers and administrators of Wakefield" in response.content.decode()
    action.refresh_from_db()
    assert action.owner != "Intruder" and ImprovementAction.objects.count() == 1
    client.logout()
    for url in urls:
        assert client.post(url, form(place))["Location"].startswith("/accounts/login/")


def test_an_action_of_another_authority_is_not_found_through_this_one(
    client, place, elsewhere, people
):
    theirs = add(elsewhere, people["other_approver"])
    client.force_login(people["approver"])
    url = reverse("plan:edit", args=[place.gss_code, theirs.pk])
    assert client.get(url).status_code == 404


def test_the_authority_page_shows_the_plan_only_to_those_who_may_see_it(client, place, people):
    today = timezone.localdate()
    add(place, people["approver"], description="Recruit managers")
    ImprovementAction.objects.create(
        authority=place,
        description="Stabilise the front door",
        owner="Head of MASH",
        due_date=today - datetime.timedelta(days=10),
    )
    ImprovementAction.objects.create(
        authority=place,
        description="Publish the practice standards",
        owner="Principal social worker",
        due_date=today - datetime.timedelta(days=40),
        status=ActionStatus.DONE,
    )
    summary = selectors.plan_summary(place, user=people["board_member"])
    assert summary is not None
    assert (summary.total, summary.open) == (3, 2)
    assert summary.counts == {"red": 1, "amber": 0, "green": 1, "done": 1}
    assert [row.action.description for row in summary.overdue] == ["Stabilise the front door"]

    page = reverse("reports:authority", args=[place.gss_code])
    client.force_login(people["board_member"])
    html = client.get(page).content.decode()
    assert 'id="plan"' in html and "3 actions in Wakefield's improvement plan" in html
    assert "Stabilise the front door" in html and plan_url(place) in html
    for who in ("other_approver", "no_role"):
        client.force_login(people[who])
        html = client.get(page).content.decode()
        assert 'id="plan"' not in html and "Stabilise the front door" not in html
    client.logout()
    html = client.get(page).content.decode()
    assert 'id="plan"' not in html and "Stabilise the front door" not in html


# --- the demo's plan ---------------------------------------------------------------------


def test_load_demo_gives_the_demo_authority_a_plan_with_every_standing(client):
    import io

    from django.core.management import call_command

    call_command("load_demo", "--authorities", "11", "--months", "2", "--seed", "5",
                 stdout=io.StringIO())  # fmt: skip
    actions = ImprovementAction.objects.select_related("authority")
    assert actions.count() == 6 and {a.authority.is_demo for a in actions} == {True}
    place = actions.first().authority
    today = timezone.localdate()
    standings = {
        rag.action_rag(status=a.status, due_date=a.due_date, today=today).rag for a in actions
    }
    assert standings == {"red", "amber", "green", "done"}
    changes = ImprovementActionChange.objects.all()
    assert {c.reason for c in changes} == {"Simulated demo plan"}
    assert {c.changed_by.username for c in changes} == {"demo-approver"}
    # Loading again replaces the plan and its history; nothing is doubled.
    call_command("load_demo", "--authorities", "11", "--months", "2", "--seed", "5",
                 stdout=io.StringIO())  # fmt: skip
    assert ImprovementAction.objects.count() == 6
    assert ImprovementActionChange.objects.count() == 6
    client.force_login(ImprovementActionChange.objects.first().changed_by)
    response = client.get(plan_url(place))
    assert response.status_code == 200, response
    html = response.content.decode()
    assert "Simulated" in html and "app-demo-banner" in html


def test_a_stale_removal_is_refused_and_keeps_the_action(client, place, people):
    action = add(place, people["approver"])
    change(action, people["local_administrator"], status=ActionStatus.DONE)
    client.force_login(people["approver"])
    remove_url = reverse("plan:remove", args=[place.gss_code, action.pk])
    # The page carries the version it shows, so a removal from it is checked against that.
    assert 'name="version" value="2"' in client.get(remove_url).content.decode()
    response = client.post(remove_url, {"reason": "Old", "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this action since you opened it. Nothing was removed" in html
    assert "Saved now by local_admin" in html and 'name="version" value="2"' in html
    assert ImprovementAction.objects.filter(pk=action.pk).exists()
    response = client.post(remove_url, {"reason": "Seen it", "version": "2"})
    assert response.status_code == 302 and not ImprovementAction.objects.exists()
