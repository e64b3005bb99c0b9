"""Browse an authority: search, open it, switch indicator and comparator, the back button, the
data table and the CSV behind the chart."""

from __future__ import annotations

import csv
import io
import re

import pytest

from authorities.models import Authority
from indicators.models import Indicator

from .conftest import Tab, assert_chart_has_text_alternative

pytestmark = pytest.mark.browser


def number(text: str) -> float | None:
    """A figure as the page writes it (1,446 / 12.5% / 67.9 per 10,000) as a number."""
    match = re.match(r"^-?[\d,]+(?:\.\d+)?", text.strip())
    return float(match.group(0).replace(",", "")) if match else None


def test_browse_from_the_home_page_to_an_authority_and_its_chart(demo, tab: Tab):
    authority = Authority.objects.filter(is_demo=True).order_by("name")[3]
    page = tab.page

    tab.goto("/")
    tab.axe("home page")
    page.get_by_label("Find an authority by name or code").fill(authority.name[:5])
    results = page.locator("#authority-results")
    results.get_by_text(f"matches “{authority.name[:5]}”").wait_for()
    tab.wait_for_location(r"\?q=")  # the search is in the address
    tab.axe("home page, search results swapped in")
    results.get_by_role("link", name=authority.name).click()

    page.wait_for_url(f"**/authorities/{authority.gss_code}/")
    chart = page.locator("#trajectory-chart")
    chart.locator(".main-svg").first.wait_for()
    first_title = page.locator("#trajectory-title").inner_text()
    assert_chart_has_text_alternative(page, "trajectory", "#trajectory-data table")
    tab.axe("authority page")

    # Another indicator: the chart region is swapped, redrawn, and the address follows.
    other = Indicator.objects.get(code="avg_caseload")
    assert other.name != first_title
    page.get_by_label("Indicator", exact=True).select_option(other.code)
    page.locator("#trajectory-title", has_text=other.name).wait_for()
    chart.locator(".main-svg").first.wait_for()
    tab.wait_for_location(r"indicator=avg_caseload")
    assert_chart_has_text_alternative(page, "trajectory", "#trajectory-data table")
    tab.axe("authority page, indicator switched")

    # Another comparator: neighbours' median instead of their mean.
    table = page.locator("#trajectory-data table")
    mean_header = table.locator("thead").text_content()
    page.get_by_label("Median (as the outcomes dashboard)").check()
    tab.wait_for_location(r"neighbours=median")
    tab.settle()
    chart.locator(".main-svg").first.wait_for()
    assert "median" in table.locator("thead").text_content().lower()
    assert "mean" in mean_header.lower()
    tab.axe("authority page, comparator switched")

    # Back: the previous view (mean) comes back, with its chart.
    page.go_back()
    tab.wait_for_location(r"neighbours=mean")
    tab.settle()
    assert page.get_by_label("Mean (as LAIT)").is_checked()
    assert page.locator("#chart-indicator").input_value() == other.code
    page.locator("#trajectory-title", has_text=other.name).wait_for()
    chart.locator(".main-svg").first.wait_for()
    assert "mean" in table.locator("thead").text_content().lower()
    tab.axe("authority page, back to the previous view")

    # The data table, then the CSV of exactly what the chart draws.
    page.get_by_text("Data table for this chart").click()
    assert page.locator("#trajectory-data").get_attribute("open") is not None
    tab.axe("authority page, data table open")
    headers = [cell.strip() for cell in table.locator("thead th").all_inner_texts()]
    rows = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download this data as CSV")).click()
    download = download_info.value
    assert download.suggested_filename == f"{authority.gss_code}-{other.code}.csv"
    with open(download.path(), encoding="utf-8") as handle:
        downloaded = list(csv.reader(io.StringIO(handle.read())))
    assert downloaded[0] == ["Period", "Period end", *headers[1:]]
    assert len(downloaded) - 1 == len(rows) > 0
    for shown, raw in zip(rows, downloaded[1:], strict=True):
        assert shown[0] == raw[0]
        for text, value in zip(shown[1:], raw[2:], strict=True):
            if value == "":
                assert text == ""
            else:
                assert number(text) == pytest.approx(round(float(value), other.decimals))
    tab.finish()
