"""Issue 13, item 4: the admin cannot change a return, its figures or the plan behind the
workflow's back. A superuser sees returns, values, history, published figures and milestones,
and every attempt to add, change or delete them is refused (403) and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from authorities.models import Authority
from indicators.milestones import services as milestone_services
from indicators.milestones.models import Milestone, MilestoneChange
from indicators.models import Observation, Source
from indicators.returns import services
from indicators.returns.models import (
    MonthlyReturn,
    ReturnEvent,
    ReturnStatus,
    ReturnValue,
    ValueChange,
)
from tests.factories import indicator
from tests.indicators.returns.conftest import COMPLETE, MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def approved(authority, users):
    """A return entered, submitted and approved through the workflow: figures published."""
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries=COMPLETE,
        version=0,
    )
    monthly_return = MonthlyReturn.objects.get(authority=authority, month=MONTH)
    services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    return services.approve_return(monthly_return=monthly_return, user=users["approver"])


def everything() -> tuple:
    """What the admin must not be able to touch, as it stands."""
    return (
        list(MonthlyReturn.objects.values()),
        list(ReturnValue.objects.values()),
        list(ReturnEvent.objects.values()),
        list(ValueChange.objects.values()),
        list(Observation.objects.values()),
        list(Milestone.objects.values()),
        list(MilestoneChange.objects.values()),
    )


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def delete(client, row) -> int:
    """The admin's delete confirmation, confirmed: its status code."""
    return client.post(admin_url(type(row), "delete", row.pk), {"post": "yes"}).status_code


def test_a_superuser_cannot_change_an_approved_return_in_the_admin(
    client, superuser, approved, users
):
    before = everything()
    change = admin_url(MonthlyReturn, "change", approved.pk)
    page = client.get(change)
    assert page.status_code == 200
    html = page.content.decode()
    # Shown, with its values, timeline and changes, but as text: no inputs, no save button.
    assert 'name="status"' not in html and 'name="approved_by"' not in html
    assert 'name="_save"' not in html
    assert "Approved" in html and "Submitted" in html and "Started" in html  # the timeline
    assert "Changes to values" in html

    # What the attack did: the approved return put back to draft, someone else as approver.
    attack = {
        "authority": approved.authority.pk,
        "month": approved.month.isoformat(),
        "status": ReturnStatus.DRAFT,
        "version": "1",
        "approved_by": users["data_officer"].pk,
        "submitted_by": users["approver"].pk,
    }
    assert client.post(change, attack).status_code == 403
    assert client.post(admin_url(MonthlyReturn, "add"), attack).status_code == 403
    assert client.get(admin_url(MonthlyReturn, "add")).status_code == 403
    assert delete(client, approved) == 403
    # Nor many at once from the list.
    listing = client.post(
        admin_url(MonthlyReturn, "changelist"),
        {"action": "delete_selected", "_selected_action": [approved.pk], "post": "yes"},
    )
    assert listing.status_code in (200, 302)
    assert everything() == before
    approved.refresh_from_db()
    assert approved.status == ReturnStatus.APPROVED


@pytest.mark.parametrize("model", [ReturnValue, ReturnEvent, ValueChange])
def test_values_and_history_of_a_return_are_read_only(client, superuser, approved, model):
    before = everything()
    row = model.objects.first()
    change = admin_url(model, "change", row.pk)
    assert client.get(change).status_code == 200
    assert client.post(change, {"value": "1", "old": "x", "new": "y"}).status_code == 403
    assert delete(client, row) == 403
    assert client.get(admin_url(model, "add")).status_code == 403
    assert everything() == before


def test_published_figures_are_read_only(client, superuser, approved):
    before = everything()
    figure = Observation.objects.filter(source=Source.MONTHLY_RETURN).first()
    assert figure is not None
    change = admin_url(Observation, "change", figure.pk)
    assert client.get(change).status_code == 200
    assert client.post(change, {"value": "999"}).status_code == 403
    assert delete(client, figure) == 403
    # Nor a "published" figure made up from nothing.
    made_up = {
        "indicator": indicator("referrals").pk,
        "area_level": "authority",
        "area_code": approved.authority.gss_code,
        "period_kind": "month",
        "period_start": "2020-01-01",
        "period_end": "2020-01-31",
        "period_label": "Jan 2020",
        "value": "5",
        "source": Source.MONTHLY_RETURN,
    }
    assert client.post(admin_url(Observation, "add"), made_up).status_code == 403
    assert everything() == before


def test_milestones_and_their_history_are_read_only(client, superuser, authority, users):
    result = milestone_services.save_milestone(
        authority=authority,
        indicator=indicator("avg_caseload"),
        due_date=datetime.date.today() + datetime.timedelta(days=90),
        value=20,
        tolerance=1,
        note="Agreed",
        user=users["approver"],
        reason="Board, March",
    )
    before = everything()
    milestone = result.milestone
    change = admin_url(Milestone, "change", milestone.pk)
    html = client.get(change).content.decode()
    assert "Board, March" in html  # its history, shown with it
    data = {"authority": authority.pk, "indicator": milestone.indicator_id, "value": "1"}
    data.update({"due_date": "2030-01-01", "tolerance": "0"})
    assert client.post(change, data).status_code == 403
    assert delete(client, milestone) == 403
    assert client.get(admin_url(Milestone, "add")).status_code == 403
    record = MilestoneChange.objects.get()
    assert client.get(admin_url(MilestoneChange, "change", record.pk)).status_code == 200
    assert client.post(admin_url(MilestoneChange, "change", record.pk), {}).status_code == 403
    assert delete(client, record) == 403
    assert everything() == before


def test_deleting_an_authority_cannot_take_its_returns_and_history_with_it(
    client, superuser, approved
):
    """The admin's own rule: a delete that would cascade into read-only rows is refused."""
    before = everything()
    page = client.get(admin_url(Authority, "delete", approved.authority.pk)).content.decode()
    assert "doesn't have permission to delete the following types of objects" in page
    assert "<li>monthly return</li>" in page
    assert delete(client, approved.authority) == 403
    assert Authority.objects.filter(pk=approved.authority.pk).exists()
    assert everything() == before
