"""Board packs: an authority with hand-made figures, its neighbours, and a user of each role."""

from __future__ import annotations

import datetime
from html import unescape

import pytest

from authorities.models import ENGLAND_CODE
from indicators.models import AreaLevel, Observation, PeriodKind, Source
from tests.factories import (
    AuthorityFactory,
    MilestoneFactory,
    NeighbourFactory,
    ObservationFactory,
    RegionFactory,
    indicator,
)
from tests.indicators.returns.conftest import make_user

TODAY = datetime.date.today()
MEETING = TODAY + datetime.timedelta(days=10)
MILESTONE_DUE = TODAY + datetime.timedelta(days=180)


def year(label: str) -> dict:
    """A DfE reporting year (to 30 September) as the Observation fields."""
    end = int(label)
    return {
        "period_kind": PeriodKind.REPORTING_YEAR,
        "period_start": datetime.date(end - 1, 10, 1),
        "period_end": datetime.date(end, 9, 30),
        "period_label": label,
    }


def agency(area_code: str, label: str, value: float | None, **extra) -> Observation:
    """An official agency social worker rate (%, lower is better) for an area and year."""
    extra.setdefault("area_level", AreaLevel.AUTHORITY)
    if value is None:
        extra.setdefault("symbol", "c")
    return ObservationFactory(
        indicator=indicator("agency_sw_pct"),
        area_code=area_code,
        value=value,
        source=Source.OFFICIAL,
        release=extra.pop("release", f"workforce_{label}.csv"),
        source_row=extra.pop("source_row", 12),
        **year(label),
        **extra,
    )


@pytest.fixture
def region():
    return RegionFactory(code="E12000003", name="Yorkshire and The Humber")


@pytest.fixture
def authority(region):
    return AuthorityFactory(name="Wakefield", gss_code="E08000036", region=region)


@pytest.fixture
def other_authority(region):
    return AuthorityFactory(name="Kirklees", gss_code="E08000034", region=region)


@pytest.fixture
def figures(authority, region):
    """Hand-made official figures: Wakefield's agency rate fell from 20.0% to 17.5%; its three
    neighbours had 10, 14 and 18% (mean 14.0%); the region 16.0%, England 15.0%; a milestone
    of 16.0% (tolerance 2) is due in six months."""
    agency(authority.gss_code, "2024", 20.0)
    latest = agency(authority.gss_code, "2025", 17.5, source_row=41)
    for rank, (name, code, value) in enumerate(
        [("Barnsley", "E08000016", 10.0), ("Rotherham", "E08000018", 14.0), ("Doncaster",
         "E08000017", 18.0)],
        start=1,
    ):  # fmt: skip
        neighbour = AuthorityFactory(name=name, gss_code=code, region=region)
        NeighbourFactory(authority=authority, neighbour=neighbour, rank=rank)
        agency(code, "2025", value)
    agency(region.code, "2025", 16.0, area_level=AreaLevel.REGIONAL, source_row=3)
    agency(ENGLAND_CODE, "2025", 15.0, area_level=AreaLevel.NATIONAL, source_row=1)
    MilestoneFactory(
        authority=authority,
        indicator=indicator("agency_sw_pct"),
        due_date=MILESTONE_DUE,
        value=16.0,
        tolerance=2.0,
    )
    return latest


@pytest.fixture
def users(authority, other_authority):
    """One user of each role for ``authority``, national ones, and outsiders."""
    from authorities.models import Role

    return {
        "data_officer": make_user("officer", Role.DATA_OFFICER, authority),
        "approver": make_user("approver", Role.APPROVER, authority),
        "board_member": make_user("board", Role.BOARD_MEMBER, authority),
        "dfe_analyst": make_user("analyst", Role.DFE_ANALYST),
        "administrator": make_user("admin", Role.ADMINISTRATOR),
        "local_administrator": make_user("local_admin", Role.ADMINISTRATOR, authority),
        "other_data_officer": make_user("other_officer", Role.DATA_OFFICER, other_authority),
        "other_board_member": make_user("other_board", Role.BOARD_MEMBER, other_authority),
        "no_role": make_user("nobody"),
    }


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())
