"""Fixtures for monthly returns: an authority, another authority, and a user of each role."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from authorities.models import Membership, Role
from indicators.models import PeriodKind, Source
from indicators.returns import selectors as returns_selectors
from tests.factories import AuthorityFactory, ObservationFactory, indicator

MONTH = returns_selectors.latest_month(datetime.date.today())
SLUG = f"{MONTH:%Y-%m}"
PREVIOUS = returns_selectors.add_months(MONTH, -1)
LAST_YEAR = returns_selectors.add_months(MONTH, -12)


def make_user(username: str, role: str | None = None, authority=None) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.com", password="pw")
    if role:
        Membership.objects.create(user=user, role=role, authority=authority)
    return user


@pytest.fixture
def authority():
    return AuthorityFactory(name="Wakefield", gss_code="E08000036")


@pytest.fixture
def other_authority():
    return AuthorityFactory(name="Kirklees", gss_code="E08000034")


@pytest.fixture
def users(authority, other_authority):
    """One user of each role for ``authority``, national ones, and outsiders."""
    return {
        "data_officer": make_user("officer", Role.DATA_OFFICER, authority),
        "approver": make_user("approver", Role.APPROVER, authority),
        "board_member": make_user("board", Role.BOARD_MEMBER, authority),
        "dfe_analyst": make_user("analyst", Role.DFE_ANALYST),
        "administrator": make_user("admin", Role.ADMINISTRATOR),
        "local_administrator": make_user("local_admin", Role.ADMINISTRATOR, authority),
        "other_data_officer": make_user("other_officer", Role.DATA_OFFICER, other_authority),
        "other_approver": make_user("other_approver", Role.APPROVER, other_authority),
        "no_role": make_user("nobody"),
    }


def monthly(code: str, gss_code: str, month: datetime.date, value: float, **extra):
    """A monthly observation of the authority's own figure (demo data unless said)."""
    extra.setdefault("source", Source.DEMO)
    return ObservationFactory(
        indicator=indicator(code),
        area_code=gss_code,
        period_kind=PeriodKind.MONTH,
        period_start=month,
        period_end=returns_selectors.add_months(month, 1) - datetime.timedelta(days=1),
        period_label=f"{month:%b %Y}",
        value=value,
        release=extra.pop("release", "demo"),
        **extra,
    )


# A complete, valid return: counts as values, ratios as numerator and denominator.
COMPLETE = {
    "contacts": {"value": "1200"},
    "contacts_decided_1wd_pct": {"numerator": "900", "denominator": "1200"},
    "referrals": {"value": "300"},
    "rereferrals_12m_pct": {"numerator": "60", "denominator": "300"},
    "assessments_45wd_pct": {"numerator": "250", "denominator": "280"},
    "s47_enquiries": {"value": "90"},
    "icpc_15wd_pct": {"numerator": "30", "denominator": "40"},
    "cp_plans": {"value": "410"},
    "cp_plans_repeat_pct": {"numerator": "8", "denominator": "50"},
    "cp_visits_in_time_pct": {"numerator": "380", "denominator": "410"},
    "cla": {"value": "650"},
    "cla_visits_in_time_pct": {"numerator": "600", "denominator": "650"},
    "cla_reviews_in_time_pct": {"numerator": "55", "denominator": "60"},
    "rhi_72h_pct": {"numerator": "40", "denominator": "50"},
    "care_leavers_eet_pct": {"numerator": "120", "denominator": "240"},
    "care_leavers_accom_pct": {"numerator": "200", "denominator": "240"},
    "unallocated_cases": {"value": "12"},
    "avg_caseload": {"numerator": "2100", "denominator": "110.5"},
    "agency_sw_pct": {"numerator": "22.5", "denominator": "150"},
    "sw_vacancy_pct": {"numerator": "18", "denominator": "160"},
    "supervision_in_time_pct": {"numerator": "130", "denominator": "150"},
}


def form_data(entries: dict | None = None, *, version: int = 0, action: str = "save") -> dict:
    """What the return form posts: every field of every indicator, prefixed with its code."""
    from indicators.returns import validation

    data = {"version": str(version), "action": action}
    for ind in returns_selectors.month_indicators():
        fields = (["numerator", "denominator"] if validation.is_ratio(ind) else ["value"]) + [
            "internal_note",
            "published_note",
            "explanation",
        ]
        given = (entries or {}).get(ind.code, {})
        for name in fields:
            data[f"{ind.code}-{name}"] = given.get(name, "")
    return data


class _FormReader(HTMLParser):
    """The named inputs and textareas of the form posting to ``action``, as a browser sends
    them (submit buttons left out: the test says which one is pressed)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.textarea: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        elif self.inside and tag == "input" and found.get("type") != "submit" and "name" in found:
            self.fields[found["name"]] = found.get("value", "")
        elif self.inside and tag == "textarea" and "name" in found:
            self.textarea = found["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None


def form_on_page(html: str, action: str) -> dict[str, str]:
    """What the form on the page posting to ``action`` would send, as it is filled in now: a
    browser tab's copy of the return, to change and post."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields
