"""Reflow (WCAG 2.2, 1.4.10): at 320 CSS pixels wide, the pages people read never scroll
sideways as a whole; wide tables scroll inside their own box."""

from __future__ import annotations

import pytest

from authorities.models import Authority

from .conftest import Tab

pytestmark = pytest.mark.browser


def test_pages_fit_a_narrow_screen(demo, tab: Tab):
    page = tab.page
    page.set_viewport_size({"width": 320, "height": 800})
    authorities = list(Authority.objects.filter(is_demo=True).order_by("name")[:2])
    codes = "&".join(f"authority={a.gss_code}" for a in authorities)
    paths = [
        "/",
        f"/authorities/{authorities[0].gss_code}/",
        f"/compare/?{codes}&indicator=agency_sw_pct",
        "/league/?indicator=agency_sw_pct",
        "/recovery/",
    ]
    too_wide = {}
    for path in paths:
        tab.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert not too_wide, f"pages wider than the screen: {too_wide}"
    tab.finish()
