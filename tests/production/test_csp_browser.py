"""The charts under the Content Security Policy, in Chromium: drawn, styled by plotly.js's own
CSS from static/css/plotly.css, and not one violation reported, hovering included.

Skips (saying why) without Playwright or a Chromium. The live server runs in this process (the
test settings, which have the same policy as production); Chromium is driven by
``csp_probe.py`` in a process of its own. The browser tests in tests/browser cover the
journeys, and fail on any console error, which includes a CSP violation.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from indicators.models import AreaLevel, PeriodKind
from tests.factories import AuthorityFactory, NeighbourFactory, ObservationFactory, RegionFactory

PROBE = Path(__file__).with_name("csp_probe.py")


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        path = shutil.which("chromium") or ""
    if not path:
        pytest.skip("no Chromium at /usr/bin/chromium or on the PATH")
    return path


@pytest.fixture
def place(transactional_db: Any) -> Any:
    from indicators.catalogue import sync_catalogue
    from indicators.models import Indicator

    sync_catalogue(Indicator)  # a transactional test's flush takes the data migration's rows
    agency = Indicator.objects.get(code="agency_sw_pct")
    region = RegionFactory(code="E12000003", name="Yorkshire and The Humber")
    authority = AuthorityFactory(name="Wakefield", gss_code="E08000036", region=region)
    neighbour = AuthorityFactory(name="Barnsley", gss_code="E08000016", region=region)
    NeighbourFactory(authority=authority, neighbour=neighbour, rank=1)
    for year in range(2018, 2026):
        for code, value in ((authority.gss_code, 30 - year % 7), (neighbour.gss_code, 12.5)):
            ObservationFactory(
                indicator=agency,
                area_code=code,
                period_kind=PeriodKind.REPORTING_YEAR,
                period_start=datetime.date(year - 1, 10, 1),
                period_end=datetime.date(year, 9, 30),
                period_label=str(year),
                value=value,
            )
        ObservationFactory(
            indicator=agency,
            area_code="E92000001",
            area_level=AreaLevel.NATIONAL,
            period_kind=PeriodKind.REPORTING_YEAR,
            period_start=datetime.date(year - 1, 10, 1),
            period_end=datetime.date(year, 9, 30),
            period_label=str(year),
            value=15.0,
        )
    return authority


@pytest.mark.browser
def test_charts_draw_under_the_policy_without_a_violation(live_server, place):
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    paths = [
        f"/authorities/{place.gss_code}/?indicator=agency_sw_pct",
        f"/compare/?authority={place.gss_code}&authority=E08000016&indicator=agency_sw_pct",
        f"/authorities/{place.gss_code}/neighbours/?indicator=agency_sw_pct",
    ]
    # Chromium is driven from a process of its own: Playwright's sync API cannot start where
    # another (the browser tests' session) already runs an event loop.
    result = subprocess.run(
        [sys.executable, str(PROBE), chromium(), live_server.url, *paths],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for path in paths:
        state = report["pages"][path]
        assert "style-src 'self'" in state["policy"] and "unsafe-inline" not in state["policy"]
        assert state["violations"] == [], (path, state["violations"])
        assert state["injected"] == 0, f"plotly.js injected a <style> on {path}"
        assert state["styled"] == "absolute", f"plotly.css is not applied on {path}"
    assert report["errors"] == []
