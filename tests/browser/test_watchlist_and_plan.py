"""Watch who is off track and track the improvement plan (issue 17, items 1 and 3): a DfE analyst
filters the watchlist and follows a flag to its evidence; an approver adds an action to the plan,
with and without a mistake, changes its status and reads the history. Axe on every state."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from authorities.accounts.demo_users import create_demo_users
from authorities.models import Authority, Role
from indicators.milestones.models import ImprovementAction, ImprovementActionChange
from indicators.models import MonthlyReturn

from .conftest import Tab
from .returns import Person, arrived_at, sign_in

pytestmark = pytest.mark.browser


def people(authority: Authority) -> dict[str, Person]:
    return {role: Person(name, password) for name, role, password in create_demo_users(authority)}


def returning_authority() -> Authority:
    authority = Authority.objects.filter(pk__in=MonthlyReturn.objects.values("authority")).first()
    assert authority is not None
    return authority


def test_a_dfe_analyst_filters_the_watchlist_and_follows_a_flag(demo, tab: Tab):
    authority = returning_authority()
    analyst = people(authority)[str(Role.DFE_ANALYST)]
    page = tab.page
    sign_in(tab, analyst, "/")
    page.get_by_role("link", name="Watchlist").click()
    arrived_at(tab, "/watchlist/")
    assert page.get_by_role("heading", name="Watchlist", level=1).is_visible()
    tab.axe("watchlist, every authority")
    listed = page.locator("table.app-watchlist tbody tr").count()
    assert listed > 0

    # Only the authorities flagged for being worse on their latest period: a GET form, so the
    # address holds the view.
    page.get_by_label("Flag").select_option("worse")
    page.get_by_role("button", name="Show authorities").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("flag") == ["worse"])
    tab.settle()
    tab.axe("watchlist, filtered by a flag")
    rows = page.locator("table.app-watchlist tbody tr")
    assert 0 < rows.count() <= listed
    assert "(filtered)" in page.get_by_role("status").inner_text()

    # Each flag links to its evidence: the authority's page, at the measure.
    rows.first.locator("li").filter(has_text="Worse").locator("a").first.click()
    tab.page.wait_for_url(lambda url: urlsplit(url).path.startswith("/authorities/"))
    tab.settle()
    assert page.locator("#headlines").is_visible()
    tab.axe("the authority page a flag leads to")
    tab.assert_no_console_errors()


def test_an_approver_adds_an_action_changes_it_and_reads_the_history(demo, tab: Tab):
    authority = returning_authority()
    approver = people(authority)[str(Role.APPROVER)]
    page = tab.page
    plan_path = f"/authorities/{authority.gss_code}/plan/"
    sign_in(tab, approver, plan_path)
    assert page.get_by_role("heading", name="Improvement plan", level=1).is_visible()
    tab.axe("the improvement plan")
    before = ImprovementAction.objects.filter(authority=authority).count()

    page.get_by_role("link", name="Add an action").click()
    arrived_at(tab, f"{plan_path}new/")
    # A mistake first: nothing is saved and the summary says what to put right.
    page.get_by_role("button", name="Save action").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter what will be done" in summary.inner_text()
    tab.axe("add an action, with mistakes")
    assert ImprovementAction.objects.filter(authority=authority).count() == before

    due = datetime.date.today() + datetime.timedelta(days=10)
    page.get_by_label("What will be done").fill("Audit every open child in need plan")
    page.get_by_label("Owner").fill("Head of Service, Children in Need")
    page.get_by_label("Due by").fill(due.isoformat())
    page.get_by_label("Reason for the change").fill("Agreed at the March board")
    page.get_by_role("button", name="Save action").click()
    arrived_at(tab, plan_path)
    row = page.locator(".govuk-summary-card", has_text="Audit every open child in need plan")
    # Not started and due within 28 days: amber, said in words as well as colour.
    assert "Amber" in row.inner_text()
    tab.axe("the plan with the new action")

    action = ImprovementAction.objects.get(description="Audit every open child in need plan")
    row.get_by_role("link", name="Change").first.click()
    arrived_at(tab, f"{plan_path}{action.pk}/")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save action").click()
    arrived_at(tab, plan_path)
    card = page.locator(".govuk-summary-card", has_text="Audit every open")
    assert "In progress" in card.inner_text()

    page.get_by_role("link", name="Changes to this plan").click()
    arrived_at(tab, f"{plan_path}history/")
    tab.axe("the plan's history")
    history = page.locator("main").inner_text()
    assert "Agreed at the March board" in history
    kinds = list(
        ImprovementActionChange.objects.filter(action=action)
        .order_by("changed_at", "pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["added", "changed"]
    tab.assert_no_console_errors()
