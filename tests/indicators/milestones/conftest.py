"""An authority with an inspection, another authority, and one user of each role."""

from __future__ import annotations

import pytest

from authorities.models import Grade, Role
from tests.factories import AuthorityFactory, InspectionFactory
from tests.indicators.returns.conftest import make_user


@pytest.fixture
def place():
    return AuthorityFactory(name="Wakefield", gss_code="E08000036")


@pytest.fixture
def elsewhere():
    return AuthorityFactory(name="Kirklees", gss_code="E08000034")


@pytest.fixture
def inspection(place):
    return InspectionFactory(authority=place, overall_grade=Grade.INADEQUATE)


@pytest.fixture
def people(place, elsewhere):
    approver = make_user("approver", Role.APPROVER, place)
    approver.first_name, approver.last_name = "Pat", "Planner"
    approver.save()
    return {
        "approver": approver,
        "local_administrator": make_user("local_admin", Role.ADMINISTRATOR, place),
        "administrator": make_user("admin", Role.ADMINISTRATOR),
        "data_officer": make_user("officer", Role.DATA_OFFICER, place),
        "board_member": make_user("board", Role.BOARD_MEMBER, place),
        "dfe_analyst": make_user("analyst", Role.DFE_ANALYST),
        "other_approver": make_user("other_approver", Role.APPROVER, elsewhere),
        "other_board_member": make_user("other_board", Role.BOARD_MEMBER, elsewhere),
        "no_role": make_user("nobody"),
    }
