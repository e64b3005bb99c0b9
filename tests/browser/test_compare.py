"""Compare councils: three authorities added through the form, then lined up on their first
Inadequate judgement."""

from __future__ import annotations

import pytest

from authorities.models import Authority, Grade

from .conftest import Tab, assert_chart_has_text_alternative

pytestmark = pytest.mark.browser

DATA_TABLE = "#compare-results .app-table-scroll table"


def test_compare_three_authorities_and_align_them_on_inadequate(demo, tab: Tab):
    demo_authorities = Authority.objects.filter(is_demo=True).order_by("name")
    judged = [a for a in demo_authorities if a.inspections.filter(overall_grade=Grade.INADEQUATE)]
    never = [a for a in demo_authorities if a not in judged]
    chosen = [judged[0], judged[1], never[0]]
    page = tab.page

    tab.goto("/compare/")
    tab.axe("compare page, nothing chosen")
    add = page.get_by_label("Add an authority")

    # A name that matches nothing: the error summary is swapped in and takes the focus.
    add.fill("Nowhere at all")
    page.get_by_role("button", name="Add authority").click()
    page.locator(".govuk-error-summary").wait_for()
    page.wait_for_function("() => document.activeElement.matches('.govuk-error-summary')")
    tab.axe("compare page, error summary")

    for count, authority in enumerate(chosen, start=1):
        add.fill(authority.name)
        page.get_by_role("button", name="Add authority").click()
        row = page.locator("#compare table").first.get_by_role("link", name=authority.name)
        row.wait_for()
        assert page.locator(".govuk-error-summary").count() == 0
        tab.wait_for_location(f"authority={authority.gss_code}")
        tab.settle()
        assert page.locator("#compare table").first.locator("tbody tr").count() == count
        page.locator("#compare-chart .main-svg").first.wait_for()
        assert_chart_has_text_alternative(page, "compare", DATA_TABLE)
        tab.axe(f"compare page, {count} chosen")

    # Line them up on each authority's first Inadequate judgement.
    page.get_by_label("Time axis").select_option(label="Years since the first Inadequate judgement")
    tab.wait_for_location("align=grade%3Ainadequate|align=grade:inadequate")
    page.locator("#compare-left-out").wait_for()
    tab.settle()
    page.locator("#compare-chart .main-svg").first.wait_for()
    left_out = page.locator("#compare-left-out + .app-table-wrap table tbody")
    assert left_out.get_by_role("link", name=never[0].name).is_visible()
    assert left_out.locator("tr").count() == 1
    x_title = page.locator("#compare-chart .g-xtitle").text_content() or ""
    assert "Inadequate" in x_title, x_title
    anchors = page.locator("#compare-anchors + dl")
    for authority in judged[:2]:
        assert anchors.get_by_text(authority.name).is_visible()
    assert_chart_has_text_alternative(page, "compare", DATA_TABLE)
    tab.axe("compare page, aligned on Inadequate")
    tab.finish()
