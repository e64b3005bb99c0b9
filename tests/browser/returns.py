"""What the monthly return journeys share: the people, the return and figures that fit it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model

from authorities.accounts.demo_users import create_demo_users
from authorities.models import Authority, Role
from indicators.models import Indicator
from indicators.returns import selectors as returns_selectors
from indicators.returns import services, validation

from .conftest import Tab

# The figure the journeys enter far from last month's (a warning to explain), and the ratio they
# first get wrong (a numerator above its denominator: an error as the field is left).
JUMPING = "contacts"
WRONG = "contacts_decided_1wd_pct"


@dataclass
class Person:
    username: str
    password: str


@dataclass
class ReturnJourney:
    authority: Authority
    month: datetime.date
    officer: Person
    approver: Person
    indicators: list[Indicator]
    entries: dict[str, dict[str, str]]  # code -> field -> text, close to last month's figures

    @property
    def path(self) -> str:
        return f"/returns/{self.authority.gss_code}/{self.month:%Y-%m}/"

    def field_id(self, code: str, name: str) -> str:
        return f"id_{code}-{name}"


def _text(number: float) -> str:
    return validation.number_text(number)


def entries_near_last_month(
    authority: Authority, month: datetime.date, indicators: list[Indicator]
) -> dict[str, dict[str, str]]:
    """For every indicator, last month's figure again (so no warning), as the form takes it."""
    beside = returns_selectors.figures_beside(authority, month, indicators)
    entries: dict[str, dict[str, str]] = {}
    for indicator in indicators:
        previous = beside[indicator.code].previous
        assert previous is not None and previous.value is not None, indicator.code
        if not validation.is_ratio(indicator):
            entries[indicator.code] = {"value": _text(round(previous.value))}
        elif validation.is_caseload(indicator):  # cases / FTE
            entries[indicator.code] = {
                "numerator": _text(round(previous.value * 10)),
                "denominator": "10",
            }
        else:  # a percentage, to a tenth of a point
            entries[indicator.code] = {
                "numerator": _text(round(previous.value * 10)),
                "denominator": "1000",
            }
    return entries


def return_journey() -> ReturnJourney:
    """A demo authority's open return (the latest month), its data officer and its approver."""
    authority = Authority.objects.filter(is_demo=True).order_by("name").first()
    assert authority is not None
    people = {
        role: (username, password) for username, role, password in create_demo_users(authority)
    }
    month = returns_selectors.latest_month(datetime.date.today())
    indicators = returns_selectors.month_indicators()
    return ReturnJourney(
        authority=authority,
        month=month,
        officer=Person(*people[str(Role.DATA_OFFICER)]),
        approver=Person(*people[str(Role.APPROVER)]),
        indicators=indicators,
        entries=entries_near_last_month(authority, month, indicators),
    )


def user_of(person: Person) -> Any:
    return get_user_model().objects.get(username=person.username)


def save_entries(journey: ReturnJourney, entries: dict[str, dict[str, str]], version: int) -> Any:
    """Save figures as the journey's data officer would (through the service the form uses)."""
    return services.save_return_values(
        authority=journey.authority,
        month=journey.month,
        user=user_of(journey.officer),
        entries=entries,
        version=version,
    ).monthly_return


def page_width(tab: Tab) -> int:
    """How wide the page is laid out: wider than the window means it scrolls sideways."""
    return int(tab.page.evaluate("() => document.documentElement.scrollWidth"))


def sign_in(tab: Tab, person: Person, next_path: str, *, check: bool = False) -> None:
    """Sign in through the form, arriving at ``next_path``; ``check`` runs axe on the form."""
    tab.goto(f"/accounts/login/?next={next_path}")
    if check:
        tab.axe("sign-in page")
    tab.page.get_by_label("Username").fill(person.username)
    tab.page.get_by_label("Password").fill(person.password)
    tab.page.get_by_role("button", name="Sign in").click()
    arrived_at(tab, next_path)


def arrived_at(tab: Tab, path: str) -> None:
    """Wait for the page at ``path`` (not one that merely mentions it, as ?next= does)."""
    tab.page.wait_for_url(lambda url: urlsplit(url).path == path)
    tab.settle()


def sign_out(tab: Tab) -> None:
    tab.page.get_by_role("button", name="Sign out").click()
    arrived_at(tab, "/")  # where signing out leads
